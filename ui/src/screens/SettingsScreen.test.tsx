import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { WizardProgress } from "../bindings/WizardProgress";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { readFileText } from "../lib/download";
import { APP_ID, guide, problem, profile } from "../test/fixtures";
import { answerCommands, renderApp, SAMPLE_INFO } from "../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

describe("settings screen", () => {
  it("switches the visible language to 简体中文 and saves the choice", async () => {
    const invoke = answerCommands();
    const user = userEvent.setup();
    renderApp("/settings");
    expect((await screen.findByTestId("screen-title")).textContent).toBe(en.screens.settings.title);

    await user.selectOptions(screen.getByTestId("language-select"), "zh-CN");

    await waitFor(() => expect(screen.getByTestId("screen-title").textContent).toBe(zhCN.screens.settings.title));
    expect(screen.getByTestId("nav-setup").textContent).toContain(zhCN.nav.setup);
    expect(screen.getByText(zhCN.settings.about.dataDir)).toBeTruthy();
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(invoke).toHaveBeenCalledWith("set_language", { language: "zh-CN" });
  });

  it("sends null for 'Follow system'", async () => {
    const invoke = answerCommands({}, { language: "en" });
    const user = userEvent.setup();
    renderApp("/settings");
    await waitFor(() =>
      expect((screen.getByTestId("language-select") as HTMLSelectElement).value).toBe("en"),
    );
    await user.selectOptions(screen.getByTestId("language-select"), "system");
    expect(invoke).toHaveBeenCalledWith("set_language", { language: null });
  });

  it("applies the stored language on start", async () => {
    answerCommands({}, { language: "zh-CN" });
    renderApp("/doctor");
    await waitFor(() => expect(screen.getByTestId("screen-title").textContent).toBe(zhCN.screens.doctor.title));
  });

  it("offers English, 简体中文 and Follow system", async () => {
    answerCommands();
    renderApp("/settings");
    const options = Array.from((await screen.findByTestId("language-select")).querySelectorAll("option"));
    expect(options.map((o) => o.textContent)).toEqual(["Follow system", "English", "简体中文"]);
  });

  it("forces a theme on <html> and saves it; System follows the OS again", async () => {
    const invoke = answerCommands();
    const user = userEvent.setup();
    renderApp("/settings");
    const select = await screen.findByTestId("theme-select");

    await user.selectOptions(select, "dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(invoke).toHaveBeenCalledWith("set_theme", { theme: "dark" });

    // System: the OS scheme, resolved in script (this test's OS has no dark preference).
    await user.selectOptions(select, "system");
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(invoke).toHaveBeenCalledWith("set_theme", { theme: "system" });
  });

  it("applies the stored theme on start", async () => {
    answerCommands({}, { theme: "light" });
    renderApp("/settings");
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("light"));
  });

  it("shows version, data folder, log folder and database version", async () => {
    answerCommands();
    renderApp("/settings");
    expect((await screen.findByTestId("about-version")).textContent).toBe(SAMPLE_INFO.version);
    expect(screen.getByTestId("about-data-dir").textContent).toBe(SAMPLE_INFO.dataDir);
    expect(screen.getByTestId("about-log-dir").textContent).toBe(SAMPLE_INFO.logDir);
    expect(screen.getByTestId("about-database-version").textContent).toBe("1");
  });
});

