import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { QuotaReport } from "../../bindings/QuotaReport";
import type { QuotaSettings } from "../../bindings/QuotaSettings";
import type { ThresholdCrossing } from "../../bindings/ThresholdCrossing";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { APP_ID, KEYCHAIN_TIMEOUT, profile } from "../../test/fixtures";
import { answerCommands, renderApp } from "../../test/renderApp";
import { niceCeil } from "./DailyChart";
import type { QuotaView } from "./types";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

beforeAll(() => {
  // recharts' ResponsiveContainer measures with ResizeObserver, which jsdom lacks.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

const SETTINGS: QuotaSettings = {
  cap: 10000,
  timeZone: "Asia/Shanghai",
  thresholds: [80, 90, 100],
  limits: { apiPerSecond: 50, sendPerMinute: 1000, perReceiverPerSecond: 5, patchPerMessagePerSecond: 5 },
  baseline: null,
};

function report(overrides: Partial<QuotaReport["summary"]> = {}, settings: QuotaSettings = SETTINGS): QuotaReport {
  const days = Array.from({ length: 30 }, (_, i) => {
    const date = `2026-11-${String(i + 1).padStart(2, "0")}`;
    return {
      date,
      calls: i < 27 ? 10 : 0,
      counted: i < 27 ? 8 : 0,
      errors: 0,
      used: i < 27 ? 8 * (i + 1) : null,
      forecast: i >= 26 ? 216 + 8 * (i - 26) : null,
    };
  });
  const peak = { calls: 3, at: "2026-11-27T10:00:00Z", key: "im.v1.chats.list" };
  return {
    summary: {
      appId: APP_ID,
      month: "2026-11",
      timeZone: settings.timeZone,
      monthStart: "2026-10-31T16:00:00Z",
      monthEnd: "2026-11-30T16:00:00Z",
      asOf: "2026-11-27T10:00:00Z",
      cap: settings.cap,
      ourCalls: 270,
      ourCounted: 216,
      ourFailed: 2,
      baseline: null,
      oursSinceBaseline: null,
      otherApps: null,
      used: 216,
      usedPercent: settings.cap ? (216 * 100) / settings.cap : null,
      remaining: settings.cap ? settings.cap - 216 : null,
      forecast: { ourDailyRate: 8, otherDailyRate: 0, basisDays: 7, monthEnd: 240, capReachedOn: null, exceedsCap: false },
      stop: null,
      ...overrides,
    },
    daily: { month: "2026-11", cap: settings.cap, days },
    endpoints: [
      { endpoint: "im.v1.chats.list", calls: 150, counted: 150, errors: 0, rateLimited: 0, p50Ms: 12, p95Ms: 40 },
      { endpoint: "bot.v3.info", calls: 66, counted: 66, errors: 2, rateLimited: 1, p50Ms: 9, p95Ms: null },
      { endpoint: "auth.v3.tenant_access_token.internal", calls: 54, counted: 0, errors: 0, rateLimited: 0, p50Ms: 5, p95Ms: 8 },
    ],
    events: [
      {
        at: "2026-11-26T08:00:00Z",
        endpoint: "bot.v3.info",
        httpStatus: 429,
        code: 99991400,
        kind: "rate_limited",
        target: null,
        limit: "50/s",
        resetSecs: 1,
        logId: null,
      },
    ],
    ceilings: (["apiTier", "sendPerMinute", "perReceiver", "perMessage"] as const).map((kind) => ({
      kind,
      limit: kind === "sendPerMinute" ? 1000 : 5,
      windowSecs: kind === "sendPerMinute" ? 60 : 1,
      lastHour: peak,
      lastDay: peak,
    })),
    settings,
  };
}

function view(r: QuotaReport, crossings: ThresholdCrossing[] = []): QuotaView {
  return { report: r, crossings };
}

describe("quota screen", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows the gauge, the chart, endpoints, events and the four ceilings", async () => {
    const invoke = answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () => view(report()),
    });
    renderApp("/quota");

    expect(await screen.findByTestId("quota-gauge")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("quota_report", { name: "Prod" });
    expect(screen.getByTestId("quota-used").textContent).toBe("216");
    expect(screen.getByTestId("quota-cap").textContent).toBe("of 10,000 counted calls");
    expect(screen.getByTestId("quota-percent").textContent).toBe("2.2 %");
    expect(screen.getByTestId("quota-others").textContent).toMatch(/Unknown/);
    expect(screen.getByTestId("quota-forecast").textContent).toMatch(/240 by the end of the month/);
    expect(screen.getByTestId("quota-forecast-basis").textContent).toBe("The rate is this app's calls over the last 7 day(s).");
    expect(screen.getByTestId("quota-bar").getAttribute("aria-valuenow")).toBe("216");
    expect(screen.getByTestId("quota-chart")).toBeTruthy();
    expect(within(screen.getByTestId("quota-daily-table")).getAllByRole("row")).toHaveLength(31);

    const table = screen.getByTestId("quota-endpoints-table");
    expect(within(table).getByText("bot.v3.info")).toBeTruthy();
    const chats = screen.getByTestId("quota-endpoint-im.v1.chats.list");
    expect(chats.textContent).toContain("150");
    expect(chats.textContent).toContain("40 ms");

    expect(screen.getAllByTestId("quota-event")).toHaveLength(1);
    expect(screen.getByTestId("quota-event").textContent).toContain("99991400");
    expect(screen.getAllByTestId(/^quota-ceiling-/)).toHaveLength(4);
    expect(screen.getByTestId("quota-ceiling-sendPerMinute").textContent).toContain("1000 per 60 s");
    expect(screen.queryByTestId("quota-stop")).toBeNull();
    expect(screen.queryByTestId("quota-alerts")).toBeNull();
  });

  it("shows the stop prominently and the baseline's other apps", async () => {
    answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () =>
        view(
          report({
            used: 10000,
            usedPercent: 100,
            remaining: 0,
            baseline: { calls: 9900, at: "2026-11-20T02:00:00Z" },
            otherApps: 9800,
            oursSinceBaseline: 100,
            stop: {
              since: "2026-11-26T02:00:00Z",
              until: "2026-11-30T16:00:00Z",
              untilDate: "2026-12-01",
              message: "Monthly quota exhausted until 2026-12-01 (Asia/Shanghai).",
            },
          }),
        ),
    });
    renderApp("/quota");
    const stop = await screen.findByTestId("quota-stop");
    expect(stop.textContent).toContain("Quota exhausted until 2026-12-01");
    expect(screen.getByTestId("quota-others").textContent).toMatch(/^9,800 \(the admin console said 9,900/);
  });

  it("says there is not enough data yet, with no cap date, before a day of calls exists", async () => {
    answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () =>
        view(
          report({
            forecast: { ourDailyRate: 40000, otherDailyRate: 0, basisDays: 0.004, monthEnd: 160000, capReachedOn: "2026-12-28", exceedsCap: true },
          }),
        ),
    });
    renderApp("/quota");
    const forecast = await screen.findByTestId("quota-forecast");
    expect(forecast.textContent).toBe(en.quota.gauge.notEnoughData);
    expect(forecast.textContent).not.toContain("2026-12-28");
    expect(forecast.textContent).not.toContain("160,000");
    expect(screen.queryByTestId("quota-forecast-basis")).toBeNull();
    // Nor does the daily table carry a forecast drawn from minutes of calls.
    const rows = within(screen.getByTestId("quota-daily-table")).getAllByRole("row");
    expect(rows.slice(1).every((row) => row.lastElementChild?.textContent === "–")).toBe(true);
  });

  it("loads the report when the keychain answers after the banner's Retry", async () => {
    let locked = true;
    answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () => {
        if (locked) throw KEYCHAIN_TIMEOUT;
        return view(report());
      },
      keychain_status: () => {
        locked = false;
      },
    });
    const user = userEvent.setup();
    renderApp("/quota");
    await user.click(await screen.findByTestId("error-keychain-retry"));
    expect(await screen.findByTestId("quota-gauge")).toBeTruthy();
  });

  it("gives the forecast with its cap date once a day of calls exists", async () => {
    answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () =>
        view(report({ forecast: { ourDailyRate: 400, otherDailyRate: 0, basisDays: 1, monthEnd: 12000, capReachedOn: "2026-11-29", exceedsCap: true } })),
    });
    renderApp("/quota");
    const forecast = await screen.findByTestId("quota-forecast");
    expect(forecast.textContent).toContain(en.quota.gauge.capReachedOn.replace("{{date}}", "2026-11-29"));
    expect(screen.getByTestId("quota-forecast-basis").textContent).toBe("The rate is this app's calls over the last 1 day(s).");
  });

  it("raises each newly crossed threshold as a banner once, and leaves desktop notifications to the core", async () => {
    const shown: string[] = [];
    class FakeNotification {
      static permission = "granted";
      static requestPermission = vi.fn(async () => "granted");
      constructor(title: string) {
        shown.push(title);
      }
    }
    vi.stubGlobal("Notification", FakeNotification);
    const crossing = (threshold: number) => ({ threshold, month: "2026-11", used: 9100, cap: 10000, usedPercent: 91 });
    let first = true;
    answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () => {
        const crossings = first ? [crossing(80), crossing(90)] : [];
        first = false;
        return view(report({ used: 9100, usedPercent: 91, remaining: 900 }), crossings);
      },
    });
    const user = userEvent.setup();
    renderApp("/quota");

    expect(await screen.findByTestId("quota-alert-80")).toBeTruthy();
    expect(screen.getByTestId("quota-alert-90").textContent).toContain("Prod: 90 % of the monthly quota used");
    await user.click(screen.getByTestId("quota-refresh"));
    await waitFor(() => expect(screen.getByTestId("quota-refresh").getAttribute("data-busy")).toBeNull());
    await user.click(screen.getByTestId("quota-alert-dismiss-80"));
    expect(screen.queryByTestId("quota-alert-80")).toBeNull();
    expect(screen.getByTestId("quota-alert-90")).toBeTruthy();
    // The webview's own Notification API is never used: one notification per crossing comes
    // from the core (crates/companion/src/notices), screen open or not.
    expect(shown).toEqual([]);
  });

  it("saves a cap or unlimited and a baseline, then reads the report again", async () => {
    let settings = SETTINGS;
    const invoke = answerCommands({
      list_profiles: () => [profile("Prod")],
      quota_report: () => view(report({}, settings)),
      save_quota_settings: (args) => (settings = args?.settings as QuotaSettings),
      set_quota_baseline: (args) =>
        (settings = { ...settings, baseline: { calls: args?.calls as number, at: args?.at as string } }),
    });
    const user = userEvent.setup();
    renderApp("/quota");

    const cap = await screen.findByTestId("quota-cap-input");
    await user.clear(cap);
    await user.type(cap, "5,000");
    await user.click(screen.getByTestId("quota-save-settings"));
    await screen.findByTestId("quota-settings-saved");
    expect(invoke).toHaveBeenCalledWith("save_quota_settings", { name: "Prod", settings: { ...SETTINGS, cap: 5000 } });
    await waitFor(() => expect(screen.getByTestId("quota-cap").textContent).toBe("of 5,000 counted calls"));

    await user.click(screen.getByTestId("quota-unlimited"));
    expect((screen.getByTestId("quota-cap-input") as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getByTestId("quota-save-settings"));
    await waitFor(() => expect(screen.getByTestId("quota-cap").textContent).toBe("counted calls (unlimited edition)"));
    expect(screen.queryByTestId("quota-bar")).toBeNull();

    await user.type(screen.getByTestId("quota-baseline-input"), "1234");
    await user.click(screen.getByTestId("quota-save-baseline"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("set_quota_baseline", expect.objectContaining({ name: "Prod", calls: 1234 })),
    );
  });

  it("keeps invalid caps from being saved", async () => {
    const invoke = answerCommands({ list_profiles: () => [profile("Prod")], quota_report: () => view(report()) });
    const user = userEvent.setup();
    renderApp("/quota");
    const cap = await screen.findByTestId("quota-cap-input");
    await user.clear(cap);
    await user.type(cap, "lots");
    expect((screen.getByTestId("quota-save-settings") as HTMLButtonElement).disabled).toBe(true);
    expect(invoke).not.toHaveBeenCalledWith("save_quota_settings", expect.anything());
  });

  it("offers Setup when there is no profile", async () => {
    answerCommands();
    renderApp("/quota");
    expect(await screen.findByTestId("quota-no-profiles")).toBeTruthy();
  });

  it("speaks Simplified Chinese", async () => {
    answerCommands({ list_profiles: () => [profile("Prod")], quota_report: () => view(report()) }, { language: "zh-CN" });
    renderApp("/quota");
    await waitFor(() => expect(screen.getByTestId("quota-refresh").textContent).toBe("刷新"));
    expect((await screen.findByTestId("quota-cap")).textContent).toBe("/ 10,000 次计费调用");
  });

  it("has the same quota keys in both languages", () => {
    const keys = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "object" && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(zhCN.quota).sort()).toEqual(keys(en.quota).sort());
  });
});

describe("niceCeil", () => {
  it("rounds the axis up to a round figure", () => {
    expect([0, 3, 12, 5250, 10500, 100].map(niceCeil)).toEqual([10, 3, 15, 6000, 15000, 100]);
  });
});
