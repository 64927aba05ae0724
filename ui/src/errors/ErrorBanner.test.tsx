import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { openUrl } from "@tauri-apps/plugin-opener";
import { beforeEach, describe, expect, it, vi } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { NOT_IN_APP_MESSAGE } from "../api/invoke";
import { answerCommands, renderApp } from "../test/renderApp";
import { problem, profile } from "../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const CONSOLE_LINK = "https://open.feishu.cn/app/cli_a1b2c3/baseinfo";
const KEYCHAIN_BUSY = problem("keychain_timeout", "keychain_timeout", { seconds: "10" }, { fix: { code: "keychain_busy" } });
const LOCKED = problem("storage", "database", { detail: "database is locked" }, { fix: { code: "data_folder", link: CONSOLE_LINK } });

describe("error banner", () => {
  beforeEach(() => vi.mocked(openUrl).mockReset().mockResolvedValue(undefined));

  it("shows the kind's summary, the sentence, the fix and a console link for a Problem", async () => {
    answerCommands({
      get_settings: () => {
        throw LOCKED;
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");

    const banner = await screen.findByTestId("error-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.dataset.errorCode).toBe("database");
    expect(banner.dataset.errorKind).toBe("storage");
    expect(banner.textContent).toContain(en.errors.storage);
    expect(within(banner).getByTestId("error-message").textContent).toBe("Database error: database is locked");
    expect(within(banner).getByTestId("error-fix").textContent).toContain(en.fixes.data_folder);

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

  it("falls back to the detail for a code without a translation", async () => {
    answerCommands({
      get_settings: () => {
        throw { code: "brand_new_code", kind: "brand_new_kind", params: { detail: "Something specific happened" } };
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
        throw problem("storage", "database", { detail: "disk full" });
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.selectOptions(await screen.findByTestId("language-select"), "zh-CN");

    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain(zhCN.errors.storage);
    expect(within(banner).getByTestId("error-message").textContent).toBe("数据库错误：disk full");
  });

  it.each([
    [KEYCHAIN_BUSY, en.errors.keychain_timeout, en.fixes.keychain_busy],
    [
      problem("keychain_unavailable", "keychain_unavailable", { detail: "no secret service" }, { fix: { code: "keychain_linux" } }),
      en.errors.keychain_unavailable,
      en.fixes.keychain_linux,
    ],
  ] as const)("says plainly what keychain problem %# means, with the fix", async (sent, summary, fix) => {
    answerCommands({
      list_profiles: () => {
        throw sent;
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
          throw KEYCHAIN_BUSY;
        },
      },
      { language: "zh-CN" },
    );
    renderApp("/settings");
    const banner = await screen.findByTestId("error-banner");
    await waitFor(() => expect(banner.textContent).toContain(zhCN.errors.keychain_timeout));
    expect(within(banner).getByTestId("error-message").textContent).toBe(zhCN.problems.keychain_timeout.replace("{{seconds}}", "10"));
    expect(within(banner).getByTestId("error-fix").textContent).toContain(zhCN.fixes.keychain_busy);
    expect(within(banner).getByTestId("error-keychain-retry").textContent).toBe(zhCN.errors.retry);
  });

  it("words a rejected command's problem in Chinese when the window is in Chinese", async () => {
    answerCommands(
      {
        list_profiles: () => [profile("Prod"), profile("Staging")],
        rename_profile: () => {
          throw problem("already_exists", "profile_exists", { name: "Prod" }, { fix: { code: "profile_rename" } });
        },
      },
      { language: "zh-CN" },
    );
    const user = userEvent.setup();
    renderApp("/settings");
    await user.click(await screen.findByTestId("profile-rename-Staging"));
    await user.type(screen.getByTestId("profile-rename-input-Staging"), "{Control>}a{/Control}Prod{Enter}");

    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.errorCode).toBe("profile_exists");
    expect(banner.textContent).toContain(zhCN.errors.already_exists);
    expect(within(banner).getByTestId("error-message").textContent).toBe("名为“Prod”的配置档已存在。");
    expect(within(banner).getByTestId("error-fix").textContent).toContain(zhCN.fixes.profile_rename);
    expect(banner.textContent).not.toContain("already exists");
  });

  it("retries the keychain, then drops the keychain errors and reloads the screen", async () => {
    let keychainUp = false;
    const invoke = answerCommands({
      list_profiles: () => {
        if (!keychainUp) throw KEYCHAIN_BUSY;
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
        throw KEYCHAIN_BUSY;
      },
      keychain_status: () => {
        throw problem("keychain_unavailable", "keychain_unavailable", { detail: "no secret service" }, { fix: { code: "keychain_linux" } });
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
        throw KEYCHAIN_BUSY;
      },
      sandbox_status: () => {
        throw { ...KEYCHAIN_BUSY };
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
