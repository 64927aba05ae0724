// Shows the current errors: a translated summary by code (when one exists), the message
// from the app, the fix, and a button that opens the console page named in the fix. A keychain
// error also gets a Retry button: once the keychain answers, the keychain errors go and the
// screens load again.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../api/commands";
import type { CommandError } from "../api/invoke";
import type { ErrorCode } from "../bindings/ErrorCode";
import { BusyButton } from "../components/BusyButton";
import { ConsoleLinkButton } from "../components/ConsoleLinkButton";
import { useErrors, type ShownError } from "./ErrorContext";

export const KEYCHAIN_CODES: readonly ErrorCode[] = ["keychain_unavailable", "keychain_timeout"];

export function isKeychainError(error: CommandError): boolean {
  return KEYCHAIN_CODES.includes(error.code);
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
  const { t, i18n } = useTranslation();
  const { dismiss } = useErrors();
  const { error } = shown;
  const summaryKey = `errors.${error.code}`;
  const summary = i18n.exists(summaryKey) ? t(summaryKey) : t("errors.title");
  const keychain = isKeychainError(error);
  const fixText = keychain ? t(`errors.keychainFix.${error.code}`) : error.fix?.text;

  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-error-code={error.code}>
      <div className="error-banner__body">
        <p className="error-banner__summary">{summary}</p>
        <p className="error-banner__message" data-testid="error-message">
          {error.message}
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
  const { show, dismiss, dismissCodes, requestReload } = useErrors();
  const [busy, setBusy] = useState(false);

  async function retry() {
    setBusy(true);
    try {
      await commands.keychainStatus();
      dismissCodes(KEYCHAIN_CODES);
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
