// The doctor: every check at once for a chosen profile (optionally with a test send to a group),
// a one-line summary, and the history of earlier runs. Items the API cannot check can be confirmed
// by hand here as in the wizard (the same WizardProgress.confirmed).
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { BotChat } from "../../bindings/BotChat";
import type { DoctorReport } from "../../bindings/DoctorReport";
import type { DoctorRun } from "../../bindings/DoctorRun";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { WizardProgress } from "../../bindings/WizardProgress";
import { countStatuses, describeCounts, inCheckOrder } from "../../checks/checkIds";
import { CheckOutcomes } from "../../checks/CheckOutcomes";
import { BusyButton } from "../../components/BusyButton";
import { ChatPicker } from "../../components/ChatPicker";
import { ProfileSelect } from "../../components/ProfileSelect";
import { NoProfileYet } from "../../components/NoProfileYet";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useErrors } from "../../errors/ErrorContext";
import { rememberProfile } from "../../lib/lastProfile";
import { defaultProfileName, useProfileList } from "../../profiles/useProfileList";
import { ActionError, useActionError } from "../setup/ActionError";
import { DoctorHistory } from "./DoctorHistory";

export function Doctor() {
  const { t } = useTranslation();
  const { show } = useErrors();
  const [selected, setSelected] = useState<string | null>(null);
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [history, setHistory] = useState<DoctorRun[] | null>(null);
  const [chats, setChats] = useState<BotChat[] | null>(null);
  const [chatId, setChatId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [loadingChats, setLoadingChats] = useState(false);
  /** The wizard's progress, for the items confirmed by hand (null until loaded). */
  const [progress, setProgress] = useState<WizardProgress | null>(null);
  const runError = useActionError();
  const chatsError = useActionError();
  const generation = useRef(0);
  const selectedRef = useRef<string | null>(null);

  /** The history and the items confirmed by hand. */
  const loadProfileData = useCallback(
    (name: string) => {
      const gen = generation.current;
      commands
        .doctorHistory(name)
        .then((runs) => gen === generation.current && setHistory(runs))
        .catch(show);
      commands
        .getWizardProgress(name)
        .then((saved) => gen === generation.current && setProgress({ ...saved, confirmed: saved.confirmed ?? [] }))
        .catch(show);
    },
    [show],
  );

  const choose = useCallback(
    (name: string) => {
      ++generation.current;
      rememberProfile(name);
      selectedRef.current = name;
      setSelected(name);
      setReport(null);
      setChats(null);
      setChatId(null);
      setHistory(null);
      setProgress(null);
      loadProfileData(name);
    },
    [loadProfileData],
  );

  const onLoaded = useCallback(
    (list: ProfileSummary[], sandbox: SandboxStatus) => {
      // Loaded again (the keychain came back): keep the profile and the last report.
      const current = selectedRef.current;
      if (current && list.some((p) => p.name === current)) {
        loadProfileData(current);
        return;
      }
      const name = defaultProfileName(list, sandbox);
      if (name) choose(name);
    },
    [choose, loadProfileData],
  );
  const { profiles, sandbox } = useProfileList(onLoaded);

  async function runAll() {
    if (!selected) return;
    const gen = generation.current;
    setRunning(true);
    runError.clear();
    try {
      const result = await commands.runDoctor(selected, chatId ?? undefined);
      if (gen !== generation.current) return;
      setReport(result);
      setHistory(await commands.doctorHistory(selected));
    } catch (error) {
      if (gen === generation.current) runError.fail(error);
    } finally {
      setRunning(false);
    }
  }

  async function loadChats() {
    if (!selected) return;
    const gen = generation.current;
    setLoadingChats(true);
    chatsError.clear();
    try {
      const list = await commands.listBotChats(selected);
      if (gen === generation.current) setChats(list);
    } catch (error) {
      if (gen === generation.current) chatsError.fail(error);
    } finally {
      setLoadingChats(false);
    }
  }

  function confirm(id: string, yes: boolean) {
    const name = selected;
    if (!name || !progress) return;
    const confirmed = yes ? [...progress.confirmed.filter((c) => c !== id), id] : progress.confirmed.filter((c) => c !== id);
    const next = { ...progress, confirmed };
    setProgress(next);
    commands.setWizardProgress(name, next).catch(show);
  }

  if (profiles === null || profiles.length === 0) {
    return <NoProfileYet profiles={profiles} sandbox={sandbox} screen="doctor" />;
  }

  const outcomes = report ? inCheckOrder(report.outcomes) : null;
  const counts = outcomes ? countStatuses(outcomes) : null;

  return (
    <>
      <SandboxBanner sandbox={sandbox} />
      <section className="panel" aria-labelledby="doctor-run-title">
        <h2 id="doctor-run-title" className="panel__title">
          {t("doctor.runTitle")}
        </h2>
        <div className="toolbar">
          <ProfileSelect profiles={profiles} sandbox={sandbox} value={selected ?? ""} onChange={choose} testId="doctor-profile-select" />
        </div>
        <div className="doctor-chat">
          <p className="muted">{t("doctor.testSendHint")}</p>
          {chats === null ? (
            <div className="actions">
              <BusyButton testId="doctor-load-chats" secondary busy={loadingChats} busyLabel={t("common.loading")} disabled={!selected} onClick={() => void loadChats()}>
                {t("doctor.loadChats")}
              </BusyButton>
              <ActionError error={chatsError.error} testId="doctor-load-chats-error" />
            </div>
          ) : chats.length === 0 ? (
            <p className="field__warning" data-testid="doctor-no-chats">
              {t("doctor.noChats")}
            </p>
          ) : (
            <ChatPicker chats={chats} value={chatId} onChange={setChatId} testIdPrefix="doctor-chat" noneLabel={t("doctor.noTestSend")} />
          )}
        </div>
        <div className="actions">
          <BusyButton testId="doctor-run" busy={running} busyLabel={t("common.checking")} disabled={!selected} onClick={() => void runAll()}>
            {t("doctor.runAll")}
          </BusyButton>
          <ActionError error={runError.error} testId="doctor-run-error" />
        </div>
        {outcomes && counts && report && (
          <>
            <p className="doctor-summary" data-testid="doctor-summary" role="status">
              {describeCounts(counts, t, t("doctor.summarySeparator"))}
            </p>
            <CheckOutcomes
              outcomes={outcomes}
              testIdPrefix="doctor"
              label={t("doctor.resultsLabel")}
              confirmed={progress?.confirmed}
              onConfirm={progress ? confirm : undefined}
            />
          </>
        )}
      </section>
      <DoctorHistory runs={history} />
    </>
  );
}
