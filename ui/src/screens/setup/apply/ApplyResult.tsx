// What Apply did: the settings it changed, what refused (with the scope named), new keys to copy
// into Flashduty's form, and which changes only take effect once a version is published.
import { useTranslation } from "react-i18next";
import type { ApplyReport } from "../../../bindings/ApplyReport";
import type { ItemId } from "../../../bindings/ItemId";
import { ConsoleLinkButton } from "../../../components/ConsoleLinkButton";
import { problemMessage } from "../../../errors/problemText";
import { useWizard } from "../WizardContext";
import { scopeLink } from "./PlanBlocker";
import { awaitsPublish } from "./planWords";

export function ApplyResult({ report }: { report: ApplyReport }) {
  const { t } = useTranslation();
  const { goTo, guide } = useWizard();
  const names = (ids: readonly ItemId[]) => [...new Set(ids)].map((id) => t(`setup.apply.short.${id}`)).join(t("checks.listSeparator"));
  // Changed now but live only after publishing, and whatever else waits for a version.
  const afterPublish = (id: ItemId) => report.plan.items.some((item) => item.id === id && item.effect === "afterPublish");
  const publishIds = [...report.applied.filter(afterPublish), ...report.plan.items.filter(awaitsPublish).map((item) => item.id)];
  const failure = report.failure;
  // For missing scopes, the first of those that would do (`params.scopes`, comma-joined).
  const scope = failure?.code === "missing_scopes" ? (failure.params.scopes?.split(", ")[0] ?? null) : null;

  return (
    <div className="apply-result" data-testid="apply-result">
      {report.applied.length > 0 ? (
        <p className="notice notice--success" role="status" data-testid="apply-applied">
          {t(report.partial ? "setup.apply.result.partial" : "setup.apply.result.applied", { items: names(report.applied) })}
        </p>
      ) : (
        !failure && (
          <p className="notice" role="status" data-testid="apply-nothing">
            {t("setup.apply.result.nothing")}
          </p>
        )
      )}
      {failure && (
        <div className="field__error action-error" role="alert" data-testid="apply-failure" data-kind={failure.code}>
          <p>
            <strong>{t("setup.apply.result.refused")}</strong> {problemMessage(t, failure)}
          </p>
          {scope && (
            <p>
              {t("setup.apply.blocker.missingScope", { scope })}{" "}
              {guide && <ConsoleLinkButton link={scopeLink(guide.links, scope)} testId="apply-failure-open-scopes" label={t("setup.apply.blocker.openScopes")} />}
            </p>
          )}
        </div>
      )}
      {report.generatedKeys && (
        <p className="notice" data-testid="apply-generated-keys">
          {t("setup.apply.result.generatedKeys")}{" "}
          <button type="button" className="button button--secondary button--small" data-testid="apply-goto-integration" onClick={() => goTo("integration")}>
            {t("setup.apply.gotoIntegration")}
          </button>
        </p>
      )}
      {report.storedAppKeys && (
        <p className="notice" data-testid="apply-stored-keys">
          {t("setup.apply.result.storedAppKeys")}
        </p>
      )}
      {publishIds.length > 0 && (
        <p className="notice" data-testid="apply-needs-publish">
          {t("setup.apply.result.needsPublish", { items: names(publishIds) })}{" "}
          <button type="button" className="button button--secondary button--small" data-testid="apply-goto-publish" onClick={() => goTo("publish")}>
            {t("setup.apply.gotoPublish")}
          </button>
        </p>
      )}
    </div>
  );
}
