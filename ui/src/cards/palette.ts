import { HEADER_TEMPLATES, type HeaderTemplate } from "../bindings/HeaderTemplate";
import { COLOUR_TABLE } from "./colourTable";

// The platform's colours, as the preview draws them. Only the names below (and rgba numbers,
// rebuilt from their digits) are ever turned into CSS: card text can never inject a style.
//
// Text, tag and block colours come from the card colour enumeration's table (colourTable.ts, from
// https://open.feishu.cn/document/feishu-cards/enumerations-for-fields-related-to-color): 14
// families (blue carmine green indigo lime orange purple red sunflower turquoise violet wathet
// yellow grey; tags say neutral for grey), tones -50 … -900, a bare name = its -600 tone, plus
// `white`, `bg-white` (#ffffff light, #1A1A1A dark) and the card's own names defined in
// `config.style.color` as light_mode/dark_mode rgba values ("使用 RGBA 语法自定义颜色" on the
// same page). Tags use the -100 tone behind -600 text, and a bare name as a block background
// its -50 tone (the larksuite/cli card reference, skills/lark-im/references/card/resource/
// colors.md: "-50 区块背景 · -100 标签背景").
//
// Header templates (`header.template`): the names are Rust's single list
// (lark_platform::card::HEADER_TEMPLATES, generated into bindings/HeaderTemplate.ts), and the
// colours come from the same table. The title page ("标题", card-json-v2-components/
// content-components/title) lists the thirteen names and no values; the client draws a header as a
// wash of its template's colour behind the ordinary title colour, which is the table's -100 tone
// (the tag background) behind grey-900 text and a grey-600 subtitle, in light and in dark (the
// dark -100 tones are deep, the dark grey-900 light). `default` is the card's own surface.

export { HEADER_TEMPLATES } from "../bindings/HeaderTemplate";
export type { HeaderTemplate } from "../bindings/HeaderTemplate";

/** A header template's table family (grey for grey), or null for the card's own surface. */
const HEADER_FAMILY: Record<HeaderTemplate, string | null> = {
  blue: "blue",
  wathet: "wathet",
  turquoise: "turquoise",
  green: "green",
  yellow: "yellow",
  orange: "orange",
  red: "red",
  carmine: "carmine",
  violet: "violet",
  purple: "purple",
  indigo: "indigo",
  grey: "grey",
  default: null,
};

/** The header's template, or "default" for a missing or unknown one (the platform does the same). */
export function headerTemplate(value: unknown): HeaderTemplate {
  return typeof value === "string" && (HEADER_TEMPLATES as readonly string[]).includes(value)
    ? (value as HeaderTemplate)
    : "default";
}

export interface HeaderColours {
  background: string;
  text: string;
  subtitle: string;
}

/** The card surface in the preview's two themes (CardPreview.css --lc-bg). */
const SURFACE = ["#ffffff", "#1f1f1f"] as const;

/** Header background and text colours, from the colour table; "default" is the card's own surface. */
export function headerColours(template: HeaderTemplate, dark: boolean): HeaderColours {
  const mode = dark ? 1 : 0;
  const family = HEADER_FAMILY[template];
  const pick = (name: string) => tone(name)?.[mode];
  const opposite = SURFACE[dark ? 0 : 1];
  return {
    background: (family && pick(`${family}-100`)) || SURFACE[mode],
    text: pick("grey-900") ?? opposite,
    subtitle: pick("grey-600") ?? opposite,
  };
}

const NAME = /^([a-z]+)(?:-(\d{2,4}))?$/;

/** A colour name's [light, dark] values from the table (`red`, `red-400`, `neutral-50`), or null. */
function tone(name: string, bareTone = "600"): readonly [string, string] | null {
  const m = NAME.exec(name.trim().toLowerCase());
  if (!m?.[1]) return null;
  const family = COLOUR_TABLE[m[1] === "neutral" || m[1] === "gray" ? "grey" : m[1]];
  return family?.[m[2] ?? bareTone] ?? null;
}

