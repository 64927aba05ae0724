// One recorded request: headers, decrypted JSON (secret values masked), the answers, the reason
// for a rejection; replay it (re-signed) and copy it as a curl command without secrets. Mounted
// with `key={id}`, so each request starts from a clean state.
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { RecordDetail } from "../../bindings/RecordDetail";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { ReplayResult } from "../../bindings/ReplayResult";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { useErrors } from "../../errors/ErrorContext";
import { copyText } from "../../lib/clipboard";
import { formatMs, formatTime, latencyLevel, prettyJson } from "./format";
import { rejectText } from "./rejectText";

interface RecordDrawerProps {
  id: number;
  running: boolean;
  relayUrl: string | null;
  onClose: () => void;
  onReplayed: (record: RecordSummary) => void;
}

export function RecordDrawer({ id, running, relayUrl, onClose, onReplayed }: RecordDrawerProps) {
  const { t, i18n } = useTranslation();
  const { show } = useErrors();
  const titleId = useId();
  const [detail, setDetail] = useState<RecordDetail | null>(null);
  const [replayUrl, setReplayUrl] = useState("");
  const [replay, setReplay] = useState<ReplayResult | null>(null);
  const [curl, setCurl] = useState<string | null>(null);
  const [busy, setBusy] = useState<"replay" | "curl" | null>(null);
  const [copied, setCopied] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    commands
      .relayDetail(id)
      .then((d) => live && setDetail(d))
      .catch(show);
    closeRef.current?.focus();
    return () => {
      live = false;
    };
  }, [id, show]);

  async function doReplay() {
    setBusy("replay");
    try {
      const result = await commands.relayReplay(id, replayUrl.trim() || undefined);
      setReplay(result);
      onReplayed(result.record);
    } catch (error) {
      show(error);
    } finally {
      setBusy(null);
    }
  }

  async function doCurl() {
    setBusy("curl");
    try {
      const text = await commands.relayExportCurl(id);
      setCurl(text);
      try {
        await copyText(text);
        setCopied(true);
      } catch {
        setCopied(false); // shown below to copy by hand
      }
    } catch (error) {
      show(error);
    } finally {
      setBusy(null);
    }
  }

  const s = detail?.summary;
  return (
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
      {!detail || !s ? (
        <p className="muted loading-line" data-testid="relay-detail-loading">
          <Spinner /> {t("common.loading")}
        </p>
      ) : (
        <>
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
            <dt>{t("relay.inspector.latency")}</dt>
            <dd>
              <span className={`relay-latency relay-latency--${latencyLevel(s.answerMs, s.deadlineMissed)}`}>{formatMs(s.answerMs)}</span>
              {s.deadlineMs !== null && <span className="muted"> {t("relay.detail.deadline", { ms: s.deadlineMs })}</span>}
            </dd>
            <dt>{t("relay.detail.path")}</dt>
            <dd className="facts__value">{detail.path}</dd>
          </dl>
          {detail.rejectReason && (
            <div className="relay-reject" role="note" data-testid="relay-detail-reason">
              <strong>{t("relay.detail.reason")}</strong> {rejectText(detail, t, i18n).reason}
              {detail.rejectFix && <p className="relay-reject__fix">{t("relay.detail.fix", { fix: rejectText(detail, t, i18n).fix })}</p>}
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
              <pre className="relay-code" data-testid="relay-detail-plaintext" tabIndex={0}>
                {prettyJson(detail.plaintext)}
              </pre>
            )}
          </section>
          <details>
            <summary>{t("relay.detail.body", { bytes: detail.bodyBytes })}</summary>
            <pre className="relay-code" data-testid="relay-detail-body" tabIndex={0}>
              {detail.body}
            </pre>
          </details>
          <section>
            <h3 className="relay-drawer__subtitle">{t("relay.detail.answer")}</h3>
            <pre className="relay-code" data-testid="relay-detail-answer" tabIndex={0}>
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
                <pre className="relay-code" data-testid="relay-detail-upstream" tabIndex={0}>
                  {detail.upstreamAnswer ?? "—"}
                </pre>
              </>
            )}
          </section>
          <section className="relay-drawer__actions" aria-label={t("relay.detail.actions")}>
            <div className="field">
              <label htmlFor={`${titleId}-replay-url`}>{t("relay.detail.replayUrl")}</label>
              <input
                id={`${titleId}-replay-url`}
                className="input input--mono"
                data-testid="relay-replay-url"
                placeholder={t("relay.detail.replayUrlPlaceholder")}
                value={replayUrl}
                onChange={(e) => setReplayUrl(e.target.value)}
              />
              {relayUrl && (
                <button type="button" className="button button--secondary button--small" data-testid="relay-replay-to-self" onClick={() => setReplayUrl(relayUrl)}>
                  {t("relay.detail.replayToSelf")}
                </button>
              )}
              {!running && <span className="field__hint">{t("relay.detail.replayNeedsRelay")}</span>}
            </div>
            <div className="actions">
              <BusyButton busy={busy === "replay"} busyLabel={t("relay.detail.replaying")} testId="relay-replay" disabled={!running} onClick={() => void doReplay()}>
                {t("relay.detail.replay")}
              </BusyButton>
              <BusyButton busy={busy === "curl"} busyLabel={t("common.loading")} testId="relay-curl" secondary onClick={() => void doCurl()}>
                {t("relay.detail.curl")}
              </BusyButton>
            </div>
            {replay && (
              <div className="relay-result" role="status" data-testid="relay-replay-result" data-status={replay.status ?? ""}>
                <p>
                  {replay.status !== null
                    ? t("relay.detail.replayed", { status: replay.status, latency: formatMs(replay.latencyMs), id: replay.record.id })
                    : t("relay.detail.replayFailed", { error: replay.error ?? "" })}
                </p>
                {replay.answer && <pre className="relay-code">{replay.answer}</pre>}
              </div>
            )}
            {curl !== null && (
              <div className="relay-result" data-testid="relay-curl-result">
                <p role="status">{copied ? t("relay.detail.curlCopied") : t("relay.detail.curlCopyByHand")}</p>
                <pre className="relay-code" data-testid="relay-curl-text" tabIndex={0}>
                  {curl}
                </pre>
              </div>
            )}
          </section>
        </>
      )}
    </aside>
  );
}
