// The profile the user worked with last, kept in the webview's storage so every screen opens on
// it, also after a restart. The current-profile context (profiles/CurrentProfile.tsx) reads and
// writes it; anyone else who calls rememberProfile is heard there too.
const KEY = "lark-companion.lastProfile";
const CHANGED = "lark-companion:last-profile";

/** Used when storage is disabled: the choice then lasts until the app closes. */
let fallback: string | null = null;

export function lastProfile(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return fallback;
  }
}

export function rememberProfile(name: string | null): void {
  fallback = name;
  try {
    if (name === null) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, name);
  } catch {
    // Storage may be disabled; the fallback keeps the choice for this session.
  }
  window.dispatchEvent(new Event(CHANGED));
}

/** Calls `listener` after every rememberProfile; returns the unsubscribe function. */
export function onProfileRemembered(listener: () => void): () => void {
  window.addEventListener(CHANGED, listener);
  return () => window.removeEventListener(CHANGED, listener);
}
