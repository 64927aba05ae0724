import { ComingLater, ScreenLayout } from "./ScreenLayout";

const LATER = ["startStop", "mode", "upstream", "inspector", "replay", "triggers", "signatureLab"] as const;

export function RelayScreen() {
  return (
    <ScreenLayout screen="relay">
      <ComingLater screen="relay" items={LATER} />
    </ScreenLayout>
  );
}
