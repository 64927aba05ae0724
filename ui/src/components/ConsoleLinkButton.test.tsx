import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { invoke } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorBanner } from "../errors/ErrorBanner";
import { ErrorProvider } from "../errors/ErrorContext";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import i18n from "../i18n";
import { ConsoleLinkButton } from "./ConsoleLinkButton";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const LINK = "https://open.feishu.cn/app/cli_a1/bot";

function renderLink() {
  return render(
    <ErrorProvider>
      <ErrorBanner />
      <ConsoleLinkButton link={LINK} label="Open Bot" testId="open-bot" />
    </ErrorProvider>,
  );
}

describe("ConsoleLinkButton", () => {
  beforeEach(() => {
    vi.mocked(openUrl).mockReset().mockResolvedValue(undefined);
    vi.mocked(invoke).mockReset().mockResolvedValue(undefined);
  });

  it("opens the page in the browser", async () => {
    const user = userEvent.setup();
    renderLink();
    await user.click(screen.getByTestId("open-bot"));
    expect(openUrl).toHaveBeenCalledWith(LINK);
    expect(screen.queryByTestId("open-bot-fallback")).toBeNull();
  });

  it("without a browser, says so and offers the address to copy instead of an internal error", async () => {
    vi.mocked(openUrl).mockRejectedValue("Failed to open URL: gio open failed: Operation not supported");
    const user = userEvent.setup();
    renderLink();
    await user.click(screen.getByTestId("open-bot"));

    const fallback = await screen.findByTestId("open-bot-fallback");
    expect(fallback.textContent).toContain(en.links.noBrowser);
    expect(within(fallback).getByTestId("open-bot-address").textContent).toBe(LINK);
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(document.body.textContent).not.toContain(en.errors.internal);

    await user.click(within(fallback).getByTestId("open-bot-copy"));
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: LINK, secret: false });
  });

  it("says it in Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    vi.mocked(openUrl).mockRejectedValue("gio open failed");
    const user = userEvent.setup();
    renderLink();
    await user.click(screen.getByTestId("open-bot"));
    expect((await screen.findByTestId("open-bot-fallback")).textContent).toContain(zhCN.links.noBrowser);
  });
});
