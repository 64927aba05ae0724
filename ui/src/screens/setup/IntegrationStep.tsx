// Step 3: the values to paste into Flashduty's Feishu/Lark integration form, and the three URLs
// the integration gives back, checked here before they are saved.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { IntegrationUrls } from "../../bindings/IntegrationUrls";
import type { SecretKind } from "../../bindings/SecretKind";
import { BusyButton } from "../../components/BusyButton";
import { CleanInput } from "../../components/CleanInput";
import { CopyButton } from "../../components/CopyButton";
import { fieldError } from "../../errors/fieldError";
import { problemMessage } from "../../errors/problemText";
import { useCommand } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { checkUrl, URL_FIELDS, type UrlField } from "./integrationUrls";
import { StepFrame } from "./StepFrame";
import { useWizard } from "./WizardContext";

const TEST_IDS: Record<UrlField, string> = {
  webConfigUrl: "url-web-config",
  redirectUrl: "url-redirect",
  cardRequestUrl: "url-card-request",
};

type UrlValues = Record<UrlField, string>;

const SECRET_KINDS = ["appSecret", "verificationToken", "encryptKey"] as const satisfies readonly SecretKind[];
const SECRET_TEST_IDS: Record<SecretKind, string> = {
  appSecret: "app-secret",
  verificationToken: "verification-token",
  encryptKey: "encrypt-key",
};

function valuesOf(urls: IntegrationUrls | undefined): UrlValues {
  return {
    webConfigUrl: urls?.webConfigUrl ?? "",
    redirectUrl: urls?.redirectUrl ?? "",
    cardRequestUrl: urls?.cardRequestUrl ?? "",
  };
}

