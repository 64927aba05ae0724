// A rejection reads in the UI language from its code and values, English included.
import { afterEach, describe, expect, it } from "vitest";
import i18n, { applyLanguage } from "../../i18n";
import type { RecordDetail } from "../../bindings/RecordDetail";
import { rejectText } from "./rejectText";

function rejected(code: string, reason: string, params: RecordDetail["rejectParams"], fix: string | null = null): RecordDetail {
  return {
    summary: { rejectCode: code } as RecordDetail["summary"],
    rejectReason: reason,
    rejectFix: fix,
    rejectParams: params,
    checks: [],
    duplicateOf: null,
    path: "/callback/main",
    headers: [],
    body: "",
    bodyBytes: 0,
    plaintext: null,
    answer: null,
    upstreamUrl: null,
    forwardMode: null,
    upstreamAnswer: null,
    upstreamError: null,
  };
}

describe("rejectText", () => {
  afterEach(async () => {
    await applyLanguage("en");
  });

  it("words the code with its values in Chinese, with no English sentence or backticks", async () => {
    await applyLanguage("zh-CN");
    const token = rejected("token_mismatch", "the token at `header.token` does not match the Verification Token", { path: "header.token", secret: "Verification Token" }, "Copy it again.");
    const text = rejectText(token, i18n.t, i18n);
    expect(text.reason).toBe("header.token 处的 token 与 Verification Token 不一致");
    expect(text.reason).not.toContain("`");
    expect(text.fix).toContain("重新复制 Verification Token");

    const swapped = rejected("signature_mismatch", "…; swapped", { scheme: "SHA-1", secret: "Verification Token", swapped: "true" }, "Copy…");
    expect(rejectText(swapped, i18n.t, i18n).reason).toContain("填反了");

    const headers = rejected("missing_signature_headers", "…", { scheme: "SHA-256", missing: "X-Lark-Signature,X-Lark-Request-Nonce" });
    expect(rejectText(headers, i18n.t, i18n)).toEqual({ reason: "缺少 SHA-256 签名所需的请求头：X-Lark-Signature、X-Lark-Request-Nonce", fix: null });

    // A code without Chinese words keeps the English text rather than showing a key.
    expect(rejectText(rejected("storage", "The relay could not record the request.", {}), i18n.t, i18n).reason).toBe("The relay could not record the request.");
  });

  it("words English from the catalogue too, with the parser's detail", async () => {
    await applyLanguage("en");
    const detail = rejected("not_json", "stored English", { decrypted: "false", detail: "expected value at line 1 column 1" });
    expect(rejectText(detail, i18n.t, i18n).reason).toBe("The body (or the decrypted body) is not JSON: expected value at line 1 column 1");
  });
});
