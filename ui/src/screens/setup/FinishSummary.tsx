// After the last step: where each step stands, what the API could not check (to confirm by hand),
// and what to do next: start the relay, run the Doctor, send a first card.
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { CheckOutcome } from "../../bindings/CheckOutcome";
import { ConfirmByHand } from "../../checks/CheckOutcomes";
import { StatusBadge } from "../../checks/StatusBadge";
import { useCheckText } from "../../checks/useCheckText";
import { BY_HAND_CHECKS, STEP_IDS } from "./steps";
import { useWizard } from "./WizardContext";

const NEXT = [
  { id: "relay", path: "/relay" },
  { id: "doctor", path: "/doctor" },
  { id: "cards", path: "/cards" },
] as const;

export function FinishSummary() {
  const { t } = useTranslation();
  const text = useCheckText();
  const navigate = useNavigate();
  const { statuses, outcomes, confirmed, confirm, goTo, consumeFocus } = useWizard();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (consumeFocus()) heading.current?.focus();
  }, [consumeFocus]);

  // What the last runs could not check by API, and the settings the platform may not return
  // that have not been run yet; one read from the platform needs no confirming by hand.
  const lastRuns: CheckOutcome[] = STEP_IDS.flatMap((step) => outcomes[step] ?? []);
  const unknownNow = lastRuns.filter((o) => o.status === "unknown");
  const notRun = BY_HAND_CHECKS.filter((id) => !lastRuns.some((o) => o.id === id));
  const byHand = [...new Set<string>([...notRun, ...unknownNow.map((o) => o.id)])];

  return (
    <section className="panel wizard-step" data-testid="step-finish" aria-labelledby="step-finish-title">
      <h2 id="step-finish-title" ref={heading} tabIndex={-1} className="wizard-step__title">
        {t("setup.finish.title")}
      </h2>
      <p className="wizard-step__intro muted">{t("setup.finish.intro")}</p>

      <div className="wizard-step__content">
        <h3>{t("setup.finish.stepsTitle")}</h3>
        <ol className="finish-list">
          {STEP_IDS.map((step) => {
            const status = statuses[step];
            const title = t(`setup.steps.${step}.title`);
            return (
              <li key={step} className="finish-list__item" data-testid={`finish-step-${step}`}>
                <span className="finish-list__title">{title}</span>{" "}
                {status ? <StatusBadge status={status} /> : <span className="muted">{t("setup.finish.notRun")}</span>}{" "}
                <button
                  type="button"
                  className="button button--secondary button--small"
                  data-testid={`finish-goto-${step}`}
                  aria-label={`${t("setup.finish.goTo")}: ${title}`}
                  onClick={() => goTo(step)}
                >
                  {t("setup.finish.goTo")}
                </button>
              </li>
            );
          })}
        </ol>

        <h3>{t("setup.finish.byHandTitle")}</h3>
        <p className="muted">{t("setup.finish.byHandIntro")}</p>
        <ul className="check-list" data-testid="finish-by-hand">
          {byHand.map((id) => {
            const outcome = unknownNow.find((o) => o.id === id);
            const title = text.title(id);
            return (
              <li key={id} className="check-item check-item--unknown" data-testid={`finish-item-${id}`}>
                <div className="check-item__head">
                  <span className="check-item__title">{title}</span>
                </div>
                {outcome && <p className="check-item__reason">{text.finding(outcome)}</p>}
                <ConfirmByHand id={id} title={title} confirmed={confirmed.includes(id)} prefix="finish" onConfirm={confirm} />
              </li>
            );
          })}
        </ul>

        <h3>{t("setup.finish.nextTitle")}</h3>
        <ul className="finish-list">
          {NEXT.map(({ id, path }) => (
            <li key={id} className="finish-list__item">
              <p>{t(`setup.finish.next.${id}`)}</p>
              <button type="button" className="button button--secondary" data-testid={`finish-open-${id}`} onClick={() => void navigate(path)}>
                {t(`setup.finish.next.${id}Open`)}
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="wizard-nav">
        <button type="button" className="button button--secondary" data-testid="wizard-back" onClick={() => goTo("endToEnd")}>
          {t("setup.back")}
        </button>
      </div>
    </section>
  );
}
