// Settings > In the background: what closing the window does while a relay runs (keep it
// running in the tray, or quit), start at login (off by default), which relay starts then, and
// Quit (stops the relay cleanly).
import { useCallback, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { CloseAction } from "../../bindings/CloseAction";
import { useErrors } from "../../errors/ErrorContext";
import { useLoad } from "../../lib/useCommand";
import { useSettings } from "../../settings/SettingsContext";

const CHOICES: { value: CloseAction | null; key: string; testId: string }[] = [
  { value: "tray", key: "closeTray", testId: "close-action-tray" },
  { value: "quit", key: "closeQuit", testId: "close-action-quit" },
  { value: null, key: "closeAsk", testId: "close-action-ask" },
];

export function BackgroundPanel() {
  const { t } = useTranslation();
  const id = useId();
  const { settings, insideApp, replaceSettings } = useSettings();
  const { show } = useErrors();

  function changeClose(action: CloseAction | null) {
    replaceSettings({ ...settings, closeAction: action });
    commands.setCloseAction(action).then(replaceSettings).catch(show);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="background-panel">
      <h2 id={`${id}-title`} className="panel__title">
        {t("settings.background.title")}
      </h2>
      <fieldset className="field">
        <legend>{t("settings.background.closeLabel")}</legend>
        {CHOICES.map(({ value, key, testId }) => (
          <label className="radio" key={key}>
            <input
              type="radio"
              name={`${id}-close`}
              data-testid={testId}
              checked={settings.closeAction === value}
              onChange={() => changeClose(value)}
            />{" "}
            {t(`settings.background.${key}`)}
          </label>
        ))}
        <span className="field__hint">{t("settings.background.closeHint")}</span>
      </fieldset>
      <div className="field">
        {insideApp ? <AutostartToggle /> : <span className="muted">{t("settings.background.autostartUnavailable")}</span>}
        <span className="field__hint">{t("settings.background.autostartHint")}</span>
        <span className="field__hint" data-testid="login-relay">
          {settings.loginRelay
            ? t("settings.background.loginRelay", { profile: settings.loginRelay })
            : t("settings.background.loginRelayNone")}
        </span>
      </div>
      {insideApp && (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            data-testid="quit-app"
            onClick={() => commands.quitApp().catch(show)}
          >
            {t("settings.background.quitNow")}
          </button>
        </div>
      )}
    </section>
  );
}

function AutostartToggle() {
  const { t } = useTranslation();
  const { show } = useErrors();
  const loaded = useLoad(useCallback(() => commands.autostartEnabled(), []));
  const [changed, setChanged] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const on = changed ?? loaded.data ?? false;

  async function toggle(next: boolean) {
    setBusy(true);
    try {
      setChanged(await commands.setAutostart(next));
    } catch (err) {
      show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <label className="radio">
      <input
        type="checkbox"
        data-testid="autostart-toggle"
        checked={on}
        disabled={busy || (loaded.data === undefined && changed === null && loaded.error === null)}
        onChange={(e) => void toggle(e.target.checked)}
      />{" "}
      {t("settings.background.autostart")}
    </label>
  );
}
