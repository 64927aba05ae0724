// The plan: what is not as the integration needs it first, in the console's order; what already
// is, folded away below.
import { useTranslation } from "react-i18next";
import type { Plan } from "../../../bindings/Plan";
import { PlanItemRow } from "./PlanItemRow";
import { itemKey } from "./planWords";

export function PlanList({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const open = plan.items.filter((item) => item.action !== "nothing");
  const done = plan.items.filter((item) => item.action === "nothing");
  return (
    <div className="plan" data-testid="plan">
      {open.length > 0 ? (
        <ul className="plan-list" aria-label={t("setup.apply.openLabel")} data-testid="plan-open">
          {open.map((item) => (
            <PlanItemRow key={itemKey(item)} item={item} />
          ))}
        </ul>
      ) : (
        <p className="notice notice--success" data-testid="plan-empty">
          {t("setup.apply.empty")}
        </p>
      )}
      {done.length > 0 && (
        <details className="plan-done" data-testid="plan-done">
          <summary>{t("setup.apply.doneSummary", { count: done.length })}</summary>
          <ul className="plan-list" aria-label={t("setup.apply.doneLabel")}>
            {done.map((item) => (
              <PlanItemRow key={itemKey(item)} item={item} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
