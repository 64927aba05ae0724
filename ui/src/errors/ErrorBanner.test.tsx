import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { openUrl } from "@tauri-apps/plugin-opener";
import { beforeEach, describe, expect, it, vi } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { NOT_IN_APP_MESSAGE } from "../api/invoke";
import { answerCommands, renderApp } from "../test/renderApp";
import { profile } from "../test/fixtures";

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

  it.each([
    ["keychain_timeout", en.errors.keychain_timeout, en.errors.keychainFix.keychain_timeout],
    ["keychain_unavailable", en.errors.keychain_unavailable, en.errors.keychainFix.keychain_unavailable],
  ] as const)("says plainly what %s means, with the fix", async (code, summary, fix) => {
    answerCommands({
      list_profiles: () => {
        throw { code, message: "secret service: no reply" };
      },
    });
    renderApp("/settings");
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain(summary);
    expect(within(banner).getByTestId("error-fix").textContent).toContain(fix);
    expect(within(banner).getByTestId("error-keychain-retry").textContent).toBe(en.errors.retry);
  });

  it("says it in Chinese too", async () => {
    answerCommands(
      {
        list_profiles: () => {
          throw { code: "keychain_timeout", message: "secret service: no reply" };
        },
      },
      { language: "zh-CN" },
    );
    renderApp("/settings");
    const banner = await screen.findByTestId("error-banner");
    await waitFor(() => expect(banner.textContent).toContain(zhCN.errors.keychain_timeout));
    expect(banner.textContent).toContain(zhCN.errors.keychainFix.keychain_timeout);
    expect(within(banner).getByTestId("error-keychain-retry").textContent).toBe(zhCN.errors.retry);
  });

  it("retries the keychain, then drops the keychain errors and reloads the screen", async () => {
    let keychainUp = false;
    const invoke = answerCommands({
      list_profiles: () => {
        if (!keychainUp) throw { code: "keychain_timeout", message: "secret service: no reply" };
        return [profile("Prod")];
      },
      keychain_status: () => {
        keychainUp = true;
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.click(await screen.findByTestId("error-keychain-retry"));

    expect(invoke).toHaveBeenCalledWith("keychain_status", undefined);
    expect(await screen.findByTestId("profile-row-Prod")).toBeTruthy();
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("keeps saying so when the keychain still does not answer", async () => {
    answerCommands({
      list_profiles: () => {
        throw { code: "keychain_timeout", message: "secret service: no reply" };
      },
      keychain_status: () => {
        throw { code: "keychain_unavailable", message: "no secret service" };
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.click(await screen.findByTestId("error-keychain-retry"));
    await waitFor(() => expect(screen.getByTestId("error-banner").textContent).toContain(en.errors.keychain_unavailable));
    expect(screen.getAllByTestId("error-banner")).toHaveLength(1);
  });

  it("shows the same problem once when several loads hit it", async () => {
    answerCommands({
      list_profiles: () => {
        throw { code: "keychain_timeout", message: "secret service: no reply" };
      },
      sandbox_status: () => {
        throw { code: "keychain_timeout", message: "secret service: no reply" };
      },
    });
    renderApp("/settings");
    await screen.findByTestId("error-banner");
    await waitFor(() => expect(screen.getAllByTestId("error-banner")).toHaveLength(1));
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
