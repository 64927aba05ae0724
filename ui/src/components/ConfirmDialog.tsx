// A small modal confirmation: focus starts on Cancel, Tab stays inside, Escape cancels.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  busyLabel?: string;
  danger?: boolean;
  /** A second choice beside Confirm (e.g. "Stop the relay and quit"). */
  secondary?: { label: string; onClick: () => void; testId: string };
  /** The dialog's data-testid; its buttons' are `<testId>-cancel` and `<testId>-confirm`. */
  testId?: string;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  busyLabel,
  danger,
  secondary,
  testId = "confirm-dialog",
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const bodyId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => previous?.focus?.();
  }, []);

  // Escape cancels; Tab stays inside. A native listener on the dialog element: the dialog is
  // not a control, so it takes no React key handler.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "Escape") {
        event.stopPropagation();
        if (!busy) onCancel();
        return;
      }
      if (event.key !== "Tab" || !element) return;
      const focusable = Array.from(element.querySelectorAll<HTMLElement>("button:not([disabled])"));
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
    element.addEventListener("keydown", onKeyDown);
    return () => element.removeEventListener("keydown", onKeyDown);
  }, [busy, onCancel]);

  return (
    <div className="dialog-backdrop">
      <div
        ref={dialog}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        data-testid={testId}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div id={bodyId} className="dialog__body">
          {children}
        </div>
        <div className="dialog__actions">
          <button
            ref={cancel}
            type="button"
            className="button button--secondary"
            data-testid={`${testId}-cancel`}
            disabled={busy}
            onClick={onCancel}
          >
            {t("common.cancel")}
          </button>
          {secondary && (
            <button
              type="button"
              className="button button--secondary"
              data-testid={secondary.testId}
              disabled={busy}
              onClick={secondary.onClick}
            >
              {secondary.label}
            </button>
          )}
          <button
            type="button"
            className={danger ? "button button--danger" : "button"}
            data-testid={`${testId}-confirm`}
            aria-busy={busy}
            disabled={busy}
            onClick={onConfirm}
          >
            {busy ? (busyLabel ?? confirmLabel) : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
