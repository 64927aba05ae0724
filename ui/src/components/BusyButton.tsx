import type { ReactNode } from "react";

interface BusyButtonProps {
  busy: boolean;
  /** What the button says while its call runs, e.g. "Checking…". */
  busyLabel: string;
  children: ReactNode;
  testId: string;
  onClick: () => void;
  disabled?: boolean;
  secondary?: boolean;
  type?: "button" | "submit";
}

/** A button that shows a spinner and a progress label, and cannot be pressed twice, while its call runs. */
export function BusyButton({ busy, busyLabel, children, testId, onClick, disabled, secondary, type = "button" }: BusyButtonProps) {
  return (
    <button
      type={type}
      className={secondary ? "button button--secondary" : "button"}
      data-testid={testId}
      data-busy={busy ? "true" : undefined}
      aria-busy={busy}
      disabled={busy || disabled}
      onClick={type === "button" ? onClick : undefined}
    >
      {busy && <Spinner />}
      {busy ? busyLabel : children}
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role={label ? "status" : undefined} aria-label={label} aria-hidden={label ? undefined : true} />;
}
