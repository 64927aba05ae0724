import type { CheckId } from "../bindings/CheckId";
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { CheckStatus } from "../bindings/CheckStatus";

/** Every check, in the platform's setup order (the order the doctor reports them in). */
export const CHECK_ORDER: readonly CheckId[] = [
  "credentials",
  "callbackSecrets",
  "integrationUrls",
  "webApp",
  "bot",
  "redirectUrl",
  "callbackUrl",
  "chatScope",
  "botInGroups",
  "messageScope",
  "published",
  "availability",
];

export function inCheckOrder<T extends { id: CheckId }>(outcomes: readonly T[]): T[] {
  const rank = (id: CheckId) => {
    const index = CHECK_ORDER.indexOf(id);
    return index < 0 ? CHECK_ORDER.length : index;
  };
  return [...outcomes].sort((a, b) => rank(a.id) - rank(b.id));
}

/** What a status badge says: a pass that only confirms something is stored says "Stored". */
export type ShownStatus = CheckStatus | "stored";

/** Findings that only confirm a value is stored, not that the platform accepts it. */
const STORED_FINDINGS: ReadonlySet<string> = new Set(["callbackSecretsStored", "integrationUrlsPasted"]);

export function shownStatus(outcome: { status: CheckStatus; finding?: string | null }): ShownStatus {
  return outcome.status === "pass" && outcome.finding && STORED_FINDINGS.has(outcome.finding) ? "stored" : outcome.status;
}

export type StatusCounts = Record<ShownStatus, number>;

export function countStatuses(outcomes: readonly { status: CheckStatus; finding?: string | null }[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, stored: 0, fail: 0, unknown: 0, skipped: 0 };
  for (const outcome of outcomes) counts[shownStatus(outcome)] += 1;
  return counts;
}

/** The order counts are read out in; passed, failed and not checked are always said, the rest when there are any. */
const COUNT_ORDER: readonly ShownStatus[] = ["pass", "stored", "fail", "unknown", "skipped"];
const ALWAYS_SAID: ReadonlySet<ShownStatus> = new Set(["pass", "fail", "unknown"]);

/** The counts as words ("8 passed, 1 failed, 3 not checked by API"), joined by `separator`. */
export function describeCounts(counts: StatusCounts, t: (key: string, options: { count: number }) => string, separator: string): string {
  return COUNT_ORDER.filter((status) => ALWAYS_SAID.has(status) || counts[status] > 0)
    .map((status) => t(`checks.counts.${status}`, { count: counts[status] }))
    .join(separator);
}

/**
 * One status for a group of outcomes: any failure fails it, else anything not checked by API
 * (and not confirmed by hand) leaves it unknown, else anything skipped leaves it skipped.
 */
export function overallStatus(outcomes: readonly CheckOutcome[], confirmed: readonly string[] = []): CheckStatus | null {
  if (outcomes.length === 0) return null;
  const statuses = outcomes.map((o) => (o.status === "unknown" && confirmed.includes(o.id) ? "pass" : o.status));
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("unknown")) return "unknown";
  if (statuses.includes("skipped")) return "skipped";
  return "pass";
}

/** Failures that Apply (the wizard's step 4) can fix: the doctor offers "Fix with Apply" for them. */
export const APPLY_FINDINGS: ReadonlySet<string> = new Set([
  "webAppDiffers",
  "webAppNotSet",
  "redirectUrlMissing",
  "callbackUrlDiffers",
  "callbackSubscriptionsMissing",
  "keysDiffer",
]);

export function fixableByApply(outcome: { status: CheckStatus; finding?: string | null }): boolean {
  return outcome.status === "fail" && Boolean(outcome.finding && APPLY_FINDINGS.has(outcome.finding));
}
