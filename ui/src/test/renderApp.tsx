import { render } from "@testing-library/react";
import { invoke } from "@tauri-apps/api/core";
import { vi } from "vitest";
import { App } from "../App";
import type { AppInfo } from "../bindings/AppInfo";
import type { Settings } from "../bindings/Settings";
import { mockCommands, type CommandHandlers } from "./invokeMock";

export const SAMPLE_INFO: AppInfo = {
  version: "0.1.0",
  dataDir: "/home/admin/.local/share/dev.larkcompanion.app",
  logDir: "/home/admin/.local/share/dev.larkcompanion.app/logs",
  databaseVersion: 1,
};

let clipboard = "";

function writeClipboard(text: string): void {
  clipboard = text;
  // Tests written before copying moved to the Rust side read userEvent's clipboard stub.
  void globalThis.navigator?.clipboard?.writeText(text).catch(() => undefined);
}

let autostart = false;

/** What the app last put on the (mocked) clipboard through copy_text / copy_profile_secret. */
export function clipboardText(): string {
  return clipboard;
}

/**
 * Answers the mocked `invoke` like the Rust side would. A handler that throws (or returns a
 * rejected promise) makes the command reject with that value.
 */
export function answerCommands(overrides: CommandHandlers = {}, initial?: Partial<Settings>) {
  let settings: Settings = {
    language: null,
    theme: "system",
    proxy: null,
    closeAction: null,
    loginRelay: null,
    ...initial,
  };
  const handlers: CommandHandlers = {
    get_settings: () => settings,
    app_info: () => SAMPLE_INFO,
    set_language: (args) => (settings = { ...settings, language: args?.language as Settings["language"] }),
    set_theme: (args) => (settings = { ...settings, theme: args?.theme as Settings["theme"] }),
    set_proxy: (args) => (settings = { ...settings, proxy: (args?.proxy as string | null) ?? null }),
    set_close_action: (args) =>
      (settings = { ...settings, closeAction: (args?.action as Settings["closeAction"]) ?? null }),
    set_login_relay: (args) =>
      (settings = {
        ...settings,
        loginRelay: args?.on ? String(args.name) : settings.loginRelay === args?.name ? null : settings.loginRelay,
      }),
    // Start at login is off on a fresh installation.
    autostart_enabled: () => autostart,
    set_autostart: (args) => (autostart = Boolean(args?.enabled)),
    // A fresh installation: no profile yet, no sandbox.
    list_profiles: () => [],
    sandbox_status: () => ({ active: false }),
    relay_long_connection_status: () => null,
    relay_status: () => null,
    keychain_status: () => undefined,
    // Nothing to report, every kind on.
    notice_list: () => [],
    notice_settings: () => [],
    // The clipboard is written by the Rust side (copy_text); tests read it with clipboardText().
    copy_text: (args) => writeClipboard(String(args?.text ?? "")),
    copy_profile_secret: (args) => writeClipboard(`<${String(args?.kind)} of ${String(args?.name)}>`),
    ...overrides,
  };
  clipboard = "";
  autostart = false;
  return mockCommands(handlers);
}

export function renderApp(route = "/setup") {
  window.location.hash = `#${route}`;
  return render(<App />);
}

export const mockedInvoke = () => vi.mocked(invoke);
