// Step 4: the plan read from the platform in plain words, a blocked item with its scope and both
// fixes, one Apply, then the plan read back (empty), and apps Apply may not change.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { openUrl } from "@tauri-apps/plugin-opener";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ApplyReport } from "../../../bindings/ApplyReport";
import type { Plan } from "../../../bindings/Plan";
import type { PlanItem } from "../../../bindings/PlanItem";
import type { WizardProgress } from "../../../bindings/WizardProgress";
import en from "../../../i18n/en.json";
import zhCN from "../../../i18n/zh-CN.json";
import { APP_ID, guide, problem, profile } from "../../../test/fixtures";
import { callsOf, type CommandArgs } from "../../../test/invokeMock";
import { answerCommands, renderApp } from "../../../test/renderApp";
import { rememberScan, SCAN_POLL } from "../scan/scanSession";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const WEB = "https://flashcat.cloud/feishu/web";
const CARD = "https://flashcat.cloud/feishu/card";
const PATCH = "application:application:patch";

function item(id: PlanItem["id"], action: PlanItem["action"], extra: Partial<PlanItem> = {}): PlanItem {
  return {
    id,
    subject: null,
    current: { kind: "notSet" },
    wanted: "",
    action,
    effect: "atOnce",
    blocking: true,
    api: "application.v7.config.patch",
    blocker: null,
    awaitingPublish: false,
    ...extra,
  };
}

function plan(items: PlanItem[], extra: Partial<Plan> = {}): Plan {
  return { appId: APP_ID, items, underReview: false, consoleMade: true, missingReadScope: null, ...extra };
}

/** A new app: bot on, no web app, no callback URL, no keys, im:chat missing. */
const before = plan([
  item("bot", "nothing", { current: { kind: "value", text: "on" }, wanted: "on", effect: "afterPublish" }),
  item("webApp", "add", { wanted: WEB, effect: "afterPublish" }),
  item("callbackUrl", "change", { current: { kind: "value", text: "websocket" }, wanted: CARD }),
  item("scope", "add", { subject: "im:chat", current: { kind: "notSet" }, wanted: "granted", effect: "afterPublish" }),
  item("encryption", "add", { current: { kind: "value", text: "Verification Token only" }, wanted: "set, and the same as in the keychain" }),
]);

const after = plan([
  item("bot", "nothing", { current: { kind: "value", text: "on" }, wanted: "on", effect: "afterPublish" }),
  item("webApp", "nothing", { current: { kind: "value", text: WEB }, wanted: WEB, effect: "afterPublish", awaitingPublish: true }),
  item("callbackUrl", "nothing", { current: { kind: "value", text: CARD }, wanted: CARD }),
  item("scope", "nothing", { subject: "im:chat", current: { kind: "value", text: "requested" }, wanted: "granted", effect: "afterPublish", awaitingPublish: true }),
  item("encryption", "nothing", { current: { kind: "value", text: "set" }, wanted: "set, and the same as in the keychain" }),
]);

function atApply(overrides: Record<string, (args: CommandArgs) => unknown>, language: "zh-CN" | null = null) {
  const steps: WizardProgress["steps"] = { platform: "pass", credentials: "pass" };
  return answerCommands(
    {
      list_profiles: () => [profile("Prod", { urls: { webConfigUrl: WEB, redirectUrl: null, cardRequestUrl: CARD } })],
      get_wizard_progress: () => ({ currentStep: "apply", steps, confirmed: [] }),
      set_wizard_progress: () => undefined,
      setup_guide: () => guide(),
      ...overrides,
    },
    { language },
  );
}

