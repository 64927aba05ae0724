import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { CheckStatus } from "../bindings/CheckStatus";
import type { DoctorRun } from "../bindings/DoctorRun";
import { CHECK_ORDER } from "../checks/checkIds";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { APP_ID, KEYCHAIN_TIMEOUT, outcome, problem, profile } from "../test/fixtures";
import { answerCommands, renderApp } from "../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const RAN_AT = "2026-11-20T11:00:00Z";

/** Twelve outcomes, handed over out of order: 8 pass, 1 fail, 3 unknown. */
function twelveOutcomes(): CheckOutcome[] {
  const list = CHECK_ORDER.map((id) => outcome(id, "pass", "tokenIssued"));
  list[4] = outcome("bot", "fail", "botDisabled", {
    fix: { link: `https://open.feishu.cn/app/${APP_ID}/bot` },
  });
  list[3] = outcome("webApp", "unknown", "webAppNotVisible", { params: { url: "https://x.test/web" } });
  list[5] = outcome("redirectUrl", "unknown", "redirectUrlNotVisible", { params: { url: "https://x.test/r" } });
  list[11] = outcome("availability", "unknown", "availabilityNotVisible");
  return [...list].reverse();
}

/** A history record; without a finding it stands for a run recorded before findings were kept. */
const record = (checkId: string, status: CheckStatus, runAt: string, finding: string | null = null) => ({
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
      scope: "full",
    },
    {
      ranAt: older,
      passed: 2,
      failed: 0,
      unknown: 0,
      skipped: 0,
      records: [record("credentials", "pass", older), record("bot", "pass", older)],
      scope: "full",
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
    expect(summary.textContent).toBe("8 passed, 1 failed, 3 not checked by API");
    expect(invoke).toHaveBeenCalledWith("run_doctor", { name: "Prod", testChat: null });
    const shown = screen.getAllByTestId(/^doctor-outcome-/).map((el) => el.dataset.testid?.replace("doctor-outcome-", ""));
    expect(shown).toEqual([...CHECK_ORDER]);

    const bot = screen.getByTestId("doctor-outcome-bot");
    expect(bot.dataset.status).toBe("fail");
    expect(within(bot).getByTestId("doctor-reason-bot").textContent).toBe(en.checks.findings.botDisabled);
    expect(within(bot).getByTestId("doctor-fix-bot").textContent).toContain("Turn on Features > Bot in the developer console");
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
    expect(within(newest).getByTestId("doctor-history-counts-0").textContent).toBe("1 passed · 1 failed · 0 not checked by API");
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

  it("speaks one vocabulary: passed, failed with its fix, not checked by API with what to look at, skipped with why, stored", async () => {
    const outcomes: CheckOutcome[] = [
      outcome("credentials", "pass", "tokenIssued"),
      outcome("callbackSecrets", "pass", "callbackSecretsStored"),
      outcome("bot", "fail", "botDisabled", { fix: { link: `https://open.feishu.cn/app/${APP_ID}/bot` } }),
      outcome("webApp", "unknown", "webAppNotVisible", {
        params: { url: "https://x.test/web" },
        fix: { link: `https://open.feishu.cn/app/${APP_ID}/web-app` },
      }),
      outcome("chatScope", "skipped", "unreachable", { fix: {} }),
      outcome("published", "pass", "versionLive", { fix: {} }),
    ];
    answerCommands({
      list_profiles: () => [profile("Prod")],
      doctor_history: () => [],
      run_doctor: () => ({ profile: "Prod", ranAt: RAN_AT, outcomes }),
    });
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));

    expect((await screen.findByTestId("doctor-summary")).textContent).toBe("2 passed, 1 stored, 1 failed, 1 not checked by API, 1 skipped");
    expect(screen.getByTestId("doctor-status-credentials").textContent).toContain("Passed");
    // Only stored, not verified: it does not claim to have passed.
    expect(screen.getByTestId("doctor-status-callbackSecrets").textContent).toContain("Stored");
    expect(screen.getByTestId("doctor-status-callbackSecrets").textContent).not.toContain("Passed");
    // A failure has its fix.
    expect(screen.getByTestId("doctor-status-bot").textContent).toContain("Failed");
    expect(screen.getByTestId("doctor-fix-bot").textContent).toBe("How to fix it: Turn on Features > Bot in the developer console, then publish a new version.");
    // Not checkable by API: what to look at, not a fix.
    expect(screen.getByTestId("doctor-status-webApp").textContent).toContain("Not checked by API");
    expect(screen.getByTestId("doctor-fix-webApp").textContent).toBe("What to look at: Open Features > Web App in the developer console.");
    expect(screen.getByTestId("doctor-fix-link-webApp")).toBeTruthy();
    // Skipped says why, with no fix; a pass shows no fix either.
    expect(screen.getByTestId("doctor-status-chatScope").textContent).toContain("Skipped");
    expect(screen.getByTestId("doctor-reason-chatScope").textContent).toBe(en.checks.findings.unreachable);
    expect(screen.queryByTestId("doctor-fix-chatScope")).toBeNull();
    expect(screen.queryByTestId("doctor-fix-published")).toBeNull();
    expect(screen.getByTestId("doctor-results").textContent).not.toMatch(/Not verified|not checkable/);
  });

  it("says in Chinese that an item cannot be checked with the API, not that it failed the API check", async () => {
    answerCommands(
      {
        list_profiles: () => [profile("Prod")],
        doctor_history: () => [],
        run_doctor: () => ({
          profile: "Prod",
          ranAt: RAN_AT,
          outcomes: twelveOutcomes().map((o) => (o.id === "webApp" ? { ...o, fix: {} } : o)),
        }),
      },
      { language: "zh-CN" },
    );
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));
    const summary = (await screen.findByTestId("doctor-summary")).textContent ?? "";
    expect(summary).toBe("8 项通过，1 项未通过，3 项无法用 API 检查");
    expect(summary).not.toContain("无法通过");
    expect(screen.getByTestId("doctor-status-webApp").textContent).toContain("无法用 API 检查");
    expect(screen.getByTestId("doctor-fix-webApp").textContent).toContain(zhCN.checks.lookAt);
  });

  it("names the missing integration URLs in Chinese, not with the English field names", async () => {
    answerCommands(
      {
        list_profiles: () => [profile("Prod")],
        doctor_history: () => [],
        get_wizard_progress: () => ({ currentStep: null, steps: {}, confirmed: [] }),
        run_doctor: () => ({
          profile: "Prod",
          ranAt: RAN_AT,
          outcomes: [
            outcome("integrationUrls", "fail", "integrationUrlsMissing", {
              params: { missing: "Redirect URL, Message Card Request URL" },
              fix: {},
            }),
          ],
        }),
      },
      { language: "zh-CN" },
    );
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));
    expect((await screen.findByTestId("doctor-reason-integrationUrls")).textContent).toBe(
      `尚未保存：${zhCN.setup.integration.fields.redirectUrl}、${zhCN.setup.integration.fields.cardRequestUrl}。`,
    );
  });

  it("labels each earlier run as a full check or a wizard step", async () => {
    const runs = history();
    runs[0] = { ...runs[0]!, scope: "step", passed: 0, failed: 1, records: [record("bot", "fail", RAN_AT, "botDisabled")] };
    answerCommands({ list_profiles: () => [profile("Prod")], doctor_history: () => runs });
    renderApp("/doctor");
    expect((await screen.findByTestId("doctor-history-scope-0")).textContent).toBe("Wizard step");
    expect(screen.getByTestId("doctor-history-scope-1").textContent).toBe("Full check");
  });

  it("labels the runs in Chinese too", async () => {
    const runs = history();
    runs[1] = { ...runs[1]!, scope: "step" };
    answerCommands({ list_profiles: () => [profile("Prod")], doctor_history: () => runs }, { language: "zh-CN" });
    renderApp("/doctor");
    expect((await screen.findByTestId("doctor-history-scope-0")).textContent).toBe(zhCN.doctor.scope.full);
    expect(screen.getByTestId("doctor-history-scope-1").textContent).toBe(zhCN.doctor.scope.step);
    expect(zhCN.doctor.scope.step).toMatch(/[\u4e00-\u9fff]/);
  });

  it("shows a failed run and a failed group refresh beside their buttons", async () => {
    answerCommands({
      list_profiles: () => [profile("Prod")],
      doctor_history: () => [],
      get_wizard_progress: () => ({ currentStep: null, steps: {}, confirmed: [] }),
      run_doctor: () => {
        throw problem("storage", "database", { detail: "The database is locked." });
      },
      list_bot_chats: () => {
        throw problem("platform", "network_unreachable", { detail: "open.feishu.cn did not answer" }, { fix: { code: "check_network" } });
      },
    });
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));
    expect((await screen.findByTestId("doctor-run-error")).textContent).toContain("The database is locked.");
    await user.click(screen.getByTestId("doctor-load-chats"));
    expect((await screen.findByTestId("doctor-load-chats-error")).textContent).toContain("Could not reach Feishu/Lark: open.feishu.cn did not answer.");
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("shows what was confirmed by hand in the wizard, and takes new confirmations", async () => {
    const invoke = answerCommands({
      list_profiles: () => [profile("Prod")],
      doctor_history: () => [],
      get_wizard_progress: () => ({ currentStep: "scopes", steps: { credentials: "pass" }, confirmed: ["webApp"] }),
      set_wizard_progress: () => undefined,
      run_doctor: () => ({ profile: "Prod", ranAt: RAN_AT, outcomes: twelveOutcomes() }),
    });
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));
    expect((await screen.findByTestId("doctor-confirmed-webApp")).textContent).toContain(en.checks.confirmedByHand);
    await user.click(screen.getByTestId("doctor-confirm-availability"));
    expect(invoke).toHaveBeenCalledWith("set_wizard_progress", {
      name: "Prod",
      progress: { currentStep: "scopes", steps: { credentials: "pass" }, confirmed: ["webApp", "availability"] },
    });
    expect(await screen.findByTestId("doctor-confirmed-availability")).toBeTruthy();
  });

  it("loads the history again when the keychain comes back, keeping the profile", async () => {
    let keychain = false;
    answerCommands({
      list_profiles: () => [profile("Prod"), profile("Staging")],
      get_wizard_progress: () => ({ currentStep: null, steps: {}, confirmed: [] }),
      doctor_history: () => {
        if (!keychain) throw KEYCHAIN_TIMEOUT;
        return history();
      },
    });
    window.localStorage.setItem("lark-companion.lastProfile", "Staging");
    const user = userEvent.setup();
    renderApp("/doctor");
    await screen.findByTestId("error-keychain-retry");
    keychain = true;
    await user.click(screen.getByTestId("error-keychain-retry"));
    expect(await screen.findByTestId("doctor-history-run-0")).toBeTruthy();
    expect((screen.getByTestId("doctor-profile-select") as HTMLSelectElement).value).toBe("Staging");
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
