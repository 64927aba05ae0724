import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { SandboxStatus } from "../bindings/SandboxStatus";
import { useChosenProfile } from "../profiles/CurrentProfile";

interface ProfileSelectProps {
  profiles: readonly ProfileSummary[];
  sandbox: SandboxStatus;
  /**
   * The chosen profile's name, or "" for none (e.g. a new, unsaved profile). Without `value`
   * and `onChange` the select shows and changes the app's current profile (CurrentProfile.tsx).
   */
  value?: string;
  onChange?: (name: string) => void;
  testId: string;
  /** Text of the "" option; without it there is no such option. */
  emptyOption?: string;
  disabled?: boolean;
}

export function ProfileSelect({ profiles, sandbox, value, onChange, testId, emptyOption, disabled }: ProfileSelectProps) {
  const { t } = useTranslation();
  const id = useId();
  const [current, choose] = useChosenProfile(profiles, sandbox);
  const shown = value ?? current ?? "";
  const change = onChange ?? ((name: string) => choose(name || null));
  return (
    <div className="field field--inline">
      <label htmlFor={id}>{t("profiles.select")}</label>
      <select id={id} data-testid={testId} value={shown} disabled={disabled} onChange={(e) => change(e.target.value)}>
        {emptyOption !== undefined && <option value="">{emptyOption}</option>}
        {profiles.map((profile) => (
          <option key={profile.name} value={profile.name}>
            {sandbox.active && sandbox.profile === profile.name
              ? t("profiles.sandboxOption", { name: profile.name })
              : profile.name}
          </option>
        ))}
      </select>
    </div>
  );
}
