import type { Theme } from "../bindings/Theme";

/**
 * "system" removes the attribute so the CSS follows prefers-color-scheme;
 * "light" and "dark" force it through `<html data-theme>`.
 */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") {
    delete root.dataset.theme;
  } else {
    root.dataset.theme = theme;
  }
}
