// Step 5, by hand (for apps Apply may not change): Web App and Bot capabilities, the homepage,
// the redirect URL in Security Settings and the callback URL with its events and callbacks, each
// with the console page that holds it. The callback URL is Flashduty's own, or the relay's with
// Flashduty's as the relay's upstream.
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { CopyButton } from "../../components/CopyButton";
import { GuideMissing } from "./GuideMissing";
import { GuideValue } from "./GuideValue";
import { StepChecks } from "./StepChecks";
import { ByHandNote } from "./ByHandNote";
import { StepFrame } from "./StepFrame";
import { useWizard } from "./WizardContext";

export function AppConfigStep() {
  const { t } = useTranslation();
  const { profile, guide } = useWizard();
  const navigate = useNavigate();
  const urls = profile?.urls;
  const missing = t("setup.appConfig.notPasted");

  return (
    <StepFrame step="appConfig">
      <ByHandNote />
      <ol className="guide-list">
        <li className="guide-item" data-testid="appconfig-webapp">
          <h3>{t("setup.appConfig.webAppTitle")}</h3>
          <p>{t("setup.appConfig.webAppText")}</p>
          <GuideValue label={t("setup.appConfig.homepage")} value={urls?.webConfigUrl} testId="appconfig-copy-homepage" missing={missing} />
          {guide && <ConsoleLinkButton link={guide.links.webApp} testId="appconfig-open-webapp" label={t("setup.links.webApp")} />}
        </li>
        <li className="guide-item" data-testid="appconfig-bot">
          <h3>{t("setup.appConfig.botTitle")}</h3>
          <p>{t("setup.appConfig.botText")}</p>
          {guide && <ConsoleLinkButton link={guide.links.bot} testId="appconfig-open-bot" label={t("setup.links.bot")} />}
        </li>
        <li className="guide-item" data-testid="appconfig-redirect">
          <h3>{t("setup.appConfig.redirectTitle")}</h3>
          <p>{t("setup.appConfig.redirectText")}</p>
          <GuideValue label={t("setup.integration.fields.redirectUrl")} value={urls?.redirectUrl} testId="appconfig-copy-redirect" missing={missing} />
          {guide && <ConsoleLinkButton link={guide.links.security} testId="appconfig-open-security" label={t("setup.links.security")} />}
        </li>
        <li className="guide-item" data-testid="appconfig-callback">
          <h3>{t("setup.appConfig.callbackTitle")}</h3>
          <p>{t("setup.appConfig.callbackText")}</p>
          <GuideValue
            label={t("setup.appConfig.requestUrl")}
            value={urls?.cardRequestUrl}
            testId="appconfig-copy-request-url"
            missing={missing}
          />
          {guide && (
            <div className="name-lists">
              <NameList title={t("setup.appConfig.events")} names={guide.events} testIdPrefix="appconfig-copy-event" />
              <NameList title={t("setup.appConfig.callbacks")} names={guide.callbacks} testIdPrefix="appconfig-copy-callback" />
            </div>
          )}
          <div className="topologies" data-testid="appconfig-topologies">
            <h4>{t("setup.appConfig.topologiesTitle")}</h4>
            <ul>
              <li>
                <strong>{t("setup.appConfig.directTitle")}</strong> {t("setup.appConfig.directText")}
              </li>
              <li>
                <strong>{t("setup.appConfig.viaRelayTitle")}</strong> {t("setup.appConfig.viaRelayText")}{" "}
                <button type="button" className="button button--secondary button--small" data-testid="appconfig-open-relay" onClick={() => void navigate("/relay")}>
                  {t("setup.appConfig.openRelay")}
                </button>
              </li>
            </ul>
          </div>
          <p className="muted">{t("setup.appConfig.callbackNote")}</p>
          {guide && (
            <ConsoleLinkButton link={guide.links.eventsAndCallbacks} testId="appconfig-open-events" label={t("setup.links.eventsAndCallbacks")} />
          )}
        </li>
      </ol>
      {!guide && <GuideMissing />}
      <p className="muted">{t("setup.appConfig.publishNote")}</p>
      <StepChecks step="appConfig" testId="appconfig-check" />
    </StepFrame>
  );
}

function NameList({ title, names, testIdPrefix }: { title: string; names: readonly string[]; testIdPrefix: string }) {
  return (
    <div className="name-list">
      <h4>{title}</h4>
      <ul>
        {names.map((name) => (
          <li key={name}>
            <code>{name}</code>
            <CopyButton value={name} testId={`${testIdPrefix}-${name}`} what={name} />
          </li>
        ))}
      </ul>
    </div>
  );
}
