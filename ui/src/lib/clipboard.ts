// Copying to the clipboard. A copied secret is cleared again after 30 s, but only if the
// clipboard still holds it: whatever the user copied since is left alone.

export const SECRET_CLEAR_MS = 30_000;

/** The last value this app put on the clipboard (to decide when the clipboard cannot be read). */
let lastWritten: string | null = null;

function clipboard(): Clipboard {
  if (typeof navigator === "undefined" || !navigator.clipboard) {
    throw new Error("The clipboard is not available in this window.");
  }
  return navigator.clipboard;
}

export async function copyText(text: string): Promise<void> {
  await clipboard().writeText(text);
  lastWritten = text;
}

/** Copies `secret` and schedules it to be cleared after `clearAfterMs` if it is still there. */
export async function copySecret(secret: string, clearAfterMs = SECRET_CLEAR_MS): Promise<void> {
  await copyText(secret);
  setTimeout(() => void clearIfStillHolding(secret), clearAfterMs);
}

/** Empties the clipboard when it still holds `secret`. Exported for tests. */
export async function clearIfStillHolding(secret: string): Promise<boolean> {
  let holds: boolean;
  try {
    holds = (await clipboard().readText()) === secret;
  } catch {
    // Reading may be refused (no permission). Then trust our own last write: if nothing else
    // was copied through this app since, the secret is most likely still there.
    holds = lastWritten === secret;
  }
  if (!holds) return false;
  try {
    await clipboard().writeText("");
    lastWritten = "";
    return true;
  } catch {
    return false;
  }
}
