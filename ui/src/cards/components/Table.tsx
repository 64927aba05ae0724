// Table: a header row and a page of rows (page_size, 5 by default), each cell drawn by its
// column's data_type (text, lark_md/markdown, number with format, options as tags, persons,
// date with date_format).
// https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/table
import type { CSSProperties, ReactNode } from "react";
import { Markdown } from "../markdown";
import { asArray, asString, isObject } from "../model";
import { blockBackground, tagColours, textColour } from "../palette";
import { PersonChip } from "./Person";
import type { Ctx, ElementProps } from "./types";

function formatNumber(value: unknown, format: Record<string, unknown>): string {
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) return String(value ?? "");
  const precision = typeof format.precision === "number" ? Math.min(Math.max(format.precision, 0), 10) : undefined;
  const text = number.toLocaleString("en-US", {
    minimumFractionDigits: precision,
    maximumFractionDigits: precision ?? 20,
    useGrouping: format.separator === true,
  });
  return `${asString(format.symbol) ?? ""}${text}`;
}

/** `date_format` tokens (YYYY, MM, DD, HH, mm, ss), in the viewer's zone; ISO-like by default. */
export function formatDate(value: unknown, pattern: string | null): string {
  const ms = typeof value === "number" ? value : Number(value);
  const date = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime())) return String(value ?? "");
  const pad = (n: number) => String(n).padStart(2, "0");
  const parts: Record<string, string> = {
    YYYY: String(date.getFullYear()),
    MM: pad(date.getMonth() + 1),
    DD: pad(date.getDate()),
    HH: pad(date.getHours()),
    mm: pad(date.getMinutes()),
    ss: pad(date.getSeconds()),
  };
  return (pattern || "YYYY/MM/DD").replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => parts[token] ?? token);
}

function Cell({ value, column, ctx }: { value: unknown; column: Record<string, unknown>; ctx: Ctx }): ReactNode {
  const type = asString(column.data_type) ?? "text";
  if (value === undefined || value === null) return null;
  switch (type) {
    case "lark_md":
    case "markdown":
      return <Markdown content={String(value)} dialect={type === "markdown" ? "markdown2" : "lark_md"} ctx={ctx.md} />;
    case "number":
      return formatNumber(value, isObject(column.format) ? column.format : {});
    case "options":
      return asArray(value)
        .filter(isObject)
        .map((option, index) => {
          const colours = tagColours(option.color, ctx.md.dark);
          return (
            <span key={index} className="lc-tag" data-testid="card-table-option" style={{ background: colours.background, color: colours.text }}>
              {asString(option.text) ?? ""}
            </span>
          );
        });
    case "persons":
      return (Array.isArray(value) ? value : [value])
        .map((id) => (isObject(id) ? asString(id.id) : asString(id)))
        .map((id, index) => (id ? <PersonChip key={index} id={id} size="small" showAvatar showName capsule={false} /> : null));
    case "date":
      return formatDate(value, asString(column.date_format));
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

/** A column's `width` (auto, [80,600]px or a percentage), checked before it becomes CSS. */
function columnWidth(value: unknown): string | undefined {
  const width = asString(value);
  return width && /^(\d{1,3}px|\d{1,3}(\.\d+)?%)$/.test(width) ? width : undefined;
}

export function Table({ element, path, ctx }: ElementProps) {
  const columns = asArray(element.columns).filter(isObject);
  const rows = asArray(element.rows).filter(isObject);
  const pageSize = typeof element.page_size === "number" && element.page_size >= 1 ? Math.min(Math.floor(element.page_size), 10) : 5;
  const page = rows.slice(0, pageSize);
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const header = isObject(element.header_style) ? element.header_style : {};
  const headStyle: CSSProperties = {
    // background_style: grey or none (the default).
    background: blockBackground(header.background_style, ctx.md.dark, ctx.md.colours) ?? undefined,
    color: textColour(header.text_color, ctx.md.dark, ctx.md.colours) ?? undefined,
    fontWeight: header.bold === false ? 400 : 600,
  };
  const align = (column: Record<string, unknown>, fallback?: unknown): CSSProperties => {
    const value = asString(column.horizontal_align) ?? asString(fallback);
    return value === "center" || value === "right" ? { textAlign: value } : {};
  };
  return (
    <div className="lc-table" data-testid="card-table" data-path={path}>
      <div className="lc-md-table-wrap">
        <table className="lc-md-table">
          <thead>
            <tr>
              {columns.map((column, index) => (
                <th key={index} style={{ ...headStyle, ...align(column, header.text_align), width: columnWidth(column.width) }}>
                  {asString(column.display_name) ?? asString(column.name) ?? ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.map((row, r) => (
              <tr key={r}>
                {columns.map((column, index) => (
                  <td key={index} style={align(column)}>
                    <Cell value={row[asString(column.name) ?? ""]} column={column} ctx={ctx} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <div className="lc-table__pager" data-testid="card-table-pager">
          ‹ 1/{pages} ›
        </div>
      )}
    </div>
  );
}
