// Copying to the clipboard, done by the Rust side (tauri-plugin-clipboard-manager): the
// webview's own clipboard needs a user gesture, and WebKitGTK has dropped it by the time an
// awaited command (such as "Copy as curl") answers. A copied secret is cleared by the Rust side
// after 30 s, if the clipboard still holds it.
import type { SecretKind } from "../bindings/SecretKind";
import { call } from "../api/invoke";

/** How long a copied secret stays on the clipboard (the Rust side clears it). */
export const SECRET_CLEAR_MS = 30_000;

export function copyText(text: string): Promise<void> {
  return call<void>("copy_text", { text, secret: false });
}

/** Copies `secret`; the app clears it after 30 s unless something else was copied since. */
export function copySecret(secret: string): Promise<void> {
  return call<void>("copy_text", { text: secret, secret: true });
}

/** Copies a profile's stored secret straight from the keychain (cleared after 30 s too). */
export function copyProfileSecret(name: string, kind: SecretKind): Promise<void> {
  return call<void>("copy_profile_secret", { name, kind });
}
