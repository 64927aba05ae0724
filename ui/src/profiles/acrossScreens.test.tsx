// The current profile is one choice for every screen: picked on one screen, the others open on it.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { guide, profile } from "../test/fixtures";
import { callsOf } from "../test/invokeMock";
import { answerCommands, renderApp } from "../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const selectValue = async (testId: string) => ((await screen.findByTestId(testId)) as HTMLSelectElement).value;

describe("the current profile across screens", () => {
  beforeEach(() => {
    window.localStorage.clear();
    answerCommands({
      list_profiles: () => [profile("Prod"), profile("Staging")],
      doctor_history: () => [],
      get_wizard_progress: () => ({ currentStep: null, steps: {}, confirmed: [] }),
      setup_guide: () => guide(),
      relay_list: () => [],
      relay_saved_settings: () => ({
        settings: { port: 9400, listenAll: false, mode: "transparent", cardBudgetMs: 2500, maxSkewSecs: 300, retention: 10000 },
        bind: null,
        lastCopiedUrl: null,
      }),
    });
  });

  it("is chosen on one screen and shown by every other, and a choice in Setup comes back to Doctor", async () => {
    const user = userEvent.setup();
    renderApp("/doctor");
    expect(await selectValue("doctor-profile-select")).toBe("Prod");
    await user.selectOptions(screen.getByTestId("doctor-profile-select"), "Staging");
    await waitFor(() => expect(callsOf("doctor_history")).toContainEqual({ name: "Staging" }));

    await user.click(screen.getByTestId("nav-quota"));
    expect(await selectValue("quota-profile-select")).toBe("Staging");
    await user.click(screen.getByTestId("nav-relay"));
    expect(await selectValue("relay-profile-select")).toBe("Staging");
    await user.click(screen.getByTestId("nav-cards"));
    expect(await selectValue("send-profile")).toBe("Staging");
    await user.click(screen.getByTestId("nav-setup"));
    expect(await selectValue("setup-profile-select")).toBe("Staging");

    await user.selectOptions(screen.getByTestId("setup-profile-select"), "Prod");
    await user.click(screen.getByTestId("nav-doctor"));
    expect(await selectValue("doctor-profile-select")).toBe("Prod");
    // Remembered for the next start too.
    expect(window.localStorage.getItem("lark-companion.lastProfile")).toBe("Prod");
  });
});
