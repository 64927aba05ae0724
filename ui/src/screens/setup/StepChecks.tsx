// A step's "Check" button and the outcomes of its last run.
import { useTranslation } from "react-i18next";
import { CheckOutcomes } from "../../checks/CheckOutcomes";
import { BusyButton } from "../../components/BusyButton";
import { ActionError } from "../../components/ActionError";
import { STEP_CHECKS, type StepId } from "./steps";
import { useWizard } from "./WizardContext";

interface StepChecksProps {
  step: StepId;
  testId: string;
  label?: string;
}

export function StepChecks({ step, testId, label }: StepChecksProps) {
  const { t } = useTranslation();
  const { outcomes, running, checkErrors, runStepChecks, profile, confirmed, confirm, goTo } = useWizard();
  const ids = STEP_CHECKS[step] ?? [];
  const results = outcomes[step];
  return (
    <div className="step-checks">
      <div className="actions">
        <BusyButton
          testId={testId}
          busy={running === step}
          busyLabel={t("common.checking")}
          disabled={!profile || running !== null}
          onClick={() => void runStepChecks(step, ids)}
        >
          {label ?? t("setup.check")}
        </BusyButton>
        <ActionError error={checkErrors[step]} testId={`${testId}-error`} />
      </div>
      {results && (
        <CheckOutcomes outcomes={results} label={t("setup.checkResults")} confirmed={confirmed} onConfirm={confirm} onApply={() => goTo("apply")} />
      )}
    </div>
  );
}
