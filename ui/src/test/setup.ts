// Every test runs "inside the app" (the Tauri bridge marker is present); the bridge itself
// (`invoke`) is mocked per test file.
import { afterEach, beforeEach } from "vitest";
import { cleanup } from "@testing-library/react";
import i18n from "../i18n";

beforeEach(async () => {
  Object.defineProperty(window, "__TAURI_INTERNALS__", { value: {}, configurable: true });
  window.location.hash = "";
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
  await i18n.changeLanguage("en");
});

afterEach(() => {
  cleanup();
});
