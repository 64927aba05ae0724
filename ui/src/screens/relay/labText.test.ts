// The lab's findings, summary and decryption error are worded in the UI language from their codes.
import { afterEach, describe, expect, it } from "vitest";
import i18n, { applyLanguage } from "../../i18n";
import type { LabFinding } from "../../bindings/LabFinding";
import type { LabReport } from "../../bindings/LabReport";
import { labDecryptErrorText, labFindingText, labSummaryText } from "./labText";

const VALID: LabFinding = { code: "signatureValid", params: { scheme: "SHA-1", secret: "Verification Token" } };
const STALE: LabFinding = { code: "stale", params: { seconds: "900", allowed: "300", direction: "old" } };
const HEADERS: LabFinding = { code: "missingHeaders", params: { missing: "X-Lark-Signature,X-Lark-Request-Nonce" } };
const DECRYPT: LabFinding = { code: "decryptFailed", params: { reason: "noKey" } };

const REPORT = {
  valid: false,
  decryptError: "noKey",
  findingKeys: [VALID, STALE, HEADERS, DECRYPT],
  summaryKey: { code: "firstFinding", params: {}, finding: 1 },
} as unknown as LabReport;

describe("labText", () => {
  afterEach(async () => {
    await applyLanguage("en");
  });

  it("words the findings and the summary in Chinese", async () => {
    await applyLanguage("zh-CN");
    expect(labFindingText(STALE, i18n.t)).toBe("时间戳早于当前 900 秒，超过接收方允许的 300 秒：可能是重放的请求，或时钟不准。");
    expect(labFindingText(HEADERS, i18n.t)).toBe("缺少签名请求头：X-Lark-Signature、X-Lark-Request-Nonce。");
    expect(labFindingText(DECRYPT, i18n.t)).toBe("无法解密请求体：请求体已加密，但配置档中没有 Encrypt Key。");
    expect(labSummaryText(REPORT, i18n.t)).toBe("无效：时间戳早于当前 900 秒，超过接收方允许的 300 秒：可能是重放的请求，或时钟不准。");
    expect(labDecryptErrorText("noKey", i18n.t)).toBe("请求体已加密，但配置档中没有 Encrypt Key");
  });

  it("words them in English from the catalogue", async () => {
    await applyLanguage("en");
    expect(labFindingText(VALID, i18n.t)).toBe("The signature is valid: SHA-1 with the Verification Token.");
    expect(labFindingText(HEADERS, i18n.t)).toBe("Signature headers are missing: X-Lark-Signature, X-Lark-Request-Nonce.");
    // The summary names the finding that makes the request invalid, not the note before it.
    expect(labSummaryText(REPORT, i18n.t)).toBe(`Invalid: ${labFindingText(STALE, i18n.t)}`);
    expect(labFindingText(STALE, i18n.t)).toBe("The timestamp is 900 s old, beyond the 300 s a receiver accepts: a replay, or a clock that is off.");
    expect(labDecryptErrorText("truncated", i18n.t)).toBe("the encrypted value is incomplete (too short, or not whole 16-byte AES blocks)");
    expect(labSummaryText({ ...REPORT, summaryKey: { code: "wrongField", params: { secret: "Encrypt Key", other: "Verification Token" }, finding: null } }, i18n.t)).toBe(
      "Invalid: the Encrypt Key is probably wrong (the Verification Token is not involved).",
    );
  });
});
