import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { openUrl } from "@tauri-apps/plugin-opener";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RecordEvent } from "../../bindings/RecordEvent";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { WizardProgress } from "../../bindings/WizardProgress";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { APP_ID, guide, KEYCHAIN_TIMEOUT, outcome, problem, profile } from "../../test/fixtures";
import { emitEvent } from "../../test/eventBridge";
import { answerCommands, clipboardText, renderApp } from "../../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

vi.mock("@tauri-apps/api/event", () => import("../../test/eventBridge"));

/** A card click the relay recorded for the profile whose callback path is `slug`. */
function clickRecorded(id: number, slug: string): RecordEvent {
  return {
    type: "recorded",
    record: {
      id,
      receivedAt: new Date().toISOString(),
      profile: slug,
      source: "callback",
      kind: "card_action",
      eventType: "card.action.trigger",
      eventId: `ev_${id}`,
      verdict: "accepted",
      rejectCode: null,
      answeredBy: "built_in",
      answerMs: 2.4,
      deadlineMs: 3000,
      deadlineMissed: false,
      upstreamStatus: null,
      upstreamLatencyMs: null,
      outbox: null,
      httpStatus: 200,
      attempts: 0,
    } satisfies RecordSummary,
  };
}

const FIX_LINK = `https://open.feishu.cn/app/${APP_ID}/baseinfo`;

/** A saved profile "Prod" whose wizard stands at `step`. */
function savedProfileAt(step: string, overrides: Record<string, (args: Record<string, unknown> | undefined) => unknown> = {}) {
  const progress: WizardProgress = { currentStep: step, steps: { platform: "pass", credentials: "pass" }, confirmed: [] };
  return answerCommands({
    list_profiles: () => [profile("Prod")],
    get_wizard_progress: () => progress,
    set_wizard_progress: () => undefined,
    setup_guide: () => guide(),
    ...overrides,
  });
}

