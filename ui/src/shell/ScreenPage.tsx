// One page for every screen of the table in screens.ts: its heading and intro, then its body
// (or, for a screen that needs the Rust side, a note when running in a plain browser).
import { NotInApp } from "../components/NotInApp";
import { ScreenLayout } from "../screens/ScreenLayout";
import { useSettings } from "../settings/SettingsContext";
import { screenEntry, type ScreenId } from "./screens";

export function ScreenPage({ id }: { id: ScreenId }) {
  const { insideApp } = useSettings();
  const { Body, needsApp } = screenEntry(id);
  return <ScreenLayout screen={id}>{needsApp && !insideApp ? <NotInApp /> : <Body />}</ScreenLayout>;
}
