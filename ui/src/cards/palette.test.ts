// The card colour enumeration (#17 §3.3): names, tones, white/bg-white, rgba and the card's own
// colours from config.style.color.
import { describe, expect, it } from "vitest";
import { blockBackground, customColours, rgba, tagColours, textColour } from "./palette";

describe("card palette", () => {
  it("draws red text with the documented #C02A26 and a bare name as its -600 tone", () => {
    expect(textColour("red", false)).toBe("#c02a26");
    expect(textColour("red-600", false)).toBe("#c02a26");
    expect(textColour("red", true)).not.toBe("#c02a26");
  });

  it("knows lime and sunflower, for text, tags and backgrounds, in light and dark", () => {
    for (const name of ["lime", "sunflower", "lime-500", "sunflower-50"]) {
      expect(textColour(name, false), name).toMatch(/^#[0-9a-f]{6}$/);
      expect(textColour(name, true), name).toMatch(/^#[0-9a-f]{6}$/);
      expect(blockBackground(name, false), name).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(textColour("lime", false)).not.toBe(textColour("lime", true));
    expect(tagColours("lime", false)).not.toEqual(tagColours("grey", false));
    expect(tagColours("sunflower", true)).not.toEqual(tagColours("grey", true));
  });

  it("draws white and bg-white (#ffffff light, #1A1A1A dark)", () => {
    expect(textColour("white", true)).toBe("#ffffff");
    expect(textColour("bg-white", false)).toBe("#ffffff");
    expect(textColour("bg-white", true)).toBe("#1a1a1a");
    expect(blockBackground("bg-white", true)).toBe("#1a1a1a");
    expect(blockBackground("none", false)).toBeNull();
  });

  it("takes rgba values, rebuilt from their numbers, and refuses anything else", () => {
    expect(rgba("rgba(5,157,178,0.52)")).toBe("rgba(5, 157, 178, 0.52)");
    expect(rgba("rgb(300, 0, 0)")).toBe("rgba(255, 0, 0, 1)");
    expect(textColour("rgba(5,157,178,0.52)", false)).toBe("rgba(5, 157, 178, 0.52)");
    expect(blockBackground("rgba(0,0,0,0.1)", true)).toBe("rgba(0, 0, 0, 0.1)");
    expect(textColour("rgba(1,2,3,0.5);background:url(x)", false)).toBeNull();
    expect(textColour("url(x)", false)).toBeNull();
    expect(textColour("pink", false)).toBeNull();
  });

  it("uses the card's own colours from config.style.color, light and dark", () => {
    const custom = customColours({
      config: { style: { color: { "cus-0": { light_mode: "rgba(5,157,178,0.52)", dark_mode: "rgba(78,23,108,1)" }, bad: { light_mode: "red; x" } } } },
    });
    expect(custom).toEqual({ "cus-0": { light: "rgba(5, 157, 178, 0.52)", dark: "rgba(78, 23, 108, 1)" } });
    expect(textColour("cus-0", false, custom)).toBe("rgba(5, 157, 178, 0.52)");
    expect(textColour("cus-0", true, custom)).toBe("rgba(78, 23, 108, 1)");
    expect(blockBackground("cus-0", false, custom)).toBe("rgba(5, 157, 178, 0.52)");
    expect(textColour("bad", false, custom)).toBeNull();
  });
});
