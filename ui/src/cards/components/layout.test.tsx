// The JSON 2.0 layout and basic components, one test each (#17 Tests: "a Vitest test per
// component"): column_set, form, interactive_container, collapsible_panel, div, markdown, img, hr
// and button. The others have theirs in components.test.tsx.
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { CardAction } from "../callback";
import { CardPreview } from "../CardPreview";

function draw(...elements: unknown[]) {
  const onAction = vi.fn<(action: CardAction) => void>();
  const view = render(<CardPreview card={{ schema: "2.0", body: { elements } }} theme="light" width="desktop" onAction={onAction} />);
  return { ...view, onAction };
}

const md = (content: string) => ({ tag: "markdown", content });

describe("JSON 2.0 layout and basic components", () => {
  it("column_set: columns side by side by weight, a fixed px column, and the set's background", () => {
    draw({
      tag: "column_set",
      flex_mode: "bisect",
      background_style: "blue-50",
      columns: [
        { tag: "column", width: "weighted", weight: 2, elements: [md("left")] },
        { tag: "column", width: "120px", elements: [md("right")] },
      ],
    });
    const set = screen.getByTestId("card-column-set");
    expect(set.dataset.flexMode).toBe("bisect");
    expect(set.style.background).toBe("rgb(240, 244, 255)");
    const columns = within(set).getAllByTestId("card-column");
    expect(columns.map((c) => c.textContent)).toEqual(["left", "right"]);
    expect(columns[0]?.style.flexGrow).toBe("2");
    expect(columns[1]?.style.flexBasis).toBe("120px");
  });

  it("form: its fields and its submit button, which reports a callback with the button's name", () => {
    const { onAction } = draw({
      tag: "form",
      name: "feedback",
      elements: [
        { tag: "input", name: "note", placeholder: { tag: "plain_text", content: "Your note" } },
        { tag: "button", name: "send", text: { tag: "plain_text", content: "Send" }, form_action_type: "submit", behaviors: [{ type: "callback", value: { k: 1 } }] },
      ],
    });
    const form = screen.getByTestId("card-container");
    expect(form.className).toContain("lc-container--form");
    expect(within(form).getByTestId("card-input")).toBeTruthy();
    fireEvent.click(within(form).getByRole("button", { name: "Send" }));
    expect(onAction).toHaveBeenCalledWith(expect.objectContaining({ kind: "callback", name: "send", value: { k: 1 } }));
  });

  it("interactive_container: its content in its background, and a click reports its callback", () => {
    const { onAction } = draw({
      tag: "interactive_container",
      background_style: "green-50",
      behaviors: [{ type: "callback", value: { open: "details" } }],
      elements: [md("Open the details")],
    });
    const box = screen.getByRole("button", { name: "Open the details" });
    expect(box.style.background).toBe("rgb(228, 250, 225)");
    fireEvent.click(box);
    expect(onAction).toHaveBeenCalledWith(expect.objectContaining({ kind: "callback", tag: "interactive_container", value: { open: "details" } }));
  });

  it("collapsible_panel: its title, folded unless expanded, its content inside", () => {
    draw(
      { tag: "collapsible_panel", header: { title: { tag: "plain_text", content: "Details" } }, elements: [md("hidden text")] },
      { tag: "collapsible_panel", expanded: true, header: { title: { tag: "plain_text", content: "Open" } }, elements: [md("shown text")] },
    );
    const [folded, open] = screen.getAllByTestId("card-collapsible") as HTMLDetailsElement[];
    expect(folded?.querySelector("summary")?.textContent).toBe("Details");
    expect(folded?.open).toBe(false);
    expect(open?.open).toBe(true);
    expect(open?.textContent).toContain("shown text");
  });

  it("div: its text, lark_md fields two by two, and a text colour", () => {
    draw({
      tag: "div",
      text: { tag: "plain_text", content: "Plain words", text_color: "red" },
      fields: [
        { is_short: true, text: { tag: "lark_md", content: "**A**\n1" } },
        { is_short: true, text: { tag: "lark_md", content: "**B**\n2" } },
      ],
    });
    const text = screen.getByText("Plain words").closest(".lc-div__text") as HTMLElement;
    expect(text.style.color).toBe("rgb(192, 42, 38)");
    const fields = screen.getAllByTestId("card-field");
    expect(fields.map((f) => [f.dataset.short, f.querySelector("strong")?.textContent])).toEqual([
      ["true", "A"],
      ["true", "B"],
    ]);
  });

  it("markdown: its content drawn, aligned as text_align says", () => {
    draw({ tag: "markdown", content: "**Bold** and plain", text_align: "center" });
    const block = screen.getByTestId("card-markdown");
    expect(block.textContent).toBe("Bold and plain");
    expect(block.querySelector("strong")?.textContent).toBe("Bold");
    expect(block.style.textAlign).toBe("center");
  });

  it("img: a placeholder with its alt text and img_key, nothing fetched", () => {
    const { container } = draw({ tag: "img", img_key: "img_v2_abc", alt: { tag: "plain_text", content: "Latency graph" } });
    const img = screen.getByRole("img", { name: "Latency graph" });
    expect(img.textContent).toBe("Latency graphimg_v2_abc");
    expect(container.querySelector("img")).toBeNull();
  });

  it("hr: a divider between the components around it", () => {
    const { container } = draw(md("above"), { tag: "hr" }, md("below"));
    const hr = screen.getByTestId("card-hr");
    expect(hr.tagName).toBe("HR");
    expect(container.textContent).toBe("abovebelow");
  });

  it("button: its text and type, disabled when disabled, and its open_url click reported", () => {
    const { onAction } = draw(
      { tag: "button", type: "danger_filled", text: { tag: "plain_text", content: "Delete" }, disabled: true },
      { tag: "button", text: { tag: "plain_text", content: "Docs" }, behaviors: [{ type: "open_url", default_url: "https://example.com/docs" }] },
    );
    const [danger, docs] = screen.getAllByTestId("card-button") as HTMLButtonElement[];
    expect(danger?.dataset.type).toBe("danger_filled");
    expect(danger?.disabled).toBe(true);
    fireEvent.click(docs as HTMLButtonElement);
    expect(onAction).toHaveBeenCalledWith(expect.objectContaining({ kind: "open_url", url: "https://example.com/docs", label: "Docs" }));
  });
});
