// Earlier runs, newest first: when, how many passed/failed/were not checkable, which checks broke
// since the run before, and each run's records on demand.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DoctorRun } from "../../bindings/DoctorRun";
import { countStatuses, describeCounts, shownStatus, type StatusCounts } from "../../checks/checkIds";
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
            <HistoryRun key={run.ranAt} run={run} older={runs.slice(index + 1)} index={index} when={format.format(new Date(run.ranAt))} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The run's counts from its records (a record knows a stored value from a pass); the stored totals for a run without records. */
function countsOf(run: DoctorRun): StatusCounts {
  if (run.records.length > 0) return countStatuses(run.records);
  return { pass: run.passed, stored: 0, fail: run.failed, unknown: run.unknown, skipped: 0 };
}

/**
 * Checks failing in `run` that did not fail the last time they ran before it. Runs differ in
 * what they hold (a wizard step runs a few checks), so each check is compared with the latest
 * earlier run that has it.
 */
function brokeSince(run: DoctorRun, older: readonly DoctorRun[]): string[] {
  return run.records
    .filter((r) => r.status === "fail")
    .filter((r) => {
      const before = older.map((o) => o.records.find((x) => x.checkId === r.checkId)).find((x) => x !== undefined);
      return before !== undefined && before.status !== "fail";
    })
    .map((r) => r.checkId);
}

interface HistoryRunProps {
  run: DoctorRun;
  /** The runs before it, newest first. */
  older: readonly DoctorRun[];
  index: number;
  when: string;
}

function HistoryRun({ run, older, index, when }: HistoryRunProps) {
  const { t } = useTranslation();
  const text = useCheckText();
  const [open, setOpen] = useState(false);
  const recordsId = `doctor-history-records-${index}`;
  const broke = brokeSince(run, older).map((id) => text.title(id));

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
        {run.scope && (
          <span className={`history-run__scope history-run__scope--${run.scope}`} data-testid={`doctor-history-scope-${index}`}>
            {t(`doctor.scope.${run.scope}`)}
          </span>
        )}
        <span className="history-run__counts" data-testid={`doctor-history-counts-${index}`}>
          {describeCounts(countsOf(run), t, t("doctor.historySeparator"))}
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
              <StatusBadge status={shownStatus(record)} />
              <span className="history-records__title">{text.title(record.checkId)}</span>
              {record.finding ? (
                <span className="muted"> — {text.finding({ finding: record.finding, params: record.params, reason: record.reason })}</span>
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
