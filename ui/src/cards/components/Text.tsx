import { Markdown, type Dialect } from "../markdown";
import { textObject } from "../model";
import type { Ctx } from "./types";

/** A text object drawn as the platform draws it: plain text keeps its line breaks. */
export function Text({ text, ctx, dialect = "lark_md" }: { text: unknown; ctx: Ctx; dialect?: Dialect }) {
  const value = textObject(text);
  if (!value) return null;
  if (value.tag === "lark_md" || value.tag === "markdown") {
    return <Markdown content={value.content} dialect={dialect} ctx={ctx.md} />;
  }
  return <span className="lc-plain">{value.content}</span>;
}
