// One recorded request: headers, decrypted JSON (secret values masked), the answers, the reason
// for a rejection; replay it (re-signed) and copy it as a curl command without secrets. Mounted
// with `key={id}`, so each request starts from a clean state.
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { RecordDetail } from "../../bindings/RecordDetail";
import type { RecordSummary } from "../../bindings/RecordSummary";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { copyText } from "../../lib/clipboard";
import { useCommand, useLoad } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { problemMessage } from "../../errors/problemText";
import { formatMs, formatTime, latencyLevel, prettyJson } from "./format";
import { rejectText } from "./rejectText";

interface RecordDrawerProps {
  id: number;
  running: boolean;
  relayUrl: string | null;
  /** The running relay's upstream, where a replay goes when no URL is typed. */
  upstream: string | null;
  onClose: () => void;
  onReplayed: (record: RecordSummary) => void;
}

export function RecordDrawer({ id, running, relayUrl, upstream, onClose, onReplayed }: RecordDrawerProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const { data: detail } = useLoad(useCallback(() => commands.relayDetail(id), [id]));
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => closeRef.current?.focus(), []);

  return (
    // Escape closes the detail from anywhere inside it (the close button is also the first stop).
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <aside
      className="panel relay-drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      data-testid="relay-detail"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="relay-drawer__head">
        <h2 id={titleId} className="panel__title">
          {t("relay.detail.title", { id })}
        </h2>
        <button ref={closeRef} type="button" className="button button--secondary button--small" data-testid="relay-detail-close" onClick={onClose}>
          {t("relay.detail.close")}
        </button>
      </header>
      {!detail ? (
        <p className="muted loading-line" data-testid="relay-detail-loading">
          <Spinner /> {t("common.loading")}
        </p>
      ) : (
        <>
          <RecordFacts detail={detail} />
          <RecordContent detail={detail} />
          <RecordActions
            id={id}
            rejected={detail.summary.verdict === "rejected"}
            running={running}
            relayUrl={relayUrl}
            upstream={upstream}
            onReplayed={onReplayed}
          />
        </>
      )}
    </aside>
  );
}

/** When, what, the verdict and the answer times. */
function RecordFacts({ detail }: { detail: RecordDetail }) {
  const { t } = useTranslation();
  const s = detail.summary;
  return (
    <dl className="facts" data-testid="relay-detail-facts">
      <dt>{t("relay.inspector.time")}</dt>
      <dd className="facts__value">{formatTime(s.receivedAt)} ({s.receivedAt})</dd>
      <dt>{t("relay.inspector.kind")}</dt>
      <dd data-testid="relay-detail-kind">{t(`relay.kind.${s.kind}`)}</dd>
      {s.eventType && (
        <>
          <dt>{t("relay.inspector.eventType")}</dt>
          <dd className="facts__value">{s.eventType}</dd>
        </>
      )}
      <dt>{t("relay.inspector.verdict")}</dt>
      <dd>
        <span className={`relay-verdict relay-verdict--${s.verdict}`} data-testid="relay-detail-verdict" data-verdict={s.verdict}>
          {t(`relay.verdict.${s.verdict}`)}
        </span>{" "}
        <span className="muted">HTTP {s.httpStatus}</span>
      </dd>
      <dt>{t("relay.detail.answeredBy")}</dt>
      <dd>{t(`relay.answeredBy.${s.answeredBy}`)}</dd>
      <dt>{t("relay.detail.answerTime")}</dt>
      <dd data-testid="relay-detail-answer-time">
        <span className={`relay-latency relay-latency--${latencyLevel(s.answerMs, s.deadlineMissed)}`}>{formatMs(s.answerMs)}</span>
        {s.deadlineMs !== null && <span className="muted"> {t("relay.detail.deadline", { ms: s.deadlineMs })}</span>}
        <span className="field__hint"> {t("relay.detail.answerTimeHint")}</span>
      </dd>
      {s.upstreamLatencyMs !== null && (
        <>
          <dt>{t("relay.detail.upstreamTime")}</dt>
          <dd data-testid="relay-detail-upstream-time">
            {s.upstreamStatus !== null
              ? t("relay.inspector.upstreamValue", { status: s.upstreamStatus, latency: formatMs(s.upstreamLatencyMs) })
              : formatMs(s.upstreamLatencyMs)}
            <span className="field__hint"> {t("relay.detail.upstreamTimeHint")}</span>
          </dd>
        </>
      )}
      <dt>{t("relay.detail.path")}</dt>
      <dd className="facts__value">{detail.path}</dd>
    </dl>
  );
}

