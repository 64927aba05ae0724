// Opens a developer-console page in the system browser. On a machine where no browser can be
// opened (gio/xdg-open fails), it says so and shows the address with a Copy button instead.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { openConsoleLink } from "../api/openConsoleLink";
import { CopyButton } from "./CopyButton";

interface ConsoleLinkButtonProps {
  link: string;
  label: string;
  testId: string;
  /** A longer accessible name when several such buttons share a label; must contain `label`. */
  ariaLabel?: string;
  primary?: boolean;
  disabled?: boolean;
}

export function ConsoleLinkButton({ link, label, testId, ariaLabel, primary, disabled }: ConsoleLinkButtonProps) {
  const [failed, setFailed] = useState(false);
  return (
    <span className="console-link">
      <button
        type="button"
        className={primary ? "button" : "button button--secondary"}
        data-testid={testId}
        title={link}
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => {
          setFailed(false);
          openConsoleLink(link).catch(() => setFailed(true));
        }}
      >
        {label}
        <span className="button__external" aria-hidden="true">
          ↗
        </span>
      </button>
      {failed && <LinkFallback link={link} testId={testId} />}
    </span>
  );
}

/** "No browser could be opened": the address to open elsewhere, and a Copy button. */
export function LinkFallback({ link, testId }: { link: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <span className="console-link__fallback" role="status" data-testid={`${testId}-fallback`}>
      <span>{t("links.noBrowser")}</span>
      <code className="console-link__address" data-testid={`${testId}-address`}>
        {link}
      </code>
      <CopyButton value={link} testId={`${testId}-copy`} what={t("links.address")} />
    </span>
  );
}
