import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import en from "../i18n/en.json";
import { answerCommands, renderApp } from "../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const SCREENS = [
  ["nav-setup", en.screens.setup.title],
  ["nav-doctor", en.screens.doctor.title],
  ["nav-relay", en.screens.relay.title],
  ["nav-cards", en.screens.cards.title],
  ["nav-quota", en.screens.quota.title],
  ["nav-notices", en.screens.notices.title],
  ["nav-settings", en.screens.settings.title],
] as const;

describe("navigation", () => {
  beforeEach(() => {
    answerCommands();
  });

  it("opens on the setup wizard", async () => {
    renderApp("/");
    expect((await screen.findByTestId("screen-title")).textContent).toBe(en.screens.setup.title);
  });

  it.each(SCREENS)("%s shows its screen and marks the link active", async (testId, title) => {
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(screen.getByTestId(testId));
    expect(screen.getByTestId("screen-title").textContent).toBe(title);
    expect(screen.getByTestId(testId).getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("screen-intro").textContent).not.toBe("");
  });

  it("jumps between screens with Alt+1..7 and shows the shortcut in the tooltip", async () => {
    renderApp("/setup");
    fireEvent.keyDown(window, { key: "5", code: "Digit5", altKey: true });
    expect((await screen.findByTestId("screen-title")).textContent).toBe(en.screens.quota.title);
    fireEvent.keyDown(window, { key: "6", code: "Digit6", altKey: true });
    expect(screen.getByTestId("screen-title").textContent).toBe(en.screens.notices.title);
    fireEvent.keyDown(window, { key: "7", code: "Digit7", altKey: true });
    expect(screen.getByTestId("screen-title").textContent).toBe(en.screens.settings.title);
    expect(screen.getByTestId("nav-doctor").getAttribute("title")).toBe("Doctor (Alt+2)");
  });

  it("reaches every nav link with the keyboard", async () => {
    const user = userEvent.setup();
    renderApp("/setup");
    await user.tab(); // skip link
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("nav-setup"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("nav-doctor"));
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("screen-title").textContent).toBe(en.screens.doctor.title);
  });

  it("starts every screen at the top, whatever was scrolled on the one before", async () => {
    const user = userEvent.setup();
    renderApp("/settings");
    const main = document.getElementById("main-content") as HTMLElement;
    main.scrollTop = 600;
    expect(main.scrollTop).toBe(600);
    await user.click(screen.getByTestId("nav-doctor"));
    expect(screen.getByTestId("screen-title").textContent).toBe(en.screens.doctor.title);
    expect(main.scrollTop).toBe(0);
  });

  it("shows the app version in the sidebar", async () => {
    renderApp("/setup");
    expect((await screen.findByText("Version 0.1.0")).getAttribute("data-testid")).toBe("sidebar-version");
  });
});
