// Step 7: publish a version (from here, or in the console), set availability, and have each
// recipient open the web app once.
import { useTranslation } from "react-i18next";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { GuideMissing } from "./GuideMissing";
import { ApiPublish } from "./publish/ApiPublish";
import { StepChecks } from "./StepChecks";
import { StepFrame } from "./StepFrame";
import { useWizard } from "./WizardContext";

const ITEMS = ["createVersion", "availability", "approval", "linkAccounts"] as const;

export function PublishStep() {
  const { t } = useTranslation();
  const { guide } = useWizard();
  return (
    <StepFrame step="publish">
      <ApiPublish />
      <h3>{t("setup.publish.byHandTitle")}</h3>
      <ol className="instructions-list" data-testid="publish-instructions">
        {ITEMS.map((item) => (
          <li key={item}>
            <strong>{t(`setup.publish.${item}Title`)}</strong> {t(`setup.publish.${item}`)}
          </li>
        ))}
      </ol>
      {guide ? (
        <ConsoleLinkButton link={guide.links.versions} testId="publish-open-versions" label={t("setup.links.versions")} />
      ) : (
        <GuideMissing />
      )}
      <StepChecks step="publish" testId="publish-recheck" label={t("setup.recheck")} />
    </StepFrame>
  );
}