describe("settings: proxy", () => {
  it("no longer lists features for a later version", async () => {
    answerCommands();
    renderApp("/settings");
    await screen.findByTestId("proxy-input");
    expect(screen.queryByTestId("coming-later")).toBeNull();
    expect(document.body.textContent).not.toContain("Coming in a later version");
  });

  it("shows the stored proxy and saves a new one", async () => {
    const invoke = answerCommands({}, { proxy: "http://proxy.corp:3128" });
    const user = userEvent.setup();
    renderApp("/settings");
    const input = (await screen.findByTestId("proxy-input")) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe("http://proxy.corp:3128"));

    await user.clear(input);
    await user.type(input, " http://127.0.0.1:3128 ");
    await user.click(screen.getByTestId("proxy-save"));
    expect(invoke).toHaveBeenCalledWith("set_proxy", { proxy: "http://127.0.0.1:3128" });
    expect((await screen.findByTestId("proxy-saved")).textContent).toBe(en.settings.proxy.saved);
  });

  it("saves an empty field as null: use the system's proxy", async () => {
    const invoke = answerCommands({}, { proxy: "http://proxy.corp:3128" });
    const user = userEvent.setup();
    renderApp("/settings");
    const input = await screen.findByTestId("proxy-input");
    await waitFor(() => expect((input as HTMLInputElement).value).not.toBe(""));
    await user.clear(input);
    await user.keyboard("{Enter}");
    expect(invoke).toHaveBeenCalledWith("set_proxy", { proxy: null });
  });

  it("shows a refused URL next to the field, not in the banner", async () => {
    answerCommands({
      set_proxy: () => {
        throw problem("invalid_input", "proxy_scheme", {}, { field: "proxy" });
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.type(await screen.findByTestId("proxy-input"), "ftp://x");
    await user.click(screen.getByTestId("proxy-save"));
    expect((await screen.findByTestId("proxy-error")).textContent).toBe(en.problems.proxy_scheme);
    expect(screen.getByTestId("proxy-input").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(screen.queryByTestId("proxy-saved")).toBeNull();
  });

  it("words a refused URL under the field in Chinese", async () => {
    answerCommands(
      {
        set_proxy: () => {
          throw problem("invalid_input", "proxy_credentials", {}, { field: "proxy" });
        },
      },
      { language: "zh-CN" },
    );
    const user = userEvent.setup();
    renderApp("/settings");
    await user.type(await screen.findByTestId("proxy-input"), "http://user:pw@proxy:3128");
    await user.click(screen.getByTestId("proxy-save"));
    expect((await screen.findByTestId("proxy-error")).textContent).toBe(zhCN.problems.proxy_credentials);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("labels the proxy field in Chinese", async () => {
    answerCommands({}, { language: "zh-CN" });
    renderApp("/settings");
    await waitFor(() => expect(screen.getByText(zhCN.settings.proxy.label)).toBeTruthy());
    expect(screen.getByTestId("proxy-save").textContent).toBe(zhCN.settings.proxy.save);
  });
});

describe("settings: profiles", () => {
  function withProfiles(overrides: Parameters<typeof answerCommands>[0] = {}) {
    let profiles = [profile("Prod"), profile("Staging", { platform: { kind: "lark" }, secrets: { appSecret: false, verificationToken: false, encryptKey: false } })];
    const invoke = answerCommands({
      list_profiles: () => profiles,
      rename_profile: (args) => {
        profiles = profiles.map((p) => (p.name === args?.name ? { ...p, name: String(args?.newName) } : p));
      },
      delete_profile: (args) => {
        profiles = profiles.filter((p) => p.name !== args?.name);
      },
      ...overrides,
    });
    return invoke;
  }

  it("lists each profile with its platform, App ID and which secrets are stored", async () => {
    withProfiles();
    renderApp("/settings");
    const prod = await screen.findByTestId("profile-row-Prod");
    expect(prod.textContent).toContain(en.profiles.platform.feishu);
    expect(prod.textContent).toContain(APP_ID);
    expect(screen.getByTestId("profile-secret-Prod-appSecret").dataset.present).toBe("true");
    expect(screen.getByTestId("profile-secret-Prod-encryptKey").dataset.present).toBe("false");
    expect(screen.getByTestId("profile-secret-Prod-encryptKey").textContent).toContain(en.settings.profiles.missing);
    expect(screen.getByTestId("profile-row-Staging").textContent).toContain(en.profiles.platform.lark);
  });

  it("renames inline: Enter saves, Escape cancels", async () => {
    const invoke = withProfiles();
    const user = userEvent.setup();
    renderApp("/settings");

    await user.click(await screen.findByTestId("profile-rename-Staging"));
    const cancelled = screen.getByTestId("profile-rename-input-Staging");
    expect(document.activeElement).toBe(cancelled);
    await user.type(cancelled, "-old{Escape}");
    expect(screen.queryByTestId("profile-rename-input-Staging")).toBeNull();
    expect(invoke).not.toHaveBeenCalledWith("rename_profile", expect.anything());

    await user.click(screen.getByTestId("profile-rename-Prod"));
    const input = screen.getByTestId("profile-rename-input-Prod");
    await user.clear(input);
    await user.type(input, "Production{Enter}");
    expect(await screen.findByTestId("profile-row-Production")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("rename_profile", { name: "Prod", newName: "Production" });
    expect(screen.getByTestId("profiles-notice").textContent).toContain("Production");
  });

  it("shows a refused new name under the field", async () => {
    withProfiles({
      rename_profile: () => {
        throw problem("invalid_input", "profile_name_too_long", { max: "64" }, { field: "name" });
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.click(await screen.findByTestId("profile-rename-Prod"));
    await user.type(screen.getByTestId("profile-rename-input-Prod"), "x{Enter}");
    expect((await screen.findByTestId("profile-rename-error-Prod")).textContent).toBe(
      "A profile name can have at most 64 characters.",
    );
  });

  it("deletes only after a confirmation that names the keychain entries", async () => {
    const invoke = withProfiles();
    const user = userEvent.setup();
    renderApp("/settings");

    await user.click(await screen.findByTestId("profile-delete-Prod"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog.getAttribute("role")).toBe("alertdialog");
    expect(within(dialog).getByTestId("confirm-dialog-text").textContent).toContain("deleted from the OS keychain too");
    expect(document.activeElement).toBe(within(dialog).getByTestId("confirm-dialog-cancel"));
    await user.click(within(dialog).getByTestId("confirm-dialog-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(invoke).not.toHaveBeenCalledWith("delete_profile", expect.anything());

    await user.click(screen.getByTestId("profile-delete-Prod"));
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();

    await user.click(screen.getByTestId("profile-delete-Prod"));
    await user.click(screen.getByTestId("confirm-dialog-confirm"));
    await waitFor(() => expect(screen.queryByTestId("profile-row-Prod")).toBeNull());
    expect(invoke).toHaveBeenCalledWith("delete_profile", { name: "Prod" });
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });

  it("imports a file and says which secrets to enter for each profile", async () => {
    let imported = false;
    let progress: WizardProgress = { currentStep: null, steps: {}, confirmed: [] };
    const invoke = withProfiles({
      list_profiles: () => [profile("Prod"), ...(imported ? [profile("Imported"), profile("Bare")] : [])],
      get_wizard_progress: () => progress,
      set_wizard_progress: (args) => {
        progress = args?.progress as WizardProgress;
      },
      setup_guide: () => guide(),
      import_profiles: () => {
        imported = true;
        return {
          profiles: [
            { name: "Imported", secretsToEnter: ["appSecret", "verificationToken"] },
            { name: "Bare", secretsToEnter: [] },
          ],
        };
      },
    });
    const user = userEvent.setup();
    renderApp("/settings");
    const text = JSON.stringify({ version: 1, profiles: [] });
    await user.upload(await screen.findByTestId("profiles-import-file"), new File([text], "profiles.json", { type: "application/json" }));

    const report = await screen.findByTestId("import-report");
    expect(invoke).toHaveBeenCalledWith("import_profiles", { text });
    expect(within(report).getByTestId("import-report-Imported").textContent).toContain("enter App Secret, Verification Token.");
    expect(within(report).getByTestId("import-report-Bare").textContent).toContain(en.settings.profiles.nothingToEnter);

    await user.click(within(report).getByTestId("import-enter-secrets-Imported"));
    await waitFor(() => expect(screen.getByTestId("screen-title").textContent).toBe(en.screens.setup.title));
    expect(invoke).toHaveBeenCalledWith("set_wizard_progress", {
      name: "Imported",
      progress: { currentStep: "credentials", steps: {}, confirmed: [] },
    });
    expect(await screen.findByTestId("step-credentials")).toBeTruthy();
    expect((screen.getByTestId("setup-profile-select") as HTMLSelectElement).value).toBe("Imported");
  });

  it("exports to a JSON file through a download link", async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return "blob:profiles";
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    withProfiles({ export_profiles: () => '{"version":1,"profiles":[]}' });
    const user = userEvent.setup();
    renderApp("/settings");
    await user.click(await screen.findByTestId("profiles-export"));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(await readFileText(created[0] as Blob)).toBe('{"version":1,"profiles":[]}');
    expect(screen.getByTestId("profiles-notice").textContent).toContain("lark-companion-profiles.json");
    click.mockRestore();
  });

  it("shows the profile panel in Chinese", async () => {
    answerCommands({ list_profiles: () => [profile("Prod")] }, { language: "zh-CN" });
    renderApp("/settings");
    await waitFor(() => expect(screen.getByTestId("profiles-panel").textContent).toContain(zhCN.settings.profiles.title));
    expect((await screen.findByTestId("profile-delete-Prod")).textContent).toBe(zhCN.settings.profiles.delete);
  });
});

describe("settings: in the background", () => {
  it("saves what closing the window does, and turns start at login on and off", async () => {
    const invoke = answerCommands({}, { loginRelay: "Prod" });
    const user = userEvent.setup();
    renderApp("/settings");
    const ask = (await screen.findByTestId("close-action-ask")) as HTMLInputElement;
    expect(ask.checked).toBe(true);
    await user.click(screen.getByTestId("close-action-quit"));
    expect(invoke).toHaveBeenCalledWith("set_close_action", { action: "quit" });
    await waitFor(() => expect((screen.getByTestId("close-action-quit") as HTMLInputElement).checked).toBe(true));

    const toggle = screen.getByTestId("autostart-toggle") as HTMLInputElement;
    await waitFor(() => expect(toggle.disabled).toBe(false));
    expect(toggle.checked).toBe(false);
    await user.click(toggle);
    expect(invoke).toHaveBeenCalledWith("set_autostart", { enabled: true });
    await waitFor(() => expect(toggle.checked).toBe(true));
    await user.click(toggle);
    expect(invoke).toHaveBeenCalledWith("set_autostart", { enabled: false });
    await waitFor(() => expect(toggle.checked).toBe(false));
    expect(screen.getByTestId("login-relay").textContent).toContain("Prod");
  });
});
