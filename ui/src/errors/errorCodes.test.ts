// Every kind, problem code and fix code the Rust side can send (read from the generated
// bindings) has its words in both languages, and the two languages fill in the same values.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";

function bindingValues(type: string): string[] {
  const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), `../bindings/${type}.ts`), "utf8");
  const union = new RegExp(`export type ${type} = ([^;]*);`).exec(text)?.[1] ?? "";
  return [...union.matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1] as string);
}

const kinds = bindingValues("ProblemKind");
const problemCodes = bindingValues("ProblemCode");
const fixCodes = bindingValues("FixCode");

const LANGUAGES = [
  ["en", en],
  ["zh-CN", zhCN],
] as const;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] as string))].sort();
}

function sentence(section: Record<string, unknown>, code: string): string {
  const text = section[code];
  expect(text, code).toEqual(expect.any(String));
  return text as string;
}

describe("problem catalogue", () => {
  it("reads the codes from the bindings", () => {
    expect(kinds).toEqual(expect.arrayContaining(["keychain_timeout", "invalid_input"]));
    expect(problemCodes).toEqual(expect.arrayContaining(["profile_exists", "missing_scopes", "upstream_failed"]));
    expect(fixCodes).toEqual(expect.arrayContaining(["keychain_linux", "keychain_busy", "card_add_bot"]));
  });

  it.each(kinds)("kind %s has a summary in English and Chinese", (kind) => {
    for (const [, strings] of LANGUAGES) sentence(strings.errors, kind);
  });

  it.each(problemCodes)("problem %s has its sentence in both languages, with the same values", (code) => {
    const [enText, zhText] = LANGUAGES.map(([, strings]) => sentence(strings.problems, code));
    expect(placeholders(zhText ?? ""), `zh-CN problems.${code}`).toEqual(placeholders(enText ?? ""));
  });

  it.each(fixCodes)("fix %s has its sentence in both languages, with the same values", (code) => {
    const [enText, zhText] = LANGUAGES.map(([, strings]) => sentence(strings.fixes, code));
    expect(placeholders(zhText ?? ""), `zh-CN fixes.${code}`).toEqual(placeholders(enText ?? ""));
  });

  it.each(LANGUAGES)("%s words no code that does not exist", (_name, strings) => {
    expect(Object.keys(strings.problems).filter((code) => !problemCodes.includes(code))).toEqual([]);
    expect(Object.keys(strings.fixes).filter((code) => !fixCodes.includes(code))).toEqual([]);
  });
});
