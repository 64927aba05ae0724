import { useTranslation } from "react-i18next";
import type { CheckStatus } from "../../bindings/CheckStatus";
import { needsProfile, STEP_IDS, type StepId, type WizardView } from "./steps";

interface StepperProps {
  current: WizardView;
  statuses: Partial<Record<StepId, CheckStatus>>;
  hasProfile: boolean;
  onSelect: (view: WizardView) => void;
}

const MARKS: Record<CheckStatus, string> = { pass: "✓", fail: "✕", unknown: "?", skipped: "–" };

/** The seven steps in order and the summary after them; each is a button, with its last known status. */
export function Stepper({ current, statuses, hasProfile, onSelect }: StepperProps) {
  const { t } = useTranslation();
  const views: readonly WizardView[] = [...STEP_IDS, "finish"];
  return (
    <nav className="stepper" aria-label={t("setup.stepsLabel")}>
      <ol>
        {views.map((id, index) => {
          const status = id === "finish" ? undefined : statuses[id];
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
                  {status ? MARKS[status] : id === "finish" ? "★" : index + 1}
                </span>
                <span className="stepper__label">{t(id === "finish" ? "setup.finish.title" : `setup.steps.${id}.title`)}</span>
                {status && <span className="visually-hidden">({t(`checks.status.${status}`)})</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
