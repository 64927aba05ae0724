// The kitchen-sink card (kitchen-sink.card.json): every JSON 2.0 component and every markdown
// feature in one card, drawn at both widths in both themes without an error, an undrawn
// component or raw markup.
import { render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { JSON2_COMPONENTS } from "../bindings/CardComponent";
import { RICH_TEXT_MARKUP } from "../test/cardMarkup";
import { CardPreview } from "./CardPreview";
import card from "./kitchen-sink.card.json";

function tagsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => tagsOf(v, out));
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.tag === "string") out.add(record.tag);
    Object.values(record).forEach((v) => tagsOf(v, out));
  }
  return out;
}

describe("the kitchen-sink card", () => {
  let errors: MockInstance;
  beforeEach(() => {
    errors = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => errors.mockRestore());

  it("holds every documented JSON 2.0 component", () => {
    const tags = tagsOf(card);
    expect(JSON2_COMPONENTS.filter((tag) => !tags.has(tag))).toEqual([]);
  });

  it.each([
    ["light", "desktop"],
    ["dark", "mobile"],
  ] as const)("draws in %s at %s width without errors", (theme, width) => {
    const { container } = render(<CardPreview card={card} theme={theme} width={width} />);
    expect(container.querySelector('[data-testid="card-unsupported"]')).toBeNull();
    expect(screen.getByTestId("card-header-title").querySelector("strong")?.textContent).toBe("Kitchen sink");
    const markdown = screen.getAllByTestId("card-markdown")[0] as HTMLElement;
    // <raw> keeps its markup as text; nothing else may.
    expect(markdown.textContent).toContain("**literal** <at id=all></at>");
    const rest = (markdown.textContent ?? "").replace("**literal** <at id=all></at>", "");
    expect(rest).not.toMatch(RICH_TEXT_MARKUP);
    for (const id of ["card-md-table", "card-link-icon", "card-md-img", "card-number-tag", "card-emoji", "card-md-person", "card-audio", "card-table", "card-chart", "card-checker", "card-overflow", "card-select-img", "card-img-combination", "card-person-list", "card-input"]) {
      expect(screen.getAllByTestId(id).length, id).toBeGreaterThan(0);
    }
    expect(screen.getAllByTestId("card-select")).toHaveLength(7);
    expect(errors).not.toHaveBeenCalled();
  });
});
