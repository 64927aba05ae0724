// The parser half of the card markdown (see markdown.tsx for the rules it follows). It turns
// text into an AST; nothing here builds HTML. Syntax, as the rich-text pages document it:
// - JSON 2.0: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text
// - JSON 1.0: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-components/content-components/rich-text
//   ("标题、引用、行内引用、表格、数字角标等语法仅支持在 JSON 2.0 结构的富文本组件中使用": headings,
//   quotes, tables and number tags are 2.0 only; code blocks are drawn by 1.0 markdown as well).
// - lark_md text objects: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-components/content-components/plain-text
import { emoji } from "./emoji";

export type Inline =
  | { t: "text"; v: string }
  | { t: "b" | "i" | "s"; c: Inline[] }
  | { t: "code"; v: string }
  | { t: "link"; href: string | null; mobileHref?: string | null; icon?: string; c: Inline[] }
  | { t: "font"; color: string; c: Inline[] }
  | { t: "at"; id: string; label: string }
  | { t: "tag"; color: string; c: Inline[] }
  | { t: "time"; ms: number; format: string }
  | { t: "img"; alt: string; key: string }
  | { t: "person"; id: string; showName: boolean; showAvatar: boolean; style: string }
  | { t: "num"; v: string; bg: string; fg: string; href: string | null; mobileHref?: string | null }
  | { t: "audio"; key: string; showTime: boolean; bg?: string; fill?: string; speak: boolean }
  | { t: "emoji"; name: string; v: string }
  | { t: "hr" }
  | { t: "br" };

export type Block =
  | { t: "p"; c: Inline[] }
  | { t: "h"; level: number; c: Inline[] }
  | { t: "list"; ordered: boolean; start: number; items: { indent: number; c: Inline[] }[] }
  | { t: "hr" }
  | { t: "pre"; v: string; lang: string }
  | { t: "quote"; c: Inline[] }
  | { t: "table"; head: Inline[][]; rows: Inline[][][] };

/** `markdown2`: a JSON 2.0 markdown component; `markdown1`: a 1.0 one; `lark_md`: a text object. */
export type Dialect = "markdown2" | "markdown1" | "lark_md";

const NAMED_ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  // The rich-text pages list these for spaces and the tilde (特殊字符转义).
  ensp: "\u2002",
  emsp: "\u2003",
  sim: "\u223c",
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

// http(s), mailto, tel (the rich-text pages' phone-link example, `[拨打电话](tel://…)`) and
// lark:// applinks. Anything else (javascript:, data:, file:) is drawn as plain text.
const SAFE_URL = /^(https?:\/\/|mailto:|tel:|lark:\/\/)/i;

/** A link target the preview may show, or null. */
export function safeUrl(raw: string): string | null {
  const url = decodeEntities(raw.trim());
  return SAFE_URL.test(url) ? url : null;
}

/** A colour value `<font>` and `<number_tag>` accept: a palette name or rgb/rgba numbers. */
const COLOUR_VALUE = /^(?:[a-z][\w-]*|rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(?:,\s*(?:0|1|0?\.\d+|1\.0+)\s*)?\))$/i;

