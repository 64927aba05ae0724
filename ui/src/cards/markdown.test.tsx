import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { formatTime, Markdown, parseInline, parseMarkdown, safeUrl } from "./markdown";

const ctx = { dark: false };

function html(content: string, dialect: "markdown2" | "markdown1" | "lark_md" = "markdown2", onOpenUrl?: (url: string) => void) {
  const { container } = render(
    <div data-testid="md">
      <Markdown content={content} dialect={dialect} ctx={{ ...ctx, onOpenUrl }} />
    </div>,
  );
  return container.querySelector('[data-testid="md"]') as HTMLElement;
}

describe("card markdown", () => {
  it("draws bold, italic, strike, code and line breaks", () => {
    const el = html("**Severity:** Critical\n*soon* ~~old~~ `kubectl get pods`");
    expect(el.querySelector("strong")?.textContent).toBe("Severity:");
    expect(el.querySelector("em")?.textContent).toBe("soon");
    expect(el.querySelector("del")?.textContent).toBe("old");
    expect(el.querySelector("code")?.textContent).toBe("kubectl get pods");
    expect(el.querySelectorAll("br")).toHaveLength(1);
  });

  it("keeps snake_case words intact", () => {
    expect(parseInline("disk_free_bytes and _this_")).toEqual([
      { t: "text", v: "disk_free_bytes and " },
      { t: "i", c: [{ t: "text", v: "this" }] },
    ]);
  });

  it("escapes <script> and other HTML: it shows as text and never becomes an element", () => {
    const el = html('<script>alert("x")</script><img src=x onerror=alert(1)> <b>not bold</b>');
    expect(el.querySelector("script")).toBeNull();
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("b")).toBeNull();
    expect(el.textContent).toContain('<script>alert("x")</script>');
    expect(el.textContent).toContain("<b>not bold</b>");
  });

  it("decodes the entities the templates' md filter writes, without reading them as markup", () => {
    const el = html("&#60;at id=all&#62;&#60;/at&#62; inc&#95;7f3a9c &#42;&#42;x&#42;&#42; &lt;b&gt;");
    expect(el.querySelector('[data-testid="card-at"]')).toBeNull();
    expect(el.querySelector("strong")).toBeNull();
    expect(el.textContent).toBe("<at id=all></at> inc_7f3a9c **x** <b>");
  });

  it("draws links without navigating, and refuses javascript: targets", () => {
    const opened = vi.fn();
    const el = html("[Runbook](https://runbooks.example.com/disk) [bad](javascript:alert(1)) see https://grafana.example.com/d/1.", "markdown2", opened);
    const links = el.querySelectorAll('[data-testid="card-link"]');
    expect(links).toHaveLength(2);
    expect(links[0]?.getAttribute("href")).toBe("https://runbooks.example.com/disk");
    expect(links[1]?.getAttribute("href")).toBe("https://grafana.example.com/d/1");
    expect(el.textContent).toContain("bad");
    (links[0] as HTMLAnchorElement).click();
    expect(opened).toHaveBeenCalledWith("https://runbooks.example.com/disk");
    expect(safeUrl("javascript:alert(1)")).toBeNull();
  });

  it("colours <font> text from the palette only", () => {
    const el = html("<font color='red'>●</font> <font color=\"green\">ok</font> <font color='url(x)'>?</font>");
    const fonts = el.querySelectorAll<HTMLElement>('[data-testid="card-font"]');
    expect(fonts).toHaveLength(2);
    expect(fonts[0]?.dataset.color).toBe("red");
    // Red text is #C02A26 in the colour enumeration's table.
    expect(fonts[0]?.style.color).toBe("rgb(192, 42, 38)");
    expect(fonts[1]?.style.color).toBe("rgb(26, 117, 38)"); // green = #1A7526
    expect(el.textContent).toContain("<font color='url(x)'>?</font>");
  });

  it("draws @mentions of everyone and of a person", () => {
    const el = html("<at id=all></at> please look, <at id=ou_1234567890abcdef></at> <at user_id=\"ou_x\">Li Lei</at>");
    const mentions = screen.getAllByTestId("card-at");
    expect(mentions.map((m) => m.dataset.id)).toEqual(["all", "ou_1234567890abcdef", "ou_x"]);
    expect(mentions[0]?.textContent).toBe("@all");
    expect(mentions[2]?.textContent).toBe("@Li Lei");
    expect(el.textContent).toContain("please look");
  });

  it("draws lists, dividers and, in 2.0 markdown only, headings", () => {
    const blocks = parseMarkdown("# Title\n- one\n- two\n  - nested\n1. first\n---\ntext", "markdown2");
    expect(blocks.map((b) => b.t)).toEqual(["h", "list", "list", "hr", "p"]);
    const v1 = parseMarkdown("# Title", "markdown1");
    expect(v1).toEqual([{ t: "p", c: [{ t: "text", v: "# Title" }] }]);
    const el = html("- one\n- two\n  - nested");
    expect(el.querySelectorAll("ul")).toHaveLength(2);
    expect(el.querySelectorAll("li")).toHaveLength(3);
  });

  it("leaves escaped list markers as text", () => {
    expect(parseMarkdown("&#45; not a list", "markdown2")).toEqual([{ t: "p", c: [{ t: "text", v: "- not a list" }] }]);
  });

  // #17 §3: what the platform draws and the preview did not.
  it("draws __bold__ as bold, not italic", () => {
    const el = html("__Severity__ and snake__case__word");
    expect(el.querySelector("strong")?.textContent).toBe("Severity");
    expect(el.querySelector("em")).toBeNull();
    expect(el.textContent).toContain("snake__case__word");
  });

  it("nests ***x*** as bold italic", () => {
    expect(parseInline("***both*** end")).toEqual([
      { t: "b", c: [{ t: "i", c: [{ t: "text", v: "both" }] }] },
      { t: "text", v: " end" },
    ]);
    const el = html("***both***");
    expect(el.querySelector("strong > em")?.textContent).toBe("both");
    expect(el.textContent).toBe("both");
  });

  it("draws <a href> and <link> as links, never navigating", () => {
    const opened = vi.fn();
    const el = html("<a href='https://example.com/a'>A</a> <a>https://example.com/self</a> <link icon='chat_outlined' url='https://example.com/u' pc_url='https://example.com/pc'>L</link> <a href='javascript:x'>bad</a>", "markdown2", opened);
    const links = el.querySelectorAll<HTMLAnchorElement>('[data-testid="card-link"]');
    expect([...links].map((l) => [l.textContent, l.getAttribute("href")])).toEqual([
      ["A", "https://example.com/a"],
      ["https://example.com/self", "https://example.com/self"],
      ["L", "https://example.com/pc"],
    ]);
    expect(el.textContent).toBe("A https://example.com/self L bad");
    links[2]?.click();
    expect(opened).toHaveBeenCalledWith("https://example.com/pc");
  });

  it("draws <at ids=a,b> as one mention per id", () => {
    const el = html("<at ids=ou_a,ou_b></at> look");
    expect(screen.getAllByTestId("card-at").map((m) => m.dataset.id)).toEqual(["ou_a", "ou_b"]);
    expect(el.textContent).toBe("@ou_a@ou_b look");
  });

  it("draws <person> with an avatar and its id, and <person show_avatar=false> without", () => {
    html("<person id='ou_449b53ad6aee526f7ed311b216aabcef' show_name=true show_avatar=true style='capsule'></person> <person id='ou_2' show_avatar=false></person>");
    const people = screen.getAllByTestId("card-md-person");
    expect(people.map((p) => p.dataset.id)).toEqual(["ou_449b53ad6aee526f7ed311b216aabcef", "ou_2"]);
    expect(people[0]?.className).toContain("lc-person--capsule");
    expect(people[0]?.querySelector(".lc-avatar")).not.toBeNull();
    expect(people[1]?.querySelector(".lc-avatar")).toBeNull();
    expect(people[1]?.textContent).toBe("ou_2");
  });

  it("draws <number_tag> as a coloured badge with its number", () => {
    const opened = vi.fn();
    html("see<number_tag background_color='red' font_color='white' url='https://example.com/1'>1</number_tag>", "markdown2", opened);
    const tag = screen.getByTestId("card-number-tag");
    expect(tag.textContent).toBe("1");
    expect(tag.dataset.href).toBe("https://example.com/1");
    expect(tag.style.color).toBe("rgb(255, 255, 255)");
    tag.querySelector("a")?.click();
    expect(opened).toHaveBeenCalledWith("https://example.com/1");
  });

  it("draws <audio> as an audio chip and <hr> as a divider", () => {
    const el = html("before\n<hr>\nmid <hr/> <audio file_key='file_v3_x' audio_id='a1'></audio><audio file_key='file_v3_y' show_time=true>");
    const [plain, timed] = screen.getAllByTestId("card-audio");
    expect(plain?.getAttribute("title")).toBe("file_v3_x");
    expect(plain?.textContent).toBe("▶");
    expect(timed?.textContent).toBe("▶0:00");
    expect(el.querySelectorAll("hr.lc-md-hr")).toHaveLength(1);
    expect(screen.getAllByTestId("card-md-hr")).toHaveLength(1);
    expect(el.textContent).not.toContain("<audio");
    expect(el.textContent).not.toContain("<hr");
  });

  it("keeps <raw> content literal", () => {
    const el = html("<raw>**not bold** <at id=all></at> :OK:</raw> **bold**");
    expect(el.querySelectorAll("strong")).toHaveLength(1);
    expect(el.querySelector('[data-testid="card-at"]')).toBeNull();
    expect(el.textContent).toBe("**not bold** <at id=all></at> :OK: bold");
  });

  it("draws nested <font> and RGBA colours", () => {
    const el = html("<font color='red'>a <font color='green'>b</font> c</font> <font color='rgba(5,157,178,0.52)'>d</font> <font color=rgba(1,2,3,9)>e</font>");
    const fonts = el.querySelectorAll<HTMLElement>('[data-testid="card-font"]');
    expect([...fonts].map((f) => f.dataset.color)).toEqual(["red", "green", "rgba(5,157,178,0.52)"]);
    expect(fonts[0]?.textContent).toBe("a b c");
    expect(fonts[1]?.textContent).toBe("b");
    expect(fonts[2]?.style.color).toBe("rgba(5, 157, 178, 0.52)");
    // An alpha out of range is not a colour: the tag stays text, as any unknown markup does.
    expect(el.textContent).toBe("a b c d <font color=rgba(1,2,3,9)>e</font>");
  });

  it("draws Feishu emoji shortcodes and leaves unknown ones and times alone", () => {
    const el = html(":OK: :THUMBSUP: :Fire: :NOPE: 12:30:45");
    expect(screen.getAllByTestId("card-emoji").map((e) => [e.dataset.name, e.textContent])).toEqual([
      ["OK", "👌"],
      ["THUMBSUP", "👍"],
      ["Fire", "🔥"],
    ]);
    expect(el.textContent).toBe("👌 👍 🔥 :NOPE: 12:30:45");
  });

  it("draws ![alt](img_key) as an image placeholder with its alt", () => {
    const el = html("![CPU graph](img_v2_041b28e3)");
    const img = screen.getByTestId("card-md-img");
    expect(img.getAttribute("aria-label")).toBe("CPU graph");
    expect(img.textContent).toBe("CPU graphimg_v2_041b28e3");
    expect(el.textContent).not.toContain("!");
  });

  it("draws markdown tables in 2.0, five rows a page, and leaves them as text in 1.0", () => {
    const rows = Array.from({ length: 7 }, (_, n) => `| db-0${n} | ${n === 0 ? "**96%**" : "1%"} |`).join("\n");
    const table = `| Host | CPU |\n|:---|---:|\n${rows}`;
    const el = html(table);
    const grid = el.querySelector('[data-testid="card-md-table"]') as HTMLTableElement;
    expect([...grid.querySelectorAll("th")].map((c) => c.textContent)).toEqual(["Host", "CPU"]);
    const body = [...grid.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent));
    expect(body).toHaveLength(5);
    expect(body[0]).toEqual(["db-00", "96%"]);
    expect(grid.querySelector("td strong")?.textContent).toBe("96%");
    expect(el.querySelector('[data-testid="card-md-table-pager"]')?.textContent).toBe("‹ 1/2 ›");
    expect(parseMarkdown(table, "markdown1").some((b) => b.t === "table")).toBe(false);
  });

  it("allows tel: links", () => {
    expect(safeUrl("tel://18688886666")).toBe("tel://18688886666");
    const el = html("[call](tel://18688886666)");
    expect(el.querySelector('[data-testid="card-link"]')?.getAttribute("href")).toBe("tel://18688886666");
  });

  it("decodes &sim;, &ensp; and &emsp;", () => {
    expect(html("1&sim;2&ensp;a&emsp;b").textContent).toBe("1\u223c2\u2002a\u2003b");
  });

  it("draws 1.0 code blocks as code, not as markdown", () => {
    const blocks = parseMarkdown("```json\n{\"a\": \"**x**\"}\n- y\n```", "markdown1");
    expect(blocks).toEqual([{ t: "pre", v: '{"a": "**x**"}\n- y', lang: "json" }]);
    const el = html("```\n**x**\n```", "markdown1");
    expect(el.querySelector("pre")?.textContent).toBe("**x**");
    expect(el.querySelector("strong")).toBeNull();
  });

  it("formats <local_datetime> by its format_type, date_num by default", () => {
    const date = new Date(2024, 2, 5, 9, 7, 3);
    const ms = date.getTime();
    expect(formatTime(ms, "date_num")).toBe("2024-03-05");
    expect(formatTime(ms, "")).toBe("2024-03-05");
    expect(formatTime(ms, "time")).toBe("09:07");
    expect(formatTime(ms, "time_sec")).toBe("09:07:03");
    expect(formatTime(ms, "timezone")).toMatch(/^GMT[+-]\d{1,2}:\d{2}$/);
    expect(formatTime(ms, "week", "en-US")).toBe("Tuesday");
    expect(formatTime(ms, "week_short", "en-US")).toBe("Tue");
    expect(formatTime(ms, "date_short", "en-US")).toBe("Mar 5");
    expect(formatTime(ms, "date", "en-US")).toBe("Mar 5, 2024");
    const el = html(`<local_datetime millisecond='${ms}' format_type='time'></local_datetime> <local_datetime format_type='date_num'></local_datetime>`);
    const times = el.querySelectorAll("time");
    expect(times[0]?.textContent).toBe("09:07");
    expect(times[1]?.textContent).toBe(formatTime(Date.now(), "date_num"));
  });

  it("draws <link icon> with the icon and takes pc_url at desktop width, ios_url at mobile width", () => {
    const content = "<link icon='chat_outlined' url='https://example.com/u' pc_url='https://example.com/pc' ios_url='https://example.com/ios' android_url='https://example.com/android'>Chat</link> <link url='https://example.com/only' pc_url='' ios_url=''>Only</link>";
    const opened = vi.fn();
    const { container, unmount } = render(<Markdown content={content} dialect="markdown2" ctx={{ dark: false, onOpenUrl: opened }} />);
    const desktop = [...container.querySelectorAll<HTMLAnchorElement>('[data-testid="card-link"]')];
    expect(desktop.map((l) => [l.textContent, l.getAttribute("href")])).toEqual([
      ["Chat", "https://example.com/pc"],
      ["Only", "https://example.com/only"],
    ]);
    const icon = desktop[0]?.querySelector<HTMLElement>('[data-testid="card-link-icon"]');
    expect(icon?.dataset.icon).toBe("chat_outlined");
    expect(desktop[1]?.querySelector('[data-testid="card-link-icon"]')).toBeNull();
    desktop[0]?.click();
    expect(opened).toHaveBeenCalledWith("https://example.com/pc");
    unmount();
    const mobile = render(<Markdown content={content} dialect="markdown2" ctx={{ dark: false, mobile: true }} />);
    const links = [...mobile.container.querySelectorAll<HTMLAnchorElement>('[data-testid="card-link"]')];
    expect(links.map((l) => l.getAttribute("href"))).toEqual(["https://example.com/ios", "https://example.com/only"]);
  });

  it("draws <audio> in its background and fill colours, and style='speak' as a voice button", () => {
    html("<audio file_key='f1' show_time=true background_color='grey-200' fill_color='blue-800'> <audio file_key='f2' style='speak'></audio> <audio file_key='f3' background_color='url(x)'>");
    const [coloured, speak, refused] = screen.getAllByTestId("card-audio") as HTMLElement[];
    // grey-200 and blue-800 from the colour table.
    expect(coloured?.style.background).toBe("rgb(239, 240, 241)");
    expect((coloured?.querySelector(".lc-audio__bar") as HTMLElement).style.background).toBe("rgb(0, 47, 158)");
    expect(coloured?.textContent).toBe("▶0:00");
    expect(speak?.dataset.style).toBe("speak");
    expect(speak?.textContent).toBe("🔊");
    expect(speak?.querySelector(".lc-audio__bar")).toBeNull();
    expect(refused?.getAttribute("style")).toBeNull();
  });

  it("draws only ``` fences as code: a 4-space-indented line stays text and a 4-space-indented list item nests", () => {
    const el = html("Steps:\n    not code\n- one\n    - one.one\n- two");
    expect(el.querySelector("pre")).toBeNull();
    expect(el.querySelector("p")?.textContent).toContain("not code");
    const nested = el.querySelector("ul > li > ul > li");
    expect(nested?.textContent).toBe("one.one");
    expect(el.querySelectorAll("ul > li")).toHaveLength(3);
  });

  it("draws a ```lang fence as a code block with its language", () => {
    const el = html("```JSON\n{\"This is\": \"JSON demo\"}\n```");
    const pre = el.querySelector("pre") as HTMLElement;
    expect(pre.dataset.lang).toBe("JSON");
    expect(pre.textContent).toBe('{"This is": "JSON demo"}');
  });

  it("draws # … ###### headings in 2.0 markdown as h1 … h6, and leaves them as text in 1.0", () => {
    const el = html("# One\n## Two\n###### Six");
    expect([...el.querySelectorAll("h1, h2, h6")].map((h) => [h.tagName, h.textContent])).toEqual([
      ["H1", "One"],
      ["H2", "Two"],
      ["H6", "Six"],
    ]);
    expect(html("# One", "markdown1").querySelector("h1")).toBeNull();
  });

  it("draws > quotes in 2.0 markdown, and leaves them as text in 1.0", () => {
    const el = html("> quoted **words**\nafter");
    const quote = el.querySelector("blockquote") as HTMLElement;
    expect(quote.textContent).toBe("quoted words");
    expect(quote.querySelector("strong")?.textContent).toBe("words");
    expect(html("> not a quote", "markdown1").querySelector("blockquote")).toBeNull();
  });

  it("draws <text_tag color> as a tag in its -100/-600 colours", () => {
    html("state <text_tag color='green'>Resolved</text_tag>");
    const tag = screen.getByTestId("card-text-tag");
    expect(tag.textContent).toBe("Resolved");
    // green-100 behind green-600, from the colour table.
    expect(tag.style.background).toBe("rgb(208, 245, 206)");
    expect(tag.style.color).toBe("rgb(26, 117, 38)");
  });

  it("draws <hr> on its own line as a divider and inline as a separator", () => {
    const el = html("above\n<hr>\nbelow <hr/> end");
    expect(el.querySelectorAll("hr.lc-md-hr")).toHaveLength(1);
    expect(screen.getByTestId("card-md-hr").getAttribute("role")).toBe("separator");
    expect(el.textContent).toBe("abovebelow  end");
  });
});
