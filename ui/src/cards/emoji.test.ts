// Feishu emoji shortcodes (#17 §3.1): names spelled as the documented emoji_type list spells them.
import { describe, expect, it } from "vitest";
import { EMOJI, emoji } from "./emoji";

describe("Feishu emoji shortcodes", () => {
  it("knows the documented list's first rows, in their spelling", () => {
    const firstRows = ["OK", "THUMBSUP", "THANKS", "MUSCLE", "FINGERHEART", "APPLAUSE", "FISTBUMP", "JIAYI", "DONE", "SMILE", "BLUSH"];
    expect(firstRows.filter((name) => emoji(name) === null)).toEqual([]);
    expect(Object.keys(EMOJI).slice(0, firstRows.length)).toEqual(firstRows);
  });

  it("draws the list's images as the nearest emoji: BLUSH is a grin, FINGERHEART a finger heart, JIAYI +1", () => {
    expect(emoji("BLUSH")).toBe("😁");
    expect(emoji("FINGERHEART")).toBe("🫰");
    expect(emoji("JIAYI")).toBe("+1");
    expect(emoji("ThumbsDown")).toBe("👎");
  });

  it("is case-sensitive like the list, and drops names the list does not have", () => {
    expect(emoji("thumbsup")).toBeNull();
    expect(emoji("THUMBSDOWN")).toBeNull();
    expect(emoji("Pray")).toBeNull();
    for (const name of Object.keys(EMOJI)) expect(name, name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });
});
