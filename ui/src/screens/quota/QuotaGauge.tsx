// Month to date: the tenant's counted calls against the cap, this app's share, the "other apps
// and services" from the console baseline, the forecast, and a quota stop when there is one.
import { useTranslation } from "react-i18next";
import type { Forecast } from "../../bindings/Forecast";
import type { MonthSummary } from "../../bindings/MonthSummary";
import { useFormatters } from "./format";

export function gaugeLevel(percent: number | null): "ok" | "warn" | "high" | "full" {
  if (percent === null) return "ok";
  if (percent >= 100) return "full";
  if (percent >= 90) return "high";
  if (percent >= 80) return "warn";
  return "ok";
}

/**
 * A forecast from minutes of calls (the first start, a burst of checks) is noise: a rate taken
 * from less than a day would put the cap date days away. It counts from a day of calls on.
 */
export function forecastReady(forecast: Forecast): boolean {
  return forecast.basisDays >= 1;
}

export function QuotaGauge({ summary }: { summary: MonthSummary }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const s = summary;
  const percent = s.usedPercent;
  const level = s.stop ? "full" : gaugeLevel(percent);
  const ourShare = s.cap ? Math.min(100, ((s.oursSinceBaseline ?? s.ourCounted) * 100) / s.cap) : 0;
  const otherShare = s.cap && s.otherApps !== null ? Math.min(100 - ourShare, (s.otherApps * 100) / s.cap) : 0;
  const forecast = s.forecast;
  const ready = forecastReady(forecast);
  return (
    <section className="panel quota-gauge" aria-labelledby="quota-gauge-title" data-testid="quota-gauge">
      <h2 id="quota-gauge-title" className="panel__title">
        {t("quota.gauge.title", { month: s.month, zone: s.timeZone })}
      </h2>
      {s.stop && (
        <div className="quota-stop" role="alert" data-testid="quota-stop">
          <strong>{t("quota.gauge.stopped", { date: s.stop.untilDate })}</strong>
          <p>{s.stop.message}</p>
        </div>
      )}
      <p className="quota-gauge__figure">
        <span className="quota-gauge__used" data-testid="quota-used">
          {f.count(s.used)}
        </span>{" "}
        {s.cap !== null ? (
          <span data-testid="quota-cap">{t("quota.gauge.ofCap", { cap: f.count(s.cap) })}</span>
        ) : (
          <span data-testid="quota-cap">{t("quota.gauge.unlimited")}</span>
        )}
        {percent !== null && (
          <span className={`quota-gauge__percent quota-level--${level}`} data-testid="quota-percent">
            {f.percent(percent)}
          </span>
        )}
      </p>
      {s.cap !== null && (
        <div
          className="quota-bar"
          role="meter"
          aria-label={t("quota.gauge.meterLabel")}
          aria-valuemin={0}
          aria-valuemax={s.cap}
          aria-valuenow={Math.min(s.used, s.cap)}
          aria-valuetext={t("quota.gauge.meterText", { used: f.count(s.used), cap: f.count(s.cap) })}
          data-testid="quota-bar"
        >
          <div className="quota-bar__other" style={{ width: `${otherShare}%` }} />
          <div
            className={`quota-bar__ours quota-level--${level}`}
            style={{ width: `${ourShare}%`, left: `${otherShare}%` }}
          />
          {[80, 90].map((mark) => (
            <span key={mark} className="quota-bar__mark" style={{ left: `${mark}%` }} aria-hidden="true" />
          ))}
        </div>
      )}
      <dl className="quota-facts">
        <dt>{t("quota.gauge.ours")}</dt>
        <dd data-testid="quota-ours">
          {t("quota.gauge.oursValue", {
            counted: f.count(s.ourCounted),
            calls: f.count(s.ourCalls),
            failed: f.count(s.ourFailed),
          })}
        </dd>
        <dt>{t("quota.gauge.others")}</dt>
        <dd data-testid="quota-others">
          {s.otherApps !== null && s.baseline
            ? t("quota.gauge.othersValue", {
                others: f.count(s.otherApps),
                calls: f.count(s.baseline.calls),
                at: f.dateTime(s.baseline.at),
              })
            : t("quota.gauge.othersUnknown")}
        </dd>
        {s.remaining !== null && (
          <>
            <dt>{t("quota.gauge.remaining")}</dt>
            <dd data-testid="quota-remaining">{f.count(s.remaining)}</dd>
          </>
        )}
        <dt>{t("quota.gauge.forecast")}</dt>
        <dd data-testid="quota-forecast" data-ready={ready}>
          {ready ? (
            <>
              {t("quota.gauge.forecastValue", {
                total: f.count(forecast.monthEnd),
                ours: f.count(forecast.ourDailyRate),
                others: f.count(forecast.otherDailyRate),
              })}{" "}
              {forecast.capReachedOn
                ? t("quota.gauge.capReachedOn", { date: forecast.capReachedOn })
                : s.cap !== null
                  ? t("quota.gauge.capNotReached")
                  : ""}
              <span className="field__hint quota-basis" data-testid="quota-forecast-basis">
                {t("quota.gauge.basis", { days: Math.min(7, Math.round(forecast.basisDays)) })}
              </span>
            </>
          ) : (
            t("quota.gauge.notEnoughData")
          )}
        </dd>
      </dl>
    </section>
  );
}
