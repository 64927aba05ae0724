import { useTranslation } from "react-i18next";
import type { CheckStatus } from "../../bindings/CheckStatus";
import { needsProfile, STEP_IDS, type StepId } from "./steps";

interface StepperProps {
  current: StepId;
  statuses: { [step in string]?: CheckStatus };
  hasProfile: boolean;
  onSelect: (step: StepId) => void;
}

const MARKS: Record<CheckStatus, string> = { pass: "✓", fail: "✕", unknown: "?", skipped: "–" };

/** The seven steps in order; each is a button, with its last known status. */
export function Stepper({ current, statuses, hasProfile, onSelect }: StepperProps) {
  const { t } = useTranslation();
  return (
    <nav className="stepper" aria-label={t("setup.stepsLabel")}>
      <ol>
        {STEP_IDS.map((id, index) => {
          const status = statuses[id];
          const locked = !hasProfile && needsProfile(id);
          return (
            <li key={id}>
              <button
                type="button"
                className={`stepper__step${id === current ? " stepper__step--current" : ""}${status ? ` stepper__step--${status}` : ""}`}
                data-testid={`wizard-step-${id}`}
                data-status={status}
                aria-current={id === current ? "step" : undefined}
                disabled={locked}
                title={locked ? t("setup.lockedStep") : undefined}
                onClick={() => onSelect(id)}
              >
                <span className="stepper__number" aria-hidden="true">
                  {status ? MARKS[status] : index + 1}
                </span>
                <span className="stepper__label">{t(`setup.steps.${id}.title`)}</span>
                {status && <span className="visually-hidden">({t(`checks.status.${status}`)})</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
