// Typed wrappers, one per Tauri command. Argument names are camelCase, as Tauri expects.
import type { AppInfo } from "../bindings/AppInfo";
import type { Language } from "../bindings/Language";
import type { Settings } from "../bindings/Settings";
import type { Theme } from "../bindings/Theme";
import { call } from "./invoke";

export const getSettings = () => call<Settings>("get_settings");
export const setLanguage = (language: Language | null) => call<Settings>("set_language", { language });
export const setTheme = (theme: Theme) => call<Settings>("set_theme", { theme });
export const appInfo = () => call<AppInfo>("app_info");
