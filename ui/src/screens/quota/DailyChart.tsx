// The month day by day: counted calls per day (bars), the estimated running total, the forecast
// to the month's end and the cap as a line. A table with the same figures follows for screen
// readers and keyboard users.
import { useTranslation } from "react-i18next";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { DailySeries } from "../../bindings/DailySeries";
import { useFormatters } from "./format";

/** The smallest round figure (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above `n`, for the axis. */
export function niceCeil(n: number): number {
  if (n <= 0) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * magnitude >= n) ?? 10;
  return step * magnitude;
}

/** `showForecast` is false until the forecast rests on a day of calls (then no line is drawn). */
export function DailyChart({ daily, showForecast = true }: { daily: DailySeries; showForecast?: boolean }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const data = daily.days.map((d) => ({
    day: d.date.slice(8),
    date: d.date,
    counted: d.counted,
    used: d.used === null ? null : Math.round(d.used),
    forecast: d.forecast === null || !showForecast ? null : Math.round(d.forecast),
  }));
  const peak = Math.max(
    daily.cap ?? 0,
    ...data.map((d) => Math.max(d.used ?? 0, d.forecast ?? 0, d.counted)),
  );
  const counted = daily.days.reduce((sum, d) => sum + d.counted, 0);
  return (
    <section className="panel" aria-labelledby="quota-daily-title" data-testid="quota-daily">
      <h2 id="quota-daily-title" className="panel__title">
        {t("quota.daily.title")}
      </h2>
      <p className="muted">{t("quota.daily.hint")}</p>
      <div className="quota-chart" data-testid="quota-chart" role="img" aria-label={t("quota.daily.aria", { counted: f.count(counted), month: daily.month })}>
        <ResponsiveContainer width="100%" height={280} initialDimension={{ width: 720, height: 280 }}>
          <ComposedChart data={data} margin={{ top: 10, right: 24, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="day" tick={{ fill: "var(--text-muted)", fontSize: 11 }} />
            <YAxis
              domain={[0, niceCeil(peak * 1.05)]}
              allowDecimals={false}
              tick={{ fill: "var(--text-muted)", fontSize: 11 }}
              tickFormatter={(v: number) => f.count(v)}
              width={64}
            />
            <Tooltip
              formatter={(value) => (typeof value === "number" ? f.count(value) : String(value))}
              labelFormatter={(_, payload) => String(payload?.[0]?.payload?.date ?? "")}
              contentStyle={{ background: "var(--surface-panel)", borderColor: "var(--border)" }}
            />
            <Legend />
            <Bar dataKey="counted" name={t("quota.daily.counted")} fill="var(--accent)" isAnimationActive={false} />
            <Line
              dataKey="used"
              name={t("quota.daily.used")}
              stroke="var(--success)"
              dot={false}
              strokeWidth={2}
              connectNulls={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="forecast"
              name={t("quota.daily.forecast")}
              stroke="var(--warning)"
              strokeDasharray="6 4"
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
            {daily.cap !== null && (
              <ReferenceLine
                y={daily.cap}
                stroke="var(--danger)"
                strokeWidth={2}
                label={{ value: t("quota.daily.cap", { cap: f.count(daily.cap) }), fill: "var(--danger)", position: "insideTopLeft" }}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <details className="quota-details">
        <summary data-testid="quota-daily-table-toggle">{t("quota.daily.asTable")}</summary>
        <table className="quota-table" data-testid="quota-daily-table">
          <thead>
            <tr>
              <th scope="col">{t("quota.daily.date")}</th>
              <th scope="col">{t("quota.daily.counted")}</th>
              <th scope="col">{t("quota.daily.used")}</th>
              <th scope="col">{t("quota.daily.forecast")}</th>
            </tr>
          </thead>
          <tbody>
            {daily.days.map((d) => (
              <tr key={d.date}>
                <td>{d.date}</td>
                <td className="num">{f.count(d.counted)}</td>
                <td className="num">{d.used === null ? "–" : f.count(d.used)}</td>
                <td className="num">{d.forecast === null || !showForecast ? "–" : f.count(d.forecast)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