describe("apply to the app", () => {
  beforeEach(() => {
    vi.mocked(openUrl).mockReset().mockResolvedValue(undefined);
  });

  it("lists each setting in plain words, applies them in one go, and reads back an empty plan", async () => {
    let finish: (report: ApplyReport) => void = () => undefined;
    let applied = false;
    const invoke = atApply({
      setup_plan: () => (applied ? after : before),
      setup_apply: () => new Promise<ApplyReport>((resolve) => (finish = resolve)),
      get_profile: () => profile("Prod", { urls: { webConfigUrl: WEB, redirectUrl: null, cardRequestUrl: CARD }, secrets: { appSecret: true, verificationToken: true, encryptKey: true } }),
    });
    const user = userEvent.setup();
    renderApp("/setup");

    const web = await screen.findByTestId("plan-item-webApp");
    expect(invoke).toHaveBeenCalledWith("setup_plan", { name: "Prod", urls: null });
    expect(web.textContent).toContain(en.setup.apply.items.webApp.title);
    expect(web.textContent).toContain(en.setup.apply.items.webApp.purpose);
    expect(web.textContent).toContain(en.setup.apply.current.notSet);
    expect(web.textContent).toContain(WEB);
    expect(within(web).getByTestId("plan-item-webApp-action").textContent).toBe(en.setup.apply.action.add);
    expect(web.textContent).toContain(en.setup.apply.effect.afterPublish);
    expect(screen.getByTestId("plan-item-callbackUrl").textContent).toContain(en.setup.apply.items.callbackUrl.purpose);
    // The core's fixed words are said in the UI's words.
    expect(screen.getByTestId("plan-item-callbackUrl").textContent).toContain(en.setup.apply.values.websocket);
    expect(screen.getByTestId("plan-item-encryption").textContent).toContain(en.setup.apply.values.verificationTokenOnly);
    expect(screen.getByTestId("plan-item-scope-im_chat").textContent).toContain("Scope im:chat");
    // What is already as needed is folded away.
    expect(within(screen.getByTestId("plan-done")).getByTestId("plan-item-bot")).toBeTruthy();
    // A first look marks nothing: nothing was tried yet.
    expect(screen.getByTestId("wizard-step-apply").dataset.status).toBeUndefined();

    const apply = screen.getByTestId("apply-run");
    expect(apply.textContent).toBe("Apply (4 to change)");
    await user.click(apply);
    expect(apply.dataset.busy).toBe("true");
    expect(apply.textContent).toContain(en.setup.apply.applying);
    applied = true;
    finish({ applied: ["webApp", "callbackUrl", "scope", "encryption"], partial: false, failure: null, generatedKeys: true, storedAppKeys: false, plan: after });

    expect((await screen.findByTestId("plan-empty")).textContent).toBe(en.setup.apply.empty);
    expect(callsOf("setup_apply")).toEqual([{ name: "Prod" }]);
    expect(screen.getByTestId("apply-applied").textContent).toBe("Applied: Web App, card callback URL, scopes, Encrypt Key and Verification Token.");
    expect(screen.getByTestId("apply-generated-keys").textContent).toContain(en.setup.apply.result.generatedKeys);
    expect(screen.getByTestId("apply-needs-publish").textContent).toContain("Live only after publishing: Web App, scopes.");
    expect(screen.getByTestId("plan-item-webApp-action").textContent).toBe(en.setup.apply.action.awaitingPublish);
    expect((screen.getByTestId("apply-run") as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(screen.getByTestId("wizard-step-apply").dataset.status).toBe("pass"));

    // The new keys are in the keychain: the integration form copies them from there.
    await waitFor(() => expect(callsOf("get_profile")).toEqual([{ name: "Prod" }]));
    await user.click(screen.getByTestId("apply-goto-integration"));
    expect(await screen.findByTestId("integration-copy-encrypt-key")).toBeTruthy();
    expect(screen.queryByTestId("integration-missing-encrypt-key")).toBeNull();

    // Done: Next from Apply skips the by-hand steps.
    await user.click(screen.getByTestId("wizard-step-apply"));
    await screen.findByTestId("plan-empty");
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("step-publish")).toBeTruthy();
  });

  it("names the missing scope with both fixes: the console's scope page, or a scan", async () => {
    const blocked = { kind: "missingScope", scope: PATCH } as const;
    SCAN_POLL.ms = 5;
    atApply({
      setup_plan: () =>
        plan([
          item("webApp", "notAllowed", { wanted: WEB, blocker: blocked }),
          item("redirectUrl", "notAllowed", { wanted: "", blocker: { kind: "missingInput", field: "redirectUrl" } }),
        ]),
      registration_start: () => ({
        sessionId: "reg-1",
        link: "https://accounts.feishu.cn/app/scan?user_code=AB-CD&clientID=" + APP_ID,
        qrSvg: "<svg xmlns='http://www.w3.org/2000/svg'/>",
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      }),
      registration_status: () => ({ phase: "confirmed", intervalSecs: 5, lark: false, profile: null, message: null }),
    });
    const user = userEvent.setup();
    renderApp("/setup");
    const web = await screen.findByTestId("plan-item-webApp");
    const why = within(web).getByTestId("plan-item-webApp-blocker");
    expect(why.textContent).toContain(`The app lacks the scope ${PATCH}`);
    expect(why.textContent).toContain(`Add ${PATCH} under Permissions & Scopes`);
    expect(why.textContent).toContain(en.setup.apply.blocker.rescan);
    await user.click(within(why).getByTestId("plan-item-webApp-open-scopes"));
    expect(openUrl).toHaveBeenCalledWith(`https://open.feishu.cn/app/${APP_ID}/auth?q=${encodeURIComponent(PATCH)}`);
    expect((screen.getByTestId("apply-run") as HTMLButtonElement).disabled).toBe(true);

    // The other fix: the app confirmed again by scan, asked for by its ID; nothing is created.
    await user.click(within(why).getByTestId("plan-item-webApp-rescan"));
    expect(callsOf("registration_start")[0]).toMatchObject({ profileName: "Prod", reconfirm: true });
    expect((await within(why).findByTestId("plan-item-webApp-rescanned")).textContent).toBe(en.setup.apply.blocker.rescanned);
    rememberScan(null);
    SCAN_POLL.ms = 1000;

    const redirect = screen.getByTestId("plan-item-redirectUrl-blocker");
    expect(redirect.textContent).toContain("The Redirect URL is not saved yet");
    await user.click(within(redirect).getByTestId("plan-item-redirectUrl-goto-integration"));
    expect(await screen.findByTestId("step-integration")).toBeTruthy();
  });

  it("shows differing keys without values, with the two ways out", async () => {
    atApply({ setup_plan: () => plan([item("encryption", "mismatch", { current: { kind: "value", text: "set" }, wanted: "set, and the same as in the keychain" })]) });
    const user = userEvent.setup();
    renderApp("/setup");
    const mismatch = await screen.findByTestId("plan-item-encryption-mismatch");
    expect(mismatch.textContent).toContain(en.setup.apply.mismatch.takeAppsTitle);
    expect(mismatch.textContent).toContain(en.setup.apply.mismatch.setOursTitle);
    expect(screen.getByTestId("plan-item-encryption-action").textContent).toBe(en.setup.apply.action.mismatch);
    await user.click(within(mismatch).getByTestId("plan-item-encryption-goto-credentials"));
    expect(await screen.findByTestId("step-credentials")).toBeTruthy();
  });

  it("says why an app under review, or not made in the console, goes the manual way", async () => {
    atApply({ setup_plan: () => plan([item("webApp", "notAllowed", { wanted: WEB, blocker: { kind: "underReview" } })], { underReview: true, consoleMade: false }) });
    const user = userEvent.setup();
    renderApp("/setup");
    const notice = await screen.findByTestId("plan-notice");
    expect(within(notice).getByTestId("plan-notice-underReview").textContent).toContain(en.setup.apply.notice.underReview);
    expect(within(notice).getByTestId("plan-notice-notConsoleApp").textContent).toBe(en.setup.apply.notice.notConsoleApp);
    expect(screen.getByTestId("plan-item-webApp-blocker").textContent).toBe(en.setup.apply.blocker.underReview);
    await user.click(within(notice).getByTestId("apply-by-hand"));
    expect(await screen.findByTestId("step-appConfig")).toBeTruthy();
    expect(screen.getByTestId("by-hand-note").textContent).toContain(en.setup.byHand.text);
  });

  it("names the read scope when the app may not read itself", async () => {
    atApply({ setup_plan: () => plan([item("webApp", "cantTell", { current: { kind: "unknown" }, wanted: WEB })], { missingReadScope: "application:application:self_manage" }) });
    renderApp("/setup");
    const notice = await screen.findByTestId("plan-notice-missingReadScope");
    expect(notice.textContent).toContain("it lacks the scope application:application:self_manage");
    expect(screen.getByTestId("plan-item-webApp").textContent).toContain(en.setup.apply.cantTellHint);
    expect(screen.getByTestId("plan-item-webApp").textContent).toContain(en.setup.apply.current.unknown);
  });

  it("falls back to the manual steps when the platform cannot be read, with its error beside it", async () => {
    atApply({
      setup_plan: () => {
        throw problem("platform", "not_supported", {}, { fix: { code: "use_console" } });
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    const unreadable = await screen.findByTestId("plan-unreadable");
    expect(within(unreadable).getByTestId("plan-error").textContent).toContain("HTTP 404");
    expect(unreadable.textContent).toContain(en.setup.apply.notice.unreadable);
    expect(screen.queryByTestId("error-banner")).toBeNull();
    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("step-appConfig")).toBeTruthy();
  });

  it("shows a refused change with the scope the app lacks", async () => {
    atApply({
      setup_plan: () => before,
      setup_apply: () => ({
        applied: ["webApp"],
        partial: true,
        failure: problem(
          "platform",
          "missing_scopes",
          { code: "99991672", scopes: `${PATCH}, application:application` },
          { fix: { code: "grant_scopes", link: `https://open.feishu.cn/app/${APP_ID}/auth` } },
        ),
        generatedKeys: false,
        storedAppKeys: false,
        plan: before,
      }),
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("apply-run"));
    const failure = await screen.findByTestId("apply-failure");
    expect(failure.dataset.kind).toBe("missing_scopes");
    expect(failure.textContent).toContain(`(any one of: ${PATCH}, application:application) (code 99991672)`);
    // The hint names the first of the scopes that would do.
    expect(failure.textContent).toContain(en.setup.apply.blocker.missingScope.replace("{{scope}}", PATCH));
    expect(screen.getByTestId("apply-applied").textContent).toContain("Partly applied: Web App.");
    await waitFor(() => expect(screen.getByTestId("wizard-step-apply").dataset.status).toBe("fail"));
  });

  it("reads the plan in Chinese", async () => {
    atApply({ setup_plan: () => before }, "zh-CN");
    renderApp("/setup");
    const web = await screen.findByTestId("plan-item-webApp");
    expect(web.textContent).toContain(zhCN.setup.apply.items.webApp.purpose);
    expect(screen.getByTestId("plan-item-callbackUrl").textContent).toContain(zhCN.setup.apply.values.websocket);
    expect(screen.getByTestId("apply-run").textContent).toBe("自动配置（4 项更改）");
  });
});
