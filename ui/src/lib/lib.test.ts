import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { checkUrl } from "../screens/setup/integrationUrls";
import { problem } from "../test/fixtures";
import { cleanPastedValue } from "./cleanPaste";
import { copyProfileSecret, copySecret, copyText, SECRET_CLEAR_MS } from "./clipboard";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

describe("cleanPastedValue", () => {
  it.each([
    ["  cli_a1b2c3d4e5f60718\n", "cli_a1b2c3d4e5f60718"],
    ['"cli_a1b2c3d4e5f60718"', "cli_a1b2c3d4e5f60718"],
    ["'secret'", "secret"],
    ["\u201csecret\u201d", "secret"],
    ["`secret`", "secret"],
    ['"cli_a1b2c3d4e5f60718",', "cli_a1b2c3d4e5f60718"],
    [" \" spaced \" ", "spaced"],
    ["abc\r\ndef", "abcdef"],
    ["<https://example.com/x>", "https://example.com/x"],
    ['"unbalanced', '"unbalanced'],
    ["", ""],
  ])("%j becomes %j", (raw, clean) => {
    expect(cleanPastedValue(raw)).toBe(clean);
  });
});

describe("checkUrl", () => {
  it("accepts https URLs and blank fields", () => {
    expect(checkUrl("webConfigUrl", "https://flashcat.cloud/feishu/web")).toEqual({});
    expect(checkUrl("redirectUrl", "")).toEqual({});
  });

  it("refuses what is not an https URL with a host", () => {
    expect(checkUrl("webConfigUrl", "flashcat.cloud/web").error).toBe("notUrl");
    expect(checkUrl("webConfigUrl", "http://flashcat.cloud/web").error).toBe("notHttps");
    expect(checkUrl("webConfigUrl", "ftp://flashcat.cloud/web").error).toBe("notHttps");
    expect(checkUrl("webConfigUrl", "https://").error).toBe("noHost");
    // A local test server (the sandbox) may use http.
    expect(checkUrl("webConfigUrl", "http://127.0.0.1:4010/web").error).toBeUndefined();
  });

  it("warns about a URL that belongs in another field", () => {
    expect(checkUrl("cardRequestUrl", "https://x.test/oauth/redirect").warning).toBe("looksLikeRedirect");
    expect(checkUrl("redirectUrl", "https://x.test/feishu/webhook").warning).toBe("looksLikeCardRequest");
    expect(checkUrl("redirectUrl", "https://x.test/event").warning).toBe("looksLikeCardRequest");
    expect(checkUrl("webConfigUrl", "https://x.test/card").warning).toBe("looksLikeCardRequest");
    // Its own words do not warn, even with a mixed path.
    expect(checkUrl("redirectUrl", "https://x.test/oauth/callback").warning).toBeUndefined();
    expect(checkUrl("cardRequestUrl", "https://x.test/card/callback").warning).toBeUndefined();
  });

  it("refuses the same URL in two fields (one of them is in the wrong field)", () => {
    const all = { webConfigUrl: "https://x.test/a", redirectUrl: "https://x.test/a", cardRequestUrl: "" };
    expect(checkUrl("redirectUrl", "https://x.test/a", all).error).toBe("sameAsOther");
    expect(checkUrl("webConfigUrl", "https://x.test/a", all).error).toBe("sameAsOther");
    expect(checkUrl("cardRequestUrl", "https://x.test/b", all)).toEqual({});
  });
});

describe("clipboard", () => {
  beforeEach(() => {
    vi.mocked(invoke).mockReset().mockResolvedValue(undefined);
  });

  it("copies text through the app (the webview may have dropped the click by then)", async () => {
    await copyText("curl -X POST https://x.test");
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: "curl -X POST https://x.test", secret: false });
  });

  it("copies a secret as a secret, which the app clears after 30 s", async () => {
    await copySecret("s3cret");
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: "s3cret", secret: true });
    expect(SECRET_CLEAR_MS).toBe(30_000);
  });

  it("copies a stored secret straight from the keychain", async () => {
    await copyProfileSecret("Prod", "appSecret");
    expect(invoke).toHaveBeenCalledWith("copy_profile_secret", { name: "Prod", kind: "appSecret" });
  });

  it("reports a refusal as a CommandError", async () => {
    vi.mocked(invoke).mockRejectedValue(problem("not_found", "secret_not_stored", { name: "Prod", secret: "App Secret" }));
    await expect(copyProfileSecret("Prod", "appSecret")).rejects.toMatchObject({ code: "secret_not_stored", kind: "not_found" });
  });
});
