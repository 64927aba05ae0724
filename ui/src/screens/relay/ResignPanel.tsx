// The signature lab's "Re-sign and send": the one way a refused request's text goes anywhere.
// The admin edits the decrypted JSON, confirms in so many words that it is signed with the
// profile's real keys as their own text, and sends it to the relay's upstream or a typed URL. The
// core records it as signed in the lab, never as something the platform sent.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import { BusyButton } from "../../components/BusyButton";
import { ActionError } from "../../components/ActionError";
import { useCommand } from "../../lib/useCommand";
import { problemMessage } from "../../errors/problemText";
import { formatMs } from "./format";

interface ResignPanelProps {
  profile: string;
  /** The decrypted JSON the lab found, to start from. */
  initialBody: string;
  running: boolean;
  upstream: string | null;
}

export function ResignPanel({ profile, initialBody, running, upstream }: ResignPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const [body, setBody] = useState(initialBody);
  const [url, setUrl] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const sending = useCommand(commands.relayResign, { inline: true });
  const result = sending.busy || sending.error ? null : sending.data;
  const target = url.trim() || upstream;
  const blocked = !running ? t("relay.resign.needsRelay") : !target ? t("relay.resign.needsTarget") : !confirmed ? t("relay.resign.needsConfirm") : null;

  return (
    <section className="relay-resign" aria-labelledby={`${id}-title`} data-testid="relay-resign">
      <h3 id={`${id}-title`} className="relay-drawer__subtitle">
        {t("relay.resign.title")}
      </h3>
      <p className="field__warning" data-testid="relay-resign-warning">
        {t("relay.resign.warning", { profile })}
      </p>
      <div className="field">
        <label htmlFor={`${id}-body`}>{t("relay.resign.body")}</label>
        <textarea
          id={`${id}-body`}
          className="input input--mono relay-textarea"
          data-testid="relay-resign-body"
          rows={8}
          spellCheck={false}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <span className="field__hint">{t("relay.resign.bodyHint")}</span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>{t("relay.resign.url")}</label>
        <input
          id={`${id}-url`}
          className="input input--mono"
          data-testid="relay-resign-url"
          placeholder={upstream ? t("relay.detail.replayUrlPlaceholder", { url: upstream }) : "https://"}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </div>
      <label className="radio">
        <input type="checkbox" data-testid="relay-resign-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />{" "}
        {t("relay.resign.confirm", { profile })}
      </label>
      <div className="actions">
        <BusyButton
          busy={sending.busy}
          busyLabel={t("relay.resign.sending")}
          testId="relay-resign-send"
          disabled={blocked !== null || !body.trim()}
          onClick={() => void sending.run(profile, body, url.trim() || undefined)}
        >
          {t("relay.resign.send")}
        </BusyButton>
      </div>
      {blocked && (
        <p className="field__hint" data-testid="relay-resign-reason">
          {blocked}
        </p>
      )}
      <ActionError error={sending.error} testId="relay-resign-error" summary={false} />
      {result && (
        <div className="relay-result" role="status" data-testid="relay-resign-result" data-status={result.status ?? ""}>
          <p>
            {result.status !== null
              ? t("relay.detail.replayed", { status: result.status, latency: formatMs(result.latencyMs), id: result.record.id })
              : t("relay.detail.replayFailed", { error: result.error ? problemMessage(t, result.error) : "" })}
          </p>
          {result.answer && <pre className="relay-code">{result.answer}</pre>}
        </div>
      )}
    </section>
  );
}
