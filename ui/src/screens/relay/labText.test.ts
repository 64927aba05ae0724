// The lab's findings read in the UI language from their codes; English keeps the Rust sentences.
import { afterEach, describe, expect, it } from "vitest";
import i18n, { applyLanguage } from "../../i18n";
import type { LabReport } from "../../bindings/LabReport";
import { labDecryptErrorText, labFindingText, labSummaryText } from "./labText";

const REPORT = {
  valid: false,
  summary: "Invalid: The timestamp is 900 s old, beyond the 300 s a receiver accepts: a replay, or a clock that is off.",
  decryptError: "the body is encrypted but the profile has no Encrypt Key",
  findings: [
    "The timestamp is 900 s old, beyond the 300 s a receiver accepts: a replay, or a clock that is off.",
    "Signature headers are missing: X-Lark-Signature, X-Lark-Request-Nonce.",
    "Could not decrypt the body: the body is encrypted but the profile has no Encrypt Key.",
  ],
  findingKeys: [
    { code: "stale", params: { seconds: "900", allowed: "300", direction: "old" } },
    { code: "missingHeaders", params: { missing: "X-Lark-Signature,X-Lark-Request-Nonce" } },
    { code: "decryptFailed", params: { reason: "noKey" } },
  ],
  summaryKey: { code: "firstFinding", params: {} },
} as unknown as LabReport;

describe("labText", () => {
  afterEach(async () => {
    await applyLanguage("en");
  });

  it("words the findings and the summary in Chinese", async () => {
    await applyLanguage("zh-CN");
    const [stale, headers, decrypt] = REPORT.findingKeys;
    expect(labFindingText(stale, REPORT.findings[0] ?? "", i18n.t, i18n)).toBe("时间戳早于当前 900 秒，超过接收方允许的 300 秒：可能是重放的请求，或时钟不准。");
    expect(labFindingText(headers, REPORT.findings[1] ?? "", i18n.t, i18n)).toBe("缺少签名请求头：X-Lark-Signature、X-Lark-Request-Nonce。");
    expect(labFindingText(decrypt, REPORT.findings[2] ?? "", i18n.t, i18n)).toBe("无法解密请求体：请求体已加密，但配置档中没有 Encrypt Key。");
    expect(labSummaryText(REPORT, i18n.t, i18n)).toBe("无效：时间戳早于当前 900 秒，超过接收方允许的 300 秒：可能是重放的请求，或时钟不准。");
    expect(labDecryptErrorText(REPORT, i18n.t, i18n)).toBe("请求体已加密，但配置档中没有 Encrypt Key");
    // A code without words keeps the English sentence.
    expect(labFindingText({ code: "newThing", params: {} }, "Something new.", i18n.t, i18n)).toBe("Something new.");
  });

  it("keeps the Rust sentences in English", async () => {
    await applyLanguage("en");
    expect(labSummaryText(REPORT, i18n.t, i18n)).toBe(REPORT.summary);
    expect(labFindingText(REPORT.findingKeys[1], REPORT.findings[1] ?? "", i18n.t, i18n)).toBe(REPORT.findings[1]);
  });
});
