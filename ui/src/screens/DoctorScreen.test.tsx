import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { DoctorRun } from "../bindings/DoctorRun";
import { CHECK_ORDER } from "../checks/checkIds";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { APP_ID, outcome, profile } from "../test/fixtures";
import { answerCommands, renderApp } from "../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const RAN_AT = "2026-11-20T11:00:00Z";

/** Twelve outcomes, handed over out of order: 8 pass, 1 fail, 3 unknown. */
function twelveOutcomes(): CheckOutcome[] {
  const list = CHECK_ORDER.map((id) => outcome(id, "pass", "tokenIssued"));
  list[4] = outcome("bot", "fail", "botDisabled", {
    fix: { text: "Turn on Features > Bot.", link: `https://open.feishu.cn/app/${APP_ID}/bot` },
  });
  list[3] = outcome("webApp", "unknown", "webAppNotVisible", { params: { url: "https://x.test/web" } });
  list[5] = outcome("redirectUrl", "unknown", "redirectUrlNotVisible", { params: { url: "https://x.test/r" } });
  list[11] = outcome("availability", "unknown", "availabilityNotVisible");
  return [...list].reverse();
}

/** A history record; without a finding it stands for a run recorded before findings were kept. */
const record = (checkId: string, status: "pass" | "fail" | "unknown", runAt: string, finding: string | null = null) => ({
  checkId,
  status,
  finding,
  params: {},
  reason: `${checkId} was ${status}`,
  runAt,
});

function history(): DoctorRun[] {
  const older = "2026-11-19T09:30:00Z";
  return [
    {
      ranAt: RAN_AT,
      passed: 1,
      failed: 1,
      unknown: 0,
      skipped: 0,
      records: [record("credentials", "pass", RAN_AT), record("bot", "fail", RAN_AT, "botDisabled")],
    },
    {
      ranAt: older,
      passed: 2,
      failed: 0,
      unknown: 0,
      skipped: 0,
      records: [record("credentials", "pass", older), record("bot", "pass", older)],
    },
  ];
}

describe("doctor screen", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it("runs every check and shows the 12 outcomes in order with a summary", async () => {
    let runs: DoctorRun[] = [];
    const invoke = answerCommands({
      list_profiles: () => [profile("Prod")],
      doctor_history: () => runs,
      run_doctor: () => {
        runs = history();
        return { profile: "Prod", ranAt: RAN_AT, outcomes: twelveOutcomes() };
      },
    });
    const user = userEvent.setup();
    renderApp("/doctor");

    expect(await screen.findByTestId("doctor-history-empty")).toBeTruthy();
    await user.click(screen.getByTestId("doctor-run"));

    const summary = await screen.findByTestId("doctor-summary");
    expect(summary.textContent).toBe("8 passed, 1 failed, 3 not checkable by API");
    expect(invoke).toHaveBeenCalledWith("run_doctor", { name: "Prod", testChat: null });
    const shown = screen.getAllByTestId(/^doctor-outcome-/).map((el) => el.dataset.testid?.replace("doctor-outcome-", ""));
    expect(shown).toEqual([...CHECK_ORDER]);

    const bot = screen.getByTestId("doctor-outcome-bot");
    expect(bot.dataset.status).toBe("fail");
    expect(within(bot).getByTestId("doctor-reason-bot").textContent).toBe(en.checks.findings.botDisabled);
    expect(within(bot).getByTestId("doctor-fix-bot").textContent).toContain("Turn on Features > Bot.");
    expect(within(bot).getByTestId("doctor-fix-link-bot")).toBeTruthy();
    expect(within(screen.getByTestId("doctor-outcome-webApp")).getByTestId("doctor-reason-webApp").textContent).toContain(
      "https://x.test/web",
    );

    // The history reloads after the run.
    expect(await screen.findByTestId("doctor-history-run-0")).toBeTruthy();
  });

  it("lists earlier runs with localized times and counts, expandable to their records", async () => {
    answerCommands({
      list_profiles: () => [profile("Prod")],
      doctor_history: () => history(),
    });
    const user = userEvent.setup();
    renderApp("/doctor");

    const list = await screen.findByTestId("doctor-history");
    const newest = await within(list).findByTestId("doctor-history-run-0");
    const expected = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(RAN_AT));
    expect(within(newest).getByTestId("doctor-history-time-0").textContent).toBe(expected);
    expect(within(newest).getByTestId("doctor-history-counts-0").textContent).toBe("1 passed · 1 failed · 0 not checkable");
    expect(within(newest).getByTestId("doctor-history-broke-0").textContent).toContain(en.checks.titles.bot);
    expect(within(list).queryByTestId("doctor-history-broke-1")).toBeNull();

    const toggle = within(newest).getByTestId("doctor-history-toggle-0");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await user.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const records = screen.getByTestId("doctor-history-records-0");
    expect(within(records).getByTestId("doctor-history-record-0-bot").textContent).toContain(en.checks.findings.botDisabled);
    expect(within(records).getByTestId("doctor-history-record-0-credentials").textContent).toContain("credentials was pass");
  });

  it("sends the test card to the chosen group", async () => {
    const invoke = answerCommands({
      list_profiles: () => [profile("Prod")],
      doctor_history: () => [],
      list_bot_chats: () => [{ chatId: "oc_ops", name: "Ops", description: "" }],
      run_doctor: () => ({ profile: "Prod", ranAt: RAN_AT, outcomes: twelveOutcomes() }),
    });
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-load-chats"));
    await user.click(await screen.findByTestId("doctor-chat-option-oc_ops"));
    await user.click(screen.getByTestId("doctor-run"));
    await screen.findByTestId("doctor-summary");
    expect(invoke).toHaveBeenCalledWith("run_doctor", { name: "Prod", testChat: "oc_ops" });
  });

  it("shows the times in Chinese when the language is Chinese", async () => {
    answerCommands({ list_profiles: () => [profile("Prod")], doctor_history: () => history() }, { language: "zh-CN" });
    renderApp("/doctor");
    await waitFor(() => expect(screen.getByTestId("screen-title").textContent).toBe(zhCN.screens.doctor.title));
    const time = await screen.findByTestId("doctor-history-time-0");
    const expected = new Intl.DateTimeFormat("zh-CN", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(RAN_AT));
    expect(time.textContent).toBe(expected);
    expect(screen.getByTestId("doctor-run").textContent).toBe(zhCN.doctor.runAll);
    // Earlier runs read in Chinese too, from the finding each record kept.
    await userEvent.setup().click(screen.getByTestId("doctor-history-toggle-0"));
    expect(screen.getByTestId("doctor-history-record-0-bot").textContent).toContain(zhCN.checks.findings.botDisabled);
  });

  it("points to the setup wizard when there is no profile", async () => {
    answerCommands();
    renderApp("/doctor");
    expect((await screen.findByTestId("doctor-no-profiles")).textContent).toContain(en.doctor.noProfiles);
  });

  it("labels the sandbox", async () => {
    answerCommands({
      list_profiles: () => [profile("Sandbox")],
      sandbox_status: () => ({ active: true, profile: "Sandbox" }),
      doctor_history: () => [],
    });
    renderApp("/doctor");
    expect(await screen.findByTestId("sandbox-banner")).toBeTruthy();
  });
});
