// The four ceilings the limiter keeps to, with the busiest window of the last hour and day drawn
// as bars against the limit.
import { useTranslation } from "react-i18next";
import type { CeilingPeak } from "../../bindings/CeilingPeak";
import type { Peak } from "../../bindings/Peak";
import { gaugeLevel } from "./QuotaGauge";
import { useFormatters } from "./format";

function PeakBar({ label, peak, limit }: { label: string; peak: Peak; limit: number }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const percent = limit > 0 ? (peak.calls * 100) / limit : 0;
  return (
    <div className="quota-peak">
      <span className="quota-peak__label">{label}</span>
      <div
        className="quota-bar quota-bar--thin"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit || 1}
        aria-valuenow={Math.min(peak.calls, limit || peak.calls)}
        aria-valuetext={t("quota.ceilings.peakText", { calls: f.count(peak.calls), limit: f.count(limit) })}
      >
        <div className={`quota-bar__ours quota-level--${gaugeLevel(percent)}`} style={{ width: `${Math.min(100, percent)}%` }} />
      </div>
      <span className="quota-peak__value">
        {f.count(peak.calls)} / {limit > 0 ? f.count(limit) : t("quota.ceilings.off")}
      </span>
    </div>
  );
}

export function Ceilings({ ceilings }: { ceilings: CeilingPeak[] }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="quota-ceilings-title" data-testid="quota-ceilings">
      <h2 id="quota-ceilings-title" className="panel__title">
        {t("quota.ceilings.title")}
      </h2>
      <p className="muted">{t("quota.ceilings.hint")}</p>
      <ul className="quota-ceilings">
        {ceilings.map((c) => (
          <li key={c.kind} className="quota-ceiling" data-testid={`quota-ceiling-${c.kind}`}>
            <div className="quota-ceiling__head">
              <strong>{t(`quota.ceilings.kind.${c.kind}`)}</strong>
              <span className="muted">{t("quota.ceilings.rule", { limit: c.limit, secs: c.windowSecs })}</span>
            </div>
            <PeakBar label={t("quota.ceilings.lastHour")} peak={c.lastHour} limit={c.limit} />
            <PeakBar label={t("quota.ceilings.lastDay")} peak={c.lastDay} limit={c.limit} />
            {c.lastDay.key && (
              <p className="muted quota-ceiling__key">
                {t("quota.ceilings.busiest")} <span className="mono">{c.lastDay.key}</span>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
