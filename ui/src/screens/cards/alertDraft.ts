// The alert form edits text fields; these turn an Alert into them and back. Labels are
// `name=value` lines, links `Label | URL` lines, assignees a comma-separated list.
import type { Alert } from "../../bindings/Alert";
import type { AlertSeverity } from "../../bindings/AlertSeverity";
import type { AlertStatus } from "../../bindings/AlertStatus";
import type { CardKind } from "../../bindings/CardKind";
import type { FieldMapping } from "../../bindings/FieldMapping";

export const SEVERITIES: readonly AlertSeverity[] = ["critical", "warning", "info", "ok"];
export const STATUSES: readonly AlertStatus[] = ["triggered", "acknowledged", "resolved"];
export const CARD_KINDS: readonly CardKind[] = ["triggered", "acknowledged", "resolved", "digest"];

export interface AlertDraft {
  title: string;
  severity: AlertSeverity;
  status: AlertStatus;
  description: string;
  labels: string;
  startedAt: string;
  assignees: string;
  links: string;
  incidentId: string;
  incidentUrl: string;
}

/** A believable alert to start from. */
export function sampleAlert(now = new Date()): Alert {
  const started = new Date(now.getTime() - 12 * 60_000);
  started.setUTCSeconds(0, 0);
  return {
    title: "Disk almost full on db-01",
    severity: "critical",
    status: "triggered",
    description: "Filesystem /var/lib/postgresql is 96% full.\nFree space or grow the volume.",
    labels: { alertname: "DiskAlmostFull", instance: "db-01:9100", team: "storage" },
    startedAt: started.toISOString().replace(/\.\d{3}Z$/, "Z"),
    assignees: ["Li Lei"],
    links: [{ label: "Runbook", url: "https://runbooks.example.com/disk-full" }],
    incidentId: "inc_7f3a9c",
    incidentUrl: "https://console.flashcat.cloud/incident/detail/inc_7f3a9c",
  };
}

export function toDraft(alert: Alert): AlertDraft {
  return {
    title: alert.title,
    severity: alert.severity,
    status: alert.status,
    description: alert.description,
    labels: Object.entries(alert.labels)
      .map(([name, value]) => `${name}=${value ?? ""}`)
      .join("\n"),
    startedAt: alert.startedAt,
    assignees: alert.assignees.join(", "),
    links: alert.links.map((link) => `${link.label} | ${link.url}`).join("\n"),
    incidentId: alert.incidentId,
    incidentUrl: alert.incidentUrl ?? "",
  };
}

/** Whether the start time is one the Rust side reads (RFC 3339). */
export function validStartedAt(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim()) && !Number.isNaN(Date.parse(value));
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The alert a draft describes; the start time must be valid (see `validStartedAt`). */
export function fromDraft(draft: AlertDraft): Alert {
  const labels: Record<string, string> = {};
  for (const line of lines(draft.labels)) {
    const at = line.search(/[=:]/);
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    if (name) labels[name] = at < 0 ? "" : line.slice(at + 1).trim();
  }
  const links = lines(draft.links).map((line) => {
    const bar = line.indexOf("|");
    if (bar < 0) return { label: line, url: line };
    return { label: line.slice(0, bar).trim() || line.slice(bar + 1).trim(), url: line.slice(bar + 1).trim() };
  });
  const alert: Alert = {
    title: draft.title,
    severity: draft.severity,
    status: draft.status,
    description: draft.description,
    labels,
    startedAt: draft.startedAt.trim(),
    assignees: draft.assignees
      .split(/[,\n]/)
      .map((a) => a.trim())
      .filter(Boolean),
    links,
    incidentId: draft.incidentId.trim(),
  };
  if (draft.incidentUrl.trim()) alert.incidentUrl = draft.incidentUrl.trim();
  return alert;
}

/** The single-alert card for a status. */
export function kindForStatus(status: AlertStatus): CardKind {
  return status;
}

/** The alert field a mapping row names, as text the way the import wrote it. */
export function currentValue(alert: Alert, field: string): string {
  const label = (s: string) => (s === "ok" ? "OK" : s.charAt(0).toUpperCase() + s.slice(1));
  const link = /^links\[(\d+)\]$/.exec(field);
  if (link) {
    const item = alert.links[Number(link[1])];
    return item ? `${item.label}: ${item.url}` : "";
  }
  switch (field) {
    case "title":
      return alert.title;
    case "severity":
      return label(alert.severity);
    case "status":
      return label(alert.status);
    case "description":
      return alert.description;
    case "labels":
      return Object.entries(alert.labels)
        .map(([k, v]) => `${k}=${v ?? ""}`)
        .join(", ");
    case "startedAt":
      return alert.startedAt;
    case "assignees":
      return alert.assignees.join(", ");
    case "incidentId":
      return alert.incidentId;
    case "incidentUrl":
      return alert.incidentUrl ?? "";
    default:
      return "";
  }
}

/** Whether the form changed a field since the import filled it in. */
export function editedSinceImport(alert: Alert, mapping: FieldMapping): boolean {
  const now = currentValue(alert, mapping.field);
  if (mapping.field === "startedAt") return Date.parse(now) !== Date.parse(mapping.value);
  // The import cuts long values in the mapping; compare what it kept.
  return !now.startsWith(mapping.value.replace(/…$/, "")) && now !== mapping.value;
}
