// A failed action's error, shown beside the button that caused it rather than only in the banner
// at the top of the window (useCommand's `inline` mode keeps it; keychain errors still go to the
// banner, whose Retry brings the screens back once the keychain answers).
import { useTranslation } from "react-i18next";
import type { Problem } from "../bindings/Problem";
import { problemFix, problemMessage, problemSummary } from "../errors/problemText";
import { ConsoleLinkButton } from "./ConsoleLinkButton";

interface ActionErrorProps {
  error: Problem | null | undefined;
  testId: string;
  /** Lead with the summary of the problem's kind ("A value was not accepted.") (default true). */
  summary?: boolean;
}

/** The sentence and its fix, as an alert beside the action. Renders nothing without an error. */
export function ActionError({ error, testId, summary = true }: ActionErrorProps) {
  const { t } = useTranslation();
  if (!error) return null;
  const fix = problemFix(t, error);
  return (
    <div className="field__error action-error" role="alert" data-testid={testId} data-error-code={error.code} data-error-kind={error.kind}>
      <p>
        {summary && <strong>{problemSummary(t, error)} </strong>}
        {problemMessage(t, error)}
      </p>
      {fix && (
        <p>
          <strong>{t("errors.fix")}</strong> {fix}
        </p>
      )}
      {error.fix?.link && <ConsoleLinkButton link={error.fix.link} label={t("errors.openConsole")} testId={`${testId}-console`} />}
    </div>
  );
}
