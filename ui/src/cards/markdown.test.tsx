import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Markdown, parseInline, parseMarkdown, safeUrl } from "./markdown";

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
    expect(fonts[0]?.style.color).toBe("rgb(216, 57, 49)");
    expect(fonts[1]?.style.color).toBe("rgb(46, 161, 33)");
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
});
