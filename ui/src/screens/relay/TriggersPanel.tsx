// Synthetic callbacks signed with the profile's keys (the `stripe trigger` idea): a URL check,
// an event or a card click, to the relay itself or any URL, with the answer and its latency.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { TriggerKind } from "../../bindings/TriggerKind";
import { BusyButton } from "../../components/BusyButton";
import { useCommand } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { problemMessage } from "../../errors/problemText";
import { formatMs, latencyLevel, prettyJson } from "./format";

const TRIGGER_KINDS: readonly TriggerKind[] = ["url_verification", "event", "card_action"];

interface TriggersPanelProps {
  profile: string;
  /** The relay runs and serves this profile, so "the relay itself" is a target. */
  relayRunning: boolean;
  onSentToRelay: () => void;
  onUseInLab: (headers: string, body: string) => void;
}

export function TriggersPanel({ profile, relayRunning, onSentToRelay, onUseInLab }: TriggersPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const [kind, setKind] = useState<TriggerKind>("url_verification");
  const [target, setTarget] = useState<"relay" | "url">("relay");
  const [url, setUrl] = useState("");
  const sending = useCommand(commands.relayTrigger, { inline: true });
  const result = sending.busy || sending.error ? null : (sending.data ?? null);

  const toRelay = target === "relay";
  const canSend = toRelay ? relayRunning : url.trim() !== "";

  async function send() {
    const answer = await sending.run(profile, { kind, url: toRelay ? undefined : url.trim() });
    if (answer.status === "done" && toRelay) onSentToRelay();
  }

  const level = result ? latencyLevel(result.latencyMs, result.deadlineMs !== null && result.latencyMs > result.deadlineMs) : "ok";
  return (
    <section className="panel relay-triggers" aria-labelledby={`${id}-title`} data-testid="relay-triggers">
      <h2 id={`${id}-title`} className="panel__title">
        {t("relay.triggers.title")}
      </h2>
      <p className="field__hint">{t("relay.triggers.intro")}</p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t("relay.triggers.kind")}</label>
          <select id={`${id}-kind`} data-testid="relay-trigger-kind" value={kind} onChange={(e) => setKind(e.target.value as TriggerKind)}>
            {TRIGGER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`relay.triggers.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field relay-target">
          <legend>{t("relay.triggers.target")}</legend>
          <label className="radio">
            <input
              type="radio"
              name={`${id}-target`}
              data-testid="relay-trigger-target-relay"
              checked={toRelay}
              onChange={() => setTarget("relay")}
            />
            {t("relay.triggers.toRelay")}
          </label>
          <label className="radio">
            <input
              type="radio"
              name={`${id}-target`}
              data-testid="relay-trigger-target-url"
              checked={!toRelay}
              onChange={() => setTarget("url")}
            />
            {t("relay.triggers.toUrl")}
          </label>
          {!toRelay && (
            <input
              className="input input--mono"
              data-testid="relay-trigger-url"
              aria-label={t("relay.triggers.url")}
              placeholder="https://"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
          {toRelay && !relayRunning && (
            <span className="field__hint" data-testid="relay-trigger-needs-relay">
              {t("relay.triggers.needsRelay")}
            </span>
          )}
        </fieldset>
      </div>
      <div className="actions">
        <BusyButton busy={sending.busy} busyLabel={t("relay.triggers.sending")} testId="relay-trigger-send" disabled={!canSend} onClick={() => void send()}>
          {t("relay.triggers.send")}
        </BusyButton>
      </div>
      <ActionError error={sending.error} testId="relay-trigger-error" summary={false} />
      {result && (
        <div className="relay-result" data-testid="relay-trigger-result" data-status={result.status ?? ""}>
          <p role="status">
            {result.status !== null ? (
              <>
                <span data-testid="relay-trigger-status">{t("relay.triggers.answered", { status: result.status, url: result.url })}</span>{" "}
                <span className={`relay-latency relay-latency--${level}`} data-testid="relay-trigger-latency" data-level={level}>
                  {formatMs(result.latencyMs)}
                </span>
                {result.deadlineMs !== null && <span className="muted"> {t("relay.detail.deadline", { ms: result.deadlineMs })}</span>}
              </>
            ) : (
              <span className="field__error">{result.error ? problemMessage(t, result.error) : "—"}</span>
            )}
          </p>
          {result.challengeOk !== null && (
            <p data-testid="relay-trigger-challenge" data-ok={String(result.challengeOk)}>
              {result.challengeOk ? t("relay.triggers.challengeOk") : t("relay.triggers.challengeBad")}
            </p>
          )}
          <h3 className="relay-drawer__subtitle">{t("relay.triggers.answer")}</h3>
          <pre className="relay-code" data-testid="relay-trigger-answer" tabIndex={0} role="region" aria-label={t("relay.triggers.answer")}>
            {prettyJson(result.answer) || "—"}
          </pre>
          <details>
            <summary>{t("relay.triggers.sent")}</summary>
            <pre className="relay-code" data-testid="relay-trigger-sent" tabIndex={0} role="region" aria-label={t("relay.triggers.sent")}>
              {result.sentHeaders.map((h) => `${h.name}: ${h.value}`).join("\n")}
              {"\n\n"}
              {result.sentBody}
            </pre>
          </details>
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="relay-trigger-to-lab"
            onClick={() => onUseInLab(result.sentHeaders.map((h) => `${h.name}: ${h.value}`).join("\n"), result.sentBody)}
          >
            {t("relay.triggers.toLab")}
          </button>
        </div>
      )}
    </section>
  );
}
