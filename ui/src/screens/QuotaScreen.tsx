import { ComingLater, ScreenLayout } from "./ScreenLayout";

const LATER = ["monthToDate", "daily", "endpoints", "rateLimits", "thresholds"] as const;

export function QuotaScreen() {
  return (
    <ScreenLayout screen="quota">
      <ComingLater screen="quota" items={LATER} />
    </ScreenLayout>
  );
}
