// The card colour enumeration (#17 §3.3): names, tones, white/bg-white, rgba and the card's own
// colours from config.style.color.
import { describe, expect, it } from "vitest";
import { COLOUR_TABLE } from "./colourTable";
import { HEADER_TEMPLATES, blockBackground, customColours, headerColours, rgba, tagColours, textColour } from "./palette";

describe("card palette", () => {
  it("draws every header template from the colour table: its -100 tone behind grey-900 text, light and dark", () => {
    expect(headerColours("red", false)).toEqual({ background: "#fee3e2", text: "#1f2329", subtitle: "#646a73" });
    expect(headerColours("red", true)).toEqual({ background: "#591f1d", text: "#ebebeb", subtitle: "#a6a6a6" });
    expect(headerColours("default", false).background).toBe("#ffffff");
    for (const template of HEADER_TEMPLATES) {
      if (template === "default") continue;
      const tones = COLOUR_TABLE[template]?.["100"];
      expect(tones, template).toBeDefined();
      expect(headerColours(template, false).background, template).toBe(tones?.[0]);
      expect(headerColours(template, true).background, template).toBe(tones?.[1]);
    }
  });

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

  it("takes every tone from the documented table, in light and dark", () => {
    // Rows of the colour enumeration page's table.
    const rows: [string, string, string][] = [
      ["red-400", "#f54a45", "#d14642"],
      ["blue", "#1456f0", "#75a4ff"],
      ["blue-50", "#f0f4ff", "#152340"],
      ["lime", "#5c6d08", "#93af04"],
      ["sunflower", "#8f7c00", "#f5df36"],
      ["sunflower-900", "#2c2502", "#fff59e"],
      ["grey", "#646a73", "#a6a6a6"],
      ["grey-650", "#51565d", "#cfcfcf"],
      ["neutral-1000", "#000000", "#ffffff"],
      ["wathet-350", "#25b0e7", "#146c91"],
    ];
    for (const [name, light, dark] of rows) {
      expect([textColour(name, false), textColour(name, true)], name).toEqual([light, dark]);
    }
    expect(textColour("red-450", false)).toBeNull();
  });

  it("draws tags as -100 behind -600 and bare block backgrounds as -50", () => {
    expect(tagColours("red", false)).toEqual({ background: "#fee3e2", text: "#c02a26" });
    expect(tagColours("neutral", true)).toEqual({ background: "#292929", text: "#a6a6a6" });
    expect(tagColours("nonsense", false)).toEqual(tagColours("grey", false));
    expect(blockBackground("blue", false)).toBe("#f0f4ff");
    expect(blockBackground("blue-200", true)).toBe("#194294");
  });
});
