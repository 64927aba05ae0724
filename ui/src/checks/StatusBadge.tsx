import { useTranslation } from "react-i18next";
import type { ShownStatus } from "./checkIds";

const ICONS: Record<ShownStatus, string> = { pass: "✓", stored: "✓", fail: "✕", unknown: "?", skipped: "–" };
/** The look: stored looks like a pass, skipped like an item the API could not check. */
const LOOK: Record<ShownStatus, string> = { pass: "pass", stored: "pass", fail: "fail", unknown: "unknown", skipped: "unknown" };

export function StatusBadge({ status, testId }: { status: ShownStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`status-badge status-badge--${LOOK[status]}${LOOK[status] === status ? "" : ` status-badge--${status}`}`}
      data-testid={testId}
      data-status={status}
    >
      <span aria-hidden="true">{ICONS[status]}</span> {t(`checks.status.${status}`)}
    </span>
  );
}
