import { NotInApp } from "../components/NotInApp";
import { useSettings } from "../settings/SettingsContext";
import { Quota } from "./quota/Quota";
import { ScreenLayout } from "./ScreenLayout";

export function QuotaScreen() {
  const { insideApp } = useSettings();
  return <ScreenLayout screen="quota">{insideApp ? <Quota /> : <NotInApp />}</ScreenLayout>;
}
