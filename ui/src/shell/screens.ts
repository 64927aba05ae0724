// The one table of screens: the sidebar, the routes, the Alt+N shortcuts and each screen's
// page (heading, intro, then its body) all come from here.
import { lazy, type ComponentType } from "react";
import { SettingsPanels } from "../screens/SettingsScreen";
import { SetupWizard } from "../screens/setup/SetupWizard";

// The first screen (setup) and the small settings screen are in the main bundle; the other
// five are loaded the first time they are opened (from the app's own files, in milliseconds),
// so the webview does not parse and keep the code of screens not visited: the main bundle is
// half the size (the quota screen's charts alone were a third of it). docs/benchmarks.md,
// "Memory in the tray".
const Doctor = lazy(() => import("../screens/doctor/Doctor").then((m) => ({ default: m.Doctor })));
const Relay = lazy(() => import("../screens/relay/Relay").then((m) => ({ default: m.Relay })));
const CardDesigner = lazy(() => import("../screens/cards/CardDesigner").then((m) => ({ default: m.CardDesigner })));
const Quota = lazy(() => import("../screens/quota/Quota").then((m) => ({ default: m.Quota })));
const Notices = lazy(() => import("../screens/notices/Notices").then((m) => ({ default: m.Notices })));

export type ScreenId = "setup" | "doctor" | "relay" | "cards" | "quota" | "notices" | "settings";

export interface ScreenEntry {
  /** Also the route (`/<id>`), the nav test id (`nav-<id>`) and the `screens.<id>` translation keys. */
  id: ScreenId;
  /** The digit of its Alt+N shortcut. */
  shortcutDigit: number;
  /** What the screen shows under its heading. */
  Body: ComponentType;
  /** Needs the Rust side: in a plain browser (`npm run dev`) it says so instead of its body. */
  needsApp: boolean;
}

/** The seven screens, in sidebar order. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: "setup", shortcutDigit: 1, Body: SetupWizard, needsApp: false },
  { id: "doctor", shortcutDigit: 2, Body: Doctor, needsApp: true },
  { id: "relay", shortcutDigit: 3, Body: Relay, needsApp: true },
  { id: "cards", shortcutDigit: 4, Body: CardDesigner, needsApp: true },
  { id: "quota", shortcutDigit: 5, Body: Quota, needsApp: true },
  { id: "notices", shortcutDigit: 6, Body: Notices, needsApp: true },
  { id: "settings", shortcutDigit: 7, Body: SettingsPanels, needsApp: false },
];

export function screenPath(id: ScreenId): string {
  return `/${id}`;
}

export function screenEntry(id: ScreenId): ScreenEntry {
  const entry = SCREENS.find((s) => s.id === id);
  if (!entry) throw new Error(`no screen ${id}`);
  return entry;
}

export function shortcutLabel(digit: number): string {
  return `Alt+${digit}`;
}
