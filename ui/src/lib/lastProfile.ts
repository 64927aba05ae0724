// The profile the user worked with last, shared by Setup and Doctor so both open on it.
const KEY = "lark-companion.lastProfile";

export function lastProfile(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberProfile(name: string | null): void {
  try {
    if (name === null) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, name);
  } catch {
    // Storage may be disabled; the choice is then not remembered, which is harmless.
  }
}
