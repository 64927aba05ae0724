import i18n from "i18next";
import { afterEach, describe, expect, it } from "vitest";
import "../i18n";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { problem } from "../test/fixtures";
import { englishProblem, problemFix, problemMessage, problemSummary, sameProblem } from "./problemText";

describe("problem text", () => {
  afterEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("fills the sentence and the fix with the params, in the current language", async () => {
    const exists = problem("already_exists", "profile_exists", { name: "Prod" }, { fix: { code: "profile_rename" } });
    await i18n.changeLanguage("en");
    expect(problemMessage(i18n.t, exists)).toBe('A profile named "Prod" already exists.');
    expect(problemFix(i18n.t, exists)).toBe(en.fixes.profile_rename);
    expect(problemSummary(i18n.t, exists)).toBe(en.errors.already_exists);

    await i18n.changeLanguage("zh-CN");
    expect(problemMessage(i18n.t, exists)).toBe("名为“Prod”的配置档已存在。");
    expect(problemFix(i18n.t, exists)).toBe(zhCN.fixes.profile_rename);
    expect(problemSummary(i18n.t, exists)).toBe(zhCN.errors.already_exists);
  });

  it("fills the fix with the same params (the wait of a rate limit)", () => {
    const limited = problem("platform", "rate_limited", { seconds: "3", code: "99991400" }, { fix: { code: "card_wait_and_resend" } });
    expect(problemFix(i18n.t, limited)).toContain("Wait 3 s");
    expect(problemFix(i18n.t, problem("platform", "bot_not_in_chat"))).toBeNull();
  });

  it("names the other field of a URL given twice by its label", async () => {
    const twice = problem("invalid_input", "url_in_two_fields", { other: "webConfigUrl" }, { field: "redirectUrl" });
    expect(problemMessage(i18n.t, twice)).toContain(en.setup.integration.fields.webConfigUrl);
    await i18n.changeLanguage("zh-CN");
    expect(problemMessage(i18n.t, twice)).toContain(zhCN.setup.integration.fields.webConfigUrl);
  });

  it("keeps a param named like an i18next option a plain value", () => {
    const params = { name: "alert.j2", line: "3", column: "9", detail: "expected value", context: '"title": ,' };
    const failed = problem("invalid_input", "template_output_not_json", params);
    expect(problemMessage(i18n.t, failed)).toBe(
      'alert.j2 did not produce valid JSON (line 3, column 9 of the output: expected value). The line reads: "title": ,',
    );
  });

  it("words an unknown code by its detail, and an unknown kind by the general title", () => {
    const unknown = { code: "brand_new", kind: "brand_new", params: { detail: "Something specific" } } as never;
    expect(problemMessage(i18n.t, unknown)).toBe("Something specific");
    expect(problemSummary(i18n.t, unknown)).toBe(en.errors.title);
    expect(englishProblem(unknown)).toBe("Something specific");
  });

  it("says the English sentence for logs, whatever the language", async () => {
    await i18n.changeLanguage("zh-CN");
    expect(englishProblem(problem("internal", "internal", { detail: "boom" }))).toBe("An unexpected problem occurred inside the app: boom");
  });

  it("tells the same problem apart from another", () => {
    const a = problem("keychain_timeout", "keychain_timeout", { seconds: "10" }, { fix: { code: "keychain_busy" } });
    expect(sameProblem(a, { ...a, params: { seconds: "10" } })).toBe(true);
    expect(sameProblem(a, { ...a, params: { seconds: "5" } })).toBe(false);
    expect(sameProblem(a, { ...a, fix: { code: "keychain_linux" } })).toBe(false);
  });
});
