// text_size (#17 §3.1): every documented size name, and the card's own sizes from
// config.style.text_size, drawn in the documented px on desktop and mobile.
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CardPreview } from "./CardPreview";
import { TEXT_SIZES } from "./textSize";

const DOCUMENTED: [string, number][] = [
  ["heading-0", 30],
  ["heading-1", 24],
  ["heading-2", 20],
  ["heading-3", 18],
  ["heading-4", 16],
  ["heading", 16],
  ["normal", 14],
  ["notation", 12],
  ["xxxx-large", 30],
  ["xxx-large", 24],
  ["xx-large", 20],
  ["x-large", 18],
  ["large", 16],
  ["medium", 14],
  ["small", 12],
  ["x-small", 10],
];

function sizes(card: unknown, width: "desktop" | "mobile" = "desktop") {
  render(<CardPreview card={card} theme="light" width={width} />);
  return screen.getAllByTestId("card-markdown").map((m) => m.style.fontSize);
}

describe("text_size", () => {
  it("knows every documented size name and nothing else", () => {
    expect(Object.entries(TEXT_SIZES)).toEqual(DOCUMENTED);
  });

  it("draws markdown in the documented px for each name, and an unknown name at the default size", () => {
    const elements = [...DOCUMENTED.map(([name]) => ({ tag: "markdown", content: name, text_size: name })), { tag: "markdown", content: "x", text_size: "huge" }];
    expect(sizes({ schema: "2.0", body: { elements } })).toEqual([...DOCUMENTED.map(([, px]) => `${px}px`), ""]);
  });

  it("draws the card's own sizes (config.style.text_size) per client, falling back to default", () => {
    const card = {
      schema: "2.0",
      config: { style: { text_size: { "cus-0": { default: "medium", pc: "x-large", mobile: "x-small" }, "cus-1": { default: "heading-0" }, bad: { default: "99px" } } } },
      body: {
        elements: [
          { tag: "markdown", content: "a", text_size: "cus-0" },
          { tag: "markdown", content: "b", text_size: "cus-1" },
          { tag: "markdown", content: "c", text_size: "bad" },
        ],
      },
    };
    expect(sizes(card, "desktop")).toEqual(["18px", "30px", ""]);
  });

  it("takes the mobile size at mobile width", () => {
    const card = {
      schema: "2.0",
      config: { style: { text_size: { "cus-0": { default: "medium", pc: "x-large", mobile: "x-small" } } } },
      body: { elements: [{ tag: "markdown", content: "a", text_size: "cus-0" }] },
    };
    expect(sizes(card, "mobile")).toEqual(["10px"]);
  });

  it("sizes a div's plain text too", () => {
    render(<CardPreview card={{ schema: "2.0", body: { elements: [{ tag: "div", text: { tag: "plain_text", content: "t", text_size: "heading-1" } }] } }} theme="light" width="desktop" />);
    expect((screen.getByText("t").closest(".lc-div__text") as HTMLElement).style.fontSize).toBe("24px");
  });
});
