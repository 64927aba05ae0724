import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { LabReport } from "../../bindings/LabReport";
import type { Problem } from "../../bindings/Problem";
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordDetail } from "../../bindings/RecordDetail";
import type { RecordEvent } from "../../bindings/RecordEvent";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { RelayStatus } from "../../bindings/RelayStatus";
import type { SavedRelaySettings } from "../../bindings/SavedRelaySettings";
import type { TriggerResult } from "../../bindings/TriggerResult";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { KEYCHAIN_TIMEOUT, problem, profile } from "../../test/fixtures";
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
  findingKeys: [{ code: "noSecretMatches", params: { secret: "Encrypt Key" } }],
  summaryKey: { code: "wrongField", params: { secret: "Encrypt Key", other: "Verification Token" }, finding: null },
};

/** What `relay_saved_settings` answers for a profile never started: the defaults, port 9400. */
function saved(overrides: Partial<SavedRelaySettings["settings"]> = {}, rest: Partial<Omit<SavedRelaySettings, "settings">> = {}): SavedRelaySettings {
  return {
    settings: { port: 9400, listenAll: false, mode: "transparent", cardBudgetMs: 2500, maxSkewSecs: 300, retention: 10000, ...overrides },
    bind: null,
    lastCopiedUrl: null,
    ...rest,
  };
}

