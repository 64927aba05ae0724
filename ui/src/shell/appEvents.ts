// Events the Rust shell sends outside any screen: the tray and the window's close. Outside the
// app (a plain browser) there is no event bridge, so nothing is listened to.
import { listen } from "@tauri-apps/api/event";
import { isInsideApp } from "../api/invoke";

/** The window's close was asked while a relay runs (payload: the relay's profile). */
export const CLOSE_ASKED_EVENT = "app://close-asked";
/** The tray's "Open the inspector" (payload: the profile). */
export const OPEN_RELAY_EVENT = "tray://open-relay";
/** The relay was started or stopped outside the Relay screen (the tray, at login). */
export const RELAY_CHANGED_EVENT = "relay://changed";

/** Calls `handler` with each event's payload; returns the unsubscribe. */
export function onAppEvent<T>(name: string, handler: (payload: T) => void): () => void {
  if (!isInsideApp()) return () => {};
  let stopped = false;
  let unlisten: (() => void) | null = null;
  listen<T>(name, (event) => handler(event.payload))
    .then((stop) => (stopped ? stop() : (unlisten = stop)))
    .catch(() => {
      /* no event bridge: nothing to listen to */
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}
