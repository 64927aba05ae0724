// Shows the current errors: the summary of the problem's kind, its sentence and its fix in the
// window's language (errors/problemText), and a button that opens the console page named in the
// fix. A keychain problem also gets a Retry button: once the keychain answers, the keychain
// errors go and the screens load again.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../api/commands";
import type { Problem } from "../bindings/Problem";
import type { ProblemKind } from "../bindings/ProblemKind";
import { BusyButton } from "../components/BusyButton";
import { ConsoleLinkButton } from "../components/ConsoleLinkButton";
import { useErrors, type ShownError } from "./ErrorContext";
import { problemFix, problemMessage, problemSummary } from "./problemText";

export const KEYCHAIN_KINDS: readonly ProblemKind[] = ["keychain_unavailable", "keychain_timeout"];

export function isKeychainError(problem: Problem): boolean {
  return KEYCHAIN_KINDS.includes(problem.kind);
}

export function ErrorBanner() {
  const { errors } = useErrors();
  return (
    <div className="error-region" aria-live="assertive">
      {errors.map((shown) => (
        <ErrorCard key={shown.id} shown={shown} />
      ))}
    </div>
  );
}

function ErrorCard({ shown }: { shown: ShownError }) {
  const { t } = useTranslation();
  const { dismiss } = useErrors();
  const { error } = shown;
  const keychain = isKeychainError(error);
  const fixText = problemFix(t, error);

  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-error-code={error.code} data-error-kind={error.kind}>
      <div className="error-banner__body">
        <p className="error-banner__summary">{problemSummary(t, error)}</p>
        <p className="error-banner__message" data-testid="error-message">
          {problemMessage(t, error)}
        </p>
        {(fixText || keychain) && (
          <div className="error-banner__fix">
            {fixText && (
              <p data-testid="error-fix">
                <strong>{t("errors.fix")}</strong> {fixText}
              </p>
            )}
            {keychain && <KeychainRetry id={shown.id} />}
            {error.fix?.link && (
              <ConsoleLinkButton link={error.fix.link} label={t("errors.openConsole")} testId="error-open-console" />
            )}
          </div>
        )}
      </div>
      <button
        type="button"
        className="icon-button"
        data-testid="error-dismiss"
        aria-label={t("errors.dismiss")}
        title={t("errors.dismiss")}
        onClick={() => dismiss(shown.id)}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/** Asks the keychain again; when it answers, every keychain error goes and screens reload. */
function KeychainRetry({ id }: { id: number }) {
  const { t } = useTranslation();
  const { show, dismiss, dismissKinds, requestReload } = useErrors();
  const [busy, setBusy] = useState(false);

  async function retry() {
    setBusy(true);
    try {
      await commands.keychainStatus();
      dismissKinds(KEYCHAIN_KINDS);
      requestReload();
    } catch (rejection) {
      // Still no keychain: this card gives way to the newer answer.
      setBusy(false);
      dismiss(id);
      show(rejection);
    }
  }

  return (
    <BusyButton testId="error-keychain-retry" busy={busy} busyLabel={t("errors.retrying")} onClick={() => void retry()} secondary>
      {t("errors.retry")}
    </BusyButton>
  );
}
