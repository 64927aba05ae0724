import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorBanner } from "../errors/ErrorBanner";
import { ErrorProvider } from "../errors/ErrorContext";
import en from "../i18n/en.json";
import { problem } from "../test/fixtures";
import { CopyButton } from "./CopyButton";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

function renderButton(props: Parameters<typeof CopyButton>[0]) {
  return render(
    <ErrorProvider>
      <ErrorBanner />
      <CopyButton {...props} />
    </ErrorProvider>,
  );
}

describe("CopyButton", () => {
  beforeEach(() => {
    vi.mocked(invoke).mockReset().mockResolvedValue(undefined);
  });

  it("copies through the app and says Copied", async () => {
    const user = userEvent.setup();
    renderButton({ value: "cli_a1", testId: "copy", what: "App ID" });
    const button = screen.getByRole("button", { name: "Copy App ID" });
    await user.click(button);
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: "cli_a1", secret: false });
    expect(button.textContent).toBe(en.common.copied);
    expect(screen.queryByTestId("copy-note")).toBeNull();
  });

  it("copies a secret as a secret and says the clipboard clears in 30 s", async () => {
    const user = userEvent.setup();
    renderButton({ value: "s3cret", testId: "copy", what: "App Secret", secret: true });
    await user.click(screen.getByTestId("copy"));
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: "s3cret", secret: true });
    expect(screen.getByTestId("copy-note").textContent).toBe("Clipboard clears in 30 s");
  });

  it("copies a stored secret from the keychain without the webview ever holding it", async () => {
    const user = userEvent.setup();
    renderButton({ value: "", testId: "copy", what: "App Secret", profileSecret: { name: "Prod", kind: "appSecret" } });
    const button = screen.getByTestId("copy");
    expect(button).toHaveProperty("disabled", false);
    await user.click(button);
    expect(invoke).toHaveBeenCalledWith("copy_profile_secret", { name: "Prod", kind: "appSecret" });
    expect(screen.getByTestId("copy-note").textContent).toBe("Clipboard clears in 30 s");
  });

  it("is disabled with nothing to copy", () => {
    renderButton({ value: "", testId: "copy", what: "App ID" });
    expect(screen.getByTestId("copy")).toHaveProperty("disabled", true);
  });

  it("shows a refusal in the banner and does not claim it copied", async () => {
    vi.mocked(invoke).mockRejectedValue(problem("internal", "clipboard_failed", { detail: "clipboard unavailable" }));
    const user = userEvent.setup();
    renderButton({ value: "x", testId: "copy", what: "App ID" });
    await user.click(screen.getByTestId("copy"));
    expect((await screen.findByTestId("error-banner")).textContent).toContain("clipboard unavailable");
    expect(screen.getByTestId("copy").textContent).toBe(en.common.copy);
  });
});
