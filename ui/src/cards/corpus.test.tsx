// Every card of the official-example corpus (the docs' own JSON, crates/lark-platform/tests/
// corpus/official) is drawn: no component is "not drawn in the preview", no markup tag is left as
// raw text, and React reports nothing.
/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { render } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { RICH_TEXT_MARKUP } from "../test/cardMarkup";
import { CardPreview } from "./CardPreview";

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(here, "../../../crates/lark-platform/tests/corpus/official");
const files = readdirSync(dir).filter((name) => name.endsWith(".json") && name !== "index.json");


describe("the official-example corpus", () => {
  let errors: MockInstance;
  beforeEach(() => {
    errors = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => errors.mockRestore());

  it("has the cards", () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)("draws %s in light and dark", (name) => {
    const card = JSON.parse(readFileSync(resolve(dir, name), "utf8")) as unknown;
    for (const theme of ["light", "dark"] as const) {
      const { container, unmount } = render(<CardPreview card={card} theme={theme} width="desktop" />);
      const unsupported = [...container.querySelectorAll<HTMLElement>('[data-testid="card-unsupported"]')].map((el) => el.dataset.tag);
      expect(unsupported, name).toEqual([]);
      const text = [...container.querySelectorAll<HTMLElement>('[data-testid="card-markdown"], [data-testid="card-div"], [data-testid="card-header"]')].map((el) => el.textContent ?? "").join("\n");
      expect(text, name).not.toMatch(RICH_TEXT_MARKUP);
      unmount();
    }
    expect(errors, name).not.toHaveBeenCalled();
  });
});
