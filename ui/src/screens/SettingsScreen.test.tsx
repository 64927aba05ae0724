import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
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

    await user.selectOptions(select, "system");
    expect(document.documentElement.dataset.theme).toBeUndefined();
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
