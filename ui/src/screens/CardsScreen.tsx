import { ComingLater, ScreenLayout } from "./ScreenLayout";

const LATER = ["gallery", "editor", "preview", "payload", "send"] as const;

export function CardsScreen() {
  return (
    <ScreenLayout screen="cards">
      <ComingLater screen="cards" items={LATER} />
    </ScreenLayout>
  );
}
