// Calls the platform refused for a ceiling or for the monthly quota, newest first.
import { useTranslation } from "react-i18next";
import type { RateLimitEvent } from "../../bindings/RateLimitEvent";
import { useFormatters } from "./format";

export function RateLimitEvents({ events }: { events: RateLimitEvent[] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  return (
    <section className="panel" aria-labelledby="quota-events-title" data-testid="quota-events">
      <h2 id="quota-events-title" className="panel__title">
        {t("quota.events.title")}
      </h2>
      {events.length === 0 ? (
        <p className="muted" data-testid="quota-events-empty">
          {t("quota.events.empty")}
        </p>
      ) : (
        <ul className="quota-events">
          {events.map((e, i) => (
            <li key={`${e.at}-${i}`} className={`quota-event quota-event--${e.kind}`} data-testid="quota-event">
              <span className="quota-event__kind">
                {e.kind === "quota_exhausted" ? t("quota.events.quotaExhausted") : t("quota.events.rateLimited")}
              </span>
              <time dateTime={e.at}>{f.dateTime(e.at)}</time>
              <span className="mono">{e.endpoint}</span>
              {e.code !== null && <span className="mono">{t("quota.events.code", { code: e.code })}</span>}
              {e.target && <span className="mono">{e.target}</span>}
              {e.resetSecs !== null && <span>{t("quota.events.wait", { secs: e.resetSecs })}</span>}
              {e.limit && <span className="muted">{t("quota.events.limit", { limit: e.limit })}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
