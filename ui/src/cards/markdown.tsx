// A small parser for the platform's card markdown (markdownParse.ts), and a renderer that builds
// React elements from it. Nothing here ever becomes HTML: every piece of text is a React text
// node (escaped by React), colours come only from the palette's names (or rgba numbers the
// palette checks), and link targets only from http(s), mailto, tel and lark URLs. Text escaped as
// HTML entities (`&#60;`, what the card templates' `md` filter writes) is decoded to plain
// characters and never read as markup again.
//
// Supported, as the platform documents them: **bold** / __bold__, *italic*, ***both***,
// ~~strike~~, [links](url), <a href>, <link icon url pc_url ios_url android_url> (its icon, and
// the mobile target at mobile width), bare URLs, `inline code`, nested
// <font color='red'|'rgba(…)'>, <at id=…>/<at ids=a,b> mentions, <person>, <number_tag>,
// <text_tag>, <local_datetime format_type=…>, <audio> (show_time, background_color, fill_color,
// style='speak'), <hr>, <raw> (literal), <br>, Feishu emoji shortcodes (:OK:), ![alt](img_key)
// images, "-"/"*"/"+" and "1." lists (4 spaces nest a level), "---" dividers, ``` code blocks
// (2.0 and 1.0 markdown; the pages document no 4-space-indented code, so an indented line stays
// text), and in JSON 2.0 markdown components also # headings, > quotes and | tables.
import { Fragment, type ReactNode } from "react";
import { parseMarkdown, type Block, type Inline } from "./markdownParse";
import { InlineExtra, LinkIcon, MarkdownTable } from "./markdownExtra";
import { tagColours, textColour, type CustomColours } from "./palette";
import type { CustomSizes } from "./textSize";

export { decodeEntities, parseInline, parseMarkdown, safeUrl } from "./markdownParse";
export type { Block, Dialect, Inline } from "./markdownParse";
import type { Dialect } from "./markdownParse";

/** What the renderer needs to know beyond the text. */
export interface MarkdownContext {
  dark: boolean;
  /** A link was clicked: the preview shows where it would go instead of navigating. */
  onOpenUrl?: (url: string) => void;
  /** The card's own colours (`config.style.color`: name to light/dark rgba). */
  colours?: CustomColours;
  /** Drawn at mobile width: links take their ios_url/android_url. */
  mobile?: boolean;
  /** The card's own text sizes (`config.style.text_size`). */
  sizes?: CustomSizes;
}

function mentionLabel(id: string, label: string): string {
  if (id === "all") return "@all";
  if (label.trim()) return `@${label.trim()}`;
  return `@${id.length > 14 ? `${id.slice(0, 12)}…` : id}`;
}

// `format_type` of <local_datetime>, as the 2.0 rich-text page lists them: date_num 2019-03-15
// (also the default), date_short Mar 15, date Mar 15, 2019, week Tuesday, week_short Tue, time
// 13:42, time_sec 13:42:53, timezone GMT+8:00. Drawn in the viewer's language and time zone, as
// the client does; without a millisecond the client shows the time the card was sent (the
// preview: now).
const TIME_FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  date_short: { month: "short", day: "numeric" },
  date: { year: "numeric", month: "short", day: "numeric" },
  week: { weekday: "long" },
  week_short: { weekday: "short" },
};

const pad = (n: number) => String(n).padStart(2, "0");

export function formatTime(ms: number, format: string, locale?: string): string {
  const date = new Date(ms || Date.now());
  if (Number.isNaN(date.getTime())) return "";
  switch (format) {
    case "time":
      return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
    case "time_sec":
      return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    case "timezone": {
      const offset = -date.getTimezoneOffset();
      return `GMT${offset < 0 ? "-" : "+"}${Math.floor(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
    }
    default: {
      const options = TIME_FORMATS[format];
      if (options) return new Intl.DateTimeFormat(locale, options).format(date);
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    }
  }
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
      case "link": {
        const href = ctx.mobile && node.mobileHref !== undefined ? node.mobileHref : node.href;
        if (!href) return <Fragment key={index}>{renderInline(node.c, ctx)}</Fragment>;
        return (
          <a
            key={index}
            className="lc-md-link"
            data-testid="card-link"
            href={href}
            title={href}
            onClick={(event) => {
              event.preventDefault();
              ctx.onOpenUrl?.(href);
            }}
          >
            {node.icon && <LinkIcon token={node.icon} />}
            {renderInline(node.c, ctx)}
          </a>
        );
      }
      case "font": {
        const colour = textColour(node.color, ctx.dark, ctx.colours);
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
          <time key={index} className="lc-time" data-format={node.format || undefined} dateTime={node.ms ? new Date(node.ms).toISOString() : undefined}>
            {formatTime(node.ms, node.format)}
          </time>
        );
      default:
        return <InlineExtra key={index} node={node} ctx={ctx} />;
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
          <pre key={index} className="lc-md-pre" data-lang={block.lang || undefined}>
            <code>{block.v}</code>
          </pre>
        );
      case "table":
        return <MarkdownTable key={index} block={block} ctx={ctx} />;
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
