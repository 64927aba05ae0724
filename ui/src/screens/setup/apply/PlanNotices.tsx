// What keeps the whole app out of Apply's reach, said once above the plan, with the way on: a
// version under review, an app not made in the console, an app that may not read itself, or a
// platform that refused to be read. Each offers the manual steps.
import { useTranslation } from "react-i18next";
import type { CommandError } from "../../../api/invoke";
import type { Plan } from "../../../bindings/Plan";
import { ActionError } from "../../../components/ActionError";
import { ConsoleLinkButton } from "../../../components/ConsoleLinkButton";
import { useWizard } from "../WizardContext";
import { scopeLink } from "./PlanBlocker";

function ByHand() {
  const { t } = useTranslation();
  const { goTo } = useWizard();
  return (
    <button type="button" className="button button--secondary button--small" data-testid="apply-by-hand" onClick={() => goTo("appConfig")}>
      {t("setup.apply.byHand")}
    </button>
  );
}

export function PlanNotices({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const { guide } = useWizard();
  const scope = plan.missingReadScope;
  if (!plan.underReview && plan.consoleMade && !scope) return null;
  return (
    <div className="notice notice--warning" data-testid="plan-notice">
      {plan.underReview && (
        <p data-testid="plan-notice-underReview">
          {t("setup.apply.notice.underReview")}{" "}
          {guide && <ConsoleLinkButton link={guide.links.versions} testId="plan-open-versions" label={t("setup.links.versions")} />}
        </p>
      )}
      {!plan.consoleMade && <p data-testid="plan-notice-notConsoleApp">{t("setup.apply.notice.notConsoleApp")}</p>}
      {scope && (
        <p data-testid="plan-notice-missingReadScope">
          {t("setup.apply.notice.missingReadScope", { scope })}{" "}
          {guide && <ConsoleLinkButton link={scopeLink(guide.links, scope)} testId="plan-open-read-scope" label={t("setup.apply.blocker.openScopes")} />}
        </p>
      )}
      <p>
        {t("setup.apply.notice.byHandText")} <ByHand />
      </p>
    </div>
  );
}

/** The plan could not be read (e.g. the platform has no configuration API): the manual steps. */
export function PlanUnreadable({ error }: { error: CommandError }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice--warning" data-testid="plan-unreadable">
      <ActionError error={error} testId="plan-error" />
      <p>
        {t("setup.apply.notice.unreadable")} <ByHand />
      </p>
    </div>
  );
}
