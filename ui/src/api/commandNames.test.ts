// The UI's command names against the Rust side's handler list, read from the source.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES } from "./commandNames";

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), "utf8");

/** The names inside `tauri::generate_handler![ module::name, … ]`. */
function rustHandlers(): string[] {
  const source = read("../../../src-tauri/src/commands/mod.rs");
  const block = /generate_handler!\s*\[([\s\S]*?)\]/.exec(source)?.[1] ?? "";
  return [...block.matchAll(/(?:\w+::)*(\w+)\s*,?/g)].map((m) => m[1] as string);
}

/** The names passed to `call("…")` in a UI source file. */
function calledIn(relative: string): string[] {
  return [...read(relative).matchAll(/\bcall\s*(?:<[^(]*>)?\(\s*"([a-z0-9_]+)"/g)].map((m) => m[1] as string);
}

describe("command names", () => {
  const rust = rustHandlers();

  it("reads the Rust handler list", () => {
    expect(rust).toContain("get_settings");
    expect(rust.length).toBeGreaterThan(30);
  });

  it.each(["./commands.ts", "../lib/clipboard.ts"])("every command %s calls is registered on the Rust side", (file) => {
    const called = calledIn(file);
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((name) => !rust.includes(name)), "called by the UI, missing in mod.rs").toEqual([]);
  });

  it("the UI's list of command names is the Rust handler list", () => {
    expect(COMMAND_NAMES.filter((name) => !rust.includes(name)), "in commandNames.ts, missing in mod.rs").toEqual([]);
    expect(rust.filter((name) => !(COMMAND_NAMES as readonly string[]).includes(name)), "in mod.rs, missing in commandNames.ts").toEqual([]);
  });
});
