// A failed action's error, shown beside the button that caused it rather than only in the banner
// at the top of the window (useCommand's `inline` mode keeps it; keychain errors still go to the
// banner, whose Retry brings the screens back once the keychain answers).
import { useTranslation } from "react-i18next";
import type { CommandError } from "../api/invoke";
import { ConsoleLinkButton } from "./ConsoleLinkButton";

interface ActionErrorProps {
  error: CommandError | null | undefined;
  testId: string;
  /** Lead with the error code's summary ("Invalid input") before the message (default true). */
  summary?: boolean;
}

/** The message and its fix, as an alert beside the action. Renders nothing without an error. */
export function ActionError({ error, testId, summary = true }: ActionErrorProps) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const summaryKey = `errors.${error.code}`;
  return (
    <div className="field__error action-error" role="alert" data-testid={testId} data-error-code={error.code}>
      <p>
        {summary && i18n.exists(summaryKey) && <strong>{t(summaryKey)} </strong>}
        {error.message}
      </p>
      {error.fix?.text && (
        <p>
          <strong>{t("errors.fix")}</strong> {error.fix.text}
        </p>
      )}
      {error.fix?.link && <ConsoleLinkButton link={error.fix.link} label={t("errors.openConsole")} testId={`${testId}-console`} />}
    </div>
  );
}
