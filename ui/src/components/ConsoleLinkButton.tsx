import { openConsoleLink } from "../api/openConsoleLink";
import { useErrors } from "../errors/ErrorContext";

interface ConsoleLinkButtonProps {
  link: string;
  label: string;
  testId: string;
  /** A longer accessible name when several such buttons share a label; must contain `label`. */
  ariaLabel?: string;
  primary?: boolean;
  disabled?: boolean;
}

/** Opens a developer-console page in the system browser; a refusal goes to the error banner. */
export function ConsoleLinkButton({ link, label, testId, ariaLabel, primary, disabled }: ConsoleLinkButtonProps) {
  const { show } = useErrors();
  return (
    <button
      type="button"
      className={primary ? "button" : "button button--secondary"}
      data-testid={testId}
      title={link}
      aria-label={ariaLabel}
      disabled={disabled}
      onClick={() => openConsoleLink(link).catch(show)}
    >
      {label}
      <span className="button__external" aria-hidden="true">
        ↗
      </span>
    </button>
  );
}
