// The relay form as text fields, and how it is filled from what the profile's relay was last
// started with (`relay_saved_settings`, kept per profile in the app's database by relay_start).
import type { ForwardMode } from "../../bindings/ForwardMode";
import type { SavedRelaySettings } from "../../bindings/SavedRelaySettings";

/** A fixed port, so the callback URL pasted into the console stays the same at every start. */
export const DEFAULT_PORT = 9400;
export const DEFAULT_BIND = "127.0.0.1";

export interface RelayForm {
  port: string;
  bind: string;
  upstream: string;
  mode: ForwardMode;
  budget: string;
  skew: string;
  retention: string;
}

export const DEFAULT_SAVED: SavedRelaySettings = {
  settings: { port: DEFAULT_PORT, listenAll: false, mode: "transparent", cardBudgetMs: 2500, maxSkewSecs: 300, retention: 10000 },
  bind: null,
  lastCopiedUrl: null,
};

export function formFromSaved(saved: SavedRelaySettings): RelayForm {
  const s = saved.settings;
  return {
    port: String(s.port),
    bind: saved.bind?.trim() || DEFAULT_BIND,
    upstream: s.upstreamUrl ?? "",
    mode: s.mode === "resign" ? "resign" : "transparent",
    budget: String(s.cardBudgetMs),
    skew: String(s.maxSkewSecs),
    retention: String(s.retention),
  };
}
