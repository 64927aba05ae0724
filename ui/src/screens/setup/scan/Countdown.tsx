// The time left until the scan's link expires, as m:ss, updated every second (read out only on
// request: the live region is the scan's state, not this clock).
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/** Whole seconds from `now` to `until` (0 once passed; 0 for a date that cannot be read). */
export function secondsLeft(until: string, now: number): number {
  const end = Date.parse(until);
  return Number.isNaN(end) ? 0 : Math.max(0, Math.ceil((end - now) / 1000));
}

export function formatLeft(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

export function Countdown({ until }: { until: string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const left = secondsLeft(until, now);

  useEffect(() => {
    if (left <= 0) return;
    const timer = window.setTimeout(() => setNow(Date.now()), 1000);
    return () => window.clearTimeout(timer);
  }, [left, now]);

  return (
    <span className="scan__countdown" data-testid="scan-countdown" data-seconds={left}>
      {left > 0 ? t("setup.scan.expiresIn", { time: formatLeft(left) }) : t("setup.scan.expiredClock")}
    </span>
  );
}
