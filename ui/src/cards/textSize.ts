// `text_size` of markdown and text objects: the documented names and their font sizes, and the
// card's own sizes in `config.style.text_size`. The names and sizes are the enumeration the
// plain-text and rich-text pages give (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/
// feishu-cards/card-json-v2-components/content-components/plain-text): heading-0 30px, heading-1
// 24px, heading-2 20px, heading-3 18px, heading-4 16px, heading 16px, normal 14px, notation 12px,
// and xxxx-large 30px, xxx-large 24px, xx-large 20px, x-large 18px, large 16px, medium 14px,
// small 12px, x-small 10px. A custom size ("自定义字号") names one of these for each client:
// `"cus-0": { "default": "medium", "pc": "medium", "mobile": "large" }`. Line heights are the
// preview's own (the client's 22px at 14px, scaled).
import type { CSSProperties } from "react";
import { isObject } from "./model";

export const TEXT_SIZES: Readonly<Record<string, number>> = {
  "heading-0": 30,
  "heading-1": 24,
  "heading-2": 20,
  "heading-3": 18,
  "heading-4": 16,
  heading: 16,
  normal: 14,
  notation: 12,
  "xxxx-large": 30,
  "xxx-large": 24,
  "xx-large": 20,
  "x-large": 18,
  large: 16,
  medium: 14,
  small: 12,
  "x-small": 10,
};

/** A card's own sizes: a name to the documented size it takes on each client. */
export type CustomSizes = Record<string, { default?: string; pc?: string; mobile?: string }>;

const known = (value: unknown): string | undefined =>
  typeof value === "string" && Object.prototype.hasOwnProperty.call(TEXT_SIZES, value) ? value : undefined;

/** The card's `config.style.text_size` table, checked: only documented size names survive. */
export function customSizes(card: unknown): CustomSizes {
  const out: CustomSizes = {};
  const config = isObject(card) ? card.config : null;
  const style = isObject(config) ? config.style : null;
  const sizes = isObject(style) ? style.text_size : null;
  if (!isObject(sizes)) return out;
  for (const [name, value] of Object.entries(sizes)) {
    if (!isObject(value)) continue;
    const entry = { default: known(value.default), pc: known(value.pc), mobile: known(value.mobile) };
    if (entry.default || entry.pc || entry.mobile) out[name] = entry;
  }
  return out;
}

/** The font size in px a `text_size` value stands for on this client, or null. */
export function textSizePx(name: unknown, mobile: boolean, custom?: CustomSizes): number | null {
  if (typeof name !== "string") return null;
  const own = custom && Object.prototype.hasOwnProperty.call(custom, name) ? custom[name] : undefined;
  const resolved = own ? ((mobile ? own.mobile : own.pc) ?? own.default) : name;
  return resolved !== undefined && Object.prototype.hasOwnProperty.call(TEXT_SIZES, resolved) ? (TEXT_SIZES[resolved] as number) : null;
}

/** The CSS for a `text_size`, or an empty object. */
export function textSizeStyle(name: unknown, mobile: boolean, custom?: CustomSizes): CSSProperties {
  const px = textSizePx(name, mobile, custom);
  return px === null ? {} : { fontSize: `${px}px`, lineHeight: `${Math.round((px * 22) / 14)}px` };
}
