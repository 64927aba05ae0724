// i18next setup: English and Simplified Chinese, bundled (no network loading).
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import type { Language } from "../bindings/Language";
import en from "./en.json";
import zhCN from "./zh-CN.json";

export const SUPPORTED_LANGUAGES: readonly Language[] = ["en", "zh-CN"];

/** The language to show: the stored choice, or else the system's (zh* → zh-CN, otherwise en). */
export function resolveLanguage(stored: Language | null, systemLanguage: string | undefined): Language {
  if (stored) return stored;
  return systemLanguage?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function systemLanguage(): string | undefined {
  return typeof navigator === "undefined" ? undefined : navigator.language;
}

/** Switches the visible language and keeps `<html lang>` in step. */
export async function applyLanguage(language: Language): Promise<void> {
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    "zh-CN": { translation: zhCN },
  },
  lng: resolveLanguage(null, systemLanguage()),
  fallbackLng: "en",
  supportedLngs: [...SUPPORTED_LANGUAGES],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

export default i18n;
