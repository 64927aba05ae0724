// Step 8: pick a group the bot is in and send it a test card; then, with the relay running,
// watch a card click come back through it.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import { CheckOutcomes } from "../../checks/CheckOutcomes";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { ChatPicker } from "../../components/ChatPicker";
import { useLoad } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { CallbackWait } from "./CallbackWait";
import { StepFrame } from "./StepFrame";
import { STEP_CHECKS } from "./steps";
import { useWizard } from "./WizardContext";

export function EndToEndStep() {
  const { t } = useTranslation();
  const { profile, outcomes, running, checkErrors, runStepChecks, sandbox, confirmed, confirm } = useWizard();
  // The groups, on arrival, on Refresh and when the keychain answers again; a failure shows
  // beside Refresh groups.
  const name = profile?.name ?? null;
  const groups = useLoad(
    useMemo(() => (name ? () => commands.listBotChats(name) : null), [name]),
    { inline: true },
  );
  const chats = groups.data ?? null;
  /** The group picked (undefined: none yet, so the first). */
  const [picked, setPicked] = useState<string | null | undefined>(undefined);
  const chatId = picked && chats?.some((c) => c.chatId === picked) ? picked : (chats?.[0]?.chatId ?? null);
  const loading = groups.busy;
  const loadError = groups.error;
  const load = groups.reload;

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
        <ChatPicker chats={chats} value={chatId} onChange={setPicked} testIdPrefix="chat" />
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
