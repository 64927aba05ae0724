import type { ComponentType } from "react";
import { CardsScreen } from "../screens/CardsScreen";
import { DoctorScreen } from "../screens/DoctorScreen";
import { QuotaScreen } from "../screens/QuotaScreen";
import { RelayScreen } from "../screens/RelayScreen";
import { SettingsScreen } from "../screens/SettingsScreen";
import { SetupScreen } from "../screens/SetupScreen";

export type ScreenId = "setup" | "doctor" | "relay" | "cards" | "quota" | "settings";

export interface ScreenEntry {
  id: ScreenId;
  path: string;
  /** The digit of its Alt+N shortcut. */
  shortcutDigit: number;
  Component: ComponentType;
}

/** The six screens, in sidebar order. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: "setup", path: "/setup", shortcutDigit: 1, Component: SetupScreen },
  { id: "doctor", path: "/doctor", shortcutDigit: 2, Component: DoctorScreen },
  { id: "relay", path: "/relay", shortcutDigit: 3, Component: RelayScreen },
  { id: "cards", path: "/cards", shortcutDigit: 4, Component: CardsScreen },
  { id: "quota", path: "/quota", shortcutDigit: 5, Component: QuotaScreen },
  { id: "settings", path: "/settings", shortcutDigit: 6, Component: SettingsScreen },
];

export function shortcutLabel(digit: number): string {
  return `Alt+${digit}`;
}
