// Step 7: pick a group the bot is in and send it a test card; then, with the relay running,
// watch a card click come back through it.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { BotChat } from "../../bindings/BotChat";
import { CheckOutcomes } from "../../checks/CheckOutcomes";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { ChatPicker } from "../../components/ChatPicker";
import { useErrors } from "../../errors/ErrorContext";
import { ActionError, useActionError } from "./ActionError";
import { CallbackWait } from "./CallbackWait";
import { StepFrame } from "./StepFrame";
import { STEP_CHECKS } from "./steps";
import { useWizard } from "./WizardContext";

export function EndToEndStep() {
  const { t } = useTranslation();
  const { profile, outcomes, running, checkErrors, runStepChecks, sandbox, confirmed, confirm } = useWizard();
  // Loading the groups, on arrival or on Refresh: its error shows beside Refresh groups.
  const { error: loadError, fail, clear } = useActionError();
  // Bumped when the keychain answers again: the groups load again.
  const { reloadToken } = useErrors();
  const [chats, setChats] = useState<BotChat[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [chatId, setChatId] = useState<string | null>(null);
  const name = profile?.name ?? null;

  const load = useCallback(async () => {
    if (!name) return;
    setLoading(true);
    clear();
    try {
      const list = await commands.listBotChats(name);
      setChats(list);
      setChatId((current) => (current && list.some((c) => c.chatId === current) ? current : (list[0]?.chatId ?? null)));
    } catch (error) {
      fail(error);
    } finally {
      setLoading(false);
    }
  }, [name, fail, clear]);

  useEffect(() => {
    let live = true;
    if (name) {
      commands
        .listBotChats(name)
        .then((list) => {
          if (!live) return;
          clear();
          setChats(list);
          setChatId(list[0]?.chatId ?? null);
        })
        .catch((error: unknown) => live && fail(error))
        .finally(() => live && setLoading(false));
    }
    return () => {
      live = false;
    };
  }, [name, fail, clear, reloadToken]);

  const results = outcomes.endToEnd;
  const sent = results?.find((o) => o.id === "messageScope" && o.status === "pass");

  return (
    <StepFrame step="endToEnd">
      <div className="actions">
        <BusyButton testId="chats-refresh" secondary busy={loading} busyLabel={t("common.loading")} onClick={() => void load()}>
          {t("setup.endToEnd.refresh")}
        </BusyButton>
        <ActionError error={loadError} testId="chats-refresh-error" />
      </div>
      {chats === null ? (
        loading && (
          <p className="muted loading-line">
            <Spinner /> {t("setup.endToEnd.loadingChats")}
          </p>
        )
      ) : chats.length === 0 ? (
        <div className="empty-state" data-testid="chats-empty">
          <p>
            <strong>{t("setup.endToEnd.emptyTitle")}</strong>
          </p>
          <ol>
            <li>{t("setup.endToEnd.empty1")}</li>
            <li>{t("setup.endToEnd.empty2")}</li>
            <li>{t("setup.endToEnd.empty3")}</li>
          </ol>
        </div>
      ) : (
        <ChatPicker chats={chats} value={chatId} onChange={setChatId} testIdPrefix="chat" />
      )}
      <div className="actions">
        <BusyButton
          testId="send-test-card"
          busy={running === "endToEnd"}
          busyLabel={t("setup.endToEnd.sending")}
          disabled={!chatId || running !== null}
          onClick={() => chatId && void runStepChecks("endToEnd", STEP_CHECKS.endToEnd ?? [], chatId)}
        >
          {t("setup.endToEnd.send")}
        </BusyButton>
        <ActionError error={checkErrors.endToEnd} testId="send-test-card-error" />
      </div>
      {results && <CheckOutcomes outcomes={results} label={t("setup.checkResults")} confirmed={confirmed} onConfirm={confirm} />}
      {sent?.params.messageId && (
        <p className="saved-note" role="status" data-testid="test-card-result">
          {t("setup.endToEnd.sent", { messageId: sent.params.messageId })}
        </p>
      )}
      <p className="muted">{t("setup.endToEnd.after")}</p>
      {name && <CallbackWait profile={name} sandbox={sandbox.active && sandbox.profile === name} />}
    </StepFrame>
  );
}
