// The theme is resolved here, in script, and <html data-theme> always says "light" or "dark":
// the style sheets hold the dark palette once, under [data-theme="dark"]. "system" follows the
// OS scheme, also when it changes while the app runs.
import type { Language } from "../bindings/Language";
import type { Theme } from "../bindings/Theme";

const KEY = "lark-companion.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

/** Stops following the OS scheme (set while the theme is "system"). */
let stopFollowing: (() => void) | null = null;

function osQuery(): MediaQueryList | null {
  return typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
}

function setScheme(dark: boolean): void {
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

export function applyTheme(theme: Theme): void {
  stopFollowing?.();
  stopFollowing = null;
  remember(theme);
  if (theme !== "system") {
    setScheme(theme === "dark");
    return;
  }
  const query = osQuery();
  setScheme(query?.matches ?? false);
  if (!query) return;
  const onChange = () => setScheme(query.matches);
  query.addEventListener("change", onChange);
  stopFollowing = () => query.removeEventListener("change", onChange);
}

/** The theme applied last time (kept so the next start has it before the settings load). */
export function rememberedTheme(): Theme {
  try {
    const stored = window.localStorage.getItem(KEY);
    return stored === "light" || stored === "dark" ? stored : "system";
  } catch {
    return "system";
  }
}

function remember(theme: Theme): void {
  try {
    window.localStorage.setItem(KEY, theme);
  } catch {
    // Storage may be disabled: the next start then begins with the OS scheme.
  }
}

/** Before the first render: the theme of last time and the UI language on <html>, so nothing flashes. */
export function prepareDocument(language: Language | string): void {
  applyTheme(rememberedTheme());
  document.documentElement.lang = language;
}