/** Why it was refused, the checks, headers, the decrypted JSON, the body and the answers. */
function RecordContent({ detail }: { detail: RecordDetail }) {
  const { t, i18n } = useTranslation();
  const reject = detail.rejectReason ? rejectText(detail, t, i18n) : null;
  return (
    <>
      {reject && (
        <div className="relay-reject" role="note" data-testid="relay-detail-reason">
          <strong>{t("relay.detail.reason")}</strong> {reject.reason}
          {detail.rejectFix && <p className="relay-reject__fix">{t("relay.detail.fix", { fix: reject.fix })}</p>}
        </div>
      )}
      {detail.checks.length > 0 && (
        <section>
          <h3 className="relay-drawer__subtitle">{t("relay.detail.checks")}</h3>
          <ul className="relay-checks" data-testid="relay-detail-checks">
            {detail.checks.map((c, i) => (
              <li key={`${c.code}-${i}`}>{t(`relay.detail.checkSteps.${c.code}`, { ...c.params, defaultValue: c.code })}</li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h3 className="relay-drawer__subtitle">{t("relay.detail.headers")}</h3>
        <table className="value-table relay-headers" data-testid="relay-detail-headers">
          <tbody>
            {detail.headers.map((h, i) => (
              <tr key={`${h.name}-${i}`}>
                <th scope="row" className="mono">{h.name}</th>
                <td className="mono">{h.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3 className="relay-drawer__subtitle">{t("relay.detail.plaintext")}</h3>
        {detail.plaintext === null ? (
          <p className="muted">{t("relay.detail.noPlaintext")}</p>
        ) : (
          <pre className="relay-code" data-testid="relay-detail-plaintext" tabIndex={0} role="region" aria-label={t("relay.detail.plaintext")}>
            {prettyJson(detail.plaintext)}
          </pre>
        )}
      </section>
      <details>
        <summary>{t("relay.detail.body", { bytes: detail.bodyBytes })}</summary>
        <pre className="relay-code" data-testid="relay-detail-body" tabIndex={0} role="region" aria-label={t("relay.detail.body", { bytes: detail.bodyBytes })}>
          {detail.body}
        </pre>
      </details>
      <section>
        <h3 className="relay-drawer__subtitle">{t("relay.detail.answer")}</h3>
        <pre className="relay-code" data-testid="relay-detail-answer" tabIndex={0} role="region" aria-label={t("relay.detail.answer")}>
          {detail.answer ?? "—"}
        </pre>
        {(detail.upstreamUrl || detail.upstreamAnswer || detail.upstreamError) && (
          <>
            <h3 className="relay-drawer__subtitle">
              {t("relay.detail.upstreamAnswer", {
                url: detail.upstreamUrl ?? "—",
                mode: detail.forwardMode ? t(`relay.mode.${detail.forwardMode}`) : "—",
              })}
            </h3>
            {detail.upstreamError && (
              <p className="field__error" data-testid="relay-detail-upstream-error">
                {detail.upstreamError}
              </p>
            )}
            <pre className="relay-code" data-testid="relay-detail-upstream" tabIndex={0} role="region" aria-label={t("relay.inspector.upstream")}>
              {detail.upstreamAnswer ?? "—"}
            </pre>
          </>
        )}
      </section>
    </>
  );
}

/** Asks for the curl command and tries to copy it (`copied` false: shown to copy by hand). */
async function exportCurl(id: number): Promise<{ text: string; copied: boolean }> {
  const text = await commands.relayExportCurl(id);
  try {
    await copyText(text);
    return { text, copied: true };
  } catch {
    return { text, copied: false };
  }
}

interface RecordActionsProps {
  id: number;
  /** A rejected request is never replayed: its sender was not verified (the core refuses too). */
  rejected: boolean;
  running: boolean;
  relayUrl: string | null;
  upstream: string | null;
  onReplayed: (record: RecordSummary) => void;
}

/** Replay (re-signed, to a typed URL or the relay's upstream) and copy as curl. */
function RecordActions({ id, rejected, running, relayUrl, upstream, onReplayed }: RecordActionsProps) {
  const { t } = useTranslation();
  const fieldId = useId();
  const [replayUrl, setReplayUrl] = useState("");
  const replaying = useCommand(commands.relayReplay, { inline: true });
  const curling = useCommand(exportCurl, { inline: true });
  const replay = replaying.busy || replaying.error ? null : replaying.data;
  const curl = curling.data?.text ?? null;
  const copied = curling.data?.copied ?? false;

  async function doReplay() {
    const result = await replaying.run(id, replayUrl.trim() || undefined);
    if (result.status === "done") onReplayed(result.value.record);
  }

  const doCurl = () => curling.run(id);
  const target = replayUrl.trim() || upstream;
  // Why Replay cannot be pressed, said beside it.
  const replayBlocked = rejected
    ? t("relay.detail.replayRejected")
    : !running
      ? t("relay.detail.replayNeedsRelay")
      : !target
        ? t("relay.detail.replayNeedsTarget")
        : null;
  return (
    <section className="relay-drawer__actions" aria-label={t("relay.detail.actions")}>
      <div className="field">
        <label htmlFor={`${fieldId}-replay-url`}>{t("relay.detail.replayUrl")}</label>
        <input
          id={`${fieldId}-replay-url`}
          className="input input--mono"
          data-testid="relay-replay-url"
          placeholder={upstream ? t("relay.detail.replayUrlPlaceholder", { url: upstream }) : "https://"}
          value={replayUrl}
          onChange={(e) => setReplayUrl(e.target.value)}
        />
        {relayUrl && (
          <button type="button" className="button button--secondary button--small" data-testid="relay-replay-to-self" onClick={() => setReplayUrl(relayUrl)}>
            {t("relay.detail.replayToSelf")}
          </button>
        )}
      </div>
      <div className="actions">
        <BusyButton
          busy={replaying.busy}
          busyLabel={t("relay.detail.replaying")}
          testId="relay-replay"
          disabled={replayBlocked !== null}
          onClick={() => void doReplay()}
        >
          {t("relay.detail.replay")}
        </BusyButton>
        <BusyButton busy={curling.busy} busyLabel={t("common.loading")} testId="relay-curl" secondary onClick={() => void doCurl()}>
          {t("relay.detail.curl")}
        </BusyButton>
      </div>
      {replayBlocked && (
        <p className="field__hint" data-testid="relay-replay-reason">
          {replayBlocked}
        </p>
      )}
      <ActionError error={replaying.error} testId="relay-replay-error" summary={false} />
      <ActionError error={curling.error} testId="relay-curl-error" summary={false} />
      {replay && (
        <div className="relay-result" role="status" data-testid="relay-replay-result" data-status={replay.status ?? ""}>
          <p>
            {replay.status !== null
              ? t("relay.detail.replayed", { status: replay.status, latency: formatMs(replay.latencyMs), id: replay.record.id })
              : t("relay.detail.replayFailed", { error: replay.error ? problemMessage(t, replay.error) : "" })}
          </p>
          {replay.answer && <pre className="relay-code">{replay.answer}</pre>}
        </div>
      )}
      {curl !== null && (
        <div className="relay-result" data-testid="relay-curl-result">
          <p role="status">{copied ? t("relay.detail.curlCopied") : t("relay.detail.curlCopyByHand")}</p>
          <pre className="relay-code" data-testid="relay-curl-text" tabIndex={0} role="region" aria-label={t("relay.detail.curl")}>
            {curl}
          </pre>
        </div>
      )}
    </section>
  );
}
