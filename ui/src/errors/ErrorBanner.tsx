// Shows the current errors: a translated summary by code (when one exists), the message
// from the app, the fix, and a button that opens the console page named in the fix.
import { useTranslation } from "react-i18next";
import { openConsoleLink } from "../api/openConsoleLink";
import type { CommandError } from "../api/invoke";
import { useErrors, type ShownError } from "./ErrorContext";

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
  const { dismiss, show } = useErrors();
  const { error } = shown;
  const summaryKey = `errors.${error.code}`;
  const summary = i18n.exists(summaryKey) ? t(summaryKey) : t("errors.title");

  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-error-code={error.code}>
      <div className="error-banner__body">
        <p className="error-banner__summary">{summary}</p>
        <p className="error-banner__message" data-testid="error-message">
          {error.message}
        </p>
        {error.fix && <FixLine error={error} onOpenFailed={show} />}
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

function FixLine({ error, onOpenFailed }: { error: CommandError; onOpenFailed: (e: unknown) => void }) {
  const { t } = useTranslation();
  const link = error.fix?.link;
  return (
    <div className="error-banner__fix">
      <p data-testid="error-fix">
        <strong>{t("errors.fix")}</strong> {error.fix?.text}
      </p>
      {link && (
        <button
          type="button"
          className="button button--secondary"
          data-testid="error-open-console"
          title={link}
          onClick={() => openConsoleLink(link).catch(onOpenFailed)}
        >
          {t("errors.openConsole")}
        </button>
      )}
    </div>
  );
}