export function IntegrationStep() {
  const { t } = useTranslation();
  const { profile, goTo, profileChanged, markStep, sandbox } = useWizard();
  const [values, setValues] = useState<UrlValues>(() => valuesOf(profile?.urls));
  const [touched, setTouched] = useState<Partial<Record<UrlField, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<UrlField, string>>>({});
  const [saved, setSaved] = useState(false);
  // A refused URL goes under its field, any other failure beside Save.
  const saving = useCommand(commands.setProfileUrls, { fields: URL_FIELDS, inline: true });

  if (!profile) return <StepFrame step="integration">{null}</StepFrame>;
  const name = profile.name;
  // The sandbox's simulated integration has example URLs, for its own profile only.
  const examples = sandbox.active && sandbox.profile === name ? sandbox.examples : undefined;

  async function save() {
    setTouched({ webConfigUrl: true, redirectUrl: true, cardRequestUrl: true });
    setSaved(false);
    if (URL_FIELDS.some((field) => checkUrl(field, values[field]).error)) return;
    const blankToNull = (value: string) => (value.trim() ? value.trim() : null);
    const result = await saving.run(name, {
      webConfigUrl: blankToNull(values.webConfigUrl),
      redirectUrl: blankToNull(values.redirectUrl),
      cardRequestUrl: blankToNull(values.cardRequestUrl),
    });
    if (result.status === "failed") {
      const onField = fieldError(result.error, URL_FIELDS);
      if (onField) setServerErrors({ [onField.field]: problemMessage(t, onField.problem) });
    }
    if (result.status !== "done") return;
    const stored = result.value;
    setServerErrors({});
    setValues(valuesOf(stored));
    setSaved(true);
    if (profile) profileChanged({ ...profile, urls: stored });
    const complete = URL_FIELDS.every((field) => Boolean(stored[field]));
    markStep("integration", complete ? "pass" : "fail");
  }

  return (
    <StepFrame step="integration">
      <div className="instructions">
        <h3>{t("setup.integration.formTitle")}</h3>
        <p className="muted">{t("setup.integration.formWhere")}</p>
        <table className="value-table" data-testid="integration-values">
          <tbody>
            <tr>
              <th scope="row">{t("setup.integration.name")}</th>
              <td className="mono">{profile.name}</td>
              <td>
                <CopyButton value={profile.name} testId="integration-copy-name" what={t("setup.integration.name")} />
              </td>
            </tr>
            <tr>
              <th scope="row">App ID</th>
              <td className="mono">{profile.appId}</td>
              <td>
                <CopyButton value={profile.appId} testId="integration-copy-app-id" what="App ID" />
              </td>
            </tr>
            {SECRET_KINDS.map((kind) => (
              <tr key={kind}>
                <th scope="row">{t(`secrets.${kind}`)}</th>
                {profile.secrets[kind] ? (
                  <>
                    <td className="muted">{t("setup.integration.fromKeychain")}</td>
                    <td>
                      <CopyButton
                        value=""
                        profileSecret={{ name: profile.name, kind }}
                        testId={`integration-copy-${SECRET_TEST_IDS[kind]}`}
                        what={t(`secrets.${kind}`)}
                      />
                    </td>
                  </>
                ) : (
                  <td className="field__warning" colSpan={2} data-testid={`integration-missing-${SECRET_TEST_IDS[kind]}`}>
                    {t("setup.integration.notStored")}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="integration-goto-credentials"
          onClick={() => goTo("credentials")}
        >
          {t("setup.integration.gotoCredentials")}
        </button>
      </div>

      <form
        className="form-stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <h3>{t("setup.integration.urlsTitle")}</h3>
        <p className="muted">{t("setup.integration.urlsWhere")}</p>
        {examples && (
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              data-testid="urls-fill-sandbox"
              onClick={() => {
                setSaved(false);
                setServerErrors({});
                setValues(valuesOf(examples));
              }}
            >
              {t("setup.integration.fillSandbox")}
            </button>
            <span className="muted">{t("setup.integration.fillSandboxHint")}</span>
          </div>
        )}
        {URL_FIELDS.map((field) => (
          <UrlInput
            key={field}
            field={field}
            values={values}
            touched={touched[field] ?? false}
            serverError={serverErrors[field]}
            onChange={(value) => {
              setSaved(false);
              setServerErrors((current) => ({ ...current, [field]: undefined }));
              setValues((current) => ({ ...current, [field]: value }));
            }}
            onBlur={() => setTouched((current) => ({ ...current, [field]: true }))}
          />
        ))}
        <div className="actions">
          <BusyButton type="submit" testId="urls-save" busy={saving.busy} busyLabel={t("common.saving")} onClick={() => undefined}>
            {t("setup.integration.save")}
          </BusyButton>
          {saved && (
            <span className="saved-note" role="status" data-testid="urls-saved">
              {t("setup.integration.saved")}
            </span>
          )}
          <ActionError error={saving.error} testId="urls-save-error" />
        </div>
      </form>
    </StepFrame>
  );
}

interface UrlInputProps {
  field: UrlField;
  values: UrlValues;
  touched: boolean;
  serverError?: string;
  onChange: (value: string) => void;
  onBlur: () => void;
}

function UrlInput({ field, values, touched, serverError, onChange, onBlur }: UrlInputProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const hintId = useId();
  const messageId = useId();
  const testId = TEST_IDS[field];
  const verdict = checkUrl(field, values[field], values);
  const error = serverError ?? (touched && verdict.error ? t(`setup.integration.urlError.${verdict.error}`) : null);
  const warning = !error && verdict.warning ? t(`setup.integration.urlWarning.${verdict.warning}`) : null;
  return (
    <div className="field">
      <label htmlFor={inputId}>{t(`setup.integration.fields.${field}`)}</label>
      <CleanInput
        id={inputId}
        testId={testId}
        className="input input--mono"
        value={values[field]}
        onValueChange={onChange}
        onBlur={onBlur}
        placeholder="https://"
        inputMode="url"
        aria-invalid={error ? true : undefined}
        aria-describedby={error || warning ? `${hintId} ${messageId}` : hintId}
      />
      <p id={hintId} className="field__hint">
        {t(`setup.integration.hints.${field}`)}
      </p>
      {error && (
        <p id={messageId} className="field__error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      {warning && (
        <p id={messageId} className="field__warning" role="status" data-testid={`${testId}-warning`}>
          {warning}
        </p>
      )}
    </div>
  );
}
