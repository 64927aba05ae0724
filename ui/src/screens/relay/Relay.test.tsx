import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { LabReport } from "../../bindings/LabReport";
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordDetail } from "../../bindings/RecordDetail";
import type { RecordEvent } from "../../bindings/RecordEvent";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { RelayStatus } from "../../bindings/RelayStatus";
import type { TriggerResult } from "../../bindings/TriggerResult";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { profile } from "../../test/fixtures";
import { clearListeners, emitEvent, isListening } from "../../test/eventBridge";
import { answerCommands, renderApp } from "../../test/renderApp";
import { isLoopback, latencyLevel, mergeRecord } from "./format";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

vi.mock("@tauri-apps/api/event", () => import("../../test/eventBridge"));

const URL = "http://127.0.0.1:41234/callback/sandbox";
const STATUS: RelayStatus = {
  listen: "127.0.0.1:41234",
  urls: [{ profile: "Sandbox", url: URL, upstream: null, mode: "transparent" }],
  warning: null,
  pendingEvents: 0,
};

function summary(id: number, overrides: Partial<RecordSummary> = {}): RecordSummary {
  return {
    id,
    receivedAt: "2026-11-27T10:00:00.123Z",
    profile: "sandbox",
    source: "callback",
    kind: "card_action",
    eventType: "card.action.trigger",
    eventId: null,
    verdict: "accepted",
    rejectCode: null,
    httpStatus: 200,
    answeredBy: "built_in",
    answerMs: 4.2,
    deadlineMs: 3000,
    deadlineMissed: false,
    upstreamStatus: null,
    upstreamLatencyMs: null,
    outbox: null,
    attempts: 0,
    ...overrides,
  };
}

function detail(id: number, overrides: Partial<RecordDetail> = {}): RecordDetail {
  return {
    summary: summary(id),
    rejectReason: null,
    rejectFix: null,
    rejectParams: {},
    checks: [
      { code: "decrypted", params: {} },
      { code: "signatureMatched", params: { scheme: "SHA-256", secret: "Encrypt Key" } },
    ],
    duplicateOf: null,
    path: "/callback/sandbox",
    headers: [{ name: "X-Lark-Signature", value: "abc" }],
    body: '{"encrypt":"…"}',
    bodyBytes: 120,
    plaintext: { schema: "2.0", header: { event_type: "card.action.trigger" } },
    answer: '{"card":{}}',
    upstreamUrl: null,
    forwardMode: null,
    upstreamAnswer: null,
    upstreamError: null,
    ...overrides,
  };
}

const TRIGGER: TriggerResult = {
  url: URL,
  status: 200,
  answer: { challenge: "c-1" },
  error: null,
  latencyMs: 2.5,
  deadlineMs: 1000,
  challengeOk: true,
  sentHeaders: [{ name: "Content-Type", value: "application/json" }],
  sentBody: '{"challenge":"c-1","token":"••••","type":"url_verification"}',
  sentPlaintext: null,
};

const LAB: LabReport = {
  valid: false,
  summary: "The signature does not match with the Encrypt Key.",
  kind: "event_v2",
  eventType: "im.message.receive_v1",
  encrypted: true,
  decrypted: { schema: "2.0" },
  decryptError: null,
  expectedScheme: "sha256",
  missingHeaders: [],
  attempts: [
    { scheme: "sha256", secret: "encrypt_key", matches: false, expected: true },
    { scheme: "sha256", secret: "verification_token", matches: false, expected: false },
  ],
  tokenMatches: true,
  wrongField: "encrypt_key",
  swapped: false,
  clockSkewSecs: 3,
  stale: false,
  findings: ["Neither secret produces this signature. The Encrypt Key in the profile probably differs from the console's (copy it again), or the body was changed after it was signed."],
  findingKeys: [{ code: "noSecretMatches", params: { secret: "Encrypt Key" } }],
  summaryKey: { code: "wrongField", params: { secret: "Encrypt Key", other: "Verification Token" } },
};

/** The commands every Relay test needs (the sandbox profile, no relay running, no records), plus `overrides`. */
function relayCommands(overrides: Parameters<typeof answerCommands>[0] = {}) {
  return answerCommands({ list_profiles: () => [profile("Sandbox")], relay_status: () => null, relay_list: () => [], ...overrides });
}

function emit(event: RecordEvent) {
  emitEvent("relay://record", event);
}

