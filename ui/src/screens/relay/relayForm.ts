// The relay form as the admin last started it, so the next start (and the next app launch)
// offers the same port, upstream and limits. Only settings: an upstream URL that may carry a
// secret (a query, where integrations put their keys, or credentials) is not remembered.
import type { ForwardMode } from "../../bindings/ForwardMode";

const KEY = "lark-companion.relayForm";

export interface RelayForm {
  port: string;
  bind: string;
  upstream: string;
  mode: ForwardMode;
  budget: string;
  skew: string;
  retention: string;
}

export const DEFAULT_RELAY_FORM: RelayForm = {
  port: "9400",
  bind: "127.0.0.1",
  upstream: "",
  mode: "transparent",
  budget: "2500",
  skew: "300",
  retention: "10000",
};

export function loadRelayForm(): RelayForm {
  try {
    const stored = JSON.parse(window.localStorage.getItem(KEY) ?? "{}") as Partial<RelayForm>;
    const form = { ...DEFAULT_RELAY_FORM };
    for (const key of Object.keys(form) as (keyof RelayForm)[]) {
      const value = stored[key];
      if (typeof value === "string") (form as Record<keyof RelayForm, string>)[key] = value;
    }
    if (form.mode !== "transparent" && form.mode !== "resign") form.mode = DEFAULT_RELAY_FORM.mode;
    return form;
  } catch {
    // Unreadable or disabled storage: start from the defaults.
    return { ...DEFAULT_RELAY_FORM };
  }
}

/** The upstream URL if it is safe to keep on disk, else "" (the admin types it again). */
function storableUpstream(text: string): string {
  try {
    const url = new URL(text.trim());
    return url.search || url.username || url.password ? "" : text.trim();
  } catch {
    return "";
  }
}

export function saveRelayForm(form: RelayForm): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ ...form, upstream: storableUpstream(form.upstream) }));
  } catch {
    // Storage may be disabled; the form is then not remembered, which is harmless.
  }
}
