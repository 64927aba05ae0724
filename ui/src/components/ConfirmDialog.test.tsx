import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ConfirmDialog } from "./ConfirmDialog";

function renderDialog(busy = false) {
  const onCancel = vi.fn();
  const onConfirm = vi.fn();
  render(
    <ConfirmDialog title="Delete Prod?" confirmLabel="Delete" onConfirm={onConfirm} onCancel={onCancel} busy={busy}>
      <p>This cannot be undone.</p>
    </ConfirmDialog>,
  );
  return { onCancel, onConfirm };
}

describe("ConfirmDialog", () => {
  it("starts on Cancel and keeps Tab inside the dialog", async () => {
    const user = userEvent.setup();
    renderDialog();
    expect(document.activeElement).toBe(screen.getByTestId("confirm-dialog-cancel"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("confirm-dialog-confirm"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("confirm-dialog-cancel"));
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByTestId("confirm-dialog-confirm"));
  });

  it("cancels with Escape", async () => {
    const user = userEvent.setup();
    const { onCancel } = renderDialog();
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it("confirms with Enter on the confirm button", async () => {
    const user = userEvent.setup();
    const { onConfirm } = renderDialog();
    await user.tab();
    await user.keyboard("{Enter}");
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
