// "Start this relay at login": one profile at most (the app runs one relay at a time); it
// starts, with what the relay was last started with, when Lark Companion starts at login
// (Settings > In the background).
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import { useErrors } from "../../errors/ErrorContext";
import { useSettings } from "../../settings/SettingsContext";

export function LoginRelayToggle({ profile }: { profile: string }) {
  const { t } = useTranslation();
  const { show } = useErrors();
  const { settings, replaceSettings } = useSettings();
  const on = settings.loginRelay === profile;
  return (
    <label className="radio">
      <input
        type="checkbox"
        data-testid="relay-login"
        checked={on}
        onChange={(e) => {
          const next = e.target.checked;
          replaceSettings({ ...settings, loginRelay: next ? profile : on ? null : settings.loginRelay });
          commands.setLoginRelay(profile, next).then(replaceSettings).catch(show);
        }}
      />{" "}
      {t("relay.run.loginRelay")}
    </label>
  );
}
