// A list of check outcomes: status badge, title, the finding in the UI language, the fix, and
// a button that opens the console page where it is fixed.
import { useTranslation } from "react-i18next";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import { ConsoleLinkButton } from "../components/ConsoleLinkButton";
import { StatusBadge } from "./StatusBadge";
import { useCheckText } from "./useCheckText";

interface CheckOutcomesProps {
  outcomes: readonly CheckOutcome[];
  /** Test ids are `<prefix>-outcome-<checkId>`, `<prefix>-fix-link-<checkId>` and so on. */
  testIdPrefix?: string;
  /** Shown above the list for screen readers and as a caption. */
  label?: string;
}

export function CheckOutcomes({ outcomes, testIdPrefix = "check", label }: CheckOutcomesProps) {
  const { t } = useTranslation();
  return (
    <ul className="check-list" aria-label={label ?? t("checks.results")} data-testid={`${testIdPrefix}-results`}>
      {outcomes.map((outcome) => (
        <CheckOutcomeItem key={outcome.id} outcome={outcome} prefix={testIdPrefix} />
      ))}
    </ul>
  );
}

function CheckOutcomeItem({ outcome, prefix }: { outcome: CheckOutcome; prefix: string }) {
  const { t } = useTranslation();
  const text = useCheckText();
  const fix = text.fix(outcome);
  const link = outcome.fix?.link;
  const id = outcome.id;
  return (
    <li
      className={`check-item check-item--${outcome.status}`}
      data-testid={`${prefix}-outcome-${id}`}
      data-status={outcome.status}
      data-finding={outcome.finding}
    >
      <div className="check-item__head">
        <StatusBadge status={outcome.status} testId={`${prefix}-status-${id}`} />
        <span className="check-item__title">{text.title(id)}</span>
      </div>
      <p className="check-item__reason" data-testid={`${prefix}-reason-${id}`}>
        {text.finding(outcome)}
      </p>
      {(fix || link) && (
        <div className="check-item__fix">
          {fix && (
            <p data-testid={`${prefix}-fix-${id}`}>
              <strong>{t("checks.fix")}</strong> {fix}
            </p>
          )}
          {link && (
            <ConsoleLinkButton
              link={link}
              testId={`${prefix}-fix-link-${id}`}
              label={t("checks.openFix")}
              ariaLabel={`${t("checks.openFix")}: ${text.title(id)}`}
            />
          )}
        </div>
      )}
    </li>
  );
}
