// The frame of one step: "Step n of 7", its title and intro, the step's content, and Back/Next
// (Finish on the last step, which leads to the summary).
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { needsProfile, STEP_IDS, type StepId } from "./steps";
import { useWizard } from "./WizardContext";

interface StepFrameProps {
  step: StepId;
  children: ReactNode;
  /** Runs before moving on; return false to stay (the step shows why). */
  beforeNext?: () => boolean;
  /** Where Next leads instead of the following step (e.g. past the by-hand steps once applied). */
  next?: StepId;
  /** Next waits for something the step says (this is why, as the button's title). */
  nextBlocked?: string;
}

export function StepFrame({ step, children, beforeNext, next: nextOverride, nextBlocked }: StepFrameProps) {
  const { t } = useTranslation();
  const { goTo, profile, consumeFocus } = useWizard();
  const heading = useRef<HTMLHeadingElement>(null);
  const index = STEP_IDS.indexOf(step);
  const previous = STEP_IDS[index - 1];
  const next = nextOverride ?? STEP_IDS[index + 1];
  const locked = !profile && next !== undefined && needsProfile(next);
  const headingId = `step-${step}-title`;

  useEffect(() => {
    if (consumeFocus()) heading.current?.focus();
  }, [consumeFocus]);

  return (
    <section className="panel wizard-step" data-testid={`step-${step}`} aria-labelledby={headingId}>
      <p className="wizard-step__count">{t("setup.stepCount", { n: index + 1, total: STEP_IDS.length })}</p>
      <h2 id={headingId} ref={heading} tabIndex={-1} className="wizard-step__title">
        {t(`setup.steps.${step}.title`)}
      </h2>
      <p className="wizard-step__intro muted">{t(`setup.steps.${step}.intro`)}</p>
      <div className="wizard-step__content">{children}</div>
      <div className="wizard-nav">
        {previous && (
          <button type="button" className="button button--secondary" data-testid="wizard-back" onClick={() => goTo(previous)}>
            {t("setup.back")}
          </button>
        )}
        {!next && (
          <button type="button" className="button" data-testid="wizard-finish" disabled={!profile} onClick={() => goTo("finish")}>
            {t("setup.finish.button")}
          </button>
        )}
        {next && (
          <button
            type="button"
            className="button"
            data-testid="wizard-next"
            disabled={locked || nextBlocked !== undefined}
            title={nextBlocked ?? (locked ? t("setup.lockedStep") : undefined)}
            onClick={() => {
              if (beforeNext && !beforeNext()) return;
              goTo(next);
            }}
          >
            {t("setup.next")}
          </button>
        )}
      </div>
    </section>
  );
}
