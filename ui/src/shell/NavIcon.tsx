// Inline 20px line icons for the sidebar (no icon font, no CDN).
import type { ScreenId } from "./screens";

const PATHS: Record<ScreenId, string[]> = {
  // A wand over a checklist: the wizard.
  setup: ["M4 5h8", "M4 10h6", "M4 15h5", "M13 17l5-5", "M16.5 9.5l1 -1", "M18.5 11.5l1 -1"],
  // A stethoscope.
  doctor: ["M5 3v5a4 4 0 0 0 8 0V3", "M9 12v2a4 4 0 0 0 8 0v-2", "M17 12a2 2 0 1 0 0-4a2 2 0 0 0 0 4"],
  // Two arrows passing through a node: the relay.
  relay: ["M2 7h11", "M10 4l3 3l-3 3", "M18 13H7", "M10 10l-3 3l3 3", "M16 7h2"],
  // A card with a header and a button.
  cards: ["M3 4h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z", "M2 8h16", "M5 12h5"],
  // A gauge.
  quota: ["M3 15a7 7 0 1 1 14 0", "M10 15l3.5-4.5", "M3 15h14"],
  // A bell.
  notices: ["M5 14V9a5 5 0 0 1 10 0v5l1.5 2h-13z", "M8.5 18a1.5 1.5 0 0 0 3 0"],
  // A gear.
  settings: [
    "M10 13a3 3 0 1 0 0-6a3 3 0 0 0 0 6",
    "M10 1.8v2.4M10 15.8v2.4M1.8 10h2.4M15.8 10h2.4M4.2 4.2l1.7 1.7M14.1 14.1l1.7 1.7M4.2 15.8l1.7-1.7M14.1 5.9l1.7-1.7",
  ],
};

export function NavIcon({ screen }: { screen: ScreenId }) {
  return (
    <svg
      className="nav-icon"
      width="20"
      height="20"
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[screen].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
