import { useEffect } from "react";
import { useNavigate } from "react-router";
import { SCREENS, screenPath } from "./screens";

/** Alt+1..6 jumps to the matching screen. Uses the physical key so macOS's Option+digit works. */
export function useScreenShortcuts(): void {
  const navigate = useNavigate();
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const match = /^Digit([1-9])$/.exec(event.code);
      const digit = match ? Number(match[1]) : Number.NaN;
      const screen = SCREENS.find((s) => s.shortcutDigit === digit);
      if (!screen) return;
      event.preventDefault();
      void navigate(screenPath(screen.id));
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [navigate]);
}
