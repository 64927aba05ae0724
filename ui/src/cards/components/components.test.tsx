// The JSON 2.0 components beyond text and buttons (#17 §3.2): each is drawn, none is
// "not drawn in the preview".
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { CardAction } from "../callback";
import { CardPreview } from "../CardPreview";
import { JSON2_COMPONENTS } from "../../bindings/CardComponent";
import { formatDate } from "./Table";

function draw(...elements: unknown[]) {
  const onAction = vi.fn<(action: CardAction) => void>();
  const view = render(<CardPreview card={{ schema: "2.0", body: { elements } }} theme="light" width="desktop" onAction={onAction} />);
  return { ...view, onAction };
}

const SAMPLES: Record<string, unknown> = {
  column_set: { tag: "column_set", columns: [{ tag: "column", elements: [] }] },
  form: { tag: "form", name: "f", elements: [] },
  interactive_container: { tag: "interactive_container", elements: [] },
  collapsible_panel: { tag: "collapsible_panel", header: { title: { tag: "plain_text", content: "t" } }, elements: [] },
  div: { tag: "div", text: { tag: "plain_text", content: "x" } },
  markdown: { tag: "markdown", content: "x" },
  img: { tag: "img", img_key: "img_v2_x" },
  img_combination: { tag: "img_combination", combination_mode: "triple", img_list: [{ img_key: "a" }, { img_key: "b" }, { img_key: "c" }] },
  person: { tag: "person", user_id: "ou_1" },
  person_list: { tag: "person_list", persons: [{ id: "ou_1" }] },
  chart: { tag: "chart", chart_spec: { type: "line" } },
  table: { tag: "table", columns: [{ name: "a" }], rows: [{ a: 1 }] },
  hr: { tag: "hr" },
  audio: { tag: "audio", file_key: "file_v3_x" },
  input: { tag: "input", name: "i" },
  button: { tag: "button", text: { tag: "plain_text", content: "b" } },
  overflow: { tag: "overflow", options: [] },
  select_static: { tag: "select_static", options: [] },
  multi_select_static: { tag: "multi_select_static", options: [] },
  select_person: { tag: "select_person", options: [] },
  multi_select_person: { tag: "multi_select_person", options: [] },
  date_picker: { tag: "date_picker" },
  picker_time: { tag: "picker_time" },
  picker_datetime: { tag: "picker_datetime" },
  select_img: { tag: "select_img", options: [] },
  checker: { tag: "checker", text: { tag: "plain_text", content: "c" } },
};

