// Every test runs "inside the app" (the Tauri bridge marker is present); the bridge itself
// (`invoke`) is mocked per test file.
import { afterEach, beforeEach } from "vitest";
import { cleanup, configure } from "@testing-library/react";
import i18n from "../i18n";

// findBy*/waitFor give up after 1 s by default; a loaded CI machine can take longer to render
// a few hundred rows. This bounds waiting, it does not time anything.
configure({ asyncUtilTimeout: 5000 });

beforeEach(async () => {
  Object.defineProperty(window, "__TAURI_INTERNALS__", { value: {}, configurable: true });
  window.location.hash = "";
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
  document.documentElement.lang = "en";
  await i18n.changeLanguage("en");
});

afterEach(() => {
  cleanup();
});
