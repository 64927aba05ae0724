// Step 1: Feishu or Lark, the profile's name, and creating the custom app in the console.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConsoleLinkButton } from "../../components/ConsoleLinkButton";
import { platformLabel } from "../../profiles/platformLabel";
import { StepFrame } from "./StepFrame";
import { appListUrl, isBaseUrl, type DraftPlatform } from "./steps";
import { useWizard } from "./WizardContext";

const NAME_MAX = 64;
type NameError = "empty" | "taken" | "tooLong";


export function PlatformStep() {
  const { t } = useTranslation();
  const { profile, draft, setDraft, existingNames, guide } = useWizard();
  const [nameError, setNameError] = useState<NameError | null>(null);
  const [baseUrlError, setBaseUrlError] = useState(false);
  const baseUrlId = useId();
  const nameId = useId();
  const nameHint = useId();

  function validate(): boolean {
    if (profile) return true;
    const name = draft.name.trim();
    const problem: NameError | null = !name
      ? "empty"
      : [...name].length > NAME_MAX
        ? "tooLong"
        : existingNames.some((existing) => existing.toLowerCase() === name.toLowerCase())
          ? "taken"
          : null;
    setNameError(problem);
    const badBaseUrl = draft.platform === "custom" && !isBaseUrl(draft.baseUrl);
    setBaseUrlError(badBaseUrl);
    if (!problem && !badBaseUrl) setDraft({ ...draft, name });
    return problem === null && !badBaseUrl;
  }

  const appList = profile ? guide?.links.appList : appListUrl(draft.platform, draft.baseUrl);

  return (
    <StepFrame step="platform" beforeNext={validate}>
      {profile ? (
        <dl className="facts" data-testid="platform-saved">
          <dt>{t("setup.platform.platform")}</dt>
          <dd data-testid="platform-saved-platform">{platformLabel(profile.platform, t)}</dd>
          <dt>{t("setup.platform.name")}</dt>
          <dd data-testid="platform-saved-name">{profile.name}</dd>
        </dl>
      ) : (
        <>
          <fieldset className="field-group">
            <legend>{t("setup.platform.platform")}</legend>
            {(["feishu", "lark", "custom"] as const satisfies readonly DraftPlatform[]).map((kind) => (
              <label key={kind} className="radio">
                <input
                  type="radio"
                  name="platform"
                  value={kind}
                  data-testid={`platform-${kind}`}
                  checked={draft.platform === kind}
                  onChange={() => setDraft({ ...draft, platform: kind })}
                />
                <span>
                  {t(kind === "custom" ? "profiles.platform.customShort" : `profiles.platform.${kind}`)}
                  <span className="muted"> — {t(`setup.platform.${kind}Hint`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {draft.platform === "custom" && (
            <div className="field">
              <label htmlFor={baseUrlId}>{t("setup.platform.baseUrl")}</label>
              <input
                id={baseUrlId}
                className="input"
                data-testid="platform-base-url"
                value={draft.baseUrl}
                placeholder="https://open.example.com"
                aria-invalid={baseUrlError}
                onChange={(e) => {
                  setBaseUrlError(false);
                  setDraft({ ...draft, baseUrl: e.target.value });
                }}
              />
              <p className={baseUrlError ? "field__error" : "field__hint"} data-testid={baseUrlError ? "platform-base-url-error" : undefined}>
                {baseUrlError ? t("setup.platform.baseUrlError") : t("setup.platform.baseUrlHint")}
              </p>
            </div>
          )}
          <div className="field">
            <label htmlFor={nameId}>{t("setup.platform.name")}</label>
            <input
              id={nameId}
              className="input"
              data-testid="profile-name"
              value={draft.name}
              maxLength={NAME_MAX * 2}
              aria-invalid={nameError !== null}
              aria-describedby={nameHint}
              onChange={(e) => {
                setNameError(null);
                setDraft({ ...draft, name: e.target.value });
              }}
            />
            <p id={nameHint} className={nameError ? "field__error" : "field__hint"} data-testid={nameError ? "profile-name-error" : undefined}>
              {nameError ? t(`setup.platform.nameError.${nameError}`, { max: NAME_MAX }) : t("setup.platform.nameHint")}
            </p>
          </div>
        </>
      )}
      {profile && <p className="muted">{t("setup.platform.savedNote")}</p>}
      <div className="instructions">
        <h3>{t("setup.platform.createTitle")}</h3>
        <ol>
          <li>{t("setup.platform.create1")}</li>
          <li>{t("setup.platform.create2")}</li>
          <li>{t("setup.platform.create3")}</li>
        </ol>
        {appList && (
          <ConsoleLinkButton link={appList} testId="open-developer-console" label={t("setup.platform.openConsole")} primary />
        )}
      </div>
    </StepFrame>
  );
}
