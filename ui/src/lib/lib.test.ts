import { afterEach, describe, expect, it, vi } from "vitest";
import { checkUrl } from "../screens/setup/integrationUrls";
import { cleanPastedValue } from "./cleanPaste";
import { clearIfStillHolding, copySecret, SECRET_CLEAR_MS } from "./clipboard";

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

  it("warns when two fields hold the same URL", () => {
    const all = { webConfigUrl: "https://x.test/a", redirectUrl: "https://x.test/a", cardRequestUrl: "" };
    expect(checkUrl("redirectUrl", "https://x.test/a", all).warning).toBe("sameAsOther");
  });
});

describe("copySecret", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  function stubClipboard() {
    let text = "";
    const clipboard = {
      writeText: vi.fn(async (value: string) => {
        text = value;
      }),
      readText: vi.fn(async () => text),
    };
    vi.stubGlobal("navigator", { ...navigator, clipboard });
    return { clipboard, current: () => text, set: (value: string) => (text = value) };
  }

  it("clears the clipboard after 30 s when it still holds the secret", async () => {
    vi.useFakeTimers();
    const board = stubClipboard();
    await copySecret("s3cret");
    expect(board.current()).toBe("s3cret");
    await vi.advanceTimersByTimeAsync(SECRET_CLEAR_MS - 1);
    expect(board.current()).toBe("s3cret");
    await vi.advanceTimersByTimeAsync(1);
    expect(board.current()).toBe("");
  });

  it("leaves whatever was copied since alone", async () => {
    vi.useFakeTimers();
    const board = stubClipboard();
    await copySecret("s3cret");
    board.set("something else");
    await vi.advanceTimersByTimeAsync(SECRET_CLEAR_MS);
    expect(board.current()).toBe("something else");
  });

  it("clears its own last copy when the clipboard cannot be read", async () => {
    const board = stubClipboard();
    await copySecret("s3cret", 60_000);
    board.clipboard.readText.mockRejectedValueOnce(new Error("denied"));
    expect(await clearIfStillHolding("s3cret")).toBe(true);
    expect(board.current()).toBe("");
  });
});
