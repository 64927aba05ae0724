// The platform's colours, as the preview draws them. Feishu/Lark cards use the Lark design
// palette (the same one this app's own accents come from: #3370ff, #245bdb, #f54a45, #2ea121,
// #646a73 …). A colour name without a tone is the -600 tone for text (the card docs say "blue" =
// "blue-600"); header backgrounds use the -500 tone in light mode and a deeper tone in dark mode.
// Only the names below (and rgba numbers, rebuilt from their digits) are ever turned into CSS:
// card text can never inject a style.
//
// The colour names are the card colour enumeration (the feishu-cards docs' "颜色枚举值" page):
// 14 families (blue carmine green indigo lime orange purple red sunflower turquoise violet wathet
// yellow grey; tags say neutral for grey), tones -50 … -900, a bare name = its -600 tone, plus
// `white`, `bg-white` (#ffffff light, #1A1A1A dark) and the card's own names defined in
// `config.style.color` as light_mode/dark_mode rgba values (the larksuite/cli card reference,
// skills/lark-im/references/card/resource/colors.md, summarises the same page).

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
  /** Text in this colour (-600), light mode. */
  text: string;
  /** Text in this colour, dark mode (lighter, for contrast). */
  textDark: string;
  /** Tag / block background (-100 / -50). */
  soft: string;
  softDark: string;
}

const TONES: Record<Exclude<HeaderTemplate, "default">, Tones> = {
  blue: { header: "#3370ff", headerDark: "#245bdb", text: "#245bdb", textDark: "#4c88ff", soft: "#e1eaff", softDark: "#1f2d4d" },
  wathet: { header: "#14c0ff", headerDark: "#049fd7", text: "#049fd7", textDark: "#3dcaff", soft: "#d9f3fd", softDark: "#0d3646" },
  turquoise: { header: "#2dbeab", headerDark: "#1ea08f", text: "#078372", textDark: "#41cbb8", soft: "#d5f6f2", softDark: "#0c3a34" },
  green: { header: "#34c724", headerDark: "#2ea121", text: "#2ea121", textDark: "#52c41a", soft: "#e4f5e1", softDark: "#1d3320" },
  yellow: { header: "#ffc60a", headerDark: "#dc9b04", text: "#dc9b04", textDark: "#ffd02e", soft: "#fdf6cf", softDark: "#3b3211" },
  orange: { header: "#ff8800", headerDark: "#de7802", text: "#de7802", textDark: "#ffa940", soft: "#feead2", softDark: "#3a2c17" },
  red: { header: "#f54a45", headerDark: "#d83931", text: "#c02a26", textDark: "#f76964", soft: "#fde2e2", softDark: "#3a1f1f" },
  carmine: { header: "#f01d94", headerDark: "#c71077", text: "#c71077", textDark: "#f85ab1", soft: "#fddded", softDark: "#3d1630" },
  violet: { header: "#d136d1", headerDark: "#b320b3", text: "#b320b3", textDark: "#e067e0", soft: "#f8def8", softDark: "#371b37" },
  purple: { header: "#7f3bf5", headerDark: "#6425d0", text: "#6425d0", textDark: "#9f6ff8", soft: "#ece2fe", softDark: "#2a1c47" },
  indigo: { header: "#4954e6", headerDark: "#2e3bcc", text: "#2e3bcc", textDark: "#7b86f0", soft: "#e0e9ff", softDark: "#1f2349" },
  grey: { header: "#8f959e", headerDark: "#5f6570", text: "#646a73", textDark: "#a6abb3", soft: "#eff0f1", softDark: "#2e3033" },
};

/**
 * Families the enumeration has but header templates do not. Their tones follow the Lark design
 * palette the other families come from (lime L500 #b3d600 / L600 #8fac02; sunflower is the
 * palette's bright yellow); they are approximations until checked against the colour table.
 */
const EXTRA_TONES: Record<"lime" | "sunflower", Tones> = {
  lime: { header: "#b3d600", headerDark: "#8fac02", text: "#8fac02", textDark: "#c3dd40", soft: "#f2f8d3", softDark: "#2e3311" },
  sunflower: { header: "#fad355", headerDark: "#d9b53c", text: "#d9a704", textDark: "#fbdc78", soft: "#fef7d8", softDark: "#3b3413" },
};

const ALL_TONES: Record<string, Tones> = { ...TONES, ...EXTRA_TONES };

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

const TONE_NAMES = Object.keys(ALL_TONES);

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
  const base = value.replace(/-\d{2,4}$/, "").replace(/^neutral$/, "grey").replace(/^gray$/, "grey");
  if (!TONE_NAMES.includes(base)) return null;
  const tones = ALL_TONES[base] as Tones;
  return dark ? tones.textDark : tones.text;
}

/** Tag colours: soft background with the colour's text (text_tag, header tags). */
export function tagColours(name: unknown, dark: boolean): { background: string; text: string } {
  const value = typeof name === "string" ? name.trim().toLowerCase().replace(/^neutral$/, "grey") : "";
  const base = value.replace(/-\d{2,4}$/, "");
  const tones = ALL_TONES[base] ?? TONES.grey;
  return dark ? { background: tones.softDark, text: tones.textDark } : { background: tones.soft, text: tones.text };
}

/**
 * A block background (`background_style` of columns, containers and table headers): a family's
 * soft tone, `bg-white`/`white`, an rgba value or one of the card's own colours; null for
 * `default`/`none` and anything else.
 */
export function blockBackground(name: unknown, dark: boolean, custom?: CustomColours): string | null {
  if (typeof name !== "string" || name === "default" || name === "none") return null;
  const own = custom && Object.prototype.hasOwnProperty.call(custom, name) ? custom[name] : undefined;
  if (own) return dark ? own.dark : own.light;
  const value = name.trim().toLowerCase();
  if (value.startsWith("rgb")) return rgba(value);
  if (value === "bg-white" || value === "white") return textColour(value, dark);
  const base = value.replace(/-\d{2,4}$/, "").replace(/^neutral$/, "grey");
  if (!TONE_NAMES.includes(base)) return null;
  const tones = ALL_TONES[base] as Tones;
  return dark ? tones.softDark : tones.soft;
}
