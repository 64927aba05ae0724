// Step 2: App ID, App Secret, Verification Token and Encrypt Key. "Save and check" creates the
// profile (or stores the new secrets of a saved one) and asks the platform for a token.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SecretsInput } from "../../bindings/SecretsInput";
import { CheckOutcomes } from "../../checks/CheckOutcomes";
import { BusyButton } from "../../components/BusyButton";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { fieldError } from "../../errors/fieldError";
import { problemMessage } from "../../errors/problemText";
import { useCommand } from "../../lib/useCommand";
import { ActionError } from "../../components/ActionError";
import { SecretField } from "./SecretField";
import { StepFrame } from "./StepFrame";
import { APP_ID_PATTERN, STEP_CHECKS } from "./steps";
import { useWizard, type Draft, type TypedSecrets } from "./WizardContext";

type Field = keyof TypedSecrets;
const SECRET_FIELDS = ["appSecret", "verificationToken", "encryptKey"] as const;
const SERVER_FIELDS: readonly Field[] = ["appId", ...SECRET_FIELDS];

interface SaveRequest {
  /** The saved profile; null creates one from the draft. */
  profile: ProfileSummary | null;
  draft: Draft;
  typed: TypedSecrets;
  appIdChanged: boolean;
  /** Told as soon as each save lands (a later one may still fail). */
  created: (profile: ProfileSummary) => void;
  changed: (profile: ProfileSummary) => void;
}

/** Creates the profile, or stores a changed App ID and the secrets typed for a saved one. */
async function saveCredentials({ profile, draft, typed, appIdChanged, created, changed }: SaveRequest): Promise<void> {
  const secrets: SecretsInput = {};
  for (const field of SECRET_FIELDS) if (typed[field]) secrets[field] = typed[field];
  if (!profile) {
    const platform = draft.platform === "custom" ? { kind: "custom" as const, baseUrl: draft.baseUrl.trim() } : { kind: draft.platform };
    created(await commands.addProfile({ name: draft.name, platform, appId: typed.appId, secrets }));
    return;
  }
  let current = profile;
  if (appIdChanged) {
    current = await commands.setProfileAppId(profile.name, typed.appId);
    changed(current);
  }
  if (Object.keys(secrets).length > 0) {
    const presence = await commands.setProfileSecrets(current.name, secrets);
    changed({ ...current, secrets: presence });
  }
}

export function CredentialsStep() {
  const { t } = useTranslation();
  const { profile, draft, typed, setTyped, guide, outcomes, running, checkErrors, runStepChecks, profileCreated, profileChanged, confirmed, confirm } =
    useWizard();
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  // A refused value goes under its field, any other failure beside the button.
  const saving = useCommand(saveCredentials, { fields: SERVER_FIELDS, inline: true });

  const appId = profile && typed.appId === "" ? profile.appId : typed.appId;
  const appIdChanged = profile !== null && typed.appId !== "" && typed.appId !== profile.appId;
  const set = (field: Field) => (value: string) => {
    setErrors((current) => ({ ...current, [field]: undefined }));
    setTyped({ ...typed, [field]: value });
  };

  function validate(): boolean {
    const found: Partial<Record<Field, string>> = {};
    if ((!profile || appIdChanged) && !APP_ID_PATTERN.test(typed.appId)) {
      found.appId = typed.appId ? t("setup.credentials.appIdInvalid") : t("setup.credentials.appIdMissing");
    }
    if (!typed.appSecret && !profile?.secrets.appSecret) found.appSecret = t("setup.credentials.appSecretMissing");
    setErrors(found);
    return Object.keys(found).length === 0;
  }

  async function saveAndCheck() {
    if (!validate()) return;
    const result = await saving.run({ profile, draft, typed, appIdChanged, created: profileCreated, changed: profileChanged });
    if (result.status === "failed") {
      const onField = fieldError(result.error, SERVER_FIELDS);
      if (onField) setErrors({ [onField.field]: problemMessage(t, onField.problem) });
    }
    if (result.status !== "done") return;
    await runStepChecks("credentials", STEP_CHECKS.credentials ?? []);
  }

  const swapped = typed.verificationToken !== "" && typed.verificationToken === typed.encryptKey;
  const results = outcomes.credentials;

  return (
    <StepFrame step="credentials">
      <form
        className="form-stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void saveAndCheck();
        }}
      >
        <SecretField
          testId="cred-app-id"
          label={t("setup.credentials.appId")}
          value={appId}
          onChange={set("appId")}
          placeholder="cli_a1b2c3d4e5f60718"
          hint={profile ? t("setup.credentials.appIdSavedHint") : t("setup.credentials.appIdHint")}
          error={errors.appId}
        />
        <SecretField
          testId="cred-app-secret"
          label={t("setup.credentials.appSecret")}
          value={typed.appSecret}
          onChange={set("appSecret")}
          secret
          stored={profile ? profile.secrets.appSecret : undefined}
          storedSecret={profile ? { name: profile.name, kind: "appSecret" } : undefined}
          placeholder={profile?.secrets.appSecret ? t("setup.credentials.keepStored") : undefined}
          hint={t("setup.credentials.appSecretHint")}
          error={errors.appSecret}
        />
        <SecretField
          testId="cred-verification-token"
          label={t("setup.credentials.verificationToken")}
          value={typed.verificationToken}
          onChange={set("verificationToken")}
          secret
          stored={profile ? profile.secrets.verificationToken : undefined}
          storedSecret={profile ? { name: profile.name, kind: "verificationToken" } : undefined}
          placeholder={profile?.secrets.verificationToken ? t("setup.credentials.keepStored") : undefined}
          hint={t("setup.credentials.verificationTokenHint")}
          error={errors.verificationToken}
        />
        <SecretField
          testId="cred-encrypt-key"
          label={t("setup.credentials.encryptKey")}
          value={typed.encryptKey}
          onChange={set("encryptKey")}
          secret
          optional
          stored={profile ? profile.secrets.encryptKey : undefined}
          storedSecret={profile ? { name: profile.name, kind: "encryptKey" } : undefined}
          placeholder={profile?.secrets.encryptKey ? t("setup.credentials.keepStored") : undefined}
          hint={t("setup.credentials.encryptKeyHint")}
          error={errors.encryptKey}
          warning={swapped ? t("setup.credentials.sameAsToken") : null}
        />
        <p className="muted">{t("setup.credentials.keychainNote")}</p>
        <div className="actions">
          <BusyButton
            type="submit"
            testId="credentials-save"
            busy={saving.busy || running === "credentials"}
            busyLabel={saving.busy ? t("common.saving") : t("common.checking")}
            disabled={running !== null}
            onClick={() => undefined}
          >
            {t("setup.credentials.saveAndCheck")}
          </BusyButton>
          <ActionError error={saving.error ?? checkErrors.credentials} testId="credentials-save-error" />
          {guide && (
            <>
              <ConsoleLinkButton link={guide.links.credentials} testId="credentials-open-baseinfo" label={t("setup.links.credentials")} />
              <ConsoleLinkButton link={guide.links.eventsAndCallbacks} testId="credentials-open-events" label={t("setup.links.eventsAndCallbacks")} />
            </>
          )}
        </div>
      </form>
      {results && <CheckOutcomes outcomes={results} label={t("setup.checkResults")} confirmed={confirmed} onConfirm={confirm} />}
    </StepFrame>
  );
}
