// A failed action's error, shown right under the button that caused it (the banner at the top
// of the window is far from a button half way down the Relay screen). Keychain errors still go
// to the banner, whose Retry brings the screens back once the keychain answers.
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { toCommandError, type CommandError } from "../../api/invoke";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { isKeychainError } from "../../errors/ErrorBanner";
import { useErrors } from "../../errors/ErrorContext";

export interface ActionErrorState {
  error: CommandError | null;
  /** Shows the rejection beside the action (or in the banner for a keychain error). */
  fail: (rejection: unknown) => void;
  clear: () => void;
}

export function useActionError(): ActionErrorState {
  const { show } = useErrors();
  const [error, setError] = useState<CommandError | null>(null);
  const fail = useCallback(
    (rejection: unknown) => {
      const e = toCommandError(rejection);
      if (isKeychainError(e)) show(e);
      else setError(e);
    },
    [show],
  );
  const clear = useCallback(() => setError(null), []);
  return { error, fail, clear };
}

/** The message and its fix, as an alert under the action. Renders nothing without an error. */
export function ActionError({ error, testId }: { error: CommandError | null; testId: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="field__error action-error" role="alert" data-testid={testId} data-error-code={error.code}>
      <p>{error.message}</p>
      {error.fix?.text && (
        <p>
          <strong>{t("errors.fix")}</strong> {error.fix.text}
        </p>
      )}
      {error.fix?.link && <ConsoleLinkButton link={error.fix.link} label={t("errors.openConsole")} testId={`${testId}-console`} />}
    </div>
  );
}
