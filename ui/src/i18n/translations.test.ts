import { describe, expect, it } from "vitest";
import en from "./en.json";
import zhCN from "./zh-CN.json";
import { resolveLanguage } from ".";

function flattenKeys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => flattenKeys(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown): unknown[] {
  if (typeof value !== "object" || value === null) return [value];
  return Object.values(value).flatMap(leaves);
}

describe("translation files", () => {
  it("en.json and zh-CN.json have exactly the same keys", () => {
    const enKeys = flattenKeys(en).sort();
    const zhKeys = flattenKeys(zhCN).sort();
    expect(zhKeys.filter((key) => !enKeys.includes(key)), "only in zh-CN.json").toEqual([]);
    expect(enKeys.filter((key) => !zhKeys.includes(key)), "only in en.json").toEqual([]);
  });

  it.each([
    ["en", en],
    ["zh-CN", zhCN],
  ])("%s has a non-empty string for every key", (_name, resources) => {
    for (const leaf of leaves(resources)) {
      expect(typeof leaf).toBe("string");
      expect((leaf as string).trim()).not.toBe("");
    }
  });

  it("translates every error code the app knows", () => {
    for (const code of ["invalid_input", "storage", "keychain_unavailable", "internal"]) {
      expect(en.errors).toHaveProperty(code);
      expect(zhCN.errors).toHaveProperty(code);
    }
  });
});

describe("resolveLanguage", () => {
  it("uses the stored language when there is one", () => {
    expect(resolveLanguage("zh-CN", "en-US")).toBe("zh-CN");
    expect(resolveLanguage("en", "zh-CN")).toBe("en");
  });

  it("follows the system: zh* is Simplified Chinese, anything else English", () => {
    expect(resolveLanguage(null, "zh-CN")).toBe("zh-CN");
    expect(resolveLanguage(null, "zh-TW")).toBe("zh-CN");
    expect(resolveLanguage(null, "ZH")).toBe("zh-CN");
    expect(resolveLanguage(null, "de-DE")).toBe("en");
    expect(resolveLanguage(null, undefined)).toBe("en");
  });
});
