// A small parser for the platform's card markdown, and a renderer that builds React elements
// from it. Nothing here ever becomes HTML: every piece of text is a React text node (escaped by
// React), colours come only from the palette's names, and link targets only from http(s),
// mailto and lark URLs. Text escaped as HTML entities (`&#60;`, what the card templates' `md`
// filter writes) is decoded to plain characters and never read as markup again.
//
// Supported, as the platform documents them: **bold**, *italic*, ~~strike~~, [links](url), bare
// URLs, `inline code`, <font color='red'>…</font>, <at id=…></at> mentions (all, open_id,
// user_id, email), <text_tag color='…'>, <local_datetime millisecond='…'>, <br>, line breaks,
// "-"/"*"/"+" and "1." lists, "---" dividers, and in JSON 2.0 markdown components also # headings,
// > quotes and ``` code blocks (1.0 shows those as plain text, and so does the preview).
import { Fragment, type ReactNode } from "react";
import { tagColours, textColour } from "./palette";

export type Inline =
  | { t: "text"; v: string }
  | { t: "b" | "i" | "s"; c: Inline[] }
  | { t: "code"; v: string }
  | { t: "link"; href: string | null; c: Inline[] }
  | { t: "font"; color: string; c: Inline[] }
  | { t: "at"; id: string; label: string }
  | { t: "tag"; color: string; c: Inline[] }
  | { t: "time"; ms: number; format: string }
  | { t: "br" };

export type Block =
  | { t: "p"; c: Inline[] }
  | { t: "h"; level: number; c: Inline[] }
  | { t: "list"; ordered: boolean; start: number; items: { indent: number; c: Inline[] }[] }
  | { t: "hr" }
  | { t: "pre"; v: string }
  | { t: "quote"; c: Inline[] };

/** `markdown2`: a JSON 2.0 markdown component; `markdown1`: a 1.0 one; `lark_md`: a text object. */
export type Dialect = "markdown2" | "markdown1" | "lark_md";

const NAMED_ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

const ENTITY = /^&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,5});/i;

/** The character an entity at the start of `s` stands for, and its length. */
function entityAt(s: string): [string, number] | null {
  const m = ENTITY.exec(s);
  if (!m?.[1]) return null;
  const name = m[1];
  let text: string | undefined;
  if (name.startsWith("#x") || name.startsWith("#X")) text = fromCodePoint(parseInt(name.slice(2), 16));
  else if (name.startsWith("#")) text = fromCodePoint(parseInt(name.slice(1), 10));
  else text = NAMED_ENTITIES[name.toLowerCase()];
  return text === undefined ? null : [text, m[0].length];
}

function fromCodePoint(code: number): string | undefined {
  if (!Number.isFinite(code) || code < 1 || code > 0x10ffff) return undefined;
  return String.fromCodePoint(code);
}

/** Decodes entities in text that is shown as is (code spans, attribute values). */
export function decodeEntities(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    if (s[i] === "&") {
      const entity = entityAt(s.slice(i));
      if (entity) {
        out += entity[0];
        i += entity[1];
        continue;
      }
    }
    out += s[i];
    i += 1;
  }
  return out;
}

const SAFE_URL = /^(https?:\/\/|mailto:|lark:\/\/)/i;

/** A link target the preview may show, or null. */
export function safeUrl(raw: string): string | null {
  const url = decodeEntities(raw.trim());
  return SAFE_URL.test(url) ? url : null;
}

