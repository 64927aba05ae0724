// The live list of requests with its filters. Each row opens the detail drawer: a click, or
// Enter (or Space) on the row, which is in the tab order.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { RequestKind } from "../../bindings/RequestKind";
import type { Verdict } from "../../bindings/Verdict";
import { Spinner } from "../../components/BusyButton";
import { formatMs, formatTime, latencyLevel } from "./format";

export const KINDS: readonly RequestKind[] = [
  "url_verification",
  "event_v2",
  "event_v1",
  "card_action",
  "legacy_card_action",
  "unknown",
];
export const VERDICTS: readonly Verdict[] = ["accepted", "duplicate", "rejected"];

interface InspectorProps {
  records: RecordSummary[] | null;
  filter: RecordFilter;
  onFilter: (filter: RecordFilter) => void;
  onReload: () => void;
  onOpen: (id: number) => void;
  openId: number | null;
  /** The last page was full, so older records may exist. */
  hasOlder: boolean;
  loadingOlder: boolean;
  onOlder: () => void;
}

export function Inspector({ records, filter, onFilter, onReload, onOpen, openId, hasOlder, loadingOlder, onOlder }: InspectorProps) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(filter.text ?? "");

  function applyText(value: string) {
    const trimmed = value.trim();
    onFilter({ ...filter, text: trimmed || undefined });
  }

  return (
    <section className="panel relay-inspector" aria-labelledby={`${id}-title`} data-testid="relay-inspector">
      <h2 id={`${id}-title`} className="panel__title">
        {t("relay.inspector.title")}
      </h2>
      <form
        className="toolbar relay-filters"
        data-testid="relay-filters"
        onSubmit={(e) => {
          e.preventDefault();
          applyText(text);
        }}
      >
        <div className="field field--inline">
          <label htmlFor={`${id}-kind`}>{t("relay.inspector.kind")}</label>
          <select
            id={`${id}-kind`}
            data-testid="relay-filter-kind"
            value={filter.kind ?? ""}
            onChange={(e) => onFilter({ ...filter, kind: (e.target.value || undefined) as RequestKind | undefined })}
          >
            <option value="">{t("relay.inspector.all")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`relay.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor={`${id}-verdict`}>{t("relay.inspector.verdict")}</label>
          <select
            id={`${id}-verdict`}
            data-testid="relay-filter-verdict"
            value={filter.verdict ?? ""}
            onChange={(e) => onFilter({ ...filter, verdict: (e.target.value || undefined) as Verdict | undefined })}
          >
            <option value="">{t("relay.inspector.all")}</option>
            {VERDICTS.map((v) => (
              <option key={v} value={v}>
                {t(`relay.verdict.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor={`${id}-text`}>{t("relay.inspector.text")}</label>
          <input
            id={`${id}-text`}
            className="input"
            type="search"
            data-testid="relay-filter-text"
            placeholder={t("relay.inspector.textPlaceholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onBlur={() => applyText(text)}
          />
        </div>
        <button type="submit" className="button button--secondary button--small" data-testid="relay-filter-apply">
          {t("relay.inspector.apply")}
        </button>
        <button type="button" className="button button--secondary button--small" data-testid="relay-reload" onClick={onReload}>
          {t("relay.inspector.reload")}
        </button>
      </form>
      <p className="field__hint" data-testid="relay-deadlines">
        {t("relay.inspector.deadlines")}
      </p>
      {records === null ? (
        <p className="muted loading-line" data-testid="relay-records-loading">
          <Spinner /> {t("common.loading")}
        </p>
      ) : records.length === 0 ? (
        <p className="muted" data-testid="relay-records-empty">
          {t("relay.inspector.empty")}
        </p>
      ) : (
        <div className="relay-table-wrap">
          <table className="relay-table" data-testid="relay-records">
            <thead>
              <tr>
                <th scope="col">{t("relay.inspector.time")}</th>
                <th scope="col">{t("relay.inspector.kind")}</th>
                <th scope="col">{t("relay.inspector.eventType")}</th>
                <th scope="col">{t("relay.inspector.verdict")}</th>
                <th scope="col">{t("relay.inspector.upstream")}</th>
                <th scope="col" title={t("relay.detail.answerTimeHint")}>
                  {t("relay.inspector.answerTime")}
                </th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => {
                const level = latencyLevel(r.answerMs, r.deadlineMissed);
                return (
                  <tr
                    key={r.id}
                    className={openId === r.id ? "relay-row relay-row--open" : "relay-row"}
                    data-testid={`relay-record-${r.id}`}
                    data-kind={r.kind}
                    data-verdict={r.verdict}
                    data-source={r.source}
                    tabIndex={0}
                    title={t("relay.inspector.openRecord", { id: r.id })}
                    onClick={() => onOpen(r.id)}
                    onKeyDown={(e) => {
                      if (e.target !== e.currentTarget) return;
                      if (e.key === "Enter" || e.key === " ") {
                        e.preventDefault();
                        onOpen(r.id);
                      }
                    }}
                  >
                    <td className="mono">{formatTime(r.receivedAt)}</td>
                    <td>
                      {t(`relay.kind.${r.kind}`)}
                      {r.source === "replay" && <span className="badge relay-badge">{t("relay.inspector.replayed")}</span>}
                    </td>
                    <td className="mono">{r.eventType ?? "—"}</td>
                    <td>
                      <span className={`relay-verdict relay-verdict--${r.verdict}`} data-testid={`relay-record-${r.id}-verdict`}>
                        {t(`relay.verdict.${r.verdict}`)}
                      </span>
                      {r.rejectCode && <span className="muted"> ({r.rejectCode})</span>}
                    </td>
                    <td data-testid={`relay-record-${r.id}-upstream`}>
                      {r.upstreamStatus !== null
                        ? r.upstreamLatencyMs !== null
                          ? t("relay.inspector.upstreamValue", { status: r.upstreamStatus, latency: formatMs(r.upstreamLatencyMs) })
                          : `HTTP ${r.upstreamStatus}`
                        : r.outbox
                          ? t(`relay.outbox.${r.outbox}`)
                          : t(`relay.answeredBy.${r.answeredBy}`)}
                    </td>
                    <td>
                      <span className={`relay-latency relay-latency--${level}`} data-testid={`relay-record-${r.id}-latency`} data-level={level}>
                        {formatMs(r.answerMs)}
                      </span>
                      {r.deadlineMissed && <span className="relay-latency--late"> {t("relay.inspector.missed")}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="toolbar relay-older">
            <span className="muted" data-testid="relay-records-count">
              {t("relay.inspector.showing", { count: records.length })}
            </span>
            {hasOlder && (
              <button type="button" className="button button--secondary button--small" data-testid="relay-older" disabled={loadingOlder} onClick={onOlder}>
                {loadingOlder && <Spinner />} {t("relay.inspector.older")}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
