// One page for every screen of the table in screens.ts: its heading and intro, then its body
// (or, for a screen that needs the Rust side, a note when running in a plain browser).
import { Suspense } from "react";
import { NotInApp } from "../components/NotInApp";
import { ScreenLayout } from "../screens/ScreenLayout";
import { useSettings } from "../settings/SettingsContext";
import { screenEntry, type ScreenId } from "./screens";

export function ScreenPage({ id }: { id: ScreenId }) {
  const { insideApp } = useSettings();
  const { Body, needsApp } = screenEntry(id);
  // A screen loaded on first use (screens.ts) shows its heading at once and its body when its
  // code has arrived. The boundary is keyed by screen: a new one per screen shows nothing for
  // that moment, where the one already shown would keep the previous screen up instead.
  return (
    <ScreenLayout screen={id}>
      {needsApp && !insideApp ? (
        <NotInApp />
      ) : (
        <Suspense key={id} fallback={null}>
          <Body />
        </Suspense>
      )}
    </ScreenLayout>
  );
}