/** The commands every Relay test needs (the sandbox profile, no relay running, no records), plus `overrides`. */
function relayCommands(overrides: Parameters<typeof answerCommands>[0] = {}) {
  return answerCommands({
    list_profiles: () => [profile("Sandbox")],
    relay_status: () => null,
    relay_list: () => [],
    relay_saved_settings: () => saved(),
    relay_mark_copied: () => undefined,
    copy_text: () => undefined,
    ...overrides,
  });
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
    // A fixed port by default, so the URL pasted into the console stays the same at every start.
    await waitFor(() => expect((screen.getByTestId("relay-port") as HTMLInputElement).value).toBe("9400"));
    await user.click(screen.getByTestId("relay-start"));

    expect((await screen.findByTestId("relay-url")).textContent).toBe(URL);
    expect(screen.getByTestId("relay-url-note").textContent).toBe(en.relay.run.urlNote);
    expect(invoke).toHaveBeenCalledWith("relay_start", {
      name: "Sandbox",
      settings: {
        port: 9400,
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

  it("takes the clock skew and retention and refuses values out of range", async () => {
    const invoke = relayCommands({
      relay_start: () => STATUS,
    });
    const user = userEvent.setup();
    const { unmount } = renderApp("/relay");
    await screen.findByTestId("relay-records-empty");
    await waitFor(() => expect((screen.getByTestId("relay-port") as HTMLInputElement).value).toBe("9400"));
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

    // The webview's storage (shared by every data folder) keeps nothing: relay_start saves the form per profile.
    unmount();
    expect(window.localStorage.getItem("lark-companion.relayForm")).toBeNull();
  });

  it("loads each profile's form as its relay was last started, from the app's database", async () => {
    const invoke = relayCommands({
      list_profiles: () => [profile("Prod"), profile("Sandbox")],
      relay_saved_settings: (args) =>
        args?.name === "Prod"
          ? saved({ port: 9411, upstreamUrl: "https://hooks.example.com/lark", maxSkewSecs: 120, retention: 5000, mode: "resign" }, { bind: "0.0.0.0" })
          : saved(),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await waitFor(() => expect((screen.getByTestId("relay-port") as HTMLInputElement).value).toBe("9411"));
    expect(invoke).toHaveBeenCalledWith("relay_saved_settings", { name: "Prod" });
    expect((screen.getByTestId("relay-skew") as HTMLInputElement).value).toBe("120");
    expect((screen.getByTestId("relay-retention") as HTMLInputElement).value).toBe("5000");
    expect((screen.getByTestId("relay-upstream-url") as HTMLInputElement).value).toBe("https://hooks.example.com/lark");
    expect((screen.getByTestId("relay-mode") as HTMLSelectElement).value).toBe("resign");
    expect((screen.getByTestId("relay-bind") as HTMLInputElement).value).toBe("0.0.0.0");

    await user.selectOptions(screen.getByTestId("relay-profile-select"), "Sandbox");
    await waitFor(() => expect((screen.getByTestId("relay-port") as HTMLInputElement).value).toBe("9400"));
    expect(invoke).toHaveBeenCalledWith("relay_saved_settings", { name: "Sandbox" });
    expect((screen.getByTestId("relay-upstream-url") as HTMLInputElement).value).toBe("");
    expect((screen.getByTestId("relay-bind") as HTMLInputElement).value).toBe("127.0.0.1");
  });

  it("remembers the copied callback URL and warns when the running relay's URL differs from it", async () => {
    const OLD = "http://127.0.0.1:41999/callback/sandbox";
    const invoke = relayCommands({ relay_status: () => STATUS, relay_saved_settings: () => saved({}, { lastCopiedUrl: OLD }) });
    const user = userEvent.setup();
    renderApp("/relay");
    const warning = await screen.findByTestId("relay-url-changed");
    expect(warning.textContent).toBe(en.relay.run.urlChanged.replace("{{url}}", OLD));
    await user.click(screen.getByTestId("relay-url-copy"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("relay_mark_copied", { name: "Sandbox", url: URL }));
    await waitFor(() => expect(screen.queryByTestId("relay-url-changed")).toBeNull());
  });

  it("does not warn when the console has the running relay's URL", async () => {
    relayCommands({ relay_status: () => STATUS, relay_saved_settings: () => saved({}, { lastCopiedUrl: URL }) });
    renderApp("/relay");
    await screen.findByTestId("relay-url");
    await waitFor(() => expect(screen.getByTestId("relay-url-copy")).toBeTruthy());
    expect(screen.queryByTestId("relay-url-changed")).toBeNull();
  });

  it("offers the profile's saved Message Card Request URL as the upstream in one click", async () => {
    const card = "https://api.flashcat.cloud/lark/card?integration_key=k-1";
    const invoke = relayCommands({
      list_profiles: () => [profile("Sandbox", { urls: { webConfigUrl: null, redirectUrl: null, cardRequestUrl: card } })],
      relay_start: () => STATUS,
    });
    const user = userEvent.setup();
    renderApp("/relay");
    const suggest = await screen.findByTestId("relay-upstream-suggest");
    expect(suggest.textContent).toBe(en.relay.settings.useCardUrl);
    expect(screen.getByTestId("relay-upstream-suggest-url").textContent).toBe(card);
    await user.click(suggest);
    expect((screen.getByTestId("relay-upstream-url") as HTMLInputElement).value).toBe(card);
    expect(screen.queryByTestId("relay-upstream-suggest")).toBeNull();
    await user.click(screen.getByTestId("relay-start"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("relay_start", expect.objectContaining({ settings: expect.objectContaining({ upstreamUrl: card }) })),
    );
  });

  it("offers the same URL for the long connection's upstream", async () => {
    const card = "https://api.flashcat.cloud/lark/card?integration_key=k-1";
    relayCommands({ list_profiles: () => [profile("Sandbox", { urls: { webConfigUrl: null, redirectUrl: null, cardRequestUrl: card } })] });
    const user = userEvent.setup();
    renderApp("/relay");
    const lc = await screen.findByTestId("relay-lc");
    await user.click(await within(lc).findByTestId("relay-lc-upstream-suggest"));
    expect((screen.getByTestId("relay-lc-upstream") as HTMLInputElement).value).toBe(card);
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

    // The whole row is one focusable control: Tab reaches it, Enter opens it.
    row.focus();
    expect(document.activeElement).toBe(row);
    expect(row.tabIndex).toBe(0);
    await user.keyboard("{Enter}");
    expect((await screen.findByTestId("relay-detail-reason")).textContent).toContain("does not match the Encrypt Key");
    expect(screen.getByTestId("relay-detail-verdict").dataset.verdict).toBe("rejected");
    // Check steps arrive as codes with values and are worded here.
    expect(screen.getByTestId("relay-detail-checks").textContent).toContain("Signature SHA-256 (Encrypt Key) matches");
    // A rejected request cannot be replayed, and the reason is said beside the button.
    expect((screen.getByTestId("relay-replay") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(en.relay.detail.replayRejected)).toBeTruthy();

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
    // The verdict and the findings are worded from their codes by the catalogue.
    expect(screen.getByTestId("relay-lab-summary").textContent).toBe(
      en.relay.lab.summaryText.wrongField.replace("{{secret}}", "Encrypt Key").replace("{{other}}", "Verification Token"),
    );
    const finding = screen.getByTestId("relay-lab-finding-0");
    expect(finding.dataset.code).toBe("noSecretMatches");
    expect(finding.textContent).toBe(en.relay.lab.findingText.noSecretMatches.replace("{{secret}}", "Encrypt Key"));
    expect(invoke).toHaveBeenCalledWith("relay_lab", {
      name: "Sandbox",
      input: { headers: "Content-Type: application/json", body: TRIGGER.sentBody },
    });
  });

  it("re-signs an edited body from the lab only after the admin confirms it, sending it where they said", async () => {
    const invoke = relayCommands({
      relay_status: () => STATUS,
      relay_lab: () => LAB,
      relay_resign: () => ({ record: summary(77, { source: "replay" }), url: "http://127.0.0.1:9/hook", status: 200, answer: "{}", error: null, latencyMs: 4 }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.type(await screen.findByTestId("relay-lab-body"), "{{}");
    await user.click(screen.getByTestId("relay-lab-analyze"));
    const panel = await screen.findByTestId("relay-resign");
    expect(within(panel).getByTestId("relay-resign-warning").textContent).toBe(en.relay.resign.warning.replace("{{profile}}", "Sandbox"));
    // Starts from the decrypted JSON; the relay has no upstream, so a URL is needed first.
    const body = within(panel).getByTestId("relay-resign-body") as HTMLTextAreaElement;
    expect(JSON.parse(body.value)).toEqual({ schema: "2.0" });
    const send = within(panel).getByTestId("relay-resign-send") as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect(within(panel).getByTestId("relay-resign-reason").textContent).toBe(en.relay.resign.needsTarget);
    await user.type(within(panel).getByTestId("relay-resign-url"), "http://127.0.0.1:9/hook");
    expect(send.disabled).toBe(true);
    expect(within(panel).getByTestId("relay-resign-reason").textContent).toBe(en.relay.resign.needsConfirm);
    await user.clear(body);
    await user.type(body, '{{"schema":"2.0","header":{{"event_type":"x"}}');
    await user.click(within(panel).getByTestId("relay-resign-confirm"));
    expect(send.disabled).toBe(false);
    await user.click(send);
    expect((await screen.findByTestId("relay-resign-result")).dataset.status).toBe("200");
    expect(invoke).toHaveBeenCalledWith("relay_resign", {
      profile: "Sandbox",
      body: '{"schema":"2.0","header":{"event_type":"x"}}',
      url: "http://127.0.0.1:9/hook",
    });
  });

  it("needs a running relay to trigger to itself, and sends to a URL without one", async () => {
    const invoke = relayCommands({
      relay_trigger: () => ({ ...TRIGGER, status: null, error: problem("platform", "upstream_failed", { detail: "connection refused" }), challengeOk: null }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    expect((await screen.findByTestId("relay-trigger-send") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("relay-trigger-needs-relay")).toBeTruthy();
    await user.click(screen.getByTestId("relay-trigger-target-url"));
    await user.selectOptions(screen.getByTestId("relay-trigger-kind"), "card_action");
    await user.type(screen.getByTestId("relay-trigger-url"), "http://127.0.0.1:1/x");
    await user.click(screen.getByTestId("relay-trigger-send"));
    expect((await screen.findByTestId("relay-trigger-result")).textContent).toContain("The request got no answer: connection refused");
    expect(invoke).toHaveBeenCalledWith("relay_trigger", {
      name: "Sandbox",
      request: { kind: "card_action", url: "http://127.0.0.1:1/x" },
    });
  });

  it("shows a failed start next to the Start button, not in the banner at the top", async () => {
    relayCommands({
      relay_start: () => {
        throw problem("invalid_input", "relay_bind", { addr: "127.0.0.1:9400", detail: "address in use" }, { fix: { code: "relay_port" } });
      },
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-start"));
    const error = await screen.findByTestId("relay-start-error");
    expect(error.textContent).toContain("The relay cannot listen on 127.0.0.1:9400: address in use");
    expect(error.textContent).toContain(en.fixes.relay_port);
    expect(within(screen.getByTestId("relay-settings")).getByTestId("relay-start-error")).toBe(error);
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(screen.queryByText(en.errors.invalid_input)).toBeNull();
    expect(screen.queryByTestId("relay-running")).toBeNull();
  });

  it("shows a failed stop, trigger and lab check next to their buttons", async () => {
    const refuse = (refusal: Problem) => () => {
      throw refusal;
    };
    relayCommands({
      relay_status: () => STATUS,
      relay_stop: refuse(problem("invalid_input", "relay_not_running")),
      relay_trigger: refuse(problem("invalid_input", "relay_url_invalid", { value: "x", detail: "not a URL" }, { field: "url" })),
      relay_lab: refuse(problem("internal", "internal", { detail: "The request could not be read" })),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-stop"));
    expect((await screen.findByTestId("relay-stop-error")).textContent).toContain(en.problems.relay_not_running);
    await user.click(screen.getByTestId("relay-trigger-send"));
    const triggers = screen.getByTestId("relay-triggers");
    expect((await within(triggers).findByTestId("relay-trigger-error")).textContent).toContain("not a URL");
    await user.type(screen.getByTestId("relay-lab-body"), "{{}");
    await user.click(screen.getByTestId("relay-lab-analyze"));
    const lab = screen.getByTestId("relay-lab");
    expect((await within(lab).findByTestId("relay-lab-error")).textContent).toContain("could not be read");
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("shows a failed long connection next to its Connect button", async () => {
    relayCommands({
      relay_start_long_connection: () => {
        throw problem("platform", "app_secret_mismatch", { code: "10014" }, { fix: { code: "copy_credentials" } });
      },
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-lc-start"));
    const error = await within(screen.getByTestId("relay-lc")).findByTestId("relay-lc-error");
    expect(error.textContent).toContain("the App Secret does not match the App ID (code 10014)");
    expect(error.textContent).toContain(en.fixes.copy_credentials);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("disables Replay with the reason when there is nowhere to send it, and shows its error beside it", async () => {
    relayCommands({
      relay_status: () => STATUS,
      relay_list: () => [summary(1)],
      relay_detail: () => detail(1),
      relay_replay: () => {
        throw problem("platform", "relay_send_failed", { url: "https://nowhere.invalid/x", detail: "the host does not resolve" });
      },
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-record-1"));
    const replay = (await screen.findByTestId("relay-replay")) as HTMLButtonElement;
    // The running relay has no upstream and no URL is typed: nothing to send to.
    expect(replay.disabled).toBe(true);
    expect(screen.getByTestId("relay-replay-reason").textContent).toBe(en.relay.detail.replayNeedsTarget);
    await user.type(screen.getByTestId("relay-replay-url"), "https://nowhere.invalid/x");
    expect(replay.disabled).toBe(false);
    expect(screen.queryByTestId("relay-replay-reason")).toBeNull();
    await user.click(replay);
    const error = await screen.findByTestId("relay-replay-error");
    expect(error.textContent).toContain("the host does not resolve");
    expect(within(screen.getByTestId("relay-detail")).getByTestId("relay-replay-error")).toBe(error);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("replays to the upstream with no URL typed when the relay has one", async () => {
    const invoke = relayCommands({
      relay_status: () => ({ ...STATUS, urls: [{ ...STATUS.urls[0]!, upstream: "https://hooks.example.com/lark", mode: "resign" }] }),
      relay_list: () => [summary(1)],
      relay_detail: () => detail(1),
      relay_replay: () => ({ record: summary(6, { source: "replay" }), url: "https://hooks.example.com/lark", status: 200, answer: "{}", error: null, latencyMs: 30 }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click(await screen.findByTestId("relay-record-1"));
    const replay = (await screen.findByTestId("relay-replay")) as HTMLButtonElement;
    expect(replay.disabled).toBe(false);
    expect((screen.getByTestId("relay-replay-url") as HTMLInputElement).placeholder).toContain("https://hooks.example.com/lark");
    await user.click(replay);
    await screen.findByTestId("relay-replay-result");
    expect(invoke).toHaveBeenCalledWith("relay_replay", { id: 1, url: null });
  });

  it("words a relay listening beyond loopback and a replay without an answer from their problems", async () => {
    const wide = problem("invalid_input", "relay_beyond_loopback", { addr: "0.0.0.0:41234" });
    relayCommands({
      relay_status: () => ({ ...STATUS, listen: "0.0.0.0:41234", warning: wide }),
      relay_list: () => [summary(1)],
      relay_detail: () => detail(1),
      relay_replay: () => ({
        record: summary(6, { source: "replay" }),
        url: "https://hooks.example.com/lark",
        status: null,
        answer: null,
        error: problem("platform", "upstream_failed", { detail: "connection refused" }),
        latencyMs: 30,
      }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    expect((await screen.findByTestId("relay-warning")).textContent).toBe(en.problems.relay_beyond_loopback.replace("{{addr}}", "0.0.0.0:41234"));
    await user.click(await screen.findByTestId("relay-record-1"));
    await user.type(await screen.findByTestId("relay-replay-url"), "https://hooks.example.com/lark");
    await user.click(screen.getByTestId("relay-replay"));
    expect((await screen.findByTestId("relay-replay-result")).textContent).toContain(
      en.relay.detail.replayFailed.replace("{{error}}", "The request got no answer: connection refused"),
    );
  });

  it("labels the two latencies of a forwarded request: the relay's answer and the upstream's", async () => {
    relayCommands({
      relay_status: () => STATUS,
      relay_list: () => [summary(1, { answeredBy: "upstream", answerMs: 815, upstreamStatus: 200, upstreamLatencyMs: 812 })],
      relay_detail: () =>
        detail(1, { summary: summary(1, { answeredBy: "upstream", answerMs: 815, upstreamStatus: 200, upstreamLatencyMs: 812 }) }),
    });
    const user = userEvent.setup();
    renderApp("/relay");
    const row = await screen.findByTestId("relay-record-1");
    const headers = within(screen.getByTestId("relay-records")).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toContain(en.relay.inspector.answerTime);
    expect(within(row).getByTestId("relay-record-1-upstream").textContent).toBe(
      en.relay.inspector.upstreamValue.replace("{{status}}", "200").replace("{{latency}}", "812 ms"),
    );
    expect(screen.getByTestId("relay-deadlines").textContent).toBe(en.relay.inspector.deadlines);
    await user.click(row);
    const facts = await screen.findByTestId("relay-detail-facts");
    expect(within(facts).getByText(en.relay.detail.answerTime)).toBeTruthy();
    expect(within(facts).getByText(en.relay.detail.upstreamTime)).toBeTruthy();
    expect(screen.getByTestId("relay-detail-answer-time").textContent).toContain("815 ms");
    expect(screen.getByTestId("relay-detail-upstream-time").textContent).toContain("812 ms");
  });

  it("loads again when the keychain answers after the banner's Retry", async () => {
    let locked = true;
    const keychain = () => {
      if (locked) throw KEYCHAIN_TIMEOUT;
    };
    relayCommands({
      list_profiles: () => {
        keychain();
        return [profile("Sandbox")];
      },
      relay_list: () => {
        keychain();
        return [];
      },
      keychain_status: () => {
        locked = false;
      },
    });
    const user = userEvent.setup();
    renderApp("/relay");
    await user.click((await screen.findAllByTestId("error-keychain-retry"))[0]!);
    expect(await screen.findByTestId("relay-settings")).toBeTruthy();
    // The inspector does not stay on "Loading…".
    expect(await screen.findByTestId("relay-records-empty")).toBeTruthy();
    await waitFor(() => expect((screen.getByTestId("relay-port") as HTMLInputElement).value).toBe("9400"));
  });

  it("speaks Simplified Chinese with the same keys", () => {
    const keys = (o: object, p = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(zhCN.relay).sort()).toEqual(keys(en.relay).sort());
    expect(zhCN.relay.lab.title).toBe("签名实验室");
  });

  it("calls things by the app's one Chinese name in the Relay, Cards and Quota screens", () => {
    const values = (o: object): string[] =>
      Object.values(o).flatMap((v) => (typeof v === "object" && v !== null ? values(v as object) : [String(v)]));
    const sentences = [...values(zhCN.relay), ...values(zhCN.cards), ...values(zhCN.quota)];
    // A profile is 配置档, the wizard 配置向导, the integration's URL 消息卡片请求网址 everywhere else in the app.
    expect(sentences.filter((s) => /档案|设置向导|消息卡片请求地址/.test(s))).toEqual([]);
    // No English word left in a sentence where a Chinese one exists (field names and products aside).
    expect(sentences.filter((s) => /\bchallenge\b|\bPOST 这个|保存到配置中/.test(s))).toEqual([]);
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
