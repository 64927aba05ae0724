import { COLOUR_TABLE } from "./colourTable";

// The platform's colours, as the preview draws them. Header backgrounds use the Lark design
// palette (the -500 tone in light mode and a deeper tone in dark mode). Only the names below (and rgba numbers, rebuilt from their digits) are ever turned into CSS:
// card text can never inject a style.
//
// Text, tag and block colours come from the card colour enumeration's table (colourTable.ts, from
// https://open.feishu.cn/document/feishu-cards/enumerations-for-fields-related-to-color): 14
// families (blue carmine green indigo lime orange purple red sunflower turquoise violet wathet
// yellow grey; tags say neutral for grey), tones -50 … -900, a bare name = its -600 tone, plus
// `white`, `bg-white` (#ffffff light, #1A1A1A dark) and the card's own names defined in
// `config.style.color` as light_mode/dark_mode rgba values ("使用 RGBA 语法自定义颜色" on the
// same page). Tags use the -100 tone behind -600 text, and a bare name as a block background
// its -50 tone (the larksuite/cli card reference, skills/lark-im/references/card/resource/
// colors.md: "-50 区块背景 · -100 标签背景"). Header templates keep their own palette below.

export const HEADER_TEMPLATES = [
  "blue",
  "wathet",
  "turquoise",
  "green",
  "yellow",
  "orange",
  "red",
  "carmine",
  "violet",
  "purple",
  "indigo",
  "grey",
  "default",
] as const;

export type HeaderTemplate = (typeof HEADER_TEMPLATES)[number];

interface Tones {
  /** Header background, light mode. */
  header: string;
  /** Header background, dark mode. */
  headerDark: string;
}

const TONES: Record<Exclude<HeaderTemplate, "default">, Tones> = {
  blue: { header: "#3370ff", headerDark: "#245bdb" },
  wathet: { header: "#14c0ff", headerDark: "#049fd7" },
  turquoise: { header: "#2dbeab", headerDark: "#1ea08f" },
  green: { header: "#34c724", headerDark: "#2ea121" },
  yellow: { header: "#ffc60a", headerDark: "#dc9b04" },
  orange: { header: "#ff8800", headerDark: "#de7802" },
  red: { header: "#f54a45", headerDark: "#d83931" },
  carmine: { header: "#f01d94", headerDark: "#c71077" },
  violet: { header: "#d136d1", headerDark: "#b320b3" },
  purple: { header: "#7f3bf5", headerDark: "#6425d0" },
  indigo: { header: "#4954e6", headerDark: "#2e3bcc" },
  grey: { header: "#8f959e", headerDark: "#5f6570" },
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

/** Header background and text colours; "default" is the card's own surface. */
export function headerColours(template: HeaderTemplate, dark: boolean): HeaderColours {
  if (template === "default") {
    return dark
      ? { background: "#292a2d", text: "#ebebeb", subtitle: "#a6abb3" }
      : { background: "#ffffff", text: "#1f2329", subtitle: "#646a73" };
  }
  const tones = TONES[template];
  // Yellow and wathet are too light for white text in light mode; the platform darkens the
  // title there.
  const darkText = !dark && (template === "yellow" || template === "wathet");
  return {
    background: dark ? tones.headerDark : tones.header,
    text: darkText ? "#1f2329" : "#ffffff",
    subtitle: darkText ? "rgba(31, 35, 41, 0.72)" : "rgba(255, 255, 255, 0.82)",
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
