// A list of check outcomes: status badge, title, the finding in the UI language, and only where
// it fits the fix (failures) or what to look at (items the API cannot check), with a button that
// opens the console page. Items the API cannot check can be confirmed by hand where offered, and
// failures Apply can fix offer "Fix with Apply" where the screen leads there.
import { useTranslation } from "react-i18next";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import { ConsoleLinkButton } from "../components/ConsoleLinkButton";
import { fixableByApply, shownStatus } from "./checkIds";
import { StatusBadge } from "./StatusBadge";
import { useCheckText } from "./useCheckText";

interface CheckOutcomesProps {
  outcomes: readonly CheckOutcome[];
  /** Test ids are `<prefix>-outcome-<checkId>`, `<prefix>-fix-link-<checkId>` and so on. */
  testIdPrefix?: string;
  /** Shown above the list for screen readers and as a caption. */
  label?: string;
  /** Check ids the admin confirmed by hand ("I checked this"). */
  confirmed?: readonly string[];
  /** Offers "I checked this" on items the API cannot check; called with the new state. */
  onConfirm?: (id: string, confirmed: boolean) => void;
  /** Offers "Fix with Apply" on failures Apply can fix (the wizard's Apply step). */
  onApply?: () => void;
}

export function CheckOutcomes({ outcomes, testIdPrefix = "check", label, confirmed = [], onConfirm, onApply }: CheckOutcomesProps) {
  const { t } = useTranslation();
  return (
    <ul className="check-list" aria-label={label ?? t("checks.results")} data-testid={`${testIdPrefix}-results`}>
      {outcomes.map((outcome) => (
        <CheckOutcomeItem
          key={outcome.id}
          outcome={outcome}
          prefix={testIdPrefix}
          confirmed={confirmed.includes(outcome.id)}
          onConfirm={onConfirm}
          onApply={onApply}
        />
      ))}
    </ul>
  );
}

interface ItemProps {
  outcome: CheckOutcome;
  prefix: string;
  confirmed: boolean;
  onConfirm?: (id: string, confirmed: boolean) => void;
  onApply?: () => void;
}

function CheckOutcomeItem({ outcome, prefix, confirmed, onConfirm, onApply }: ItemProps) {
  const { t } = useTranslation();
  const text = useCheckText();
  const id = outcome.id;
  // A fix only for a failure; for an item the API cannot check, what to look at. A pass or a
  // skipped check has nothing to fix (a skipped one says why in its finding).
  const advice = outcome.status === "fail" ? "fix" : outcome.status === "unknown" ? "lookAt" : null;
  const fix = advice ? text.fix(outcome) : null;
  const link = advice ? outcome.fix?.link : undefined;
  const title = text.title(id);
  return (
    <li
      className={`check-item check-item--${outcome.status === "skipped" ? "unknown" : outcome.status}`}
      data-testid={`${prefix}-outcome-${id}`}
      data-status={outcome.status}
      data-finding={outcome.finding}
      data-confirmed={confirmed ? "true" : undefined}
    >
      <div className="check-item__head">
        <StatusBadge status={shownStatus(outcome)} testId={`${prefix}-status-${id}`} />
        <span className="check-item__title">{title}</span>
      </div>
      <p className="check-item__reason" data-testid={`${prefix}-reason-${id}`}>
        {text.finding(outcome)}
      </p>
      {advice && (fix || link) && (
        <div className="check-item__fix">
          {fix && (
            <p data-testid={`${prefix}-fix-${id}`}>
              <strong>{t(advice === "fix" ? "checks.fix" : "checks.lookAt")}</strong> {fix}
            </p>
          )}
          {link && (
            <ConsoleLinkButton link={link} testId={`${prefix}-fix-link-${id}`} label={t("checks.openFix")} ariaLabel={`${t("checks.openFix")}: ${title}`} />
          )}
        </div>
      )}
      {onApply && fixableByApply(outcome) && (
        <p className="check-item__apply">
          <button
            type="button"
            className="button button--small"
            data-testid={`${prefix}-apply-${id}`}
            aria-label={`${t("checks.fixWithApply")}: ${title}`}
            onClick={onApply}
          >
            {t("checks.fixWithApply")}
          </button>
        </p>
      )}
      {outcome.status === "unknown" && onConfirm && (
        <ConfirmByHand id={id} title={title} confirmed={confirmed} prefix={prefix} onConfirm={onConfirm} />
      )}
    </li>
  );
}

interface ConfirmByHandProps {
  id: string;
  title: string;
  confirmed: boolean;
  prefix: string;
  onConfirm: (id: string, confirmed: boolean) => void;
}

/** "I checked this" for an item the API cannot check; once confirmed, says so, with an undo. */
export function ConfirmByHand({ id, title, confirmed, prefix, onConfirm }: ConfirmByHandProps) {
  const { t } = useTranslation();
  return confirmed ? (
    <p className="check-item__confirmed">
      <span className="saved-note" data-testid={`${prefix}-confirmed-${id}`}>
        ✓ {t("checks.confirmedByHand")}
      </span>{" "}
      <button
        type="button"
        className="button button--secondary button--small"
        data-testid={`${prefix}-unconfirm-${id}`}
        aria-label={`${t("checks.unconfirm")}: ${title}`}
        onClick={() => onConfirm(id, false)}
      >
        {t("checks.unconfirm")}
      </button>
    </p>
  ) : (
    <p className="check-item__confirmed">
      <button
        type="button"
        className="button button--secondary button--small"
        data-testid={`${prefix}-confirm-${id}`}
        aria-label={`${t("checks.confirm")}: ${title}`}
        onClick={() => onConfirm(id, true)}
      >
        {t("checks.confirm")}
      </button>
    </p>
  );
}