/** A card's own colours (`config.style.color`): a name to its light and dark rgba values. */
export type CustomColours = Record<string, { light: string; dark: string }>;

const RGBA = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*(\d*\.?\d+)\s*)?\)$/i;

/** `rgba(r,g,b,a)` / `rgb(r,g,b)` rebuilt from its numbers (clamped), or null. */
export function rgba(value: string): string | null {
  const m = RGBA.exec(value.trim());
  if (!m) return null;
  const [r, g, b] = [m[1], m[2], m[3]].map((n) => Math.min(255, Number(n)));
  const a = m[4] === undefined ? 1 : Math.min(1, Math.max(0, Number(m[4])));
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

/** The card's `config.style.color` table, checked: only rgba values survive. */
export function customColours(card: unknown): CustomColours {
  const out: CustomColours = {};
  const config = typeof card === "object" && card !== null ? (card as Record<string, unknown>).config : null;
  const style = typeof config === "object" && config !== null ? (config as Record<string, unknown>).style : null;
  const colours = typeof style === "object" && style !== null ? (style as Record<string, unknown>).color : null;
  if (typeof colours !== "object" || colours === null) return out;
  for (const [name, value] of Object.entries(colours as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) continue;
    const modes = value as Record<string, unknown>;
    const light = typeof modes.light_mode === "string" ? rgba(modes.light_mode) : null;
    const dark = typeof modes.dark_mode === "string" ? rgba(modes.dark_mode) : null;
    if (light || dark) out[name] = { light: (light ?? dark) as string, dark: (dark ?? light) as string };
  }
  return out;
}

/**
 * A text colour by name (`red`, `red-600`, `grey`, `green-500`…), an rgba value, or a name the
 * card defines in `config.style.color`; null for anything else. Tones other than the base are
 * drawn with the base tone: close enough for a preview.
 */
export function textColour(name: unknown, dark: boolean, custom?: CustomColours): string | null {
  if (typeof name !== "string") return null;
  const own = custom && Object.prototype.hasOwnProperty.call(custom, name) ? custom[name] : undefined;
  if (own) return dark ? own.dark : own.light;
  const value = name.trim().toLowerCase();
  if (value.startsWith("rgb")) return rgba(value);
  if (value === "default") return null;
  if (value === "white") return "#ffffff";
  if (value === "bg-white") return dark ? "#1a1a1a" : "#ffffff";
  const values = tone(value);
  return values ? values[dark ? 1 : 0] : null;
}

/** Tag colours: the -100 tone behind -600 text (text_tag, header tags, table options). */
export function tagColours(name: unknown, dark: boolean): { background: string; text: string } {
  const value = typeof name === "string" && tone(name) ? name : "grey";
  const base = value.trim().toLowerCase().replace(/-\d{2,4}$/, "");
  const background = tone(`${base}-100`) as readonly [string, string];
  const text = tone(`${base}-600`) as readonly [string, string];
  return { background: background[dark ? 1 : 0], text: text[dark ? 1 : 0] };
}

/**
 * A block background (`background_style` of columns, containers and table headers): a tone as
 * named (`blue-50`), a bare family name as its -50 tone, `bg-white`/`white`, an rgba value or one
 * of the card's own colours; null for `default`/`none` and anything else.
 */
export function blockBackground(name: unknown, dark: boolean, custom?: CustomColours): string | null {
  if (typeof name !== "string" || name === "default" || name === "none") return null;
  const own = custom && Object.prototype.hasOwnProperty.call(custom, name) ? custom[name] : undefined;
  if (own) return dark ? own.dark : own.light;
  const value = name.trim().toLowerCase();
  if (value.startsWith("rgb")) return rgba(value);
  if (value === "bg-white" || value === "white") return textColour(value, dark);
  const values = tone(value, "50");
  return values ? values[dark ? 1 : 0] : null;
}
