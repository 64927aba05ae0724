// Loads the stored settings and the installation facts once at start, applies language and
// theme, and lets the Settings screen change them (applied at once, then saved).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import * as commands from "../api/commands";
import { isInsideApp } from "../api/invoke";
import type { AppInfo } from "../bindings/AppInfo";
import type { Language } from "../bindings/Language";
import type { Settings } from "../bindings/Settings";
import type { Theme } from "../bindings/Theme";
import { useErrors } from "../errors/ErrorContext";
import { applyLanguage, resolveLanguage, systemLanguage } from "../i18n";
import { applyTheme } from "./applyTheme";

export type AppInfoState =
  | { status: "loading" }
  | { status: "ready"; info: AppInfo }
  | { status: "unavailable" };

interface SettingsApi {
  settings: Settings;
  appInfo: AppInfoState;
  /** False in a plain browser (`npm run dev`): the shell renders with defaults. */
  insideApp: boolean;
  changeLanguage: (language: Language | null) => void;
  changeTheme: (theme: Theme) => void;
  /** Saves the proxy (null = the system's); rejects (e.g. invalid_input for "proxy") for the caller to show. */
  saveProxy: (proxy: string | null) => Promise<void>;
  /** Takes the settings a command answered with (after a change made elsewhere). */
  replaceSettings: (settings: Settings) => void;
}

const DEFAULT_SETTINGS: Settings = {
  language: null,
  theme: "system",
  proxy: null,
  closeAction: null,
  loginRelay: null,
};

const SettingsContext = createContext<SettingsApi | null>(null);

function applySettings(settings: Settings): void {
  void applyLanguage(resolveLanguage(settings.language, systemLanguage()));
  applyTheme(settings.theme);
}

export function SettingsProvider({ children }: { children: ReactNode }) {
  const { show } = useErrors();
  const [insideApp] = useState(isInsideApp);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [appInfo, setAppInfo] = useState<AppInfoState>(() =>
    insideApp ? { status: "loading" } : { status: "unavailable" },
  );

  useEffect(() => {
    if (!insideApp) {
      applySettings(DEFAULT_SETTINGS);
      return;
    }
    let current = true;
    commands
      .getSettings()
      .then((stored) => {
        if (!current) return;
        setSettings(stored);
        applySettings(stored);
      })
      .catch(show);
    commands
      .appInfo()
      .then((info) => current && setAppInfo({ status: "ready", info }))
      .catch((err: unknown) => {
        if (current) setAppInfo({ status: "unavailable" });
        show(err);
      });
    return () => {
      current = false;
    };
  }, [insideApp, show]);

  const changeLanguage = useCallback(
    (language: Language | null) => {
      setSettings((previous) => ({ ...previous, language }));
      void applyLanguage(resolveLanguage(language, systemLanguage()));
      commands.setLanguage(language).then(setSettings).catch(show);
    },
    [show],
  );

  const changeTheme = useCallback(
    (theme: Theme) => {
      setSettings((previous) => ({ ...previous, theme }));
      applyTheme(theme);
      commands.setTheme(theme).then(setSettings).catch(show);
    },
    [show],
  );

  const saveProxy = useCallback(async (proxy: string | null) => {
    setSettings(await commands.setProxy(proxy));
  }, []);

  const api = useMemo(
    () => ({ settings, appInfo, insideApp, changeLanguage, changeTheme, saveProxy, replaceSettings: setSettings }),
    [settings, appInfo, insideApp, changeLanguage, changeTheme, saveProxy],
  );
  return <SettingsContext.Provider value={api}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsApi {
  const api = useContext(SettingsContext);
  if (!api) throw new Error("useSettings must be used inside <SettingsProvider>");
  return api;
}