describe("setup wizard", () => {
  beforeEach(() => {
    vi.mocked(openUrl).mockReset().mockResolvedValue(undefined);
  });

  it("creates the profile, checks the credentials and shows a refused App Secret with its fix", async () => {
    const invoke = answerCommands({
      add_profile: (args) => {
        const input = args?.input as { name: string; appId: string };
        return profile(input.name, { platform: { kind: "lark" }, appId: input.appId });
      },
      set_wizard_progress: () => undefined,
      setup_guide: () => guide(),
      run_checks: () => [
        outcome("credentials", "fail", "invalidAppSecret", {
          params: { code: "10014" },
          fix: { link: FIX_LINK },
        }),
        outcome("callbackSecrets", "pass", "callbackSecretsStored"),
      ],
    });
    const user = userEvent.setup();
    renderApp("/setup");

    expect(await screen.findByTestId("step-platform")).toBeTruthy();
    await user.click(screen.getByTestId("platform-lark"));
    await user.type(screen.getByTestId("profile-name"), "Prod");
    await user.click(screen.getByTestId("open-developer-console"));
    expect(openUrl).toHaveBeenCalledWith("https://open.larksuite.com/app");
    await user.click(screen.getByTestId("wizard-next"));

    expect(await screen.findByTestId("step-credentials")).toBeTruthy();
    // The steps after the credentials stay locked until the profile is saved.
    expect((screen.getByTestId("wizard-step-integration") as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId("cred-app-id"), APP_ID);
    await user.type(screen.getByTestId("cred-app-secret"), "wrong-secret");
    await user.type(screen.getByTestId("cred-verification-token"), "vt-123");
    await user.type(screen.getByTestId("cred-encrypt-key"), "ek-456");
    expect(screen.getByTestId("cred-app-secret").getAttribute("type")).toBe("password");
    await user.click(screen.getByTestId("credentials-save"));

    const failed = await screen.findByTestId("check-outcome-credentials");
    expect(invoke).toHaveBeenCalledWith("add_profile", {
      input: {
        name: "Prod",
        platform: { kind: "lark" },
        appId: APP_ID,
        secrets: { appSecret: "wrong-secret", verificationToken: "vt-123", encryptKey: "ek-456" },
      },
    });
    expect(invoke).toHaveBeenCalledWith("run_checks", { name: "Prod", ids: ["credentials", "callbackSecrets"], testChat: null });
    expect(within(failed).getByTestId("check-status-credentials").dataset.status).toBe("fail");
    expect(within(failed).getByTestId("check-reason-credentials").textContent).toBe(en.checks.findings.invalidAppSecret);
    expect(en.checks.findings.invalidAppSecret).not.toBe(en.checks.findings.invalidAppId);
    expect(within(failed).getByTestId("check-fix-credentials").textContent).toContain(
      "Copy the App Secret again from Credentials & Basic Info (watch for a missing character or a trailing space)",
    );
    await user.click(within(failed).getByTestId("check-fix-link-credentials"));
    expect(openUrl).toHaveBeenCalledWith(FIX_LINK);
    expect(screen.getByTestId("check-outcome-callbackSecrets").dataset.status).toBe("pass");

    // The progress is saved under the new profile, and the later steps open.
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith("set_wizard_progress", {
        name: "Prod",
        progress: { currentStep: "credentials", steps: { platform: "pass", credentials: "fail" }, confirmed: [] },
      }),
    );
    expect((screen.getByTestId("wizard-step-integration") as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId("wizard-step-credentials").dataset.status).toBe("fail");
  });

  it("starts a new profile at once while the profile list is still loading (a busy keychain)", async () => {
    answerCommands({
      // The first start's sandbox is still being written to a slow keychain: no list yet.
      list_profiles: () => new Promise(() => undefined),
      sandbox_status: () => new Promise(() => undefined),
    });
    renderApp("/setup");
    await screen.findByTestId("setup-loading");
    await userEvent.click(screen.getByTestId("setup-new-profile"));
    await screen.findByTestId("platform-custom");
    expect(screen.queryByTestId("setup-loading")).toBeNull();
  });

  it("tells an unknown App ID apart from a wrong App Secret", async () => {
    savedProfileAt("credentials", {
      run_checks: () => [outcome("credentials", "fail", "invalidAppId", { fix: {} })],
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("credentials-save"));
    expect((await screen.findByTestId("check-reason-credentials")).textContent).toBe(en.checks.findings.invalidAppId);
  });

  it("refuses a malformed App ID before calling the app", async () => {
    const invoke = answerCommands();
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("profile-name"), "Prod");
    await user.click(screen.getByTestId("wizard-next"));
    await user.type(screen.getByTestId("cred-app-id"), "cli_12345");
    await user.type(screen.getByTestId("cred-app-secret"), "s");
    await user.click(screen.getByTestId("credentials-save"));
    expect(screen.getByTestId("cred-app-id-error").textContent).toBe(en.setup.credentials.appIdInvalid);
    expect(invoke).not.toHaveBeenCalledWith("add_profile", expect.anything());
  });

  it("cleans pasted values: spaces, line breaks and surrounding quotes go", async () => {
    answerCommands();
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("profile-name"), "Prod");
    await user.click(screen.getByTestId("wizard-next"));

    const appId = screen.getByTestId("cred-app-id") as HTMLInputElement;
    await user.click(appId);
    await user.paste(`  "${APP_ID}"\n`);
    expect(appId.value).toBe(APP_ID);

    const secret = screen.getByTestId("cred-app-secret") as HTMLInputElement;
    await user.click(secret);
    await user.paste("\u201cs3cr3t-value\u201d\r\n");
    expect(secret.value).toBe("s3cr3t-value");

    // Typed values are cleaned when the field is left.
    const token = screen.getByTestId("cred-verification-token") as HTMLInputElement;
    await user.type(token, "  tok-1 ");
    await user.tab();
    expect(token.value).toBe("tok-1");
  });

  it("reveals a secret on request and clears the clipboard note after copying", async () => {
    answerCommands();
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("profile-name"), "Prod");
    await user.click(screen.getByTestId("wizard-next"));
    await user.type(screen.getByTestId("cred-app-secret"), "abc");
    await user.click(screen.getByTestId("cred-app-secret-reveal"));
    expect(screen.getByTestId("cred-app-secret").getAttribute("type")).toBe("text");
    expect(screen.getByTestId("cred-app-secret-reveal").getAttribute("aria-pressed")).toBe("true");

    await user.click(screen.getByTestId("cred-app-secret-copy"));
    expect(await navigator.clipboard.readText()).toBe("abc");
    expect(screen.getByTestId("cred-app-secret-copy-note").textContent).toBe("Clipboard clears in 30 s");
  });

  it("copies a stored secret from the keychain in step 2, and the value typed over it when there is one", async () => {
    const invoke = savedProfileAt("credentials");
    const user = userEvent.setup();
    renderApp("/setup");
    const copy = (await screen.findByTestId("cred-app-secret-copy")) as HTMLButtonElement;
    expect(copy.disabled).toBe(false);
    await user.click(copy);
    expect(invoke).toHaveBeenCalledWith("copy_profile_secret", { name: "Prod", kind: "appSecret" });
    expect(clipboardText()).toBe("<appSecret of Prod>");
    expect(screen.getByTestId("cred-app-secret-copy-note").textContent).toBe("Clipboard clears in 30 s");
    await user.click(screen.getByTestId("cred-verification-token-copy"));
    expect(invoke).toHaveBeenCalledWith("copy_profile_secret", { name: "Prod", kind: "verificationToken" });
    // Nothing stored and nothing typed: nothing to copy.
    expect((screen.getByTestId("cred-encrypt-key-copy") as HTMLButtonElement).disabled).toBe(true);
    // A value typed over the stored one is what gets copied.
    await user.type(screen.getByTestId("cred-app-secret"), "new-secret");
    await user.click(screen.getByTestId("cred-app-secret-copy"));
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: "new-secret", secret: true });
  });

  it("copies each stored secret for Flashduty's form in step 3, and says which one is not stored", async () => {
    const invoke = savedProfileAt("integration");
    const user = userEvent.setup();
    renderApp("/setup");
    const values = await screen.findByTestId("integration-values");
    expect(values.textContent).not.toContain("use Copy in step 2");
    await user.click(screen.getByTestId("integration-copy-app-secret"));
    expect(invoke).toHaveBeenCalledWith("copy_profile_secret", { name: "Prod", kind: "appSecret" });
    await user.click(screen.getByTestId("integration-copy-verification-token"));
    expect(invoke).toHaveBeenCalledWith("copy_profile_secret", { name: "Prod", kind: "verificationToken" });
    expect(clipboardText()).toBe("<verificationToken of Prod>");
    expect(screen.queryByTestId("integration-copy-encrypt-key")).toBeNull();
    expect(screen.getByTestId("integration-missing-encrypt-key").textContent).toBe(en.setup.integration.notStored);
  });

  it("warns when a URL looks like it belongs in another field, and shows server errors under the field", async () => {
    const invoke = savedProfileAt("integration", {
      set_profile_urls: () => {
        throw problem("invalid_input", "url_not_full", { value: "https://x", detail: "empty host" }, { field: "webConfigUrl" });
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    const card = (await screen.findByTestId("url-card-request")) as HTMLInputElement;

    await user.click(card);
    await user.paste("https://api.flashcat.cloud/feishu/oauth/redirect?id=1\n");
    expect(screen.getByTestId("url-card-request-warning").textContent).toBe(
      en.setup.integration.urlWarning.looksLikeRedirect,
    );

    await user.click(screen.getByTestId("url-redirect"));
    await user.paste("https://api.flashcat.cloud/feishu/card/callback");
    expect(screen.getByTestId("url-redirect-warning").textContent).toBe(
      en.setup.integration.urlWarning.looksLikeCardRequest,
    );

    await user.type(screen.getByTestId("url-web-config"), "http://flashcat.cloud/web");
    await user.tab();
    expect(screen.getByTestId("url-web-config-error").textContent).toBe(en.setup.integration.urlError.notHttps);
    await user.click(screen.getByTestId("urls-save"));
    expect(invoke).not.toHaveBeenCalledWith("set_profile_urls", expect.anything());

    await user.clear(screen.getByTestId("url-web-config"));
    await user.type(screen.getByTestId("url-web-config"), "https://x");
    await user.click(screen.getByTestId("urls-save"));
    expect((await screen.findByTestId("url-web-config-error")).textContent).toBe('"https://x" is not a full URL (empty host); paste it including https://.');
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("saves the three URLs and lists the integration form's values", async () => {
    const invoke = savedProfileAt("integration", {
      set_profile_urls: (args) => args?.urls,
    });
    const user = userEvent.setup();
    renderApp("/setup");
    const values = await screen.findByTestId("integration-values");
    expect(values.textContent).toContain("Prod");
    expect(values.textContent).toContain(APP_ID);
    expect(values.textContent).toContain(en.setup.integration.fromKeychain);

    await user.type(screen.getByTestId("url-web-config"), "https://flashcat.cloud/feishu/web");
    await user.type(screen.getByTestId("url-redirect"), "https://flashcat.cloud/feishu/redirect");
    await user.type(screen.getByTestId("url-card-request"), "https://flashcat.cloud/feishu/card");
    await user.click(screen.getByTestId("urls-save"));
    expect(await screen.findByTestId("urls-saved")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("set_profile_urls", {
      name: "Prod",
      urls: {
        webConfigUrl: "https://flashcat.cloud/feishu/web",
        redirectUrl: "https://flashcat.cloud/feishu/redirect",
        cardRequestUrl: "https://flashcat.cloud/feishu/card",
      },
    });
    expect(screen.getByTestId("wizard-step-integration").dataset.status).toBe("pass");

    // The by-hand configuration step (after Apply, step 4).
    await user.click(screen.getByTestId("wizard-step-appConfig"));
    expect(await screen.findByTestId("step-appConfig")).toBeTruthy();
    expect(screen.getByTestId("appconfig-copy-homepage-value").textContent).toBe("https://flashcat.cloud/feishu/web");
    await user.click(screen.getByTestId("appconfig-open-security"));
    expect(openUrl).toHaveBeenCalledWith(`https://open.feishu.cn/app/${APP_ID}/safe`);
    expect(invoke).toHaveBeenCalledWith("set_wizard_progress", {
      name: "Prod",
      progress: expect.objectContaining({ currentStep: "appConfig" }),
    });
  });

  it("resumes a saved profile at its saved step", async () => {
    const invoke = savedProfileAt("scopes", {
      list_profiles: () => [profile("Prod"), profile("Staging")],
      run_checks: () => [
        outcome("chatScope", "fail", "missingScopes", {
          params: { scopes: "im:chat" },
          fix: { link: `https://open.feishu.cn/app/${APP_ID}/auth?q=im:chat` },
        }),
        outcome("botInGroups", "unknown", "blockedByChatScope"),
      ],
    });
    window.localStorage.setItem("lark-companion.lastProfile", "Staging");
    const user = userEvent.setup();
    renderApp("/setup");

    expect(await screen.findByTestId("step-scopes")).toBeTruthy();
    expect((screen.getByTestId("setup-profile-select") as HTMLSelectElement).value).toBe("Staging");
    expect(invoke).toHaveBeenCalledWith("get_wizard_progress", { name: "Staging" });
    expect(screen.getByTestId("wizard-step-scopes").getAttribute("aria-current")).toBe("step");
    expect(screen.getByTestId("wizard-step-credentials").dataset.status).toBe("pass");
    expect((screen.getByTestId("scopes-list") as HTMLTextAreaElement).value).toBe(guide().scopeList);

    await user.click(screen.getByTestId("scopes-check"));
    const missing = await screen.findByTestId("check-outcome-chatScope");
    expect(invoke).toHaveBeenCalledWith("run_checks", { name: "Staging", ids: ["chatScope", "botInGroups"], testChat: null });
    expect(within(missing).getByTestId("check-reason-chatScope").textContent).toBe("These scopes are not granted: im:chat.");
    expect(screen.getByTestId("check-outcome-botInGroups").dataset.status).toBe("unknown");
  });

  it("opens the sandbox profile and says it is a sandbox", async () => {
    answerCommands({
      list_profiles: () => [profile("Prod"), profile("Sandbox", { platform: { kind: "custom", baseUrl: "http://127.0.0.1:4010" } })],
      sandbox_status: () => ({ active: true, profile: "Sandbox", baseUrl: "http://127.0.0.1:4010" }),
      get_wizard_progress: () => ({ currentStep: null, steps: {}, confirmed: [] }),
      setup_guide: () => guide(),
    });
    renderApp("/setup");
    expect((await screen.findByTestId("sandbox-banner")).textContent).toContain(
      "Sandbox: simulated tenant, no real Feishu/Lark traffic",
    );
    // A first launch (no wizard progress yet) starts at step 1, which is done: the profile exists.
    expect(await screen.findByTestId("step-platform")).toBeTruthy();
    expect(screen.getByTestId("wizard-step-platform").dataset.status).toBe("pass");
    expect(screen.getByTestId("wizard-step-platform").textContent).toContain(`(${en.checks.status.pass})`);
    expect((screen.getByTestId("setup-profile-select") as HTMLSelectElement).value).toBe("Sandbox");
  });

  it("lets the admin confirm by hand what the API cannot check, remembers it, and counts the step as done", async () => {
    const invoke = savedProfileAt("appConfig", {
      run_checks: () => [
        outcome("bot", "pass", "botActive", { params: { name: "Flashduty" } }),
        outcome("webApp", "unknown", "webAppNotVisible", { params: { url: "https://x.test/web" } }),
        outcome("redirectUrl", "unknown", "redirectUrlNotVisible", { params: { url: "https://x.test/r" } }),
      ],
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("appconfig-check"));
    await screen.findByTestId("check-outcome-webApp");
    expect(screen.getByTestId("wizard-step-appConfig").dataset.status).toBe("unknown");
    // Nothing to confirm on a pass.
    expect(screen.queryByTestId("check-confirm-bot")).toBeNull();

    await user.click(screen.getByTestId("check-confirm-webApp"));
    expect(screen.getByTestId("check-confirmed-webApp").textContent).toContain(en.checks.confirmedByHand);
    expect(invoke).toHaveBeenCalledWith("set_wizard_progress", {
      name: "Prod",
      progress: expect.objectContaining({ confirmed: ["webApp"] }),
    });
    expect(screen.getByTestId("wizard-step-appConfig").dataset.status).toBe("unknown");
    await user.click(screen.getByTestId("check-confirm-redirectUrl"));
    expect(screen.getByTestId("wizard-step-appConfig").dataset.status).toBe("pass");
    expect(invoke).toHaveBeenLastCalledWith("set_wizard_progress", {
      name: "Prod",
      progress: expect.objectContaining({ confirmed: ["webApp", "redirectUrl"], steps: expect.objectContaining({ appConfig: "pass" }) }),
    });

    // Undo takes it back.
    await user.click(screen.getByTestId("check-unconfirm-redirectUrl"));
    expect(screen.getByTestId("check-confirm-redirectUrl")).toBeTruthy();
    expect(screen.getByTestId("wizard-step-appConfig").dataset.status).toBe("unknown");
  });

  it("shows an item confirmed earlier as confirmed by hand", async () => {
    savedProfileAt("appConfig", {
      get_wizard_progress: () => ({ currentStep: "appConfig", steps: { credentials: "pass" }, confirmed: ["webApp"] }),
      run_checks: () => [outcome("webApp", "unknown", "webAppNotVisible", { params: { url: "https://x.test/web" } })],
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("appconfig-check"));
    expect((await screen.findByTestId("check-confirmed-webApp")).textContent).toContain(en.checks.confirmedByHand);
    expect(screen.getByTestId("wizard-step-appConfig").dataset.status).toBe("pass");
  });

  it("ends with a summary: each step's state, what is left to check by hand, and what to do next", async () => {
    const invoke = savedProfileAt("endToEnd", {
      get_wizard_progress: () => ({
        currentStep: "endToEnd",
        steps: { credentials: "pass", integration: "pass", appConfig: "unknown", scopes: "fail" },
        confirmed: ["webApp"],
      }),
      list_bot_chats: () => [],
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await screen.findByTestId("step-endToEnd");
    expect(screen.queryByTestId("wizard-next")).toBeNull();
    await user.click(screen.getByTestId("wizard-finish"));

    const summary = await screen.findByTestId("step-finish");
    expect(invoke).toHaveBeenCalledWith("set_wizard_progress", { name: "Prod", progress: expect.objectContaining({ currentStep: "finish" }) });
    expect(within(summary).getByTestId("finish-step-platform").textContent).toContain(en.checks.status.pass);
    expect(within(summary).getByTestId("finish-step-scopes").textContent).toContain(en.checks.status.fail);
    expect(within(summary).getByTestId("finish-step-publish").textContent).toContain(en.setup.finish.notRun);
    // Going back to a step from the summary.
    expect(within(summary).getByTestId("finish-goto-scopes")).toBeTruthy();

    // What the API cannot check: confirmed ones say so, the others can be confirmed here.
    expect(within(summary).getByTestId("finish-confirmed-webApp").textContent).toContain(en.checks.confirmedByHand);
    await user.click(within(summary).getByTestId("finish-confirm-availability"));
    expect(invoke).toHaveBeenLastCalledWith("set_wizard_progress", {
      name: "Prod",
      progress: expect.objectContaining({ confirmed: ["webApp", "availability"] }),
    });
    expect(within(summary).getByTestId("finish-confirmed-availability")).toBeTruthy();

    await user.click(within(summary).getByTestId("finish-open-doctor"));
    await waitFor(() => expect(window.location.hash).toBe("#/doctor"));
  });

  it("asks to confirm by hand only what the platform did not answer, and offers Apply for what it can fix", async () => {
    savedProfileAt("appConfig", {
      run_checks: () => [
        outcome("webApp", "pass", "webAppMatches", { params: { url: "https://flashcat.cloud/feishu/web" } }),
        outcome("bot", "pass", "botActive", { params: { name: "Alerts" } }),
        outcome("redirectUrl", "fail", "redirectUrlMissing", { params: { current: "", expected: "https://flashcat.cloud/feishu/redirect" } }),
        outcome("callbackUrl", "unknown", "settingsNotReadable", { params: { scope: "application:application:self_manage" } }),
      ],
      setup_plan: () => ({ appId: APP_ID, items: [], underReview: false, consoleMade: true, missingReadScope: null }),
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("appconfig-check"));
    expect((await screen.findByTestId("check-reason-webApp")).textContent).toBe("The Web App's homepage is https://flashcat.cloud/feishu/web (read from the platform).");
    expect(screen.queryByTestId("check-confirm-webApp")).toBeNull();
    expect(screen.getByTestId("check-confirm-callbackUrl")).toBeTruthy();
    expect(screen.getByTestId("check-reason-callbackUrl").textContent).toContain("application:application:self_manage");

    await user.click(screen.getByTestId("wizard-step-finish"));
    const byHand = await screen.findByTestId("finish-by-hand");
    expect(within(byHand).queryByTestId("finish-item-webApp")).toBeNull();
    expect(within(byHand).queryByTestId("finish-item-redirectUrl")).toBeNull();
    expect(within(byHand).getByTestId("finish-item-callbackUrl")).toBeTruthy();
    // Not checked yet: still to look at.
    expect(within(byHand).getByTestId("finish-item-availability")).toBeTruthy();

    await user.click(screen.getByTestId("finish-goto-appConfig"));
    await user.click(await screen.findByTestId("appconfig-check"));
    await user.click(await screen.findByTestId("check-apply-redirectUrl"));
    expect(await screen.findByTestId("step-apply")).toBeTruthy();
  });

  it("reads the summary in Chinese", async () => {
    answerCommands(
      {
        list_profiles: () => [profile("Prod")],
        get_wizard_progress: () => ({ currentStep: "finish", steps: { credentials: "pass", appConfig: "unknown" }, confirmed: [] }),
        setup_guide: () => guide(),
      },
      { language: "zh-CN" },
    );
    renderApp("/setup");
    await waitFor(() => expect(screen.getByTestId("screen-title").textContent).toBe(zhCN.screens.setup.title));
    const summary = await screen.findByTestId("step-finish");
    expect(summary.textContent).toContain(zhCN.setup.finish.title);
    expect(summary.textContent).toContain(zhCN.setup.finish.next.relay);
    expect(within(summary).getByTestId("finish-step-appConfig").textContent).toContain(zhCN.checks.status.unknown);
    expect(within(summary).getByTestId("finish-confirm-availability").textContent).toBe(zhCN.checks.confirm);
    expect(screen.getByTestId("wizard-step-finish").textContent).toContain(zhCN.setup.finish.title);
  });

  it.each([
    ["finish-open-relay", "#/relay"],
    ["finish-open-cards", "#/cards"],
  ])("leads from the summary (resumed there) with %s to %s", async (button, hash) => {
    savedProfileAt("finish");
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId(button));
    await waitFor(() => expect(window.location.hash).toBe(hash));
  });

  it("explains how to add the bot to a group when it is in none, then sends a test card", async () => {
    let chats: unknown[] = [];
    const invoke = savedProfileAt("endToEnd", {
      list_bot_chats: () => chats,
      run_checks: () => [outcome("messageScope", "pass", "testCardSent", { params: { messageId: "om_123" } })],
    });
    const user = userEvent.setup();
    renderApp("/setup");

    const empty = await screen.findByTestId("chats-empty");
    expect(empty.textContent).toContain(en.setup.endToEnd.empty2);
    expect(empty.textContent).toContain("Settings > Bots > Add Bot");
    expect((screen.getByTestId("send-test-card") as HTMLButtonElement).disabled).toBe(true);

    chats = [
      { chatId: "oc_ops", name: "Ops on call", description: "alerts" },
      { chatId: "oc_dev", name: "Dev", description: "" },
    ];
    await user.click(screen.getByTestId("chats-refresh"));
    expect(await screen.findByTestId("chat-option-oc_ops")).toBeTruthy();
    await user.type(screen.getByTestId("chat-search"), "dev");
    expect(screen.queryByTestId("chat-option-oc_ops")).toBeNull();
    await user.click(screen.getByTestId("chat-option-oc_dev"));
    await user.click(screen.getByTestId("send-test-card"));

    expect((await screen.findByTestId("test-card-result")).textContent).toContain("om_123");
    expect(invoke).toHaveBeenCalledWith("run_checks", { name: "Prod", ids: ["messageScope"], testChat: "oc_dev" });
  });

  it("without a relay, says how to watch a card click come back and leads to the Relay screen", async () => {
    savedProfileAt("endToEnd", { list_bot_chats: () => [] });
    const user = userEvent.setup();
    renderApp("/setup");
    expect((await screen.findByTestId("callback-no-relay")).textContent).toBe(en.setup.endToEnd.callback.noRelay);
    await user.click(screen.getByTestId("callback-open-relay"));
    await waitFor(() => expect(window.location.hash).toBe("#/relay"));
  });

  it("waits for a card click through the relay, simulates one on the sandbox, and ignores other profiles' clicks", async () => {
    const invoke = savedProfileAt("endToEnd", {
      sandbox_status: () => ({ active: true, profile: "Prod", baseUrl: "http://127.0.0.1:9300" }),
      list_bot_chats: () => [],
      relay_status: () => ({
        listen: "127.0.0.1:9400",
        urls: [
          { profile: "Prod", url: "http://127.0.0.1:9400/callback/prod", upstream: null, mode: "transparent" },
          { profile: "Other", url: "http://127.0.0.1:9400/callback/other", upstream: null, mode: "transparent" },
        ],
        warning: null,
        pendingEvents: 0,
      }),
      relay_trigger: () => ({}),
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("callback-wait-start"));
    expect((await screen.findByTestId("callback-waiting")).textContent).toContain(en.setup.endToEnd.callback.waiting);
    await user.click(screen.getByTestId("callback-simulate"));
    expect(invoke).toHaveBeenCalledWith("relay_trigger", { name: "Prod", request: { kind: "card_action" } });

    emitEvent("relay://record", clickRecorded(7, "other"));
    expect(screen.queryByTestId("callback-received")).toBeNull();
    emitEvent("relay://record", clickRecorded(8, "prod"));
    const received = await screen.findByTestId("callback-received");
    expect(received.dataset.verdict).toBe("accepted");
    expect(received.textContent).toContain(en.relay.answeredBy.built_in);
  });

  it("shows a 'Checking…' state while a check runs", async () => {
    let finish: (value: unknown) => void = () => undefined;
    savedProfileAt("publish", {
      run_checks: () => new Promise((resolve) => (finish = resolve)),
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("publish-recheck"));
    const button = screen.getByTestId("publish-recheck") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe(en.common.checking);
    finish([outcome("published", "unknown", "versionUnknown")]);
    expect(await screen.findByTestId("check-outcome-published")).toBeTruthy();
    expect(button.textContent).toBe(en.setup.recheck);
  });

  it("speaks Chinese: step titles, findings and translated fixes", async () => {
    answerCommands(
      {
        list_profiles: () => [profile("Prod")],
        get_wizard_progress: () => ({ currentStep: "credentials", steps: {} }),
        setup_guide: () => guide(),
        run_checks: () => [
          outcome("credentials", "fail", "invalidAppSecret", { fix: { link: FIX_LINK } }),
          outcome("callbackSecrets", "unknown", "encryptKeyMissing", { fix: {} }),
        ],
      },
      { language: "zh-CN" },
    );
    const user = userEvent.setup();
    renderApp("/setup");
    await waitFor(() => expect(screen.getByTestId("screen-title").textContent).toBe(zhCN.screens.setup.title));
    expect((await screen.findByTestId("step-credentials")).textContent).toContain(zhCN.setup.steps.credentials.title);
    await user.click(screen.getByTestId("credentials-save"));
    expect((await screen.findByTestId("check-reason-credentials")).textContent).toBe(zhCN.checks.findings.invalidAppSecret);
    expect(screen.getByTestId("check-fix-credentials").textContent).toContain(zhCN.checks.fixes.invalidAppSecret);
    expect(screen.getByTestId("check-status-callbackSecrets").textContent).toContain(zhCN.checks.status.unknown);
    expect(screen.getByTestId("credentials-save").textContent).toBe(zhCN.setup.credentials.saveAndCheck);
  });

  it("ties every credential label to its input and reaches the fields by keyboard", async () => {
    answerCommands();
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("profile-name"), "Prod");
    expect(screen.getByLabelText(en.setup.platform.name)).toBe(screen.getByTestId("profile-name"));
    await user.click(screen.getByTestId("wizard-next"));
    // Moving to a step puts the focus on its heading, so the keyboard continues from there.
    await waitFor(() => expect(document.activeElement?.id).toBe("step-credentials-title"));
    expect(screen.getByLabelText("App ID")).toBe(screen.getByTestId("cred-app-id"));
    expect(screen.getByLabelText(/^App Secret/)).toBe(screen.getByTestId("cred-app-secret"));
    expect(screen.getByLabelText(/^Verification Token/)).toBe(screen.getByTestId("cred-verification-token"));
    expect(screen.getByLabelText(/^Encrypt Key/)).toBe(screen.getByTestId("cred-encrypt-key"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("cred-app-id"));
    // The empty field's Copy button is disabled, so the next stop is the App Secret.
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("cred-app-secret"));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("cred-app-secret-reveal"));
  });

  it("shows a failed Save beside the Save button, not only in the banner", async () => {
    savedProfileAt("credentials", {
      set_profile_secrets: () => {
        throw problem("storage", "database", { detail: "The database is locked." });
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("cred-verification-token"), "vt-new");
    await user.click(screen.getByTestId("credentials-save"));
    const error = await screen.findByTestId("credentials-save-error");
    expect(error.textContent).toContain("The database is locked.");
    expect(error.closest(".actions")).toBe(screen.getByTestId("credentials-save").closest(".actions"));
    expect(screen.queryByTestId("error-banner")).toBeNull();
    // Trying again clears it.
    await user.click(screen.getByTestId("credentials-save"));
    await waitFor(() => expect(screen.getByTestId("credentials-save-error").textContent).toContain("The database is locked."));
  });

  it("shows a failed URL save, a failed check and a failed send beside their buttons", async () => {
    const invoke = savedProfileAt("integration", {
      set_profile_urls: () => {
        throw problem("storage", "database", { detail: "Disk full." });
      },
      run_checks: () => {
        throw problem("platform", "network_unreachable", { detail: "open.feishu.cn did not answer" }, { fix: { code: "check_network" } });
      },
      list_bot_chats: () => [{ chatId: "oc_ops", name: "Ops", description: "" }],
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("url-web-config"), "https://flashcat.cloud/feishu/web");
    await user.click(screen.getByTestId("urls-save"));
    expect((await screen.findByTestId("urls-save-error")).textContent).toContain("Disk full.");

    await user.click(screen.getByTestId("wizard-step-appConfig"));
    await user.click(await screen.findByTestId("appconfig-check"));
    expect((await screen.findByTestId("appconfig-check-error")).textContent).toContain("open.feishu.cn did not answer.");

    await user.click(screen.getByTestId("wizard-step-endToEnd"));
    await user.click(await screen.findByTestId("chat-option-oc_ops"));
    await user.click(screen.getByTestId("send-test-card"));
    expect((await screen.findByTestId("send-test-card-error")).textContent).toContain("open.feishu.cn did not answer.");
    expect(invoke).toHaveBeenCalledWith("run_checks", expect.objectContaining({ testChat: "oc_ops" }));
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("shows a failed simulated click beside its button", async () => {
    savedProfileAt("endToEnd", {
      sandbox_status: () => ({ active: true, profile: "Prod", baseUrl: "http://127.0.0.1:9300" }),
      list_bot_chats: () => [],
      relay_status: () => ({
        listen: "127.0.0.1:9400",
        urls: [{ profile: "Prod", url: "http://127.0.0.1:9400/callback/prod", upstream: null, mode: "transparent" }],
        warning: null,
        pendingEvents: 0,
      }),
      relay_trigger: () => {
        throw problem("invalid_input", "relay_not_running");
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("callback-wait-start"));
    await user.click(await screen.findByTestId("callback-simulate"));
    expect((await screen.findByTestId("callback-simulate-error")).textContent).toContain(en.problems.relay_not_running);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("shows a failed group refresh beside Refresh groups", async () => {
    let fail = false;
    savedProfileAt("endToEnd", {
      list_bot_chats: () => {
        if (fail) throw problem("platform", "rate_limited_moment", { code: "99991400" });
        return [];
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await screen.findByTestId("chats-empty");
    fail = true;
    await user.click(screen.getByTestId("chats-refresh"));
    expect((await screen.findByTestId("chats-refresh-error")).textContent).toContain(en.problems.rate_limited_moment);
    expect(screen.queryByTestId("error-banner")).toBeNull();
  });

  it("offers the sandbox's example URLs in the integration step", async () => {
    const examples = {
      webConfigUrl: "http://127.0.0.1:9300/flashduty/web",
      redirectUrl: "http://127.0.0.1:9300/flashduty/oauth/redirect",
      cardRequestUrl: "http://127.0.0.1:9300/flashduty/card/callback",
    };
    const invoke = savedProfileAt("integration", {
      sandbox_status: () => ({ active: true, profile: "Prod", baseUrl: "http://127.0.0.1:9300", examples }),
      set_profile_urls: (args) => args?.urls,
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.click(await screen.findByTestId("urls-fill-sandbox"));
    expect((screen.getByTestId("url-web-config") as HTMLInputElement).value).toBe(examples.webConfigUrl);
    expect((screen.getByTestId("url-redirect") as HTMLInputElement).value).toBe(examples.redirectUrl);
    expect((screen.getByTestId("url-card-request") as HTMLInputElement).value).toBe(examples.cardRequestUrl);
    await user.click(screen.getByTestId("urls-save"));
    expect(await screen.findByTestId("urls-saved")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("set_profile_urls", { name: "Prod", urls: examples });
  });

  it("offers no sandbox values for a real profile", async () => {
    savedProfileAt("integration");
    renderApp("/setup");
    await screen.findByTestId("url-web-config");
    expect(screen.queryByTestId("urls-fill-sandbox")).toBeNull();
  });

  it("explains the two ways to point the console's callbacks: at Flashduty directly, or at the relay", async () => {
    savedProfileAt("appConfig", {
      list_profiles: () => [profile("Prod", { urls: { webConfigUrl: null, redirectUrl: null, cardRequestUrl: "https://api.flashcat.cloud/card" } })],
    });
    const user = userEvent.setup();
    renderApp("/setup");
    const ways = await screen.findByTestId("appconfig-topologies");
    expect(ways.textContent).toContain(en.setup.appConfig.directTitle);
    expect(ways.textContent).toContain(en.setup.appConfig.viaRelayTitle);
    expect(ways.textContent).toContain(en.setup.appConfig.viaRelayText);
    await user.click(within(ways).getByTestId("appconfig-open-relay"));
    await waitFor(() => expect(window.location.hash).toBe("#/relay"));
  });

  it("reloads in place when the keychain comes back: the groups load and typed values stay", async () => {
    let keychain = false;
    const invoke = savedProfileAt("endToEnd", {
      list_bot_chats: () => {
        if (!keychain) throw KEYCHAIN_TIMEOUT;
        return [{ chatId: "oc_ops", name: "Ops", description: "" }];
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    expect((await screen.findByTestId("error-banner")).dataset.errorCode).toBe("keychain_timeout");
    keychain = true;
    await user.click(screen.getByTestId("error-keychain-retry"));
    expect(await screen.findByTestId("chat-option-oc_ops")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("keychain_status", undefined);
  });

  it("keeps what the admin typed when the keychain comes back", async () => {
    let keychain = false;
    savedProfileAt("credentials", {
      set_profile_secrets: () => {
        if (!keychain) throw KEYCHAIN_TIMEOUT;
        return { appSecret: true, verificationToken: true, encryptKey: false };
      },
    });
    const user = userEvent.setup();
    renderApp("/setup");
    await user.type(await screen.findByTestId("cred-verification-token"), "vt-new");
    await user.click(screen.getByTestId("credentials-save"));
    await screen.findByTestId("error-keychain-retry");
    keychain = true;
    await user.click(screen.getByTestId("error-keychain-retry"));
    await waitFor(() => expect(screen.queryByTestId("error-banner")).toBeNull());
    expect(((await screen.findByTestId("cred-verification-token")) as HTMLInputElement).value).toBe("vt-new");
  });

});
