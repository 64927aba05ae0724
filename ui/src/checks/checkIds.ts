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

export interface StatusCounts {
  pass: number;
  fail: number;
  unknown: number;
  skipped: number;
}

export function countStatuses(outcomes: readonly { status: CheckStatus }[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, unknown: 0, skipped: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}

/** One status for a group of outcomes: any failure fails it, else anything that could not run
 * skips it, else anything unknown leaves it unknown. */
export function overallStatus(outcomes: readonly CheckOutcome[]): CheckStatus | null {
  if (outcomes.length === 0) return null;
  const counts = countStatuses(outcomes);
  if (counts.fail > 0) return "fail";
  if (counts.skipped > 0) return "skipped";
  if (counts.unknown > 0) return "unknown";
  return "pass";
}