const OPEN_TAG = /^<([a-z_]+)((?:\s+[\w-]+(?:\s*=\s*(?:'[^']*'|"[^"]*"|[^\s'">]+))?)*)\s*(\/?)>/i;
const ATTR = /([\w-]+)(?:\s*=\s*(?:'([^']*)'|"([^"]*)"|([^\s'">]+)))?/g;
const BR = /^<br\s*\/?>/i;
const BARE_URL = /^https?:\/\/[^\s<>()[\]"']+/i;
const EMOJI_CODE = /^:([A-Za-z][A-Za-z0-9_]{1,30}):/;

/** A tag's attributes, names lower-cased, values entity-decoded. */
function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) {
    if (m[1]) out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

/** Where the `</name>` that closes a tag opened before `from` is, counting nested ones; or -1. */
function closeOf(s: string, from: number, name: string): number {
  const lower = s.toLowerCase();
  const open = `<${name}`;
  const close = `</${name}>`;
  let depth = 1;
  let i = from;
  while (i < s.length) {
    const c = lower.indexOf(close, i);
    if (c < 0) return -1;
    let o = lower.indexOf(open, i);
    while (o >= 0 && o < c && !/[\s>/]/.test(lower[o + open.length] ?? "")) o = lower.indexOf(open, o + 1);
    if (o >= 0 && o < c) {
      depth += 1;
      i = o + open.length;
      continue;
    }
    depth -= 1;
    if (depth === 0) return c;
    i = c + close.length;
  }
  return -1;
}

/** Where the closing `close` of a construct opened at `from` is, or -1. */
function closing(s: string, close: string, from: number): number {
  const j = s.indexOf(close, from);
  return j > from ? j : -1;
}

const WORD = /[\p{L}\p{N}]/u;

/** A link's text: links inside it (a bare URL as its text) draw as their text, never nested. */
function linkText(s: string): Inline[] {
  return parseInline(s).flatMap((node) => (node.t === "link" ? node.c : [node]));
}

/** A tag's [desktop, mobile] targets: pc_url or url, ios_url/android_url or url (empty ones skipped). */
function clientUrls(attrs: Record<string, string>): [string | undefined, string | undefined] {
  const first = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && v.trim() !== "");
  return [first(attrs.pc_url, attrs.url), first(attrs.ios_url, attrs.android_url, attrs.url, attrs.pc_url)];
}

const flag = (value: string | undefined, fallback: boolean) => (value === undefined ? fallback : value !== "false");

/** A tag at the start of `s` as inline nodes and its length, or null when it is not one. */
function tagAt(s: string): [Inline[], number] | null {
  const open = OPEN_TAG.exec(s);
  if (!open?.[1]) return null;
  const name = open[1].toLowerCase();
  const attrs = attributes(open[2] ?? "");
  const start = open[0].length;
  const selfClosing = open[3] === "/";
  // The content up to the matching close tag (required unless noted).
  const body = (): [string, number] | null => {
    if (selfClosing) return null;
    const j = closeOf(s, start, name);
    return j < 0 ? null : [s.slice(start, j), j + name.length + 3];
  };
  // A tag whose close is optional (`<audio …/>`, `<person …></person>`).
  const optionalEnd = (): number => {
    if (selfClosing) return start;
    const j = s.toLowerCase().indexOf(`</${name}>`, start);
    return j === start ? j + name.length + 3 : start;
  };
  switch (name) {
    case "raw": {
      // Everything inside is literal: no markdown, no tags, no entities.
      const j = s.toLowerCase().indexOf("</raw>", start);
      return j < 0 ? null : [[{ t: "text", v: s.slice(start, j) }], j + 6];
    }
    case "font": {
      const color = attrs.color ?? "";
      const inner = body();
      if (!inner || !COLOUR_VALUE.test(color)) return null;
      return [[{ t: "font", color, c: parseInline(inner[0]) }], inner[1]];
    }
    case "text_tag": {
      const inner = body();
      return inner ? [[{ t: "tag", color: attrs.color ?? "", c: parseInline(inner[0]) }], inner[1]] : null;
    }
    case "a": {
      const inner = body();
      // `<a>https://…</a>` (no href) links to its own text, as the lark_md example shows.
      const url = attrs.href ?? inner?.[0];
      if (!inner || url === undefined) return null;
      return [[{ t: "link", href: safeUrl(url), c: linkText(inner[0]) }], inner[1]];
    }
    case "link": {
      // `<link icon='chat_outlined' url='…' pc_url='' ios_url='' android_url=''>text</link>`: the
      // 2.0 rich-text page's link with an icon and a target per client (an empty one falls back
      // to `url`), what 2.0 has instead of the 1.0 href variables.
      const inner = body();
      const [desktop, mobile] = clientUrls(attrs);
      if (!inner || desktop === undefined) return null;
      const icon = /^[\w-]{1,64}$/.test(attrs.icon ?? "") ? attrs.icon : undefined;
      return [[{ t: "link", href: safeUrl(desktop), mobileHref: safeUrl(mobile ?? desktop), icon, c: linkText(inner[0]) }], inner[1]];
    }
    case "at": {
      const inner = body();
      const raw = attrs.ids ?? attrs.id ?? attrs.user_id ?? attrs.open_id ?? attrs.union_id ?? attrs.email;
      if (!inner || raw === undefined || raw === "") return null;
      const ids = attrs.ids !== undefined ? raw.split(",").map((id) => id.trim()).filter(Boolean) : [raw];
      const label = decodeEntities(inner[0]);
      return [ids.map((id) => ({ t: "at", id, label: ids.length === 1 ? label : "" })), inner[1]];
    }
    case "person": {
      const id = attrs.id ?? "";
      if (!id) return null;
      const node: Inline = {
        t: "person",
        id,
        showName: flag(attrs.show_name, true),
        showAvatar: flag(attrs.show_avatar, true),
        style: attrs.style === "capsule" ? "capsule" : "normal",
      };
      return [[node], optionalEnd()];
    }
    case "number_tag": {
      const inner = body();
      if (!inner) return null;
      const [desktop, mobile] = clientUrls(attrs);
      const node: Inline = {
        t: "num",
        v: decodeEntities(inner[0]).trim(),
        bg: COLOUR_VALUE.test(attrs.background_color ?? "") ? (attrs.background_color as string) : "grey",
        fg: COLOUR_VALUE.test(attrs.font_color ?? "") ? (attrs.font_color as string) : "white",
        href: desktop ? safeUrl(desktop) : null,
        mobileHref: mobile ? safeUrl(mobile) : null,
      };
      return [[node], inner[1]];
    }
    case "audio": {
      // The 2.0 rich-text page's player: show_time, background_color and fill_color (colour
      // names, tones or the card's own colours) and style='speak' (a voice-message button).
      const colour = (value: string | undefined) => (value && COLOUR_VALUE.test(value) ? value : undefined);
      const node: Inline = {
        t: "audio",
        key: attrs.file_key ?? attrs.audio_id ?? "",
        showTime: flag(attrs.show_time, false),
        bg: colour(attrs.background_color),
        fill: colour(attrs.fill_color),
        speak: attrs.style === "speak",
      };
      return [[node], optionalEnd()];
    }
    case "hr":
      return [[{ t: "hr" }], start];
    case "local_datetime": {
      const ms = Number(attrs.millisecond ?? attrs.timestamp);
      return [[{ t: "time", ms: Number.isFinite(ms) ? ms : 0, format: attrs.format_type ?? "" }], optionalEnd()];
    }
    default:
      return null;
  }
}

/** Parses one line (or a header/field text) of inline markdown. */
export function parseInline(s: string): Inline[] {
  const out: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ t: "text", v: text });
    text = "";
  };
  const push = (...nodes: Inline[]) => {
    flush();
    out.push(...nodes);
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    const rest = s.slice(i);
    const before = i > 0 ? (s[i - 1] as string) : " ";
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
    if (rest.startsWith("***")) {
      const j = closing(s, "***", i + 3);
      if (j > 0) {
        push({ t: "b", c: [{ t: "i", c: parseInline(s.slice(i + 3, j)) }] });
        i = j + 3;
        continue;
      }
    }
    if (rest.startsWith("**") || (rest.startsWith("__") && !WORD.test(before))) {
      const delimiter = rest.slice(0, 2);
      const j = closing(s, delimiter, i + 2);
      const after = j > 0 && j + 2 < s.length ? (s[j + 2] as string) : " ";
      if (j > 0 && (delimiter === "**" || !WORD.test(after))) {
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
      const opensWord = c === "*" || !WORD.test(before);
      let j = closing(s, c, i + 1);
      // `*a**b*`: skip a doubled delimiter inside.
      while (j > 0 && s[j + 1] === c) j = closing(s, c, j + 2);
      const after = j > 0 && j + 1 < s.length ? (s[j + 1] as string) : " ";
      const inner = j > 0 ? s.slice(i + 1, j) : "";
      if (j > 0 && opensWord && inner.trim() === inner && inner !== "" && (c === "*" || !WORD.test(after))) {
        push({ t: "i", c: parseInline(inner) });
        i = j + 1;
        continue;
      }
    }
    if (c === "!" && s[i + 1] === "[") {
      const mid = s.indexOf("](", i + 2);
      const end = mid > 0 ? s.indexOf(")", mid + 2) : -1;
      if (mid > 0 && end > 0 && !s.slice(i + 2, mid).includes("\n")) {
        push({ t: "img", alt: decodeEntities(s.slice(i + 2, mid)), key: decodeEntities(s.slice(mid + 2, end).trim()) });
        i = end + 1;
        continue;
      }
    }
    if (c === "[") {
      const mid = s.indexOf("](", i + 1);
      const end = mid > 0 ? s.indexOf(")", mid + 2) : -1;
      if (mid > 0 && end > 0 && !s.slice(i + 1, mid).includes("\n")) {
        push({ t: "link", href: safeUrl(s.slice(mid + 2, end)), c: linkText(s.slice(i + 1, mid)) });
        i = end + 1;
        continue;
      }
    }
    if (c === ":") {
      const code = EMOJI_CODE.exec(rest);
      const value = code?.[1] ? emoji(code[1]) : null;
      if (code?.[1] && value) {
        push({ t: "emoji", name: code[1], v: value });
        i += code[0].length;
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
      const tag = tagAt(rest);
      if (tag) {
        push(...tag[0]);
        i += tag[1];
        continue;
      }
    }
    if ((c === "h" || c === "H") && !WORD.test(before)) {
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
const HR = /^\s*(-{3,}|\*{3,}|_{3,}|<hr\s*\/?>)\s*$/i;
const HEADING = /^(#{1,6})\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** The cells of a table row: split at unescaped pipes, outer pipes dropped. */
function tableCells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

/** Parses markdown content into blocks. */
export function parseMarkdown(content: string, dialect: Dialect): Block[] {
  const rich = dialect === "markdown2";
  const code = dialect !== "lark_md";
  const lines = content.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ t: "p", c: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (code && line.trim().startsWith("```")) {
      endParagraph();
      const lang = line.trim().slice(3).trim();
      const body: string[] = [];
      n += 1;
      while (n < lines.length && !(lines[n] as string).trim().startsWith("```")) {
        body.push(lines[n] as string);
        n += 1;
      }
      blocks.push({ t: "pre", v: body.join("\n"), lang });
      continue;
    }
    // Tables (2.0 only): the rich-text page draws five rows a page and no column widths or
    // alignment ("表格的富文本语法不支持设置列宽等").
    if (rich && line.trim().startsWith("|") && TABLE_SEPARATOR.test(lines[n + 1] ?? "")) {
      endParagraph();
      const head = tableCells(line).map(parseInline);
      const rows: Inline[][][] = [];
      n += 2;
      while (n < lines.length && (lines[n] as string).trim().startsWith("|")) {
        rows.push(tableCells(lines[n] as string).map(parseInline));
        n += 1;
      }
      n -= 1;
      blocks.push({ t: "table", head, rows });
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
