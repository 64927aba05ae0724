// Every error code the Rust side can send has its sentence in both languages.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import zhCN from "../i18n/zh-CN.json";
import { KEYCHAIN_CODES } from "./ErrorBanner";

const binding = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../bindings/ErrorCode.ts"), "utf8");
const codes = [...(/export type ErrorCode = ([^;]*);/.exec(binding)?.[1] ?? "").matchAll(/"([a-z_]+)"/g)].map((m) => m[1] as string);

describe("error codes", () => {
  it("reads the codes from the binding", () => {
    expect(codes).toContain("keychain_timeout");
  });

  it.each(codes)("%s has a summary in English and Chinese", (code) => {
    expect((en.errors as Record<string, unknown>)[code]).toEqual(expect.any(String));
    expect((zhCN.errors as Record<string, unknown>)[code]).toEqual(expect.any(String));
  });

  it.each(KEYCHAIN_CODES)("%s has its fix in English and Chinese", (code) => {
    expect(en.errors.keychainFix[code as keyof typeof en.errors.keychainFix]).toEqual(expect.any(String));
    expect(zhCN.errors.keychainFix[code as keyof typeof zhCN.errors.keychainFix]).toEqual(expect.any(String));
  });
});
