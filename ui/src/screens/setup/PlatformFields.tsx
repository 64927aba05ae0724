// Step 1's fields for a new profile, shared by both ways to start: Feishu, Lark or a custom base
// URL (a private deployment, or lark-sim), and the profile's name; checked before moving on.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { isBaseUrl, type DraftPlatform } from "./steps";
import { useWizard } from "./WizardContext";

const NAME_MAX = 64;
type NameError = "empty" | "taken" | "tooLong";

export interface DraftCheck {
  nameError: NameError | null;
  baseUrlError: boolean;
  /** Checks the draft (and trims its name); false when a field shows a problem. */
  validate: () => boolean;
  clear: (field: "name" | "baseUrl") => void;
}

/** The draft's name and base URL checks; a saved profile passes. */
export function useDraftCheck(): DraftCheck {
  const { profile, draft, setDraft, existingNames } = useWizard();
  const [nameError, setNameError] = useState<NameError | null>(null);
  const [baseUrlError, setBaseUrlError] = useState(false);

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

  const clear = (field: "name" | "baseUrl") => (field === "name" ? setNameError(null) : setBaseUrlError(false));
  return { nameError, baseUrlError, validate, clear };
}

interface PlatformFieldsProps {
  check: DraftCheck;
  /** The core refused the name (shown under it). */
  serverNameError?: string | null;
}

export function PlatformFields({ check, serverNameError }: PlatformFieldsProps) {
  const { t } = useTranslation();
  const { draft, setDraft } = useWizard();
  const baseUrlId = useId();
  const nameId = useId();
  const nameHint = useId();
  const { nameError, baseUrlError, clear } = check;
  const nameProblem = nameError ? t(`setup.platform.nameError.${nameError}`, { max: NAME_MAX }) : (serverNameError ?? null);

  return (
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
              clear("baseUrl");
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
          aria-invalid={nameProblem !== null}
          aria-describedby={nameHint}
          onChange={(e) => {
            clear("name");
            setDraft({ ...draft, name: e.target.value });
          }}
        />
        <p id={nameHint} className={nameProblem ? "field__error" : "field__hint"} data-testid={nameProblem ? "profile-name-error" : undefined}>
          {nameProblem ?? t("setup.platform.nameHint")}
        </p>
      </div>
    </>
  );
}
