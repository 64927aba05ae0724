import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Alert } from "../../bindings/Alert";
import type { CardCheck } from "../../bindings/CardCheck";
import type { Delivery } from "../../bindings/Delivery";
import type { PayloadImport } from "../../bindings/PayloadImport";
import type { RenderRequest } from "../../bindings/RenderRequest";
import type { RenderedView } from "../../bindings/RenderedView";
import type { SendTarget } from "../../bindings/SendTarget";
import type { Settings } from "../../bindings/Settings";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { KEYCHAIN_TIMEOUT, problem, profile } from "../../test/fixtures";
import { answerCommands, renderApp } from "../../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const COLOURS = { triggered: "red", acknowledged: "yellow", resolved: "green", digest: "orange" } as const;
const CHAT = { chatId: "oc_oncall", name: "On-call", description: "Alerts for the on-call rotation" };

function check(overrides: Partial<CardCheck> = {}): CardCheck {
  return { findings: [], errors: 0, warnings: 0, sizeBytes: 812, limitBytes: 30720, warnBytes: 27648, version: "2.0", ...overrides };
}

/** Stands in for the Rust templates: a small card that shows the request it came from. */
function fakeRender(request: RenderRequest): RenderedView {
  const alert = request.alerts[0] as Alert;
  const header = { template: COLOURS[request.kind], title: { tag: "plain_text", content: alert.title } };
  const button = {
    tag: "button",
    type: "primary_filled",
    text: { tag: "plain_text", content: "Acknowledge" },
    confirm: { title: { tag: "plain_text", content: "Acknowledge it?" } },
    behaviors: [{ type: "callback", value: { action: "acknowledge", incident_id: alert.incidentId } }],
  };
  const card =
    request.version === "2.0"
      ? {
          schema: "2.0",
          config: { update_multi: true },
          header,
          body: { elements: [{ tag: "markdown", content: `**Status:** ${request.kind}` }, button] },
        }
      : {
          config: { update_multi: true },
          header,
          elements: [
            { tag: "div", fields: [{ is_short: true, text: { tag: "lark_md", content: `**Status**\n${request.kind}` } }] },
            { tag: "action", actions: [{ ...button, behaviors: undefined, value: { action: "acknowledge" } }] },
          ],
        };
  return {
    text: JSON.stringify(card, null, 2),
    check: check({ version: request.version }),
    template: { fileName: `${request.kind}.v${request.version === "2.0" ? 2 : 1}.json.j2`, kind: request.kind, version: request.version, language: request.language ?? "en", origin: { kind: "builtin" } },
  };
}

function cardsCommands(
  overrides: Record<string, (args: Record<string, unknown> | undefined) => unknown> = {},
  settings: Partial<Settings> = {},
) {
  return answerCommands(
    {
    list_profiles: () => [profile("Sandbox", { platform: { kind: "custom", baseUrl: "http://127.0.0.1:9300" } })],
    sandbox_status: () => ({ active: true, profile: "Sandbox", baseUrl: "http://127.0.0.1:9300" }),
    list_card_templates: () => ({
      folder: "/data/templates/cards",
      folderExists: false,
      templates: (["triggered", "acknowledged", "resolved", "digest"] as const).flatMap((kind) =>
        (["2.0", "1.0"] as const).map((version) => ({ fileName: `${kind}.json.j2`, kind, version, origin: { kind: "builtin" } })),
      ),
    }),
    render_card: (args) => fakeRender(args?.request as RenderRequest),
    validate_card: () => check(),
    ...overrides,
    },
    settings,
  );
}

function lastRender(invoke: ReturnType<typeof answerCommands>): RenderRequest {
  const calls = invoke.mock.calls.filter(([command]) => command === "render_card");
  return (calls[calls.length - 1]?.[1] as { request: RenderRequest }).request;
}

