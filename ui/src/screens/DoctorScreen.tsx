import { NotInApp } from "../components/NotInApp";
import { useSettings } from "../settings/SettingsContext";
import { Doctor } from "./doctor/Doctor";
import { ScreenLayout } from "./ScreenLayout";

export function DoctorScreen() {
  const { insideApp } = useSettings();
  return <ScreenLayout screen="doctor">{insideApp ? <Doctor /> : <NotInApp />}</ScreenLayout>;
}
