import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Problem } from "../bindings/Problem";
import en from "../i18n/en.json";
import type { CommandName } from "./commandNames";
import { call, CommandError, NOT_IN_APP_MESSAGE, toCommandError } from "./invoke";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
const mocked = vi.mocked(invoke);

/** Makes the mocked bridge reject the next call with `value`, as Tauri does. */
function rejectWith(value: unknown) {
  mocked.mockImplementation(async () => {
    throw value;
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<CommandError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return error as CommandError;
  }
  throw new Error("expected a rejection");
}

describe("call", () => {
  beforeEach(() => {
    mocked.mockReset();
  });

  it("passes the command and its camelCase args through and returns the answer", async () => {
    mocked.mockResolvedValue({ language: "en", theme: "dark" });
    await expect(call("set_language", { language: "en" })).resolves.toEqual({ language: "en", theme: "dark" });
    expect(mocked).toHaveBeenCalledWith("set_language", { language: "en" });
  });

  it("keeps the Problem: code, kind, params, field and fix", async () => {
    const sent: Problem = {
      code: "keychain_unavailable",
      kind: "keychain_unavailable",
      params: { detail: "No Secret Service on the session bus" },
      fix: { code: "keychain_linux", link: "https://open.feishu.cn/app" },
    };
    rejectWith(sent);
    const error = await rejectionOf(call("get_settings"));
    expect(error).toMatchObject(sent);
    expect(error.field).toBeUndefined();
    // The English sentence, for logs.
    expect(error.message).toBe("The OS keychain is not available, so no secret was stored: No Secret Service on the session bus");
  });

  it("keeps the field a refused value belongs to", async () => {
    rejectWith({ code: "proxy_scheme", kind: "invalid_input", params: {}, field: "proxy" } satisfies Problem);
    const error = await rejectionOf(call("set_proxy", { proxy: "ftp://x" }));
    expect(error.field).toBe("proxy");
    expect(error.message).toBe(en.problems.proxy_scheme);
  });

  it("turns a string rejection into an internal problem with that text", async () => {
    rejectWith("command get_setting not found");
    // A name the Rust side does not know (the type only allows registered ones).
    const error = await rejectionOf(call("get_setting" as CommandName));
    expect(error.code).toBe("internal");
    expect(error.kind).toBe("internal");
    expect(error.params.detail).toBe("command get_setting not found");
    expect(error.message).toContain("command get_setting not found");
    expect(error.fix).toBeUndefined();
  });

  it("never shows [object Object] for an unknown rejection", async () => {
    rejectWith({ weird: true });
    const error = await rejectionOf(call("app_info"));
    expect(error.code).toBe("internal");
    expect(error.params.detail).not.toContain("[object Object]");
    expect(error.params.detail).toContain("weird");
  });

  it("fails clearly, without touching the bridge, outside the app", async () => {
    Reflect.deleteProperty(window, "__TAURI_INTERNALS__");
    const error = await rejectionOf(call("get_settings"));
    expect(error.code).toBe("internal");
    expect(error.params.detail).toBe(NOT_IN_APP_MESSAGE);
    expect(mocked).not.toHaveBeenCalled();
  });
});

describe("toCommandError", () => {
  it.each([
    [new Error("socket closed"), "socket closed"],
    [null, "Unknown error"],
    [undefined, "Unknown error"],
    [42, "42"],
    [{ message: "from an object" }, "from an object"],
    // The old shape ({code, message}) is no Problem: its text is kept as the detail.
    [{ code: "storage", message: "disk full" }, "disk full"],
  ])("maps %o to an internal problem with the detail %s", (rejection, text) => {
    const error = toCommandError(rejection);
    expect(error.code).toBe("internal");
    expect(error.params).toEqual({ detail: text });
  });

  it("drops a malformed fix, field or param instead of showing it", () => {
    const error = toCommandError({ code: "database", kind: "storage", params: { detail: "disk full", n: 7 }, field: 3, fix: 7 });
    expect(error.code).toBe("database");
    expect(error.kind).toBe("storage");
    expect(error.params).toEqual({ detail: "disk full" });
    expect(error.field).toBeUndefined();
    expect(error.fix).toBeUndefined();
  });
});
