// One line of the plan: what the setting is for, now → wanted, whether Apply will change it (or
// why it may not), required or optional, and whether it takes effect at once or after publishing.
import { useTranslation } from "react-i18next";
import type { PlanItem } from "../../../bindings/PlanItem";
import { KeysMismatch, PlanBlocker } from "./PlanBlocker";
import { currentWords, itemTestId, scopeKey, valueWords } from "./planWords";

export function PlanItemRow({ item }: { item: PlanItem }) {
  const { t, i18n } = useTranslation();
  const testId = itemTestId(item);
  const scope = item.subject ?? "";
  const why = `setup.scopes.why.${scopeKey(scope)}`;
  const purpose = item.id === "scope" && i18n.exists(why) ? t(why) : t(`setup.apply.items.${item.id}.purpose`);
  const state = item.action === "nothing" && item.awaitingPublish ? "awaitingPublish" : item.action;

  return (
    <li className={`plan-item plan-item--${item.action}`} data-testid={testId} data-action={item.action} data-awaiting-publish={item.awaitingPublish || undefined}>
      <div className="plan-item__head">
        <span className="plan-item__title">{t(`setup.apply.items.${item.id}.title`, { scope })}</span>
        <span className={`plan-badge plan-badge--${state}`} data-testid={`${testId}-action`}>
          {t(`setup.apply.action.${state}`)}
        </span>
      </div>
      <p className="muted plan-item__purpose">{purpose}</p>
      <dl className="plan-item__values">
        <dt>{t("setup.apply.now")}</dt>
        <dd className="mono">{currentWords(item.current, t)}</dd>
        <dt>{t("setup.apply.wanted")}</dt>
        <dd className="mono">{item.wanted ? valueWords(item.wanted, t) : t("setup.apply.current.notSet")}</dd>
      </dl>
      <p className="plan-item__tags muted">
        {t(item.blocking ? "setup.apply.required" : "setup.apply.optional")} · {t(`setup.apply.effect.${item.effect}`)}
      </p>
      {item.action === "cantTell" && <p className="muted">{t("setup.apply.cantTellHint")}</p>}
      {item.blocker && item.action === "notAllowed" && <PlanBlocker blocker={item.blocker} testId={testId} />}
      {item.action === "mismatch" && <KeysMismatch testId={testId} />}
    </li>
  );
}
