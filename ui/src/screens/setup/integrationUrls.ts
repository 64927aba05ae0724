// Client-side checks of the three URLs the integration gives back: a full https:// URL with a
// host, not the same as another field's, and a warning when a URL looks like it belongs in
// another field (the commonest mix-up).
import type { IntegrationUrls } from "../../bindings/IntegrationUrls";

export type UrlField = keyof IntegrationUrls;

export const URL_FIELDS: readonly UrlField[] = ["webConfigUrl", "redirectUrl", "cardRequestUrl"];

export type UrlError = "notUrl" | "notHttps" | "noHost" | "sameAsOther";
export type UrlWarning = "looksLikeRedirect" | "looksLikeCardRequest";

export interface UrlVerdict {
  error?: UrlError;
  warning?: UrlWarning;
}

const REDIRECT_WORDS = ["redirect", "oauth"];
const CARD_WORDS = ["card", "callback", "event", "webhook"];
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const containsAny = (text: string, words: readonly string[]) => words.some((word) => text.includes(word));

export function checkUrl(field: UrlField, raw: string, all?: Partial<Record<UrlField, string>>): UrlVerdict {
  const value = raw.trim();
  if (!value) return {};
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? "noHost" : "notUrl" };
  }
  // http:// only for a local test server (the sandbox); Feishu and Lark need https.
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    return { error: "notHttps" };
  }
  if (!url.hostname) return { error: "noHost" };

  // The same URL in two fields is a slip (Apply refuses it): one of them is in the wrong field.
  if (all && URL_FIELDS.some((other) => other !== field && (all[other] ?? "").trim() === value)) return { error: "sameAsOther" };

  const text = value.toLowerCase();
  const redirectish = containsAny(text, REDIRECT_WORDS);
  const cardish = containsAny(text, CARD_WORDS);
  if (field === "cardRequestUrl" && redirectish && !cardish) return { warning: "looksLikeRedirect" };
  // A redirect URL may well end in /oauth/callback: only warn when nothing says "redirect".
  if (field === "redirectUrl" && cardish && !redirectish) return { warning: "looksLikeCardRequest" };
  if (field === "webConfigUrl") {
    if (redirectish) return { warning: "looksLikeRedirect" };
    if (cardish) return { warning: "looksLikeCardRequest" };
  }
  return {};
}
