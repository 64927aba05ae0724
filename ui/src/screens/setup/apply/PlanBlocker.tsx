// Why Apply may not change an item, and what the admin can do: a missing scope is named with
// both fixes (add it in the console, or confirm the app again by scan); a missing URL leads to
// the integration step. Keys that differ are shown without their values, with the two choices.
import { useTranslation } from "react-i18next";
import type { Blocker } from "../../../bindings/Blocker";
import type { ConsoleLinks } from "../../../bindings/ConsoleLinks";
import { ConsoleLinkButton } from "../../../components/ConsoleLinkButton";
import { useWizard } from "../WizardContext";
import { Rescan } from "./Rescan";

/** The console's Permissions & Scopes page with the scope filled in. */
export function scopeLink(links: ConsoleLinks, scope: string): string {
  return `${links.scopes}?q=${encodeURIComponent(scope)}`;
}

export function PlanBlocker({ blocker, testId }: { blocker: Blocker; testId: string }) {
  const { t } = useTranslation();
  const { guide, goTo, profile } = useWizard();
  switch (blocker.kind) {
    case "missingScope":
      return (
        <div className="plan-fix" data-testid={`${testId}-blocker`} data-blocker="missingScope">
          <p>{t("setup.apply.blocker.missingScope", { scope: blocker.scope })}</p>
          <ol className="plan-fix__ways">
            <li>
              {t("setup.apply.blocker.addInConsole", { scope: blocker.scope })}{" "}
              {guide && (
                <ConsoleLinkButton link={scopeLink(guide.links, blocker.scope)} testId={`${testId}-open-scopes`} label={t("setup.apply.blocker.openScopes")} />
              )}
            </li>
            <li>
              {t("setup.apply.blocker.rescan")}{" "}
              {profile && <Rescan profileName={profile.name} platform={profile.platform} testId={testId} />}
            </li>
          </ol>
        </div>
      );
    case "missingInput":
      return (
        <div className="plan-fix" data-testid={`${testId}-blocker`} data-blocker="missingInput">
          <p>{t("setup.apply.blocker.missingInput", { field: t(`setup.integration.fields.${blocker.field}`, { defaultValue: blocker.field }) })}</p>
          <button type="button" className="button button--secondary button--small" data-testid={`${testId}-goto-integration`} onClick={() => goTo("integration")}>
            {t("setup.apply.gotoIntegration")}
          </button>
        </div>
      );
    default:
      return (
        <p className="plan-fix" data-testid={`${testId}-blocker`} data-blocker={blocker.kind}>
          {t(`setup.apply.blocker.${blocker.kind}`)}
        </p>
      );
  }
}

/** The app's Encrypt Key or Verification Token is not the keychain's: the two ways out, in words. */
export function KeysMismatch({ testId }: { testId: string }) {
  const { t } = useTranslation();
  const { guide, goTo } = useWizard();
  return (
    <div className="plan-fix" data-testid={`${testId}-mismatch`}>
      <p>{t("setup.apply.mismatch.text")}</p>
      <ol className="plan-fix__ways">
        <li>
          <strong>{t("setup.apply.mismatch.takeAppsTitle")}</strong> {t("setup.apply.mismatch.takeApps")}{" "}
          <button type="button" className="button button--secondary button--small" data-testid={`${testId}-goto-credentials`} onClick={() => goTo("credentials")}>
            {t("setup.apply.gotoCredentials")}
          </button>
        </li>
        <li>
          <strong>{t("setup.apply.mismatch.setOursTitle")}</strong> {t("setup.apply.mismatch.setOurs")}
        </li>
      </ol>
      {guide && <ConsoleLinkButton link={guide.links.eventsAndCallbacks} testId={`${testId}-open-events`} label={t("setup.links.eventsAndCallbacks")} />}
    </div>
  );
}
