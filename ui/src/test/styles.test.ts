// What the style sheets promise, read from their text (the tests run without CSS).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const stylesDir = join(dirname(fileURLToPath(import.meta.url)), "../styles");
const css = (name: string) => readFileSync(join(stylesDir, name), "utf8");
const base = css("base.css");
const components = css("components.css");

/** The declarations of the first rule whose selector list is exactly `selector`. */
function rule(sheet: string, selector: string): string {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`(^|\\n|\\})\\s*${escaped}\\s*\\{([^}]*)\\}`).exec(sheet);
  if (!match) throw new Error(`no rule ${selector}`);
  return match[2] as string;
}

describe("styles", () => {
  it("writes the dark palette once, under [data-theme=dark] (the theme is resolved in script)", () => {
    expect(base.match(/--surface-page:/g)).toHaveLength(2); // light and dark
    expect(base).not.toContain("prefers-color-scheme");
    expect(rule(base, ':root[data-theme="dark"]')).toContain("--surface-page:");
  });

  it("puts Latin fonts first; the CJK fonts come first only for Chinese text", () => {
    const root = rule(base, ":root");
    const latin = /--font-latin:([^;]*);/.exec(root)?.[1] ?? "";
    expect(latin).toContain("Segoe UI");
    expect(latin).not.toMatch(/PingFang|YaHei|Hiragino|CJK/);
    expect(root).toMatch(/--font-sans:\s*var\(--font-latin\);/);
    expect(/--font-cjk:([^;]*);/.exec(root)?.[1]).toContain("PingFang SC");
    expect(rule(base, ":lang(zh)")).toMatch(/--font-sans:\s*var\(--font-cjk\), var\(--font-latin\);/);
    // An English snippet inside Chinese text does not inherit the Chinese stack.
    expect(rule(base, "[lang]:not(:lang(zh))")).toMatch(/--font-sans:\s*var\(--font-latin\);/);
  });

  it("styles select boxes as enabled controls, not the webview's grey ones", () => {
    const select = rule(components, "select");
    expect(select).toContain("appearance: none");
    expect(select).toContain("color: var(--text)");
    expect(select).toContain("background-image");
    expect(rule(components, "select:disabled")).toContain("opacity");
  });

  it("keeps placeholders faint, so they do not read as values (also in dark)", () => {
    expect(rule(components, ".input::placeholder,\ntextarea::placeholder")).toContain("color: var(--text-faint)");
  });

  it("sizes buttons to their content, also inside a grid or a column", () => {
    expect(rule(components, ".button")).toContain("justify-self: start");
  });

  it("keeps short labels (搜索) on one line", () => {
    const label = rule(components, ".field--inline > label");
    expect(label).toContain("white-space: nowrap");
    expect(label).toContain("flex: none");
  });
});