describe("JSON 2.0 components", () => {
  it("draws every one of the 26 documented components", () => {
    expect(JSON2_COMPONENTS).toHaveLength(26);
    for (const tag of JSON2_COMPONENTS) {
      const { container, unmount } = draw(SAMPLES[tag]);
      expect(container.querySelector('[data-testid="card-unsupported"]'), tag).toBeNull();
      unmount();
    }
  });

  it("draws a table: headers, cells by data type, a page of rows and the pager", () => {
    const rows = Array.from({ length: 7 }, (_, n) => ({
      host: `db-0${n}`,
      cpu: 1234.5 + n,
      state: [{ text: n === 0 ? "critical" : "ok", color: n === 0 ? "red" : "green" }],
      owner: ["ou_a"],
      note: "**hot**",
      at: Date.UTC(2024, 4, 1),
    }));
    draw({
      tag: "table",
      page_size: 3,
      columns: [
        { name: "host", display_name: "Host", data_type: "text", width: "120px" },
        { name: "cpu", display_name: "CPU", data_type: "number", format: { precision: 1, symbol: "¥", separator: true }, horizontal_align: "right" },
        { name: "state", display_name: "State", data_type: "options", width: "url(x)" },
        { name: "owner", display_name: "Owner", data_type: "persons" },
        { name: "note", display_name: "Note", data_type: "lark_md" },
        { name: "at", display_name: "At", data_type: "date", date_format: "YYYY-MM-DD" },
      ],
      rows,
    });
    const table = screen.getByTestId("card-table");
    expect([...table.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["Host", "CPU", "State", "Owner", "Note", "At"]);
    const body = [...table.querySelectorAll("tbody tr")];
    expect(body).toHaveLength(3);
    const first = [...(body[0] as HTMLElement).querySelectorAll("td")];
    expect(first[0]?.textContent).toBe("db-00");
    expect(first[1]?.textContent).toBe("¥1,234.5");
    expect(first[1]?.style.textAlign).toBe("right");
    expect(within(first[2] as HTMLElement).getByTestId("card-table-option").textContent).toBe("critical");
    expect(within(first[3] as HTMLElement).getByTestId("card-person").dataset.id).toBe("ou_a");
    expect(first[4]?.querySelector("strong")?.textContent).toBe("hot");
    expect(first[5]?.textContent).toBe(formatDate(Date.UTC(2024, 4, 1), "YYYY-MM-DD"));
    expect(screen.getByTestId("card-table-pager").textContent).toBe("‹ 1/3 ›");
    const heads = table.querySelectorAll("th");
    expect((heads[0] as HTMLElement).style.width).toBe("120px");
    expect((heads[2] as HTMLElement).style.width).toBe("");
  });

  it("draws a chart as a labelled box with its type and title", () => {
    draw({ tag: "chart", aspect_ratio: "4:3", chart_spec: { type: "bar", title: { text: "Alerts per day" } } });
    const chart = screen.getByTestId("card-chart");
    expect(chart.dataset.type).toBe("bar");
    expect(chart.textContent).toBe("Alerts per dayChart · bar");
  });

  it("person: one person with avatar and id, or without the avatar, as a capsule", () => {
    draw({ tag: "person", user_id: "ou_449b53ad", show_avatar: false, style: "capsule" });
    const person = within(screen.getByTestId("card-person-element")).getByTestId("card-person");
    expect(person.dataset.id).toBe("ou_449b53ad");
    expect(person.querySelector(".lc-avatar")).toBeNull();
    expect(person.className).toContain("capsule");
  });

  it("person_list: one chip per person, each with its avatar", () => {
    draw({ tag: "person_list", persons: [{ id: "ou_1" }, { id: "ou_2" }] });
    const list = within(screen.getByTestId("card-person-list")).getAllByTestId("card-person");
    expect(list.map((p) => p.dataset.id)).toEqual(["ou_1", "ou_2"]);
    expect(list[0]?.querySelector(".lc-avatar")?.textContent).toBe("1");
  });

  const options = [
    { text: { tag: "plain_text", content: "Low" }, value: "low" },
    { text: { tag: "plain_text", content: "High" }, value: "high" },
  ];

  it("select_static: the chosen option, else the card's placeholder, else Select", () => {
    draw(
      { tag: "select_static", options, initial_option: "high" },
      { tag: "select_static", options, placeholder: { tag: "plain_text", content: "Priority" } },
      { tag: "select_static", options },
    );
    const selects = screen.getAllByTestId("card-select");
    expect(selects.map((s) => s.textContent)).toEqual(["High▾", "Priority▾", "Select▾"]);
    expect(selects[1]?.className).toContain("lc-select--placeholder");
  });

  it("multi_select_static: one chip per chosen option", () => {
    draw({ tag: "multi_select_static", options, selected_values: ["low", "high"] });
    const select = screen.getByTestId("card-select");
    expect(select.textContent).toBe("LowHigh▾");
    expect(within(select).getAllByTestId("card-select-chip")).toHaveLength(2);
  });

  it("select_person: the chosen person, else Select a person", () => {
    draw({ tag: "select_person", options: [{ value: "ou_1" }], initial_option: "ou_1" }, { tag: "select_person" });
    const selects = screen.getAllByTestId("card-select");
    expect(within(selects[0] as HTMLElement).getByTestId("card-person").dataset.id).toBe("ou_1");
    expect(selects[1]?.textContent).toBe("Select a person▾");
  });

  it("multi_select_person: every chosen person", () => {
    draw({ tag: "multi_select_person", options: [], selected_values: ["ou_2", "ou_3"] });
    expect(within(screen.getByTestId("card-select")).getAllByTestId("card-person").map((p) => p.dataset.id)).toEqual(["ou_2", "ou_3"]);
  });

  const pickerValues = () => screen.getAllByTestId("card-select").map((s) => [s.dataset.tag, s.querySelector(".lc-select__value")?.textContent]);

  it("date_picker: its initial date, else the card's placeholder", () => {
    draw({ tag: "date_picker", initial_date: "2024-05-01" }, { tag: "date_picker", placeholder: { tag: "plain_text", content: "Due" } }, { tag: "date_picker" });
    expect(pickerValues()).toEqual([
      ["date_picker", "2024-05-01"],
      ["date_picker", "Due"],
      ["date_picker", "Select a date"],
    ]);
  });

  it("picker_time: its initial time, else Select a time", () => {
    draw({ tag: "picker_time", initial_time: "11:30" }, { tag: "picker_time" });
    expect(pickerValues()).toEqual([
      ["picker_time", "11:30"],
      ["picker_time", "Select a time"],
    ]);
  });

  it("picker_datetime: its initial date and time, else Select a date and time", () => {
    draw({ tag: "picker_datetime", initial_datetime: "2024-05-01 11:30" }, { tag: "picker_datetime" });
    expect(pickerValues()).toEqual([
      ["picker_datetime", "2024-05-01 11:30"],
      ["picker_datetime", "Select a date and time"],
    ]);
  });

  it("draws inputs with label, placeholder, default value and masked passwords", () => {
    draw(
      { tag: "input", name: "reason", required: true, label: { tag: "plain_text", content: "Reason" }, placeholder: { tag: "plain_text", content: "Why?" } },
      { tag: "input", name: "pw", input_type: "password", default_value: "secret" },
      { tag: "input", name: "notes", input_type: "multiline_text", rows: 3, default_value: "a" },
    );
    const inputs = screen.getAllByTestId("card-input");
    expect(inputs[0]?.textContent).toBe("*ReasonWhy?");
    expect(inputs[1]?.textContent).toBe("••••••");
    expect(inputs[2]?.dataset.type).toBe("multiline_text");
    expect((inputs[2]?.querySelector(".lc-input") as HTMLElement).style.minHeight).toBe("76px");
  });

  it("draws a checker, struck through when checked with show_strikethrough", () => {
    draw(
      { tag: "checker", checked: true, text: { tag: "lark_md", content: "**Ack** alert" }, checked_style: { show_strikethrough: true, opacity: 0.5 } },
      { tag: "checker", checked: false, text: { tag: "plain_text", content: "Todo" } },
    );
    const [done, todo] = screen.getAllByTestId("card-checker");
    expect(done?.dataset.checked).toBe("true");
    expect(done?.querySelector("strong")?.textContent).toBe("Ack");
    expect((done?.querySelector(".lc-checker__text") as HTMLElement).style.textDecoration).toBe("line-through");
    expect(todo?.dataset.checked).toBe("false");
    expect(todo?.textContent).toBe("Todo");
  });

  it("draws an overflow menu whose options report their callback", () => {
    const { onAction } = draw({
      tag: "overflow",
      options: [
        { text: { tag: "plain_text", content: "Mute" }, value: "mute" },
        { text: { tag: "plain_text", content: "Docs" }, multi_url: { url: "https://example.com/docs" } },
      ],
    });
    const menu = screen.getByTestId("card-overflow");
    expect(menu.querySelector("summary")?.getAttribute("aria-label")).toBe("More");
    const [mute, docs] = screen.getAllByTestId("card-overflow-option");
    fireEvent.click(mute as HTMLElement);
    fireEvent.click(docs as HTMLElement);
    expect(onAction.mock.calls.map((c) => [c[0].kind, c[0].tag, c[0].value, c[0].url])).toEqual([
      ["callback", "overflow", "mute", undefined],
      ["open_url", "overflow", undefined, "https://example.com/docs"],
    ]);
  });

  it("img_combination: a grid of image placeholders laid out by combination_mode", () => {
    draw({ tag: "img_combination", combination_mode: "triple", img_list: [{ img_key: "a" }, { img_key: "b" }, { img_key: "c" }] });
    const combination = screen.getByTestId("card-img-combination");
    expect(within(combination).getAllByTestId("card-img-tile")).toHaveLength(3);
    expect(combination.style.gridTemplateColumns).toBe("repeat(3, 1fr)");
  });

  it("select_img: a grid of image options with the chosen one marked", () => {
    draw({ tag: "select_img", layout: "bisect", options: [{ img_key: "x", value: "1" }, { img_key: "y", value: "2" }], initial_option: "2" });
    const tiles = within(screen.getByTestId("card-select-img")).getAllByTestId("card-img-tile");
    expect(tiles.map((t) => t.dataset.selected ?? "")).toEqual(["", "true"]);
  });

  it("draws audio as an inert player", () => {
    draw({ tag: "audio", file_key: "file_v3_x", show_time: true });
    expect(screen.getByTestId("card-audio").getAttribute("title")).toBe("file_v3_x");
    expect(screen.getByTestId("card-audio").textContent).toContain("0:00");
  });
});
