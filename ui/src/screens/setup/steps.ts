import type { CheckId } from "../../bindings/CheckId";

/**
 * The wizard's steps, in the platform's own setup order. The ids are stored in WizardProgress.
 * `apply` makes the app's settings by API; `appConfig` and `scopes` are the same settings by hand
 * in the console, for apps the API may not change.
 */
export const STEP_IDS = ["platform", "credentials", "integration", "apply", "appConfig", "scopes", "publish", "endToEnd"] as const;

export type StepId = (typeof STEP_IDS)[number];

/** The checks each step runs (the end-to-end test adds its chat). */
export const STEP_CHECKS: Partial<Record<StepId, readonly CheckId[]>> = {
  credentials: ["credentials", "callbackSecrets"],
  appConfig: ["bot", "webApp", "redirectUrl", "callbackUrl"],
  scopes: ["chatScope", "botInGroups"],
  publish: ["published", "availability", "bot"],
  endToEnd: ["messageScope"],
};

export function isStepId(value: string | null | undefined): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value ?? "");
}

/** What the wizard shows: one of the steps, or the summary after the last one. */
export type WizardView = StepId | "finish";

export function isWizardView(value: string | null | undefined): value is WizardView {
  return value === "finish" || isStepId(value);
}

/**
 * The checks the platform may leave unanswered (it returns these settings when it can). The
 * summary offers "I checked this" for those not run yet and for any outcome that is unknown.
 */
export const BY_HAND_CHECKS: readonly CheckId[] = ["webApp", "redirectUrl", "callbackUrl", "availability"];

/** Steps that need a saved profile (everything after the credentials are saved). */
export function needsProfile(view: WizardView): boolean {
  return view === "finish" || STEP_IDS.indexOf(view) > STEP_IDS.indexOf("credentials");
}

/** Feishu, Lark, or another Open Platform by base URL (a private deployment, or lark-sim). */
export type DraftPlatform = "feishu" | "lark" | "custom";

const APP_LIST_URL: Record<Exclude<DraftPlatform, "custom">, string> = {
  feishu: "https://open.feishu.cn/app",
  lark: "https://open.larksuite.com/app",
};

/** The console's app list for a draft; a custom platform has its console at the same origin. */
export function appListUrl(platform: DraftPlatform, baseUrl: string): string | null {
  if (platform !== "custom") return APP_LIST_URL[platform];
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  return /^https?:\/\/[^/]+/.test(trimmed) ? `${trimmed}/app` : null;
}

/** A base URL the Rust side will accept: http(s) with a host. */
export function isBaseUrl(value: string): boolean {
  return /^https?:\/\/[^/\s]+/.test(value.trim());
}

/** "cli_" and 16 lowercase hex digits, as the console shows it. */
export const APP_ID_PATTERN = /^cli_[0-9a-f]{16}$/;
