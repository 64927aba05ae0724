import { NotInApp } from "../components/NotInApp";
import { useSettings } from "../settings/SettingsContext";
import { CardDesigner } from "./cards/CardDesigner";
import { ScreenLayout } from "./ScreenLayout";

export function CardsScreen() {
  const { insideApp } = useSettings();
  return <ScreenLayout screen="cards">{insideApp ? <CardDesigner /> : <NotInApp />}</ScreenLayout>;
}
