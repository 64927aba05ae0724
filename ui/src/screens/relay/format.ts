// Small pure helpers of the Relay screen: latency against the platform's deadlines, loopback
// addresses, and how live record events merge into the list.
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordSummary } from "../../bindings/RecordSummary";

/** The console's URL check wants an answer within 1 s; card callbacks within 3 s. */
export const CHALLENGE_DEADLINE_MS = 1000;
export const CARD_DEADLINE_MS = 3000;

export type LatencyLevel = "ok" | "slow" | "late";

/** Green under 1 s, amber under 3 s, red from 3 s (or when the record says a deadline was missed). */
export function latencyLevel(ms: number, missed = false): LatencyLevel {
  if (missed || ms >= CARD_DEADLINE_MS) return "late";
  return ms >= CHALLENGE_DEADLINE_MS ? "slow" : "ok";
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** The time of day of an RFC 3339 timestamp, in local time with milliseconds. */
export function formatTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** 127.0.0.0/8 and ::1 are reachable only from this machine. */
export function isLoopback(address: string): boolean {
  const a = address.trim();
  return a === "" || a === "::1" || a === "localhost" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** Whether a live record belongs in the list as filtered (text filters are checked by the Rust side). */
export function matchesFilter(record: RecordSummary, filter: RecordFilter): boolean {
  if (filter.kind && record.kind !== filter.kind) return false;
  if (filter.verdict && record.verdict !== filter.verdict) return false;
  return true;
}

/** Adds or replaces `record` (newest first, by id), keeping at most `limit` rows. */
export function mergeRecord(list: readonly RecordSummary[], record: RecordSummary, limit = 200): RecordSummary[] {
  const without = list.filter((r) => r.id !== record.id);
  const merged = [record, ...without].sort((a, b) => b.id - a.id);
  return merged.slice(0, limit);
}

/** Only replaces a row already shown (an "updated" event for a row filtered out stays out). */
export function replaceRecord(list: readonly RecordSummary[], record: RecordSummary): RecordSummary[] {
  return list.some((r) => r.id === record.id) ? list.map((r) => (r.id === record.id ? record : r)) : [...list];
}

export function prettyJson(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}
