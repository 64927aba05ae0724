import { useTranslation } from "react-i18next";
import type { CheckStatus } from "../bindings/CheckStatus";

const ICONS: Record<CheckStatus, string> = { pass: "✓", fail: "✕", unknown: "?", skipped: "–" };

export function StatusBadge({ status, testId }: { status: CheckStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status-badge status-badge--${status}`} data-testid={testId} data-status={status}>
      <span aria-hidden="true">{ICONS[status]}</span> {t(`checks.status.${status}`)}
    </span>
  );
}
