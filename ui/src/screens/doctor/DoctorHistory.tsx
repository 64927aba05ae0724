// Earlier runs, newest first: when, how many passed/failed/were not checkable, which checks broke
// since the run before, and each run's records on demand.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DoctorRun } from "../../bindings/DoctorRun";
import { StatusBadge } from "../../checks/StatusBadge";
import { useCheckText } from "../../checks/useCheckText";
import { Spinner } from "../../components/BusyButton";

export function DoctorHistory({ runs }: { runs: DoctorRun[] | null }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const format = useMemo(() => new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "medium" }), [language]);

  return (
    <section className="panel" aria-labelledby="doctor-history-title" data-testid="doctor-history">
      <h2 id="doctor-history-title" className="panel__title">
        {t("doctor.historyTitle")}
      </h2>
      {runs === null ? (
        <p className="muted loading-line">
          <Spinner /> {t("common.loading")}
        </p>
      ) : runs.length === 0 ? (
        <p className="muted" data-testid="doctor-history-empty">
          {t("doctor.historyEmpty")}
        </p>
      ) : (
        <ol className="history-list">
          {runs.map((run, index) => (
            <HistoryRun key={run.ranAt} run={run} older={runs[index + 1]} index={index} when={format.format(new Date(run.ranAt))} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryRun({ run, older, index, when }: { run: DoctorRun; older?: DoctorRun; index: number; when: string }) {
  const { t } = useTranslation();
  const text = useCheckText();
  const [open, setOpen] = useState(false);
  const recordsId = `doctor-history-records-${index}`;
  const broke = older
    ? run.records
        .filter((r) => r.status === "fail")
        .filter((r) => older.records.some((o) => o.checkId === r.checkId && o.status !== "fail"))
        .map((r) => text.title(r.checkId))
    : [];

  return (
    <li className={`history-run${run.failed > 0 ? " history-run--failed" : ""}`} data-testid={`doctor-history-run-${index}`}>
      <div className="history-run__head">
        <button
          type="button"
          className="history-run__toggle"
          data-testid={`doctor-history-toggle-${index}`}
          aria-expanded={open}
          aria-controls={recordsId}
          onClick={() => setOpen((value) => !value)}
        >
          <span aria-hidden="true" className="history-run__chevron">
            {open ? "▾" : "▸"}
          </span>
          <time dateTime={run.ranAt} data-testid={`doctor-history-time-${index}`}>
            {when}
          </time>
        </button>
        <span className="history-run__counts" data-testid={`doctor-history-counts-${index}`}>
          {t("doctor.historyCounts", { passed: run.passed, failed: run.failed, unknown: run.unknown })}
        </span>
      </div>
      {broke.length > 0 && (
        <p className="field__error" data-testid={`doctor-history-broke-${index}`}>
          {t("doctor.brokeSince", { checks: broke.join(", ") })}
        </p>
      )}
      {open && (
        <ul id={recordsId} className="history-records" data-testid={recordsId}>
          {run.records.map((record, i) => (
            <li key={`${record.checkId}-${i}`} data-testid={`doctor-history-record-${index}-${record.checkId}`}>
              <StatusBadge status={record.status} />
              <span className="history-records__title">{text.title(record.checkId)}</span>
              {record.finding ? (
                <span className="muted"> — {text.finding({ finding: record.finding, params: record.params, reason: record.reason ?? "" })}</span>
              ) : (
                record.reason && <span className="muted"> — {record.reason}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
