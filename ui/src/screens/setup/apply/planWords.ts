// Reading a plan: which items Apply will change, which it may not, and the words for the values
// the core sends (a few fixed English words, translated here; URLs and lists stay as they are).
import type { TFunction } from "i18next";
import type { Current } from "../../../bindings/Current";
import type { Plan } from "../../../bindings/Plan";
import type { PlanItem } from "../../../bindings/PlanItem";

/** Apply changes these. */
export const willChange = (item: PlanItem) => item.action === "add" || item.action === "change";

/** Set, but live only once a version with it is published. */
export const awaitsPublish = (item: PlanItem) => item.awaitingPublish || (willChange(item) && item.effect === "afterPublish");

/** The whole app is out of Apply's reach: under review, not made in the console, or unreadable. */
export function isOutOfReach(plan: Plan): boolean {
  return plan.underReview || !plan.consoleMade || plan.missingReadScope !== null;
}

/** Every setting read from the platform is as the integration needs it. */
export function isDone(plan: Plan): boolean {
  return !isOutOfReach(plan) && plan.items.every((item) => item.action === "nothing");
}

/** A stable key for a plan line (scopes share one id). */
export const itemKey = (item: PlanItem) => (item.subject ? `${item.id}-${item.subject}` : item.id);

/** The test id of a plan line: `plan-item-webApp`, `plan-item-scope-im_chat`. */
export const itemTestId = (item: PlanItem) => `plan-item-${itemKey(item).replace(/[^\w-]/g, "_")}`;

const VALUE_WORDS: Record<string, string> = {
  on: "on",
  granted: "granted",
  requested: "requested",
  set: "set",
  "Encrypt Key only": "encryptKeyOnly",
  "Verification Token only": "verificationTokenOnly",
  "set, and the same as in the keychain": "setAndSame",
  websocket: "websocket",
  webhook: "webhook",
};

/** A value as the core wrote it, in the UI language where it is one of the fixed words. */
export function valueWords(text: string, t: TFunction): string {
  const key = VALUE_WORDS[text.trim()];
  return key ? t(`setup.apply.values.${key}`) : text;
}

export function currentWords(current: Current, t: TFunction): string {
  if (current.kind === "unknown") return t("setup.apply.current.unknown");
  if (current.kind === "notSet") return t("setup.apply.current.notSet");
  return valueWords(current.text, t);
}

/** i18n keys cannot hold ":" or ".": im:message.group_msg → im_message_group_msg. */
export function scopeKey(scope: string): string {
  return scope.replace(/[:.]/g, "_");
}
