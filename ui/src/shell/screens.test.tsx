import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { DoctorScreen } from "../screens/DoctorScreen";
import { SetupScreen } from "../screens/SetupScreen";
import { answerCommands, renderApp } from "../test/renderApp";
import { SCREENS, screenPath } from "./screens";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

describe("the screens table", () => {
  it("lists the seven screens in sidebar order with Alt+1..7", () => {
    expect(SCREENS.map((s) => s.id)).toEqual(["setup", "doctor", "relay", "cards", "quota", "notices", "settings"]);
    expect(SCREENS.map((s) => s.shortcutDigit)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(SCREENS.map((s) => screenPath(s.id))).toEqual(["/setup", "/doctor", "/relay", "/cards", "/quota", "/notices", "/settings"]);
  });

  it.each(SCREENS.map((s) => [s.id] as const))("gives %s a route, a nav link, a title and an intro in both languages", async (id) => {
    answerCommands();
    renderApp(screenPath(id));
    expect((await screen.findByTestId("screen-title")).textContent).toBe(en.screens[id].title);
    expect(screen.getByTestId("screen-intro").textContent).toBe(en.screens[id].intro);
    const link = within(screen.getByRole("navigation", { name: en.shell.navigation })).getByTestId(`nav-${id}`);
    expect(link.getAttribute("href")).toBe(`#${screenPath(id)}`);
    expect(zhCN.screens[id].title).not.toBe("");
    expect(zhCN.screens[id].intro).not.toBe("");
  });

  it.each(["doctor", "relay", "cards", "quota", "notices"] as const)("says %s works only inside the app in a plain browser", async (id) => {
    Reflect.deleteProperty(window, "__TAURI_INTERNALS__");
    answerCommands();
    renderApp(screenPath(id));
    expect(await screen.findByTestId("not-in-app")).toBeTruthy();
  });

  it("keeps the old DoctorScreen and SetupScreen imports working", () => {
    expect(typeof DoctorScreen).toBe("function");
    expect(typeof SetupScreen).toBe("function");
  });
});
