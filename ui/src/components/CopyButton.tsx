// Copies a value (through the Rust side, see lib/clipboard.ts). For a secret, the clipboard is
// cleared again after 30 s (if it still holds the secret) and a small note says so.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SecretKind } from "../bindings/SecretKind";
import { copyProfileSecret, copySecret, copyText, SECRET_CLEAR_MS } from "../lib/clipboard";
import { useErrors } from "../errors/ErrorContext";

interface CopyButtonProps {
  value: string;
  testId: string;
  /** What is copied, for the accessible name ("Copy App ID"). */
  what: string;
  secret?: boolean;
  /** Copy this profile's stored secret from the keychain instead of `value` (the webview never holds it). */
  profileSecret?: { name: string; kind: SecretKind };
}

export function CopyButton({ value, testId, what, secret, profileSecret }: CopyButtonProps) {
  const { t } = useTranslation();
  const { show } = useErrors();
  const [copied, setCopied] = useState(false);
  const [clearing, setClearing] = useState(false);
  const timers = useRef<number[]>([]);
  const isSecret = Boolean(secret || profileSecret);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((id) => window.clearTimeout(id));
  }, []);

  function after(ms: number, action: () => void) {
    timers.current.push(window.setTimeout(action, ms));
  }

  async function copy() {
    try {
      if (profileSecret) await copyProfileSecret(profileSecret.name, profileSecret.kind);
      else if (secret) await copySecret(value);
      else await copyText(value);
    } catch (error) {
      show(error);
      return;
    }
    setCopied(true);
    after(1500, () => setCopied(false));
    if (isSecret) {
      setClearing(true);
      after(SECRET_CLEAR_MS, () => setClearing(false));
    }
  }

  return (
    <span className="copy-button">
      <button
        type="button"
        className="button button--secondary button--small"
        data-testid={testId}
        aria-label={t("common.copyWhat", { what })}
        disabled={!value && !profileSecret}
        onClick={() => void copy()}
      >
        {copied ? t("common.copied") : t("common.copy")}
      </button>
      {isSecret && clearing && (
        <span className="copy-button__note" data-testid={`${testId}-note`} role="status">
          {t("common.clipboardClears", { seconds: SECRET_CLEAR_MS / 1000 })}
        </span>
      )}
    </span>
  );
}
