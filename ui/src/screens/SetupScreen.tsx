import { ComingLater, ScreenLayout } from "./ScreenLayout";

const LATER = ["platform", "createApp", "credentials", "integration", "capabilities", "scopes", "publish", "endToEnd"] as const;

export function SetupScreen() {
  return (
    <ScreenLayout screen="setup">
      <ComingLater screen="setup" items={LATER} />
    </ScreenLayout>
  );
}
