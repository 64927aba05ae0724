import { useTranslation } from "react-i18next";
import { Spinner } from "../../components/BusyButton";
import { useWizard } from "./WizardContext";

/** Stands in for the console links while the guide loads, or says it could not be loaded. */
export function GuideMissing() {
  const { t } = useTranslation();
  const { guideLoading } = useWizard();
  return guideLoading ? (
    <p className="muted loading-line" data-testid="guide-loading">
      <Spinner /> {t("setup.guideLoading")}
    </p>
  ) : (
    <p className="muted" data-testid="guide-unavailable">
      {t("setup.guideUnavailable")}
    </p>
  );
}
