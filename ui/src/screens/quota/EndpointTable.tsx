// Each API this month, busiest first.
import { useTranslation } from "react-i18next";
import type { EndpointRow } from "../../bindings/EndpointRow";
import { useFormatters } from "./format";

export function EndpointTable({ rows }: { rows: EndpointRow[] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  return (
    <section className="panel" aria-labelledby="quota-endpoints-title" data-testid="quota-endpoints">
      <h2 id="quota-endpoints-title" className="panel__title">
        {t("quota.endpoints.title")}
      </h2>
      {rows.length === 0 ? (
        <p className="muted" data-testid="quota-endpoints-empty">
          {t("quota.endpoints.empty")}
        </p>
      ) : (
        <div className="quota-table-wrap" tabIndex={0} role="region" aria-labelledby="quota-endpoints-title">
          <table className="quota-table" data-testid="quota-endpoints-table">
            <thead>
              <tr>
                <th scope="col">{t("quota.endpoints.endpoint")}</th>
                <th scope="col">{t("quota.endpoints.calls")}</th>
                <th scope="col">{t("quota.endpoints.counted")}</th>
                <th scope="col">{t("quota.endpoints.errors")}</th>
                <th scope="col">{t("quota.endpoints.rateLimited")}</th>
                <th scope="col">{t("quota.endpoints.p50")}</th>
                <th scope="col">{t("quota.endpoints.p95")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.endpoint} data-testid={`quota-endpoint-${row.endpoint}`}>
                  <th scope="row" className="mono">
                    {row.endpoint}
                  </th>
                  <td className="num">{f.count(row.calls)}</td>
                  <td className="num">{f.count(row.counted)}</td>
                  <td className="num">{f.count(row.errors)}</td>
                  <td className="num">{f.count(row.rateLimited)}</td>
                  <td className="num">{f.ms(row.p50Ms)}</td>
                  <td className="num">{f.ms(row.p95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
