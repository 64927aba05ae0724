// Reading card JSON defensively: any value may be missing or of the wrong type (the editor shows
// half-written cards), so every accessor takes `unknown` and falls back instead of throwing.

export type Json = unknown;
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export type CardSchema = "2.0" | "1.0";

/** The schema the platform reads: 2.0 only when declared. */
export function schemaOf(card: unknown): CardSchema {
  return isObject(card) && card.schema === "2.0" ? "2.0" : "1.0";
}

/** Languages tried for i18n text, in order. */
export const LOCALES = ["en_us", "zh_cn", "ja_jp", "zh_hk", "zh_tw"] as const;

function fromI18n(map: unknown): string | null {
  if (!isObject(map)) return null;
  for (const locale of LOCALES) {
    const text = asString(map[locale]);
    if (text) return text;
  }
  const first = Object.values(map).find((v) => typeof v === "string");
  return typeof first === "string" ? first : null;
}

export interface TextObject {
  /** `plain_text` or `lark_md`. */
  tag: string;
  content: string;
}

/** A text object (`{"tag":"plain_text","content":…}`, with `i18n`/`i18n_content` fallbacks). */
export function textObject(value: unknown): TextObject | null {
  if (typeof value === "string") return { tag: "plain_text", content: value };
  if (!isObject(value)) return null;
  const content = asString(value.content) || fromI18n(value.i18n_content) || fromI18n(value.i18n) || "";
  return { tag: asString(value.tag) ?? "plain_text", content };
}

/** A path segment appended to a JSON path, like the validator writes them. */
export function childPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
}

/** The elements of the card's body and where they are. */
export function bodyElements(card: unknown): { elements: unknown[]; path: string } {
  if (!isObject(card)) return { elements: [], path: "$" };
  if (schemaOf(card) === "2.0") {
    const body = isObject(card.body) ? card.body : {};
    return { elements: asArray(body.elements), path: "$.body.elements" };
  }
  if (Array.isArray(card.elements)) return { elements: card.elements, path: "$.elements" };
  if (isObject(card.i18n_elements)) {
    for (const locale of LOCALES) {
      if (Array.isArray(card.i18n_elements[locale])) {
        return { elements: card.i18n_elements[locale] as unknown[], path: `$.i18n_elements.${locale}` };
      }
    }
    const [first] = Object.entries(card.i18n_elements);
    if (first && Array.isArray(first[1])) return { elements: first[1], path: `$.i18n_elements.${first[0]}` };
  }
  return { elements: [], path: "$.elements" };
}