const FONT = /^<font\s+color\s*=\s*(['"]?)([\w-]+)\1\s*>/i;
const AT = /^<at\s+(id|user_id|open_id|union_id|email)\s*=\s*(['"]?)([^'"\s>]+)\2\s*>([^<]*)<\/at>/i;
const BR = /^<br\s*\/?>/i;
const TEXT_TAG = /^<text_tag\s+color\s*=\s*(['"]?)([\w-]+)\1\s*>/i;
const LOCAL_TIME = /^<local_datetime\b([^>]*?)\/?>(?:<\/local_datetime>)?/i;
const BARE_URL = /^https?:\/\/[^\s<>()[\]"']+/i;

function attribute(attrs: string, name: string): string | null {
  const m = new RegExp(`${name}\\s*=\\s*(['"]?)([^'"\\s>]+)\\1`, "i").exec(attrs);
  return m?.[2] ?? null;
}

/** Where the closing `close` of a construct opened at `from` is, or -1. */
function closing(s: string, close: string, from: number): number {
  const j = s.indexOf(close, from);
  return j > from ? j : -1;
}

const WORD = /[\p{L}\p{N}]/u;

/** Parses one line (or a header/field text) of inline markdown. */
export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ t: "text", v: text });
    text = "";
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    const rest = s.slice(i);
    if (c === "\\" && i + 1 < s.length) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (c === "&") {
      const entity = entityAt(rest);
      if (entity) {
        text += entity[0];
        i += entity[1];
        continue;
      }
    }
    if (c === "\n") {
      push({ t: "br" });
      i += 1;
      continue;
    }
    if (c === "`") {
      const j = closing(s, "`", i + 1);
      if (j > 0) {
        push({ t: "code", v: decodeEntities(s.slice(i + 1, j)) });
        i = j + 1;
        continue;
      }
    }
    if (rest.startsWith("**")) {
      const j = closing(s, "**", i + 2);
      if (j > 0) {
        push({ t: "b", c: parseInline(s.slice(i + 2, j)) });
        i = j + 2;
        continue;
      }
    }
    if (rest.startsWith("~~")) {
      const j = closing(s, "~~", i + 2);
      if (j > 0) {
        push({ t: "s", c: parseInline(s.slice(i + 2, j)) });
        i = j + 2;
        continue;
      }
    }
    if (c === "*" || c === "_") {
      const before = i > 0 ? (s[i - 1] as string) : " ";
      const opensWord = c === "*" || !WORD.test(before);
      let j = closing(s, c, i + 1);
      // `*a**b*`: skip a doubled delimiter inside.
      while (j > 0 && c === "*" && s[j + 1] === "*") j = closing(s, c, j + 2);
      const after = j > 0 && j + 1 < s.length ? (s[j + 1] as string) : " ";
      const inner = j > 0 ? s.slice(i + 1, j) : "";
      if (
        j > 0 &&
        opensWord &&
        inner.trim() === inner &&
        inner !== "" &&
        (c === "*" || !WORD.test(after))
      ) {
        push({ t: "i", c: parseInline(inner) });
        i = j + 1;
        continue;
      }
    }
    if (c === "[") {
      const mid = s.indexOf("](", i + 1);
      const end = mid > 0 ? s.indexOf(")", mid + 2) : -1;
      if (mid > 0 && end > 0 && !s.slice(i + 1, mid).includes("\n")) {
        push({ t: "link", href: safeUrl(s.slice(mid + 2, end)), c: parseInline(s.slice(i + 1, mid)) });
        i = end + 1;
        continue;
      }
    }
    if (c === "<") {
      const br = BR.exec(rest);
      if (br) {
        push({ t: "br" });
        i += br[0].length;
        continue;
      }
      const font = FONT.exec(rest);
      if (font?.[2]) {
        const start = i + font[0].length;
        const j = s.toLowerCase().indexOf("</font>", start);
        if (j >= start) {
          push({ t: "font", color: font[2], c: parseInline(s.slice(start, j)) });
          i = j + "</font>".length;
          continue;
        }
      }
      const at = AT.exec(rest);
      if (at?.[3] !== undefined) {
        push({ t: "at", id: decodeEntities(at[3]), label: decodeEntities(at[4] ?? "") });
        i += at[0].length;
        continue;
      }
      const tag = TEXT_TAG.exec(rest);
      if (tag?.[2]) {
        const start = i + tag[0].length;
        const j = s.toLowerCase().indexOf("</text_tag>", start);
        if (j >= start) {
          push({ t: "tag", color: tag[2], c: parseInline(s.slice(start, j)) });
          i = j + "</text_tag>".length;
          continue;
        }
      }
      const time = LOCAL_TIME.exec(rest);
      if (time) {
        const ms = Number(attribute(time[1] ?? "", "millisecond") ?? attribute(time[1] ?? "", "timestamp"));
        push({ t: "time", ms: Number.isFinite(ms) ? ms : 0, format: attribute(time[1] ?? "", "format_type") ?? "" });
        i += time[0].length;
        continue;
      }
    }
    if ((c === "h" || c === "H") && !WORD.test(i > 0 ? (s[i - 1] as string) : " ")) {
      const url = BARE_URL.exec(rest);
      if (url) {
        const href = url[0].replace(/[.,;:!?]+$/, "");
        push({ t: "link", href: safeUrl(href), c: [{ t: "text", v: href }] });
        i += href.length;
        continue;
      }
    }
    text += c;
    i += 1;
  }
  flush();
  return out;
}

const LIST_ITEM = /^(\s*)([-*+]|(\d{1,9})\.)\s+(.*)$/;
const HR = /^\s*(-{3,}|\*{3,}|_{3,})\s*$/;
const HEADING = /^(#{1,6})\s+(.*)$/;

/** Parses markdown content into blocks. */
export function parseMarkdown(content: string, dialect: Dialect): Block[] {
  const rich = dialect === "markdown2";
  const lines = content.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ t: "p", c: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (rich && line.trim().startsWith("```")) {
      endParagraph();
      const code: string[] = [];
      n += 1;
      while (n < lines.length && !(lines[n] as string).trim().startsWith("```")) {
        code.push(lines[n] as string);
        n += 1;
      }
      blocks.push({ t: "pre", v: code.join("\n") });
      continue;
    }
    if (HR.test(line)) {
      endParagraph();
      blocks.push({ t: "hr" });
      continue;
    }
    const heading = rich ? HEADING.exec(line) : null;
    if (heading?.[1]) {
      endParagraph();
      blocks.push({ t: "h", level: heading[1].length, c: parseInline(heading[2] ?? "") });
      continue;
    }
    if (rich && line.startsWith(">")) {
      endParagraph();
      blocks.push({ t: "quote", c: parseInline(line.replace(/^>\s?/, "")) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      endParagraph();
      const ordered = item[3] !== undefined;
      const last = blocks[blocks.length - 1];
      const entry = { indent: Math.floor((item[1] ?? "").replace(/\t/g, "    ").length / 2), c: parseInline(item[4] ?? "") };
      if (last?.t === "list" && last.ordered === ordered) last.items.push(entry);
      else blocks.push({ t: "list", ordered, start: ordered ? Number(item[3]) : 1, items: [entry] });
      continue;
    }
    if (line.trim() === "") {
      endParagraph();
      continue;
    }
    paragraph.push(line);
  }
  endParagraph();
  return blocks;
}

/** What the renderer needs to know beyond the text. */
export interface MarkdownContext {
  dark: boolean;
  /** A link was clicked: the preview shows where it would go instead of navigating. */
  onOpenUrl?: (url: string) => void;
}

function mentionLabel(id: string, label: string): string {
  if (id === "all") return "@all";
  if (label.trim()) return `@${label.trim()}`;
  return `@${id.length > 14 ? `${id.slice(0, 12)}…` : id}`;
}

function formatTime(ms: number): string {
  if (!ms) return "";
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString();
}

export function renderInline(nodes: readonly Inline[], ctx: MarkdownContext): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.t) {
      case "text":
        return <Fragment key={index}>{node.v}</Fragment>;
      case "br":
        return <br key={index} />;
      case "b":
        return <strong key={index}>{renderInline(node.c, ctx)}</strong>;
      case "i":
        return <em key={index}>{renderInline(node.c, ctx)}</em>;
      case "s":
        return <del key={index}>{renderInline(node.c, ctx)}</del>;
      case "code":
        return (
          <code key={index} className="lc-md-code">
            {node.v}
          </code>
        );
      case "link":
        if (!node.href) return <Fragment key={index}>{renderInline(node.c, ctx)}</Fragment>;
        return (
          <a
            key={index}
            className="lc-md-link"
            data-testid="card-link"
            href={node.href}
            title={node.href}
            onClick={(event) => {
              event.preventDefault();
              ctx.onOpenUrl?.(node.href as string);
            }}
          >
            {renderInline(node.c, ctx)}
          </a>
        );
      case "font": {
        const colour = textColour(node.color, ctx.dark);
        return (
          <span key={index} data-testid="card-font" data-color={node.color} style={colour ? { color: colour } : undefined}>
            {renderInline(node.c, ctx)}
          </span>
        );
      }
      case "at":
        return (
          <span key={index} className={node.id === "all" ? "lc-at lc-at--all" : "lc-at"} data-testid="card-at" data-id={node.id} title={node.id}>
            {mentionLabel(node.id, node.label)}
          </span>
        );
      case "tag": {
        const colours = tagColours(node.color, ctx.dark);
        return (
          <span key={index} className="lc-tag" data-testid="card-text-tag" style={{ background: colours.background, color: colours.text }}>
            {renderInline(node.c, ctx)}
          </span>
        );
      }
      case "time":
        return (
          <time key={index} className="lc-time" dateTime={node.ms ? new Date(node.ms).toISOString() : undefined}>
            {formatTime(node.ms)}
          </time>
        );
    }
  });
}

function listTree(items: { indent: number; c: Inline[] }[], ordered: boolean, start: number, ctx: MarkdownContext, key: string): ReactNode {
  const children: ReactNode[] = [];
  for (let n = 0; n < items.length; n++) {
    const item = items[n] as { indent: number; c: Inline[] };
    const nested: { indent: number; c: Inline[] }[] = [];
    while (n + 1 < items.length && (items[n + 1] as { indent: number }).indent > item.indent) {
      nested.push(items[n + 1] as { indent: number; c: Inline[] });
      n += 1;
    }
    children.push(
      <li key={n}>
        {renderInline(item.c, ctx)}
        {nested.length > 0 && listTree(nested, ordered, 1, ctx, `${key}-${n}`)}
      </li>,
    );
  }
  return ordered ? (
    <ol key={key} className="lc-md-list" start={start}>
      {children}
    </ol>
  ) : (
    <ul key={key} className="lc-md-list">
      {children}
    </ul>
  );
}

export function renderBlocks(blocks: readonly Block[], ctx: MarkdownContext): ReactNode[] {
  return blocks.map((block, index) => {
    switch (block.t) {
      case "p":
        return (
          <p key={index} className="lc-md-p">
            {renderInline(block.c, ctx)}
          </p>
        );
      case "h": {
        const level = Math.min(Math.max(block.level, 1), 6);
        const Tag = `h${level}` as "h1";
        return (
          <Tag key={index} className={`lc-md-h lc-md-h${level}`}>
            {renderInline(block.c, ctx)}
          </Tag>
        );
      }
      case "list":
        return listTree(block.items, block.ordered, block.start, ctx, String(index));
      case "hr":
        return <hr key={index} className="lc-md-hr" />;
      case "pre":
        return (
          <pre key={index} className="lc-md-pre">
            {block.v}
          </pre>
        );
      case "quote":
        return (
          <blockquote key={index} className="lc-md-quote">
            {renderInline(block.c, ctx)}
          </blockquote>
        );
    }
  });
}

/** Markdown content as React elements. */
export function Markdown({ content, dialect, ctx }: { content: string; dialect: Dialect; ctx: MarkdownContext }) {
  return <>{renderBlocks(parseMarkdown(content, dialect), ctx)}</>;
}
