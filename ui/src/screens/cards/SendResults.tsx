// The outcome of a send, one row per target: its message ID or its failure with the fix, and for
// a sent card the buttons that update it (re-rendered as acknowledged or resolved, or replaced by
// the editor's card). Each row keeps its own update state.
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { CardKind } from "../../bindings/CardKind";
import type { Delivery } from "../../bindings/Delivery";
import type { Problem } from "../../bindings/Problem";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { problemFix, problemMessage } from "../../errors/problemText";
import { useCommand } from "../../lib/useCommand";

interface SendResultsProps {
  profile: string;
  deliveries: readonly Delivery[];
  label: (delivery: Delivery) => string;
  cardText: string;
  renderFor: (kind: CardKind) => Promise<string>;
  onUpdated: (kind: CardKind | null, text: string) => void;
}

export function SendResults({ deliveries, label, ...row }: SendResultsProps) {
  const { t } = useTranslation();
  if (deliveries.length === 0) return null;
  return (
    <div aria-live="polite">
      <h3 className="panel__title" style={{ marginBottom: 6 }}>
        {t("cards.send.results")}
      </h3>
      <ul className="cards-results" data-testid="send-results">
        {deliveries.map((delivery, index) => (
          // A retried target gets a new row: its update state starts afresh.
          <ResultRow
            key={`${delivery.target.kind}:${delivery.target.id}:${delivery.messageId ?? ""}`}
            delivery={delivery}
            index={index}
            label={label(delivery)}
            {...row}
          />
        ))}
      </ul>
    </div>
  );
}

/** Why one target failed, in the window's language: the sentence, the fix and its console page. */
function FailureText({ failure, testId }: { failure: Problem; testId: string }) {
  const { t } = useTranslation();
  const fix = problemFix(t, failure);
  return (
    <div data-testid={testId} data-kind={failure.code}>
      <p data-testid={`${testId}-message`}>
        <strong>{problemMessage(t, failure)}</strong>
      </p>
      {fix && (
        <p className="cards-result__fix" data-testid={`${testId}-fix`}>
          <strong>{t("cards.fix")}</strong> {fix}
        </p>
      )}
      {failure.fix?.link && <ConsoleLinkButton link={failure.fix.link} label={t("cards.openFix")} testId={`${testId}-link`} />}
    </div>
  );
}

interface ResultRowProps extends Omit<SendResultsProps, "deliveries" | "label"> {
  delivery: Delivery;
  index: number;
  label: string;
}

function ResultRow({ profile, delivery, index, label, cardText, renderFor, onUpdated }: ResultRowProps) {
  const { t } = useTranslation();
  const messageId = delivery.messageId;
  const updating = useCommand(async (id: string, to: CardKind | null) => {
    const text = to ? await renderFor(to) : cardText;
    const result = await commands.updateCard(profile, id, text);
    return { to, text, result };
  });
  const update = updating.busy || updating.error ? null : updating.data;
  const done = update?.result.updated ? (update.to ? t(`cards.gallery.kinds.${update.to}`) : t("cards.send.updatedEditor")) : null;
  const failure = update && !update.result.updated ? update.result.failure : undefined;

  async function onUpdate(id: string, to: CardKind | null) {
    const answer = await updating.run(id, to);
    if (answer.status === "done" && answer.value.result.updated) onUpdated(to, answer.value.text);
  }

  return (
    <li className="cards-result" data-testid={`send-result-${index}`} data-status={messageId ? "sent" : "failed"} data-target={delivery.target.id}>
      <div className="cards-result__head">
        <span className={`status-badge status-badge--${messageId ? "pass" : "fail"}`}>{messageId ? t("cards.send.sent") : t("cards.send.failed")}</span>
        <span>{label}</span>
        {messageId && (
          <span className="cards-result__id">
            {t("cards.send.messageId")}: <span data-testid={`send-message-id-${index}`}>{messageId}</span>
          </span>
        )}
      </div>
      {delivery.failure && <FailureText failure={delivery.failure} testId={`send-failure-${index}`} />}
      {messageId && (
        <div className="cards-row">
          {(["acknowledged", "resolved"] as const).map((to) => (
            <button
              key={to}
              type="button"
              className="button button--secondary button--small"
              data-testid={`send-update-${to === "acknowledged" ? "ack" : "resolved"}-${index}`}
              disabled={updating.busy}
              onClick={() => void onUpdate(messageId, to)}
            >
              {to === "acknowledged" ? t("cards.send.updateAck") : t("cards.send.updateResolved")}
            </button>
          ))}
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid={`send-update-editor-${index}`}
            disabled={updating.busy}
            onClick={() => void onUpdate(messageId, null)}
          >
            {t("cards.send.updateEditor")}
          </button>
          {updating.busy && <span className="muted">{t("cards.send.updating")}</span>}
          {done && (
            <span className="saved-note" role="status" data-testid={`send-update-status-${index}`}>
              {t("cards.send.updated", { what: done })}
            </span>
          )}
        </div>
      )}
      {failure && (
        <div>
          <span className="muted">{t("cards.send.updateFailed")}</span>
          <FailureText failure={failure} testId={`send-update-failure-${index}`} />
        </div>
      )}
    </li>
  );
}
