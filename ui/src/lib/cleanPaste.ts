// Pasted IDs, secrets and URLs often come with a trailing newline, surrounding spaces or the
// quotes of the JSON or chat message they were copied from. None of these values can contain
// whitespace, so all of it goes, and so do quotes around the whole value.

const QUOTE_PAIRS: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ["'", "'"],
  ["`", "`"],
  ["\u201c", "\u201d"], // “ ”
  ["\u2018", "\u2019"], // ‘ ’
  ["\u300c", "\u300d"], // 「 」
  ["<", ">"],
];

export function cleanPastedValue(raw: string): string {
  let value = raw.trim();
  // A value copied out of JSON or a list may bring its comma along: "cli_…",
  if (/^["'`\u201c\u2018].*["'`\u201d\u2019],$/s.test(value)) value = value.slice(0, -1).trim();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [open, close] of QUOTE_PAIRS) {
      if (value.length >= open.length + close.length && value.startsWith(open) && value.endsWith(close)) {
        value = value.slice(open.length, value.length - close.length).trim();
        changed = true;
      }
    }
  }
  return value.replace(/\s+/g, "");
}
