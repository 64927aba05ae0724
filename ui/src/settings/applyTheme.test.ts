import { afterEach, describe, expect, it, vi } from "vitest";
import { applyTheme, prepareDocument, rememberedTheme } from "./applyTheme";

/** A stand-in for the OS colour scheme, changeable while the app runs. */
function osScheme(dark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    get matches() {
      return dark;
    },
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  vi.stubGlobal("matchMedia", vi.fn(() => query));
  return {
    set(next: boolean) {
      dark = next;
      listeners.forEach((listener) => listener());
    },
  };
}

describe("theme", () => {
  afterEach(() => {
    applyTheme("light");
    vi.unstubAllGlobals();
  });

  it("always sets data-theme on <html>: System resolves to the OS scheme and follows its changes", () => {
    const os = osScheme(true);
    applyTheme("system");
    expect(document.documentElement.dataset.theme).toBe("dark");
    os.set(false);
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("a forced theme ignores the OS", () => {
    const os = osScheme(true);
    applyTheme("light");
    expect(document.documentElement.dataset.theme).toBe("light");
    os.set(true);
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("works without matchMedia (light)", () => {
    vi.stubGlobal("matchMedia", undefined);
    applyTheme("system");
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("before the first render, applies the theme chosen last time and the UI language, so nothing flashes", () => {
    osScheme(false);
    applyTheme("dark");
    expect(rememberedTheme()).toBe("dark");
    delete document.documentElement.dataset.theme;
    document.documentElement.lang = "";

    prepareDocument("zh-CN");
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(document.documentElement.lang).toBe("zh-CN");
  });
});
