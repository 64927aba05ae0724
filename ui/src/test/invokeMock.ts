// Typed stand-ins for Tauri's `invoke` in tests. A test file mocks the bridge with
//   vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
// and then answers commands by name: only names the Rust side registers are accepted
// (api/commandNames.ts, checked against src-tauri/src/commands/mod.rs).
import { invoke } from "@tauri-apps/api/core";
import { vi, type Mock } from "vitest";
import type { CommandName } from "../api/commandNames";
import type { Problem } from "../bindings/Problem";

export type CommandArgs = Record<string, unknown> | undefined;

/** Answers one command; throwing (or a rejected promise) makes the command reject with that value. */
export type CommandHandler = (args: CommandArgs) => unknown;

export type CommandHandlers = Partial<Record<CommandName, CommandHandler>>;

/**
 * Makes the mocked `invoke` answer with `handlers`; any other command rejects as the Rust side
 * would for an unknown one, so a test notices a call it did not expect.
 */
export function mockCommands(handlers: CommandHandlers): Mock {
  const mock = vi.mocked(invoke) as unknown as Mock;
  mock.mockReset();
  mock.mockImplementation(async (command: string, args?: Record<string, unknown>) => {
    const handler = handlers[command as CommandName];
    if (!handler) throw { code: "internal", kind: "internal", params: { detail: `unexpected command ${command}` } } satisfies Problem;
    return handler(args);
  });
  return mock;
}

/** The arguments of every call of `command` so far, oldest first. */
export function callsOf(command: CommandName): CommandArgs[] {
  return vi
    .mocked(invoke)
    .mock.calls.filter(([name]) => name === command)
    .map(([, args]) => args as CommandArgs);
}
