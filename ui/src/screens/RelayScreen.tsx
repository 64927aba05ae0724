import { NotInApp } from "../components/NotInApp";
import { useSettings } from "../settings/SettingsContext";
import { Relay } from "./relay/Relay";
import { ScreenLayout } from "./ScreenLayout";

export function RelayScreen() {
  const { insideApp } = useSettings();
  return <ScreenLayout screen="relay">{insideApp ? <Relay /> : <NotInApp />}</ScreenLayout>;
}