describe("relay screen", () => {
  beforeEach(() => {
    clearListeners();
    window.localStorage.clear();
  });

  it("connects over the long connection and shows its state, uptime and messages", async () => {
    const connected = {
      profile: "sandbox",
      state: "connected",
      since: new Date(Date.now() - 65_000).toISOString(),
      connections: 1,
      messages: 3,
      lastMessage: new Date().toISOString(),
    };
    const invoke = relayCommands({
      relay_start_long_connection: () => connected,
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-lc-start"));
    const state = await screen.findByTestId("relay-lc-state");
    expect(state.getAttribute("data-state")).toBe("connected");
    expect(state.textContent).toBe(en.relay.lc.states.connected);
    expect(screen.getByTestId("relay-lc-uptime").textContent).toMatch(/^1m \d+s$/);
    expect(screen.getByTestId("relay-lc-messages").textContent).toBe("3");
    expect(invoke).toHaveBeenCalledWith(
      "relay_start_long_connection",
      expect.objectContaining({ name: "Sandbox", settings: expect.objectContaining({ mode: "resign" }) }),
    );
  });

  it("starts the relay with the settings and shows the URL with the console note", async () => {
    const invoke = relayCommands({
      relay_start: () => STATUS,
    });
    const user = userEvent.setup();
    renderApp("/relay");

    expect(await screen.findByTestId("relay-records-empty")).toBeTruthy();
    await user.clear(screen.getByTestId("relay-port"));
    await user.type(screen.getByTestId("relay-port"), "0");
    await user.click(screen.getByTestId("relay-start"));

    expect((await screen.findByTestId("relay-url")).textContent).toBe(URL);
    expect(screen.getByTestId("relay-url-note").textContent).toBe(en.relay.run.urlNote);
    expect(invoke).toHaveBeenCalledWith("relay_start", {
      name: "Sandbox",
      settings: {
        port: 0,
        listenAll: false,
        upstreamUrl: undefined,
        mode: "transparent",
        cardBudgetMs: 2500,
        maxSkewSecs: 300,
        retention: 10000,
      },
      bind: "127.0.0.1",
    });
  });

  it("takes the clock skew and retention, refuses values out of range, and remembers the form", async () => {
    const invoke = relayCommands({
      relay_start: () => STATUS,
    });
    const user = userEvent.setup();
    const { unmount } = renderApp("/relay");
    await screen.findByTestId("relay-records-empty");
    const start = screen.getByTestId("relay-start") as HTMLButtonElement;
    await user.clear(screen.getByTestId("relay-retention"));
    await user.type(screen.getByTestId("relay-retention"), "5");
    expect(start.disabled).toBe(true);
    expect(screen.getByText(en.relay.settings.retentionInvalid)).toBeTruthy();
    await user.type(screen.getByTestId("relay-retention"), "000");
    await user.clear(screen.getByTestId("relay-skew"));
    await user.type(screen.getByTestId("relay-skew"), "120");
    await user.type(screen.getByTestId("relay-upstream-url"), "https://hooks.example.com/lark");
    expect(start.disabled).toBe(false);
    await user.click(start);
    await screen.findByTestId("relay-url");
    expect(invoke).toHaveBeenCalledWith(
      "relay_start",
      expect.objectContaining({
        settings: expect.objectContaining({ maxSkewSecs: 120, retention: 5000, upstreamUrl: "https://hooks.example.com/lark" }),
      }),
    );

    // The next time the screen opens (or the app starts), the form is as it was started.
    unmount();
    relayCommands();
    renderApp("/relay");
    expect(((await screen.findByTestId("relay-skew")) as HTMLInputElement).value).toBe("120");
    expect((screen.getByTestId("relay-retention") as HTMLInputElement).value).toBe("5000");
    expect((screen.getByTestId("relay-upstream-url") as HTMLInputElement).value).toBe("https://hooks.example.com/lark");
  });

  it("does not keep an upstream URL that carries a key on disk", async () => {
    relayCommands({ relay_start: () => STATUS });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.type(await screen.findByTestId("relay-upstream-url"), "https://api.example.com/lark?integration_key=k-123456");
    await user.click(screen.getByTestId("relay-start"));
    await screen.findByTestId("relay-url");
    const stored = window.localStorage.getItem("lark-companion.relayForm") ?? "";
    expect(stored).not.toContain("k-123456");
    expect(JSON.parse(stored)).toMatchObject({ upstream: "", skew: "300" });
  });

  it("warns before listening beyond loopback and refuses an invalid port", async () => {
    relayCommands();
    const user = userEvent.setup();
    renderApp("/relay");
    const bind = await screen.findByTestId("relay-bind");
    expect(screen.queryByTestId("relay-bind-warning")).toBeNull();
    await user.clear(bind);
    await user.type(bind, "0.0.0.0");
    expect(screen.getByTestId("relay-bind-warning").textContent).toBe(en.relay.settings.bindWarning);
    await user.clear(screen.getByTestId("relay-port"));
    await user.type(screen.getByTestId("relay-port"), "70000");
    expect((screen.getByTestId("relay-start") as HTMLButtonElement).disabled).toBe(true);
  });

  it("adds live records, colours latency, filters, and opens the detail with the keyboard", async () => {
    const invoke = relayCommands({
      relay_status: () => STATUS,
      relay_list: (args) => ((args?.filter as { verdict?: string }).verdict === "rejected" ? [] : [summary(1)]),
      relay_detail: (args) =>
        args?.id === 2
          ? detail(2, {
              summary: summary(2, { verdict: "rejected", httpStatus: 401, rejectCode: "bad_signature" }),
              rejectReason: "The signature does not match the Encrypt Key.",
              rejectFix: "Copy the Encrypt Key again.",
            })
          : detail(1),
      relay_export_curl: () => "curl -sS -X POST 'http://127.0.0.1:41234/callback/sandbox'",
    });
    const user = userEvent.setup();
    renderApp("/relay");

    expect(await screen.findByTestId("relay-record-1")).toBeTruthy();
    await waitFor(() => expect(isListening("relay://record")).toBe(true));
    emit({ type: "recorded", record: summary(2, { verdict: "rejected", httpStatus: 401, answerMs: 3200, deadlineMissed: true }) });
    const row = await screen.findByTestId("relay-record-2");
    expect(row.dataset.verdict).toBe("rejected");
    expect(screen.getByTestId("relay-record-2-latency").dataset.level).toBe("late");
    expect(screen.getByTestId("relay-record-1-latency").dataset.level).toBe("ok");
    const rows = within(screen.getByTestId("relay-records")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset.testid)).toEqual(["relay-record-2", "relay-record-1"]);

    screen.getByTestId("relay-record-2-open").focus();
    await user.keyboard("{Enter}");
    expect((await screen.findByTestId("relay-detail-reason")).textContent).toContain("does not match the Encrypt Key");
    expect(screen.getByTestId("relay-detail-verdict").dataset.verdict).toBe("rejected");
    // Check steps arrive as codes with values and are worded here.
    expect(screen.getByTestId("relay-detail-checks").textContent).toContain("Signature SHA-256 (Encrypt Key) matches");

    await user.click(screen.getByTestId("relay-curl"));
    expect((await screen.findByTestId("relay-curl-text")).textContent).toContain("curl -sS");

    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("relay-detail")).toBeNull());

    await user.selectOptions(screen.getByTestId("relay-filter-verdict"), "rejected");
    expect(await screen.findByTestId("relay-records-empty")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("relay_list", { filter: { verdict: "rejected", limit: 200 } });
  });

  it("pages to older records below the newest 200, keeping them as live ones arrive", async () => {
    // 450 records on disk: ids 450 (newest) down to 1.
    const page = (filter: RecordFilter) => {
      const top = filter.beforeId ? filter.beforeId - 1 : 450;
      const count = Math.min(filter.limit ?? 100, top);
      return Array.from({ length: count }, (_, i) => summary(top - i));
    };
    const invoke = relayCommands({
      relay_status: () => STATUS,
      relay_list: (args) => page(args?.filter as RecordFilter),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await screen.findByTestId("relay-record-450");
    expect(screen.getByTestId("relay-records-count").textContent).toContain("200");
    expect(screen.queryByTestId("relay-record-250")).toBeNull();

    await user.click(screen.getByTestId("relay-older"));
    await screen.findByTestId("relay-record-250");
    expect(invoke).toHaveBeenCalledWith("relay_list", { filter: { beforeId: 251, limit: 200 } });
    expect(screen.getByTestId("relay-records-count").textContent).toContain("400");

    // A live record joins at the top without pushing the older page out.
    emit({ type: "recorded", record: summary(451) });
    await screen.findByTestId("relay-record-451");
    expect(screen.getByTestId("relay-record-51")).toBeTruthy();

    await user.click(screen.getByTestId("relay-older"));
    await screen.findByTestId("relay-record-1");
    // The last page was short: nothing older is left to ask for.
    expect(screen.queryByTestId("relay-older")).toBeNull();
    expect(screen.getByTestId("relay-records-count").textContent).toContain("451");
  });

  it("replays a record to the relay's own URL and shows the answer", async () => {
    const invoke = relayCommands({
      relay_status: () => STATUS,
      relay_list: () => [summary(1)],
      relay_detail: () => detail(1),
      relay_replay: () => ({
        record: summary(5, { source: "replay" }),
        url: URL,
        status: 200,
        answer: '{"toast":{}}',
        error: null,
        latencyMs: 12,
      }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-record-1"));
    await user.click(await screen.findByTestId("relay-replay-to-self"));
    await user.click(screen.getByTestId("relay-replay"));
    const result = await screen.findByTestId("relay-replay-result");
    expect(result.dataset.status).toBe("200");
    expect(invoke).toHaveBeenCalledWith("relay_replay", { id: 1, url: URL });
    expect((await screen.findByTestId("relay-record-5")).dataset.source).toBe("replay");
  });

  it("sends a trigger to the relay itself and loads it into the lab, which names the wrong field", async () => {
    const invoke = relayCommands({
      relay_status: () => STATUS,
      relay_trigger: () => TRIGGER,
      relay_lab: () => LAB,
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-trigger-send"));
    expect((await screen.findByTestId("relay-trigger-result")).dataset.status).toBe("200");
    expect(screen.getByTestId("relay-trigger-challenge").dataset.ok).toBe("true");
    expect(screen.getByTestId("relay-trigger-latency").dataset.level).toBe("ok");
    expect(invoke).toHaveBeenCalledWith("relay_trigger", { name: "Sandbox", request: { kind: "url_verification", url: undefined } });

    await user.click(screen.getByTestId("relay-trigger-to-lab"));
    expect((screen.getByTestId("relay-lab-body") as HTMLTextAreaElement).value).toBe(TRIGGER.sentBody);
    await user.click(screen.getByTestId("relay-lab-analyze"));
    const report = await screen.findByTestId("relay-lab-report");
    expect(report.dataset.valid).toBe("false");
    expect(screen.getByTestId("relay-lab-wrong-field").textContent).toBe(
      en.relay.lab.wrongField.replace("{{field}}", en.relay.lab.fields.encrypt_key),
    );
    expect(screen.getByTestId("relay-lab-attempt-sha256-encrypt_key").dataset.matches).toBe("false");
    expect(screen.getByTestId("relay-lab-scheme").textContent).toBe("SHA-256");
    expect(invoke).toHaveBeenCalledWith("relay_lab", {
      name: "Sandbox",
      input: { headers: "Content-Type: application/json", body: TRIGGER.sentBody },
    });
  });

  it("needs a running relay to trigger to itself, and sends to a URL without one", async () => {
    const invoke = relayCommands({
      relay_trigger: () => ({ ...TRIGGER, status: null, error: "connection refused", challengeOk: null }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    expect((await screen.findByTestId("relay-trigger-send") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("relay-trigger-needs-relay")).toBeTruthy();
    await user.click(screen.getByTestId("relay-trigger-target-url"));
    await user.selectOptions(screen.getByTestId("relay-trigger-kind"), "card_action");
    await user.type(screen.getByTestId("relay-trigger-url"), "http://127.0.0.1:1/x");
    await user.click(screen.getByTestId("relay-trigger-send"));
    expect((await screen.findByTestId("relay-trigger-result")).textContent).toContain("connection refused");
    expect(invoke).toHaveBeenCalledWith("relay_trigger", {
      name: "Sandbox",
      request: { kind: "card_action", url: "http://127.0.0.1:1/x" },
    });
  });

  it("shows a failed start through the error banner", async () => {
    relayCommands({
      relay_start: () => {
        throw { code: "invalid_input", message: "The relay cannot listen on 127.0.0.1:9400: address in use", fix: { text: "Choose another port." } };
      },
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-start"));
    expect((await screen.findByText(/address in use/)).textContent).toContain("9400");
    expect(screen.queryByTestId("relay-running")).toBeNull();
  });

  it("speaks Simplified Chinese with the same keys", () => {
    const keys = (o: object, p = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(zhCN.relay).sort()).toEqual(keys(en.relay).sort());
    expect(zhCN.relay.lab.title).toBe("签名实验室");
  });
});

describe("relay helpers", () => {
  it("colours latency against the 1 s and 3 s deadlines", () => {
    expect(latencyLevel(999)).toBe("ok");
    expect(latencyLevel(1000)).toBe("slow");
    expect(latencyLevel(2999)).toBe("slow");
    expect(latencyLevel(3000)).toBe("late");
    expect(latencyLevel(5, true)).toBe("late");
  });

  it("knows loopback addresses and merges records newest first without duplicates", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("0.0.0.0")).toBe(false);
    expect(isLoopback("192.168.1.5")).toBe(false);
    const merged = mergeRecord([summary(3), summary(1)], summary(2));
    expect(merged.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(mergeRecord(merged, summary(3, { verdict: "duplicate" })).map((r) => r.verdict)).toEqual(["duplicate", "accepted", "accepted"]);
  });
});