describe("cards screen", () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it("renders the triggered 2.0 card from the example alert, then 1.0 and acknowledged on request", async () => {
    const invoke = cardsCommands();
    const user = userEvent.setup();
    renderApp("/cards");

    const title = await screen.findByTestId("card-header-title");
    expect(title.textContent).toBe("Disk almost full on db-01");
    expect(screen.getByTestId("card-header").dataset.template).toBe("red");
    expect(screen.getByTestId("card-preview").dataset.schema).toBe("2.0");
    expect(lastRender(invoke)).toMatchObject({ kind: "triggered", version: "2.0" });
    expect(screen.getByTestId("template-triggered").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("template-origin-triggered").dataset.origin).toBe("builtin");
    expect(screen.getByTestId("editor-summary").textContent).toBe(en.cards.editor.noFindings);
    expect(screen.getByTestId("editor-size").dataset.state).toBe("ok");

    await user.click(screen.getByTestId("schema-1"));
    await waitFor(() => expect(screen.getByTestId("card-preview").dataset.schema).toBe("1.0"));
    expect(screen.getAllByTestId("card-field")).toHaveLength(1);

    await user.click(screen.getByTestId("template-acknowledged"));
    await waitFor(() => expect(screen.getByTestId("card-header").dataset.template).toBe("yellow"));
    const request = lastRender(invoke);
    expect(request.kind).toBe("acknowledged");
    expect(request.alerts[0]?.status).toBe("acknowledged");
    expect((screen.getByTestId("alert-status") as HTMLSelectElement).value).toBe("acknowledged");
  });

  it("re-renders live as the alert form changes", async () => {
    const invoke = cardsCommands();
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    const titleInput = screen.getByTestId("alert-title");
    await user.clear(titleInput);
    await user.type(titleInput, "Replica lag");
    await waitFor(() => expect(screen.getByTestId("card-header-title").textContent).toBe("Replica lag"));
    await user.selectOptions(screen.getByTestId("alert-status"), "resolved");
    await waitFor(() => expect(screen.getByTestId("card-header").dataset.template).toBe("green"));
    expect(screen.getByTestId("template-resolved").getAttribute("aria-pressed")).toBe("true");
    await user.clear(screen.getByTestId("alert-started-at"));
    await user.type(screen.getByTestId("alert-started-at"), "yesterday");
    expect(screen.getByTestId("alert-started-at-error").textContent).toBe(en.cards.alert.fields.startedAtError);
    expect(lastRender(invoke).alerts[0]?.startedAt).not.toBe("yesterday");
  });

  it("lists the validator's findings under the editor and selects a finding's line", async () => {
    const invoke = cardsCommands({
      validate_card: (args) => {
        const text = args?.text as string;
        try {
          JSON.parse(text);
        } catch {
          return check({
            errors: 1,
            sizeBytes: undefined,
            findings: [{ path: "$", severity: "error", code: "json_syntax", params: { line: "1", column: "2", detail: "key must be a string" }, line: 1, column: 2 }],
          });
        }
        return check({
          errors: 1,
          warnings: 1,
          sizeBytes: 29000,
          findings: [
            { path: "$.body.elements[1].tag", severity: "error", code: "unknown_tag", params: { tag: "text", schema: "2.0" } },
            { path: "$", severity: "warning", code: "card_near_size_limit", params: { size: "29000", limit: "30720" } },
          ],
        });
      },
    });
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    const editor = screen.getByTestId("card-json") as HTMLTextAreaElement;
    const broken = editor.value.replace('"tag": "button"', '"tag": "text"');
    fireEvent.change(editor, { target: { value: broken } });

    await waitFor(() => expect(screen.getByTestId("editor-summary").textContent).toMatch(/1 error\(s\), 1 warning\(s\)/));
    expect(screen.getByTestId("editor-summary").dataset.errors).toBe("1");
    expect(screen.getByTestId("card-editor-status").textContent).toMatch(/1 error\(s\)/);
    expect(invoke).toHaveBeenCalledWith("validate_card", { text: broken });
    expect(screen.getByTestId("editor-edited")).toBeTruthy();
    expect(screen.getByTestId("editor-size").dataset.state).toBe("warn");
    const finding = screen.getByTestId("finding-0");
    expect(finding.dataset.code).toBe("unknown_tag");
    expect(finding.textContent).toContain("$.body.elements[1].tag");
    // The sentence is the catalogue's, with the finding's values.
    expect(finding.querySelector(".cards-finding__message")?.textContent).toBe(
      en.cards.finding.unknown_tag.replace("{{tag}}", "text").replace("{{schema}}", "2.0"),
    );
    expect(screen.getByTestId("finding-1").querySelector(".cards-finding__message")?.textContent).toBe(
      "As a message this card is 29000 bytes, close to the 30720-byte limit; the platform counts style tags extra, so it may be rejected.",
    );
    fireEvent.click(finding);
    const line = broken.split("\n").findIndex((l) => l.includes('"tag": "text"')) + 1;
    expect(editor.dataset.selectedLine).toBe(String(line));
    expect(broken.slice(editor.selectionStart, editor.selectionEnd)).toContain('"tag": "text"');
    expect(screen.getByTestId("send-errors-warning").textContent).toContain("1");

    fireEvent.change(editor, { target: { value: "{ nope" } });
    expect(await screen.findByTestId("preview-invalid")).toBeTruthy();
    expect(screen.getByTestId("card-header-title").textContent).toBe("Disk almost full on db-01");
    await waitFor(() => expect(screen.getByTestId("finding-0").dataset.code).toBe("json_syntax"));
    expect(screen.getByTestId("finding-0").querySelector(".cards-finding__message")?.textContent).toBe(
      "This is not valid JSON (line 1, column 2): key must be a string.",
    );
    expect((screen.getByTestId("card-send") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId("editor-rerender"));
    await waitFor(() => expect(screen.queryByTestId("editor-edited")).toBeNull());
    await waitFor(() => expect(screen.queryByTestId("preview-invalid")).toBeNull());
  });

  it("imports a pasted payload, shows where each field came from and marks fields edited in the form", async () => {
    const imported: PayloadImport = {
      format: "alertmanager",
      alerts: [
        {
          alert: {
            title: "CPU above 95% on api-3",
            severity: "critical",
            status: "triggered",
            description: "api-3 has been above 95% CPU.",
            labels: { instance: "api-3:9100" },
            startedAt: "2024-05-01T12:30:00Z",
            assignees: [],
            links: [{ label: "Runbook", url: "https://runbooks.example.com/high-cpu" }],
            incidentId: "c1a2b3d4e5f60718",
          },
          mapping: [
            { field: "title", sourcePath: "$.alerts[0].annotations.summary", value: "CPU above 95% on api-3" },
            { field: "severity", sourcePath: "$.alerts[0].labels.severity", value: "Critical" },
            { field: "assignees", value: "" },
          ],
        },
        {
          alert: {
            title: "CPU back to normal on api-4",
            severity: "warning",
            status: "resolved",
            description: "",
            labels: {},
            startedAt: "2024-05-01T11:00:00Z",
            assignees: [],
            links: [],
            incidentId: "9a8b",
          },
          mapping: [],
        },
      ],
    };
    const invoke = cardsCommands({ import_alert_payload: () => imported });
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");

    await user.click(screen.getByTestId("alert-tab-payload"));
    await user.click(screen.getByTestId("payload-example-alertmanager"));
    const body = (screen.getByTestId("payload-text") as HTMLTextAreaElement).value;
    expect(JSON.parse(body).receiver).toBe("lark-companion");
    await user.click(screen.getByTestId("payload-import"));
    expect(invoke).toHaveBeenCalledWith("import_alert_payload", { body });

    expect((await screen.findByTestId("payload-format")).dataset.format).toBe("alertmanager");
    expect(screen.getByTestId("mapping-source-title").textContent).toBe("$.alerts[0].annotations.summary");
    expect(screen.getByTestId("mapping-assignees").textContent).toContain(en.cards.payload.default);
    await waitFor(() => expect(screen.getByTestId("card-header-title").textContent).toBe("CPU above 95% on api-3"));
    expect(lastRender(invoke).alerts).toHaveLength(2);

    await user.click(screen.getByTestId("payload-edit"));
    const titleInput = screen.getByTestId("alert-title");
    await user.clear(titleInput);
    await user.type(titleInput, "CPU hot on api-3");
    await user.click(screen.getByTestId("alert-tab-payload"));
    const row = screen.getByTestId("mapping-title");
    expect(row.dataset.edited).toBe("true");
    expect(screen.getByTestId("mapping-value-title").textContent).toBe("CPU hot on api-3");
    expect(screen.getByTestId("mapping-severity").dataset.edited).toBe("false");

    await user.click(screen.getByTestId("alert-tab-form"));
    await user.selectOptions(screen.getByTestId("alert-select"), "1");
    await waitFor(() => expect(screen.getByTestId("card-header").dataset.template).toBe("green"));
    expect((screen.getByTestId("alert-title") as HTMLInputElement).value).toBe("CPU back to normal on api-4");
  });

  it("sends to a group and a person, shows message IDs and a failure with its fix, then updates to acknowledged", async () => {
    const deliveries: Delivery[] = [
      { target: { kind: "chat_id", id: CHAT.chatId }, messageId: "om_1111", chatId: CHAT.chatId },
      {
        target: { kind: "email", id: "carol@example.com" },
        failure: problem(
          "platform",
          "receiver_unavailable",
          { code: "230013" },
          { fix: { code: "card_availability", link: "https://open.feishu.cn/app/cli_a1b2c3d4e5f60718/version" } },
        ),
      },
    ];
    const invoke = cardsCommands({
      list_bot_chats: () => [CHAT, { chatId: "oc_sre", name: "SRE", description: "" }],
      send_card: () => deliveries,
      update_card: (args) => ({ messageId: args?.messageId, updated: true }),
    });
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    expect(await screen.findByTestId("sandbox-banner")).toBeTruthy();

    await user.click(screen.getByTestId("send-load-chats"));
    await user.type(await screen.findByTestId("send-chat-search"), "on-c");
    expect(screen.queryByTestId("send-chat-oc_sre")).toBeNull();
    await user.click(screen.getByTestId(`send-chat-${CHAT.chatId}`));
    await user.type(screen.getByTestId("send-person-id"), "carol@example.com{Enter}");
    expect(screen.getByTestId("send-targets").children).toHaveLength(2);
    await user.click(screen.getByTestId("card-send"));

    const sendCall = invoke.mock.calls.find(([command]) => command === "send_card")?.[1] as {
      name: string;
      card: string;
      targets: SendTarget[];
      requestId: string;
    };
    expect(sendCall.name).toBe("Sandbox");
    expect(sendCall.targets).toEqual([
      { kind: "chat_id", id: CHAT.chatId },
      { kind: "email", id: "carol@example.com" },
    ]);
    expect(JSON.parse(sendCall.card).header.template).toBe("red");
    expect(sendCall.requestId).toBeTruthy();

    expect((await screen.findByTestId("send-message-id-0")).textContent).toBe("om_1111");
    expect(screen.getByTestId("send-result-1").dataset.status).toBe("failed");
    expect(screen.getByTestId("send-failure-1").dataset.kind).toBe("receiver_unavailable");
    expect(screen.getByTestId("send-failure-1-message").textContent).toBe(en.problems.receiver_unavailable.replace("{{code}}", "230013"));
    expect(screen.getByTestId("send-failure-1-fix").textContent).toContain(en.fixes.card_availability);
    expect(screen.getByTestId("send-failure-1-link")).toBeTruthy();
    expect(screen.getByTestId("send-retry-failed")).toBeTruthy();

    // The preview's button now shows the callback for the sent message.
    await user.click(screen.getByTestId("card-button"));
    await user.click(screen.getByTestId("card-confirm-ok"));
    const callback = JSON.parse(screen.getByTestId("card-callback-json").textContent ?? "{}");
    expect(callback.header.event_type).toBe("card.action.trigger");
    expect(callback.event.action.value).toEqual({ action: "acknowledge", incident_id: "inc_7f3a9c" });
    expect(callback.event.context.open_message_id).toBe("om_1111");

    await user.click(screen.getByTestId("send-update-ack-0"));
    expect((await screen.findByTestId("send-update-status-0")).textContent).toContain(en.cards.gallery.kinds.acknowledged);
    const updateCall = invoke.mock.calls.find(([command]) => command === "update_card")?.[1] as { messageId: string; card: string };
    expect(updateCall.messageId).toBe("om_1111");
    expect(JSON.parse(updateCall.card).header.template).toBe("yellow");
    await waitFor(() => expect(screen.getByTestId("card-header").dataset.template).toBe("yellow"));
  });

  it("words a send limited by rate and a refused update in Chinese, with the wait in the fix", async () => {
    cardsCommands(
      {
        list_bot_chats: () => [CHAT],
        send_card: (): Delivery[] => [
          { target: { kind: "chat_id", id: CHAT.chatId }, messageId: "om_1111", chatId: CHAT.chatId },
          {
            target: { kind: "email", id: "carol@example.com" },
            failure: problem("platform", "rate_limited", { code: "99991400", seconds: "3" }, { fix: { code: "card_wait_and_resend" } }),
          },
        ],
        update_card: (args) => ({
          messageId: args?.messageId,
          updated: false,
          failure: problem("platform", "content_invalid", { code: "230099", detail: "card unchangeable" }, { fix: { code: "card_update_rules" } }),
        }),
      },
      { language: "zh-CN" },
    );
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    await user.click(screen.getByTestId("send-load-chats"));
    await user.click(await screen.findByTestId(`send-chat-${CHAT.chatId}`));
    await user.type(screen.getByTestId("send-person-id"), "carol@example.com{Enter}");
    await user.click(screen.getByTestId("card-send"));

    const failure = await screen.findByTestId("send-failure-1");
    expect(failure.dataset.kind).toBe("rate_limited");
    expect(screen.getByTestId("send-failure-1-message").textContent).toBe("已达到飞书/Lark 的频率限制。请等待 3 秒后再试。");
    expect(screen.getByTestId("send-failure-1-fix").textContent).toContain(zhCN.fixes.card_wait_and_resend.replace("{{seconds}}", "3"));
    expect(screen.queryByTestId("send-failure-1-link")).toBeNull();

    await user.click(screen.getByTestId("send-update-ack-0"));
    expect((await screen.findByTestId("send-update-failure-0-message")).textContent).toContain("card unchangeable");
    expect(screen.getByTestId("send-update-failure-0").dataset.kind).toBe("content_invalid");
    expect(screen.getByTestId("send-update-failure-0-fix").textContent).toContain(zhCN.fixes.card_update_rules);
  });

  it("lays out the form on the left and the preview beside it, with the card JSON folded away", async () => {
    cardsCommands();
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    const form = screen.getByTestId("cards-form-column");
    const side = screen.getByTestId("cards-preview-column");
    expect(form.nextElementSibling).toBe(side);
    expect(within(side).getByTestId("preview-panel")).toBeTruthy();
    expect(within(form).getByTestId("alert-title")).toBeTruthy();
    expect(within(form).getByTestId("send-panel")).toBeTruthy();
    const editor = screen.getByTestId("card-editor") as HTMLDetailsElement;
    expect(editor.open).toBe(false);
    // Folded, it still says how the card fares.
    expect(screen.getByTestId("card-editor-toggle").textContent).toContain(en.cards.editor.noFindings);
    await user.click(screen.getByTestId("card-editor-toggle"));
    await waitFor(() => expect(editor.open).toBe(true));
  });

  it("offers the sandbox's people as recipients when the sandbox profile is chosen", async () => {
    const invoke = cardsCommands({
      sandbox_status: () => ({
        active: true,
        profile: "Sandbox",
        baseUrl: "http://127.0.0.1:9300",
        people: [
          { name: "Alice Chen", openId: "ou_alice" },
          { name: "Bob Li", openId: "ou_bob" },
        ],
      }),
      send_card: (args) => (args?.targets as SendTarget[]).map((target) => ({ target, messageId: `om_${target.id}` })),
    });
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    const alice = await screen.findByTestId("send-person-ou_alice");
    expect(alice.closest("label")?.textContent).toContain("Alice Chen");
    await user.click(alice);
    expect(screen.getByTestId("send-target-0").textContent).toContain("Alice Chen");
    await user.click(screen.getByTestId("card-send"));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("send_card", expect.objectContaining({ targets: [{ kind: "open_id", id: "ou_alice" }] })),
    );
  });

  it("does not offer the sandbox's people for another profile", async () => {
    cardsCommands({
      list_profiles: () => [profile("Prod")],
      sandbox_status: () => ({ active: true, profile: "Sandbox", people: [{ name: "Alice Chen", openId: "ou_alice" }] }),
    });
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    await screen.findByTestId("send-profile");
    expect(screen.queryByTestId("send-person-ou_alice")).toBeNull();
  });

  it("renders in the profile's card language and remembers another choice for the profile", async () => {
    const invoke = cardsCommands({
      list_profiles: () => [profile("Sandbox", { cardLanguage: "zh-CN" })],
      set_profile_card_language: (args) => profile("Sandbox", { cardLanguage: args?.language as "en" }),
    });
    const user = userEvent.setup();
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    await waitFor(() => expect(lastRender(invoke).language).toBe("zh-CN"));
    const choice = screen.getByTestId("card-language");
    expect((within(choice).getByTestId("card-language-zh-CN").querySelector("input") as HTMLInputElement).checked).toBe(true);
    await user.click(within(choice).getByText("English"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("set_profile_card_language", { name: "Sandbox", language: "en" }));
    await waitFor(() => expect(lastRender(invoke).language).toBe("en"));
  });

  it("renders cards in the app's language when the profile has no card language", async () => {
    const invoke = cardsCommands({}, { language: "zh-CN" });
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    await waitFor(() => expect(lastRender(invoke).language).toBe("zh-CN"));
    expect(screen.getByTestId("card-language").textContent).toContain("English");
  });

  it("loads the templates again when the keychain answers after the banner's Retry", async () => {
    let locked = true;
    cardsCommands({
      list_card_templates: () => {
        if (locked) throw KEYCHAIN_TIMEOUT;
        return { folder: "/data/templates/cards", folderExists: false, templates: [] };
      },
      keychain_status: () => {
        locked = false;
      },
    });
    const user = userEvent.setup();
    renderApp("/cards");
    await user.click(await screen.findByTestId("error-keychain-retry"));
    expect((await screen.findByTestId("templates-folder")).textContent).toContain("/data/templates/cards");
  });

  it("names the group loader as the setup wizard and the doctor do, in both languages", async () => {
    cardsCommands({ list_bot_chats: () => [] });
    const user = userEvent.setup();
    renderApp("/cards");
    await waitFor(() => expect((screen.getByTestId("send-load-chats") as HTMLButtonElement).disabled).toBe(false));
    const load = screen.getByTestId("send-load-chats");
    expect(load.textContent).toBe(en.setup.endToEnd.refresh);
    expect(en.doctor.loadChats).toBe(en.setup.endToEnd.refresh);
    expect(zhCN.cards.send.loadChats).toBe(zhCN.setup.endToEnd.refresh);
    expect(zhCN.doctor.loadChats).toBe(zhCN.setup.endToEnd.refresh);
    await user.click(load);
    // The empty state tells the admin which button to press again by the same name.
    expect((await screen.findByTestId("send-chats-empty")).textContent).toContain(en.setup.endToEnd.refresh);
  });

  it("speaks 简体中文 when the app does", async () => {
    cardsCommands({}, { language: "zh-CN" });
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    await waitFor(() => expect(screen.getByTestId("template-triggered").textContent).toContain(zhCN.cards.gallery.kinds.triggered));
    expect(within(screen.getByTestId("preview-panel")).getByText(zhCN.cards.preview.title)).toBeTruthy();
    expect(screen.getByTestId("card-send").textContent).toBe(zhCN.cards.send.send);
    // The card's own content is not translated: it is what the template wrote.
    expect(screen.getByTestId("card-header-title").textContent).toBe("Disk almost full on db-01");
  });

  it("explains validator findings in 简体中文, naming the tag and the limit", async () => {
    cardsCommands(
      {
        validate_card: () =>
          check({
            errors: 1,
            warnings: 1,
            findings: [
              { path: "$.body.elements[1].tag", severity: "error", code: "unknown_tag", params: { tag: "text", schema: "2.0" } },
              { path: "$.body.elements[0].element_id", severity: "error", code: "element_id_invalid", params: { id: "9lives", limit: "20" } },
            ],
          }),
      },
      { language: "zh-CN" },
    );
    renderApp("/cards");
    await screen.findByTestId("card-header-title");
    const editor = screen.getByTestId("card-json") as HTMLTextAreaElement;
    fireEvent.change(editor, { target: { value: editor.value.replace('"tag": "button"', '"tag": "text"') } });
    const finding = await screen.findByTestId("finding-0");
    const message = finding.querySelector(".cards-finding__message") as HTMLElement;
    expect(message.textContent).toBe("\"text\" 不是 JSON 2.0 卡片的组件。请检查拼写；有些组件只存在于一种结构中（audio 需要 JSON 2.0 卡片）。");
    expect(message.textContent).not.toMatch(/is not|{{/);
    const id = screen.getByTestId("finding-1").querySelector(".cards-finding__message") as HTMLElement;
    expect(id.textContent).toBe("element_id \"9lives\" 必须以字母开头，只能包含字母、数字和 _，且不超过 20 个字符。");
    expect(finding.textContent).toContain(zhCN.cards.editor.severity.error);
  });
});
