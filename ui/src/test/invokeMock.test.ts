import { describe, expect, it, vi } from "vitest";
import { call } from "../api/invoke";
import { problem } from "./fixtures";
import { callsOf, mockCommands } from "./invokeMock";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

describe("mockCommands", () => {
  it("answers registered commands by name and records their arguments", async () => {
    mockCommands({ set_proxy: (args) => ({ language: null, theme: "system", proxy: args?.proxy, closeAction: null, loginRelay: null }) });
    await expect(call("set_proxy", { proxy: "http://p:3128" })).resolves.toMatchObject({ proxy: "http://p:3128" });
    expect(callsOf("set_proxy")).toEqual([{ proxy: "http://p:3128" }]);
  });

  it("rejects a command the test did not expect, and a throwing handler, like the Rust side", async () => {
    mockCommands({
      keychain_status: () => {
        throw problem("keychain_timeout", "keychain_timeout", { seconds: "10" });
      },
    });
    await expect(call("get_settings")).rejects.toMatchObject({ code: "internal", params: { detail: "unexpected command get_settings" } });
    await expect(call("keychain_status")).rejects.toMatchObject({ code: "keychain_timeout", kind: "keychain_timeout" });
  });

  it("only takes command names the Rust side registers", () => {
    // @ts-expect-error: not a registered command
    mockCommands({ get_setting: () => null });
    // @ts-expect-error: not a registered command
    expect(callsOf("no_such_command")).toEqual([]);
  });
});
