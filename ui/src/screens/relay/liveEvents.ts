// The relay's live changes, as the Rust side emits them. Outside the app (a plain browser) there
// is no event bridge, so nothing is listened to.
import { listen } from "@tauri-apps/api/event";
import { isInsideApp } from "../../api/invoke";
import type { RecordEvent } from "../../bindings/RecordEvent";

export const RECORD_EVENT = "relay://record";
export const LAGGED_EVENT = "relay://lagged";

/** Calls `onRecord` for each change and `onLagged` when some were skipped; returns the unsubscribe. */
export function listenToRelay(onRecord: (event: RecordEvent) => void, onLagged: () => void): () => void {
  if (!isInsideApp()) return () => {};
  let stopped = false;
  const unlisteners: (() => void)[] = [];
  const keep = (promise: Promise<() => void>) =>
    promise
      .then((unlisten) => (stopped ? unlisten() : unlisteners.push(unlisten)))
      .catch(() => {
        /* no event bridge (e.g. a test without one): the list still loads on demand */
      });
  keep(listen<RecordEvent>(RECORD_EVENT, (e) => onRecord(e.payload)));
  keep(listen<number>(LAGGED_EVENT, () => onLagged()));
  return () => {
    stopped = true;
    unlisteners.splice(0).forEach((unlisten) => unlisten());
  };
}
