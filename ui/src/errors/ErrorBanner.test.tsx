import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { openUrl } from "@tauri-apps/plugin-opener";
import { beforeEach, describe, expect, it, vi } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { NOT_IN_APP_MESSAGE } from "../api/invoke";
import { answerCommands, renderApp } from "../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const CONSOLE_LINK = "https://open.feishu.cn/app/cli_a1b2c3/baseinfo";

describe("error banner", () => {
  beforeEach(() => vi.mocked(openUrl).mockReset().mockResolvedValue(undefined));

  it("shows the message, the fix and a console link for an IpcError", async () => {
    answerCommands({
      get_settings: () => {
        throw {
          code: "storage",
          message: "database is locked",
          fix: { text: "Close the other copy of Lark Companion.", link: CONSOLE_LINK },
        };
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");

    const banner = await screen.findByTestId("error-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.textContent).toContain(en.errors.storage);
    expect(banner.textContent).toContain("database is locked");
    expect(within(banner).getByTestId("error-fix").textContent).toContain("Close the other copy of Lark Companion.");

    await user.click(within(banner).getByTestId("error-open-console"));
    expect(openUrl).toHaveBeenCalledWith(CONSOLE_LINK);
  });

  it("shows sane text for a plain string rejection", async () => {
    answerCommands({
      app_info: () => {
        throw "command app_info not allowed by capability";
      },
    });
    renderApp("/setup");

    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("command app_info not allowed by capability");
    expect(banner.textContent).toContain(en.errors.internal);
    expect(banner.textContent).not.toContain("[object Object]");
    expect(within(banner).queryByTestId("error-open-console")).toBeNull();
  });

  it("falls back to the message for a code without a translation", async () => {
    answerCommands({
      get_settings: () => {
        throw { code: "brand_new_code", message: "Something specific happened" };
      },
    });
    renderApp("/setup");
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("Something specific happened");
    expect(banner.textContent).toContain(en.errors.title);
  });

  it("reports a failed save from the Settings screen, in the chosen language", async () => {
    answerCommands({
      set_language: () => {
        throw { code: "storage", message: "disk full" };
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.selectOptions(await screen.findByTestId("language-select"), "zh-CN");

    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain(zhCN.errors.storage);
    expect(banner.textContent).toContain("disk full");
  });

  it("can be dismissed", async () => {
    answerCommands({
      get_settings: () => {
        throw "boom";
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("error-dismiss"));
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("renders the shell with defaults outside the app, and says why saving fails", async () => {
    Reflect.deleteProperty(window, "__TAURI_INTERNALS__");
    answerCommands();
    const user = userEvent.setup();
    renderApp("/settings");
    expect(screen.getByTestId("screen-title").textContent).toBe(en.screens.settings.title);
    expect(screen.getByTestId("browser-preview-note")).toBeTruthy();
    expect(screen.queryByTestId("error-banner")).toBeNull();

    await user.selectOptions(screen.getByTestId("theme-select"), "dark");
    expect((await screen.findByTestId("error-banner")).textContent).toContain(NOT_IN_APP_MESSAGE);
  });
});
