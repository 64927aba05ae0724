// The doctor: every check at once for a chosen profile (optionally with a test send to a group),
// a one-line summary, and the history of earlier runs. Items the API cannot check can be confirmed
// by hand here as in the wizard (the same WizardProgress.confirmed); failures Apply can fix lead
// to the wizard's Apply step for the profile ("Fix with Apply").
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import * as commands from "../../api/commands";
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
import { useCommand, useLoad } from "../../lib/useCommand";
import { useChosenProfile } from "../../profiles/CurrentProfile";
import { useProfileList } from "../../profiles/useProfileList";
import { ActionError } from "../../components/ActionError";
import { DoctorHistory } from "./DoctorHistory";

export function Doctor() {
  const { profiles, sandbox } = useProfileList();
  const [selected] = useChosenProfile(profiles, sandbox);

  if (profiles === null || profiles.length === 0 || !selected) {
    return <NoProfileYet profiles={profiles} sandbox={sandbox} screen="doctor" />;
  }
  // Keyed by profile: another profile starts from a clean run, and its answers never mix.
  return <DoctorFor key={selected} name={selected} profiles={profiles} sandbox={sandbox} />;
}

interface DoctorForProps {
  name: string;
  profiles: ProfileSummary[];
  sandbox: SandboxStatus;
}

function DoctorFor({ name, profiles, sandbox }: DoctorForProps) {
  const { t } = useTranslation();
  const { show } = useErrors();
  const navigate = useNavigate();
  const [chatId, setChatId] = useState<string | null>(null);
  /** Confirmations made here (the loaded progress until the first one). */
  const [edited, setEdited] = useState<WizardProgress | null>(null);
  const history = useLoad(useCallback(() => commands.doctorHistory(name), [name]));
  const saved = useLoad(useCallback(() => commands.getWizardProgress(name), [name]));
  const run = useCommand(commands.runDoctor, { inline: true });
  const chats = useCommand(commands.listBotChats, { inline: true });
  const progress = edited ?? (saved.data ? { ...saved.data, confirmed: saved.data.confirmed ?? [] } : null);

  async function runAll() {
    const result = await run.run(name, chatId ?? undefined);
    if (result.status === "done") void history.reload();
  }

  function confirm(id: string, yes: boolean) {
    if (!progress) return;
    const others = progress.confirmed.filter((c) => c !== id);
    const next = { ...progress, confirmed: yes ? [...others, id] : others };
    setEdited(next);
    commands.setWizardProgress(name, next).catch(show);
  }

  const report = run.data;
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
          <ProfileSelect profiles={profiles} sandbox={sandbox} testId="doctor-profile-select" />
        </div>
        <div className="doctor-chat">
          <p className="muted">{t("doctor.testSendHint")}</p>
          {chats.data === undefined ? (
            <div className="actions">
              <BusyButton testId="doctor-load-chats" secondary busy={chats.busy} busyLabel={t("common.loading")} onClick={() => void chats.run(name)}>
                {t("doctor.loadChats")}
              </BusyButton>
              <ActionError error={chats.error} testId="doctor-load-chats-error" />
            </div>
          ) : chats.data.length === 0 ? (
            <p className="field__warning" data-testid="doctor-no-chats">
              {t("doctor.noChats")}
            </p>
          ) : (
            <ChatPicker chats={chats.data} value={chatId} onChange={setChatId} testIdPrefix="doctor-chat" noneLabel={t("doctor.noTestSend")} />
          )}
        </div>
        <div className="actions">
          <BusyButton testId="doctor-run" busy={run.busy} busyLabel={t("common.checking")} onClick={() => void runAll()}>
            {t("doctor.runAll")}
          </BusyButton>
          <ActionError error={run.error} testId="doctor-run-error" />
        </div>
        {outcomes && counts && (
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
              onApply={() => void navigate("/setup", { state: { step: "apply" } })}
            />
          </>
        )}
      </section>
      <DoctorHistory runs={history.data ?? null} />
    </>
  );
}
