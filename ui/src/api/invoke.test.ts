import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
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

  it("keeps code, message and fix of an IpcError", async () => {
    rejectWith({
        code: "keychain_unavailable",
        message: "No Secret Service on the session bus",
        fix: { text: "Install gnome-keyring", link: "https://open.feishu.cn/app" },
      });
    const error = await rejectionOf(call("get_settings"));
    expect(error.code).toBe("keychain_unavailable");
    expect(error.message).toBe("No Secret Service on the session bus");
    expect(error.fix).toEqual({ text: "Install gnome-keyring", link: "https://open.feishu.cn/app" });
  });

  it("turns a string rejection into an internal error with that text", async () => {
    rejectWith("command get_setting not found");
    // A name the Rust side does not know (the type only allows registered ones).
    const error = await rejectionOf(call("get_setting" as CommandName));
    expect(error.code).toBe("internal");
    expect(error.message).toBe("command get_setting not found");
    expect(error.fix).toBeUndefined();
  });

  it("never shows [object Object] for an unknown rejection", async () => {
    rejectWith({ weird: true });
    const error = await rejectionOf(call("app_info"));
    expect(error.code).toBe("internal");
    expect(error.message).not.toContain("[object Object]");
    expect(error.message).toContain("weird");
  });

  it("fails clearly, without touching the bridge, outside the app", async () => {
    Reflect.deleteProperty(window, "__TAURI_INTERNALS__");
    const error = await rejectionOf(call("get_settings"));
    expect(error.code).toBe("internal");
    expect(error.message).toBe(NOT_IN_APP_MESSAGE);
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
  ])("maps %o to an internal error reading %s", (rejection, text) => {
    const error = toCommandError(rejection);
    expect(error.code).toBe("internal");
    expect(error.message).toBe(text);
  });

  it("drops a malformed fix instead of showing it", () => {
    const error = toCommandError({ code: "storage", message: "disk full", fix: 7 });
    expect(error.code).toBe("storage");
    expect(error.fix).toBeUndefined();
  });
});
