// The doctor reads more from the platform now: its findings in both languages, and "Fix with
// Apply" on the failures Apply can fix, leading to the wizard's Apply step for that profile.
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CheckOutcome } from "../../bindings/CheckOutcome";
import { APPLY_FINDINGS } from "../../checks/checkIds";
import en from "../../i18n/en.json";
import zhCN from "../../i18n/zh-CN.json";
import { APP_ID, guide, outcome, profile } from "../../test/fixtures";
import { callsOf } from "../../test/invokeMock";
import { answerCommands, renderApp } from "../../test/renderApp";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/plugin-opener", () => ({ openUrl: vi.fn() }));

const WEB = "https://flashcat.cloud/feishu/web";

function readFromPlatform(): CheckOutcome[] {
  const fix = (text: string) => ({ text, link: `https://open.feishu.cn/app/${APP_ID}/web-app` });
  return [
    outcome("callbackSecrets", "fail", "keysDiffer", { fix: fix("Either enter the app's values, or set the keychain's on the app with Apply.") }),
    outcome("webApp", "fail", "webAppDiffers", { params: { current: "https://old.example/web", expected: WEB }, fix: fix("Run Apply (Setup) to set it.") }),
    outcome("redirectUrl", "fail", "redirectUrlMissing", { params: { current: "", expected: "https://flashcat.cloud/feishu/redirect" }, fix: fix("Run Apply.") }),
    outcome("callbackUrl", "fail", "callbackSubscriptionsMissing", { params: { events: "im.chat.disbanded_v1", callbacks: "" }, fix: fix("Run Apply.") }),
    outcome("published", "fail", "publishedUnderReview", { params: { version: "1.0.1" }, fix: fix("Ask a tenant admin.") }),
    outcome("bot", "fail", "botDisabled", { fix: fix("Turn on Features > Bot.") }),
  ];
}

function doctorWith(outcomes: CheckOutcome[], language: "zh-CN" | null = null) {
  return answerCommands(
    {
      list_profiles: () => [profile("Ops"), profile("Prod")],
      doctor_history: () => [],
      get_wizard_progress: () => ({ currentStep: "integration", steps: {}, confirmed: [] }),
      set_wizard_progress: () => undefined,
      run_doctor: () => ({ profile: "Prod", ranAt: "2026-12-01T10:00:00Z", outcomes }),
      setup_guide: () => guide(),
      setup_plan: () => ({ appId: APP_ID, items: [], underReview: false, consoleMade: true, missingReadScope: null }),
    },
    { language },
  );
}

describe("doctor: findings read from the platform", () => {
  it("offers Fix with Apply only on the failures Apply can fix, and opens the Apply step for the profile", async () => {
    window.localStorage.setItem("lark-companion.lastProfile", "Prod");
    doctorWith(readFromPlatform());
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));

    const web = await screen.findByTestId("doctor-outcome-webApp");
    expect(within(web).getByTestId("doctor-reason-webApp").textContent).toBe(`The Web App's homepage is https://old.example/web, not ${WEB}.`);
    expect(screen.getByTestId("doctor-reason-redirectUrl").textContent).toBe(
      "https://flashcat.cloud/feishu/redirect is not listed under Redirect URLs (listed: none).",
    );
    expect(screen.getByTestId("doctor-reason-callbackUrl").textContent).toBe("Not subscribed yet. Events: im.chat.disbanded_v1. Callbacks: none.");
    expect(screen.getByTestId("doctor-reason-callbackSecrets").textContent).toBe(en.checks.findings.keysDiffer);
    for (const id of ["webApp", "redirectUrl", "callbackUrl", "callbackSecrets"]) {
      expect(screen.getByTestId(`doctor-apply-${id}`).textContent).toBe(en.checks.fixWithApply);
    }
    expect(screen.queryByTestId("doctor-apply-published")).toBeNull();
    expect(screen.queryByTestId("doctor-apply-bot")).toBeNull();

    await user.click(screen.getByTestId("doctor-apply-webApp"));
    const step = await screen.findByTestId("step-apply");
    expect(step).toBeTruthy();
    // The profile the doctor ran for, which is the wizard's too.
    expect((screen.getByTestId("setup-profile-select") as HTMLSelectElement).value).toBe("Prod");
    expect(callsOf("setup_plan")).toEqual([{ name: "Prod", urls: null }]);
    expect(screen.getByTestId("wizard-step-apply").getAttribute("aria-current")).toBe("step");
    expect(document.activeElement?.id).toBe("step-apply-title");
  });

  it("says the new findings and their fixes in Chinese, values untouched", async () => {
    doctorWith(readFromPlatform(), "zh-CN");
    const user = userEvent.setup();
    renderApp("/doctor");
    await user.click(await screen.findByTestId("doctor-run"));
    const web = await screen.findByTestId("doctor-reason-webApp");
    expect(web.textContent).toBe(`网页应用的主页是 https://old.example/web，而不是 ${WEB}。`);
    expect(screen.getByTestId("doctor-reason-redirectUrl").textContent).toContain("（现有：无）");
    expect(screen.getByTestId("doctor-fix-webApp").textContent).toContain(zhCN.checks.fixes.webAppDiffers);
    expect(screen.getByTestId("doctor-reason-published").textContent).toBe("版本 1.0.1 正在等待租户管理员审核。");
    expect(screen.getByTestId("doctor-apply-webApp").textContent).toBe(zhCN.checks.fixWithApply);
  });

  it("has words for every finding the doctor reads from the platform, in both languages", () => {
    const findings = [
      "webAppMatches",
      "webAppDiffers",
      "webAppNotSet",
      "redirectUrlListed",
      "redirectUrlMissing",
      "callbackUrlMatches",
      "callbackUrlDiffers",
      "callbackSubscriptionsMissing",
      "publishedOnline",
      "publishedUnderReview",
      "publishedNone",
      "settingsNotReadable",
      "keysDiffer",
    ] as const;
    const failures = ["webAppDiffers", "webAppNotSet", "redirectUrlMissing", "callbackUrlDiffers", "callbackSubscriptionsMissing", "publishedUnderReview", "publishedNone", "keysDiffer"] as const;
    for (const finding of findings) {
      expect(en.checks.findings[finding]).toBeTruthy();
      expect(zhCN.checks.findings[finding]).toBeTruthy();
    }
    for (const finding of failures) {
      expect(en.checks.fixes[finding]).toBeTruthy();
      expect(zhCN.checks.fixes[finding]).toBeTruthy();
    }
    // The keys' fix shows no value, only the two ways.
    expect(en.checks.fixes.keysDiffer).toContain("Either");
    expect([...APPLY_FINDINGS].sort()).toEqual(
      ["callbackSubscriptionsMissing", "callbackUrlDiffers", "keysDiffer", "redirectUrlMissing", "webAppDiffers", "webAppNotSet"].sort(),
    );
  });
});
