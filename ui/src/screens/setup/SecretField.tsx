// One credential input: cleaned on paste and blur, masked with a reveal toggle for secrets, a
// copy button (secrets are cleared from the clipboard after 30 s), a format hint and its error.
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SecretKind } from "../../bindings/SecretKind";
import { CleanInput } from "../../components/CleanInput";
import { CopyButton } from "../../components/CopyButton";

interface SecretFieldProps {
  /** Test ids: `<testId>`, `<testId>-reveal`, `<testId>-copy`, `<testId>-error`, `<testId>-hint`. */
  testId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint: ReactNode;
  error?: string | null;
  warning?: string | null;
  secret?: boolean;
  placeholder?: string;
  /** For a saved profile: whether the keychain already holds this secret. */
  stored?: boolean;
  readOnly?: boolean;
  optional?: boolean;
  /** The stored secret Copy takes from the keychain while nothing is typed over it. */
  storedSecret?: { name: string; kind: SecretKind };
}

export function SecretField(props: SecretFieldProps) {
  const { testId, label, value, onChange, hint, error, warning, secret, placeholder, stored, readOnly, optional, storedSecret } = props;
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState(false);
  const inputId = useId();
  const hintId = useId();
  const messageId = useId();
  const describedBy = [hintId, error || warning ? messageId : null].filter(Boolean).join(" ");

  return (
    <div className="field secret-field">
      <label htmlFor={inputId}>
        {label}
        {optional && <span className="muted"> {t("setup.credentials.optional")}</span>}
        {stored !== undefined && (
          <span className={`stored-tag${stored ? " stored-tag--yes" : ""}`} data-testid={`${testId}-stored`} data-stored={stored}>
            {stored ? t("setup.credentials.stored") : t("setup.credentials.notStored")}
          </span>
        )}
      </label>
      <div className="secret-field__row">
        <CleanInput
          id={inputId}
          testId={testId}
          type={secret && !revealed ? "password" : "text"}
          value={value}
          onValueChange={onChange}
          placeholder={placeholder}
          readOnly={readOnly}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className="input input--mono"
        />
        {secret && (
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid={`${testId}-reveal`}
            aria-pressed={revealed}
            aria-label={revealed ? t("common.hideWhat", { what: label }) : t("common.showWhat", { what: label })}
            onClick={() => setRevealed((shown) => !shown)}
          >
            {revealed ? t("common.hide") : t("common.show")}
          </button>
        )}
        <CopyButton
          value={value}
          testId={`${testId}-copy`}
          what={label}
          secret={secret}
          profileSecret={!value && stored && storedSecret ? storedSecret : undefined}
        />
      </div>
      <p id={hintId} className="field__hint" data-testid={`${testId}-hint`}>
        {hint}
      </p>
      {(error || warning) && (
        <p
          id={messageId}
          className={error ? "field__error" : "field__warning"}
          data-testid={error ? `${testId}-error` : `${testId}-warning`}
          role={error ? "alert" : "status"}
        >
          {error ?? warning}
        </p>
      )}
    </div>
  );
}
