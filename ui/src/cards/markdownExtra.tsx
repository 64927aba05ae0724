// The markdown nodes beyond plain text styling: images, people, number tags, audio, emoji,
// inline dividers and tables, drawn the way the client lays them out (rich-text page, JSON 2.0:
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text).
// Nothing is fetched: images and avatars are placeholders, audio is an inert player chip.
import type { CSSProperties } from "react";
import { renderInline, type MarkdownContext } from "./markdown";
import type { Block, Inline } from "./markdownParse";
import { textColour } from "./palette";

function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 12)}…` : id;
}

function Person({ node }: { node: Extract<Inline, { t: "person" }> }) {
  return (
    <span className={`lc-person lc-person--${node.style}`} data-testid="card-md-person" data-id={node.id} title={node.id}>
      {node.showAvatar && (
        <span className="lc-avatar" aria-hidden="true">
          {node.id.replace(/^ou_/, "").slice(0, 1).toUpperCase()}
        </span>
      )}
      {node.showName && <span className="lc-person__name">{shortId(node.id)}</span>}
    </span>
  );
}

/**
 * A `<link icon='…'>` icon: the client draws the named icon from its own set, which the preview
 * does not have, so it draws one generic link glyph in the link's colour and names the token.
 */
export function LinkIcon({ token }: { token: string }) {
  return (
    <span className="lc-md-link__icon" data-testid="card-link-icon" data-icon={token} title={token} aria-hidden="true">
      <svg viewBox="0 0 16 16" width="1em" height="1em">
        <path
          d="M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 013.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 014.5 9l1-1"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
        />
      </svg>
    </span>
  );
}

function Audio({ node, ctx }: { node: Extract<Inline, { t: "audio" }>; ctx: MarkdownContext }) {
  const background = node.bg ? textColour(node.bg, ctx.dark, ctx.colours) : null;
  const fill = node.fill ? textColour(node.fill, ctx.dark, ctx.colours) : null;
  return (
    <span
      className={`lc-audio${node.speak ? " lc-audio--speak" : ""}`}
      data-testid="card-audio"
      data-style={node.speak ? "speak" : "default"}
      title={node.key}
      style={background ? { background } : undefined}
    >
      <span className="lc-audio__play" aria-hidden="true" style={fill ? { color: fill } : undefined}>
        {node.speak ? "🔊" : "▶"}
      </span>
      {!node.speak && <span className="lc-audio__bar" aria-hidden="true" style={fill ? { background: fill } : undefined} />}
      {node.showTime && <span className="lc-audio__time">0:00</span>}
    </span>
  );
}

function NumberTag({ node, ctx }: { node: Extract<Inline, { t: "num" }>; ctx: MarkdownContext }) {
  const style: CSSProperties = {
    background: textColour(node.bg, ctx.dark, ctx.colours) ?? textColour("grey", ctx.dark) ?? undefined,
    color: textColour(node.fg, ctx.dark, ctx.colours) ?? "#ffffff",
  };
  const href = ctx.mobile && node.mobileHref ? node.mobileHref : node.href;
  return (
    <span className="lc-number-tag" data-testid="card-number-tag" data-href={href ?? undefined} style={style}>
      {href ? (
        <a
          href={href}
          onClick={(event) => {
            event.preventDefault();
            ctx.onOpenUrl?.(href);
          }}
        >
          {node.v}
        </a>
      ) : (
        node.v
      )}
    </span>
  );
}

/** The inline nodes markdown.tsx hands over. */
export function InlineExtra({ node, ctx }: { node: Inline; ctx: MarkdownContext }) {
  switch (node.t) {
    case "img":
      return (
        <span className="lc-md-img" data-testid="card-md-img" role="img" aria-label={node.alt || node.key} title={node.key}>
          <span className="lc-md-img__alt">{node.alt}</span>
          {node.key && <code className="lc-img__key">{node.key}</code>}
        </span>
      );
    case "person":
      return <Person node={node} />;
    case "num":
      return <NumberTag node={node} ctx={ctx} />;
    case "audio":
      return <Audio node={node} ctx={ctx} />;
    case "emoji":
      return (
        <span className="lc-emoji" data-testid="card-emoji" data-name={node.name} title={`:${node.name}:`}>
          {node.v}
        </span>
      );
    case "hr":
      return <span className="lc-md-hr lc-md-hr--inline" role="separator" data-testid="card-md-hr" />;
    default:
      return null;
  }
}

/** Rows a markdown table shows a page (rich-text page: "最多展示五行数据，超出五行将分页展示"). */
const TABLE_PAGE = 5;

export function MarkdownTable({ block, ctx }: { block: Extract<Block, { t: "table" }>; ctx: MarkdownContext }) {
  const pages = Math.max(1, Math.ceil(block.rows.length / TABLE_PAGE));
  return (
    <div className="lc-md-table-wrap">
      <table className="lc-md-table" data-testid="card-md-table">
        <thead>
          <tr>
            {block.head.map((cell, n) => (
              <th key={n}>{renderInline(cell, ctx)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {block.rows.slice(0, TABLE_PAGE).map((row, r) => (
            <tr key={r}>
              {block.head.map((_, n) => (
                <td key={n}>{renderInline(row[n] ?? [], ctx)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <div className="lc-table__pager" data-testid="card-md-table-pager">
          ‹ 1/{pages} ›
        </div>
      )}
    </div>
  );
}
