// A started scan: the QR code (drawn by the core, shown as an image), the link with Copy and
// Open, the time left, and where the scan is in words. Denied, expired and failed offer "Try
// again" (a new link); waiting offers Cancel.
import { useTranslation } from "react-i18next";
import type { CommandError } from "../../../api/invoke";
import { ActionError } from "../../../components/ActionError";
import { BusyButton } from "../../../components/BusyButton";
import { ConsoleLinkButton } from "../../../components/ConsoleLinkButton";
import { CopyButton } from "../../../components/CopyButton";
import { platformLabel } from "../../../profiles/platformLabel";
import { Countdown } from "./Countdown";
import { isWaiting, phaseOf, qrImageSource, type ScanSession } from "./scanSession";

interface ScanWaitingProps {
  session: ScanSession;
  onCancel: () => void;
  onRetry: () => void;
  retrying: boolean;
  error: CommandError | null;
}

export function ScanWaiting({ session, onCancel, onRetry, retrying, error }: ScanWaitingProps) {
  const { t } = useTranslation();
  const { started, inputs, status } = session;
  const phase = phaseOf(session);
  const waiting = isWaiting(phase);

  return (
    <div className="scan" data-testid="scan-session" data-phase={phase}>
      <dl className="facts">
        <dt>{t("setup.platform.platform")}</dt>
        <dd>{platformLabel(inputs.platform, t)}</dd>
        <dt>{t("setup.platform.name")}</dt>
        <dd data-testid="scan-profile-name">{inputs.profileName}</dd>
        <dt>{t("setup.scan.appName")}</dt>
        <dd>{inputs.appName}</dd>
      </dl>
      <div className="scan__body">
        {started.qrSvg && (
          <img className={`scan__qr${waiting ? "" : " scan__qr--stale"}`} src={qrImageSource(started.qrSvg)} alt={t("setup.scan.qrAlt")} data-testid="scan-qr" />
        )}
        <div className="scan__side">
          <p className="scan__how">{t("setup.scan.how")}</p>
          {/* A long link scrolls in its box (by keyboard too), so the state and buttons stay in view. */}
          <div className="scan__link" role="region" aria-label={t("setup.scan.linkLabel")} tabIndex={0} data-testid="scan-link">
            {started.link}
          </div>
          <div className="actions">
            <CopyButton value={started.link} testId="scan-copy-link" what={t("setup.scan.link")} />
            <ConsoleLinkButton link={started.link} testId="scan-open-link" label={t("setup.scan.openLink")} />
          </div>
          {waiting && <Countdown until={started.expiresAt} />}
          <p className={`scan__state scan__state--${phase}`} role="status" data-testid="scan-state">
            {t(`setup.scan.phase.${phase}`, { seconds: status?.intervalSecs ?? 0 })}
            {status?.lark && waiting && <> {t("setup.scan.lark")}</>}
          </p>
          {phase === "failed" && status?.message && (
            <p className="muted" data-testid="scan-message">
              {status.message}
            </p>
          )}
          <div className="actions">
            {waiting ? (
              <button type="button" className="button button--secondary" data-testid="scan-cancel" onClick={onCancel}>
                {t("setup.scan.cancel")}
              </button>
            ) : (
              <>
                <BusyButton testId="scan-retry" busy={retrying} busyLabel={t("setup.scan.starting")} onClick={onRetry}>
                  {t("setup.scan.retry")}
                </BusyButton>
                <button type="button" className="button button--secondary" data-testid="scan-start-over" onClick={onCancel}>
                  {t("setup.scan.startOver")}
                </button>
              </>
            )}
          </div>
          <ActionError error={error} testId="scan-retry-error" />
        </div>
      </div>
    </div>
  );
}
