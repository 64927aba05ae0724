// Above the by-hand steps: Apply (step 4) makes these settings when the app lets it; these steps
// are for apps it may not change, or to look at the console.
import { useTranslation } from "react-i18next";
import { useWizard } from "./WizardContext";

export function ByHandNote() {
  const { t } = useTranslation();
  const { goTo, statuses } = useWizard();
  return (
    <p className="muted by-hand-note" data-testid="by-hand-note">
      {t(statuses.apply === "pass" ? "setup.byHand.applied" : "setup.byHand.text")}{" "}
      <button type="button" className="button button--secondary button--small" data-testid="by-hand-goto-apply" onClick={() => goTo("apply")}>
        {t("setup.byHand.gotoApply")}
      </button>
    </p>
  );
}
