// A failed action's error, shown beside the button that caused it rather than only in the banner
// at the top of the window. Keychain errors still go to the banner, whose Retry brings the
// screens back once the keychain answers.
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { toCommandError, type CommandError } from "../../api/invoke";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { isKeychainError } from "../../errors/ErrorBanner";
import { useErrors } from "../../errors/ErrorContext";

/** Turns a rejection into the error to show beside the action, or null when the banner has it. */
export function useInlineError(): (rejection: unknown) => CommandError | null {
  const { show } = useErrors();
  return useCallback(
    (rejection: unknown) => {
      const error = toCommandError(rejection);
      if (!isKeychainError(error)) return error;
      show(error);
      return null;
    },
    [show],
  );
}

export interface ActionErrorState {
  error: CommandError | null;
  fail: (rejection: unknown) => void;
  clear: () => void;
}

/** The error of one action: `fail` with the rejection, `clear` when the action runs again. */
export function useActionError(): ActionErrorState {
  const inline = useInlineError();
  const [error, setError] = useState<CommandError | null>(null);
  const fail = useCallback((rejection: unknown) => setError(inline(rejection)), [inline]);
  const clear = useCallback(() => setError(null), []);
  return { error, fail, clear };
}

/** The message and its fix, as an alert beside the action. Renders nothing without an error. */
export function ActionError({ error, testId }: { error: CommandError | null | undefined; testId: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const summaryKey = `errors.${error.code}`;
  return (
    <div className="field__error action-error" role="alert" data-testid={testId} data-error-code={error.code}>
      <p>
        {i18n.exists(summaryKey) && <strong>{t(summaryKey)} </strong>}
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
