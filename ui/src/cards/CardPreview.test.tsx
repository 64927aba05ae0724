// The preview draws the built-in templates' real output (the Rust snapshot files), so a template
// change that the preview cannot draw shows up here.
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { cardActionCallback, type CardAction } from "./callback";
import { CardPreview } from "./CardPreview";
import { HEADER_TEMPLATES, headerColours } from "./palette";

/** The card JSON of a built-in template's insta snapshot (after its `---` front matter). */
function fromSnapshot(name: string): unknown {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = resolve(here, "../../../crates/companion/src/cards/snapshots", `companion__cards__tests__${name}.snap`);
  const body = readFileSync(file, "utf8").split(/^---$/m).slice(2).join("---");
  return JSON.parse(body);
}

function hex(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return `#${[r, g, b].map((n) => (n ?? 0).toString(16).padStart(2, "0")).join("")}`;
}

describe("card preview", () => {
  it("draws the triggered 2.0 card: red header, title, subtitle, tag, markdown and its three buttons", () => {
    render(<CardPreview card={fromSnapshot("triggered.v2")} theme="light" width="desktop" />);
    const preview = screen.getByTestId("card-preview");
    expect(preview.dataset.schema).toBe("2.0");
    expect(preview.style.width).toBe("600px");
    const header = screen.getByTestId("card-header");
    expect(header.dataset.template).toBe("red");
    // red-100 of the colour table behind grey-900 text.
    expect(hex(header.style.background)).toBe("#fee3e2");
    expect(hex(header.style.color)).toBe("#1f2329");
    expect(screen.getByTestId("card-header-title").textContent).toBe("Disk almost full on db-01");
    expect(screen.getByTestId("card-header-subtitle").textContent).toBe("Triggered · started 2024-05-01 12:34 UTC");
    expect(screen.getByTestId("card-header-tag").textContent).toBe("Critical");
    const texts = screen.getAllByTestId("card-markdown").map((m) => m.textContent);
    expect(texts).toContain("Filesystem /var/lib/postgresql is 96% full.Free space or grow the volume.");
    expect(texts.some((t) => t?.includes("Incident: inc_7f3a9c"))).toBe(true);
    const buttons = screen.getAllByTestId("card-button");
    expect(buttons.map((b) => [b.textContent, b.dataset.type])).toEqual([
      ["Acknowledge", "primary_filled"],
      ["Resolve", "default"],
      ["Open incident", "default"],
    ]);
    expect(screen.getByTestId("card-column-set").dataset.flexMode).toBe("flow");
    expect(screen.getAllByTestId("card-hr")).toHaveLength(1);
  });

  it("draws the triggered 1.0 card: fields two by two, an action module, the link button", () => {
    render(<CardPreview card={fromSnapshot("triggered.v1")} theme="light" width="mobile" />);
    expect(screen.getByTestId("card-preview").dataset.schema).toBe("1.0");
    expect(screen.getByTestId("card-preview").style.width).toBe("375px");
    expect(screen.getByTestId("card-header-title").textContent).toBe("[Critical] Disk almost full on db-01");
    const fields = screen.getAllByTestId("card-field");
    expect(fields.map((f) => f.dataset.short)).toEqual(["true", "true", "true", "true", "false"]);
    expect(within(fields[0] as HTMLElement).getByText("Severity").tagName).toBe("STRONG");
    expect(fields[3]?.textContent).toBe("Incidentinc_7f3a9c");
    expect(within(screen.getByTestId("card-action")).getAllByTestId("card-button")).toHaveLength(3);
    expect(screen.getAllByTestId("card-button")[0]?.dataset.type).toBe("primary");
  });

  it("draws the digest with coloured bullets and the resolved card in green", () => {
    const { unmount } = render(<CardPreview card={fromSnapshot("digest.v2")} theme="light" width="desktop" />);
    expect(screen.getByTestId("card-header-title").textContent).toBe("2 open of 3 alerts");
    expect(screen.getAllByTestId("card-font").map((f) => f.dataset.color)).toEqual(["red", "yellow", "green"]);
    unmount();
    render(<CardPreview card={fromSnapshot("resolved.v2")} theme="dark" width="desktop" />);
    const header = screen.getByTestId("card-header");
    expect(header.dataset.template).toBe("green");
    expect(hex(header.style.background)).toBe(headerColours("green", true).background);
  });

  it("uses the platform's colour for every header template, and the default style for unknown ones", () => {
    for (const template of HEADER_TEMPLATES) {
      const { unmount } = render(
        <CardPreview card={{ header: { template, title: { tag: "plain_text", content: template } }, elements: [] }} theme="light" width="desktop" />,
      );
      const header = screen.getByTestId("card-header");
      expect(header.dataset.template).toBe(template);
      expect(hex(header.style.background)).toBe(headerColours(template, false).background);
      unmount();
    }
    render(<CardPreview card={{ header: { template: "pink", title: { content: "x" } } }} theme="light" width="desktop" />);
    expect(screen.getByTestId("card-header").dataset.template).toBe("default");
  });

  it("shows a button's confirm dialog and reports the callback only when confirmed", () => {
    const onAction = vi.fn<(action: CardAction) => void>();
    const card = {
      schema: "2.0",
      body: {
        elements: [
          {
            tag: "button",
            type: "danger",
            text: { tag: "plain_text", content: "Resolve" },
            confirm: { title: { tag: "plain_text", content: "Resolve it?" }, text: { tag: "plain_text", content: "Everyone is told." } },
            behaviors: [{ type: "callback", value: { action: "resolve", incident_id: "inc_1" } }],
          },
          { tag: "button", type: "laser", text: { tag: "plain_text", content: "Docs" }, behaviors: [{ type: "open_url", default_url: "https://example.com/docs" }] },
        ],
      },
    };
    render(<CardPreview card={card} theme="light" width="desktop" onAction={onAction} />);
    const [resolve, docs] = screen.getAllByTestId("card-button");
    fireEvent.click(resolve as HTMLElement);
    expect(screen.getByTestId("card-confirm-title").textContent).toBe("Resolve it?");
    expect(screen.getByTestId("card-confirm-text").textContent).toBe("Everyone is told.");
    fireEvent.click(screen.getByTestId("card-confirm-cancel"));
    expect(onAction).not.toHaveBeenCalled();
    fireEvent.click(resolve as HTMLElement);
    fireEvent.click(screen.getByTestId("card-confirm-ok"));
    expect(onAction).toHaveBeenCalledTimes(1);
    const action = onAction.mock.calls[0]?.[0] as CardAction;
    expect(action).toMatchObject({ kind: "callback", tag: "button", value: { action: "resolve", incident_id: "inc_1" } });
    fireEvent.click(docs as HTMLElement);
    expect(onAction.mock.calls[1]?.[0]).toMatchObject({ kind: "open_url", url: "https://example.com/docs" });
    expect(docs?.dataset.type).toBe("laser");

    const body = cardActionCallback(action, { now: 1714566896000, messageId: "om_1", chatId: "oc_1", appId: "cli_a" });
    expect(body).toMatchObject({
      schema: "2.0",
      header: { event_type: "card.action.trigger", app_id: "cli_a", create_time: "1714566896000" },
      event: {
        action: { value: { action: "resolve", incident_id: "inc_1" }, tag: "button" },
        context: { open_message_id: "om_1", open_chat_id: "oc_1" },
      },
    });
  });

  it("escapes every text: <script> in a title, a field or markdown stays text", () => {
    const evil = "<script>window.pwned = true</script>";
    const card = {
      header: { template: "blue", title: { tag: "plain_text", content: evil } },
      elements: [
        { tag: "markdown", content: `${evil} **bold**` },
        { tag: "div", fields: [{ is_short: true, text: { tag: "lark_md", content: evil } }] },
        { tag: "img", img_key: "img_v3_x", alt: { tag: "plain_text", content: evil } },
      ],
    };
    const { container } = render(<CardPreview card={card} theme="light" width="desktop" />);
    expect(container.querySelector("script")).toBeNull();
    expect(screen.getByTestId("card-header-title").textContent).toBe(evil);
    expect(screen.getByTestId("card-markdown").textContent).toBe(`${evil} bold`);
    expect(screen.getByTestId("card-field").textContent).toBe(evil);
    expect(screen.getByTestId("card-img").textContent).toContain(evil);
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it("draws images as placeholders, notes, columns by weight, and names what it cannot draw", () => {
    const card = {
      config: { update_multi: true },
      elements: [
        { tag: "img", img_key: "img_v3_abc", alt: { tag: "plain_text", content: "CPU graph" } },
        { tag: "note", elements: [{ tag: "plain_text", content: "Sent by Flashduty" }] },
        {
          tag: "column_set",
          flex_mode: "bisect",
          columns: [
            { tag: "column", width: "weighted", weight: 2, elements: [{ tag: "markdown", content: "left" }] },
            { tag: "column", width: "weighted", weight: 1, elements: [{ tag: "markdown", content: "right" }] },
          ],
        },
        { tag: "video_player", file_key: "x" },
        "not an element",
      ],
    };
    render(<CardPreview card={card} theme="light" width="desktop" />);
    expect(screen.getByTestId("card-img").textContent).toContain("CPU graph");
    expect(screen.getByTestId("card-img").textContent).toContain("img_v3_abc");
    expect(screen.getByTestId("card-note").textContent).toBe("Sent by Flashduty");
    const columns = screen.getAllByTestId("card-column");
    expect(columns[0]?.style.flexGrow).toBe("2");
    expect(columns[1]?.style.flexGrow).toBe("1");
    expect(screen.getByTestId("card-unsupported").dataset.tag).toBe("video_player");
    expect(screen.queryByTestId("card-header")).toBeNull();
  });

  it("draws a lark_md header title as markdown", () => {
    const card = { header: { template: "blue", title: { tag: "lark_md", content: "**Disk** <font color='red'>full</font>" } }, elements: [] };
    render(<CardPreview card={card} theme="light" width="desktop" />);
    const title = screen.getByTestId("card-header-title");
    expect(title.querySelector("strong")?.textContent).toBe("Disk");
    expect(title.textContent).toBe("Disk full");
  });

  it("draws the card's own colours (config.style.color) in markdown and column backgrounds", () => {
    const card = {
      schema: "2.0",
      config: { style: { color: { "cus-0": { light_mode: "rgba(5,157,178,0.52)", dark_mode: "rgba(78,23,108,1)" } } } },
      body: {
        elements: [
          { tag: "markdown", content: "<font color='cus-0'>custom</font>" },
          { tag: "column_set", background_style: "cus-0", columns: [] },
        ],
      },
    };
    const { unmount } = render(<CardPreview card={card} theme="light" width="desktop" />);
    expect(screen.getByTestId("card-font").style.color).toBe("rgba(5, 157, 178, 0.52)");
    expect(screen.getByTestId("card-column-set").style.background).toBe("rgba(5, 157, 178, 0.52)");
    unmount();
    render(<CardPreview card={card} theme="dark" width="desktop" />);
    expect(screen.getByTestId("card-font").style.color).toBe("rgb(78, 23, 108)");
  });
});
