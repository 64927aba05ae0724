import { ComingLater, ScreenLayout } from "./ScreenLayout";

const LATER = ["allChecks", "verdicts", "cli"] as const;

export function DoctorScreen() {
  return (
    <ScreenLayout screen="doctor">
      <ComingLater screen="doctor" items={LATER} />
    </ScreenLayout>
  );
}
