// The Quota screen: month-to-date figures for a chosen profile's app, read from the local call
// ledger, with the daily chart, endpoints, rate-limit events, ceilings and settings. Thresholds
// crossed for the first time this month raise a desktop notification (when the webview allows
// it) and always an in-app banner.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { ThresholdCrossing } from "../../bindings/ThresholdCrossing";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { ProfileSelect } from "../../components/ProfileSelect";
import { NoProfileYet } from "../../components/NoProfileYet";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useLoad } from "../../lib/useCommand";
import { useChosenProfile } from "../../profiles/CurrentProfile";
import { useProfileList } from "../../profiles/useProfileList";
import { Ceilings } from "./Ceilings";
import { DailyChart } from "./DailyChart";
import { EndpointTable } from "./EndpointTable";
import { useFormatters } from "./format";
import { forecastReady, QuotaGauge } from "./QuotaGauge";
import { QuotaSettingsPanel } from "./QuotaSettingsPanel";
import { RateLimitEvents } from "./RateLimitEvents";
import "./quota.css";

type Alert = ThresholdCrossing & { profile: string };

export function Quota() {
  const { profiles, sandbox } = useProfileList();
  const [selected] = useChosenProfile(profiles, sandbox);
  const [alerts, setAlerts] = useState<Alert[]>([]);

  const raise = useCallback(
    (profile: string, crossings: ThresholdCrossing[]) => {
      if (crossings.length === 0) return;
      // The banner here; the desktop notification comes from the core's notices (one per
      // crossing, whether or not this screen is open).
      setAlerts((current) => [...crossings.map((c) => ({ ...c, profile })), ...current]);
    },
    [],
  );

  if (profiles === null || profiles.length === 0 || !selected) {
    return <NoProfileYet profiles={profiles} sandbox={sandbox} screen="quota" />;
  }

  return (
    <div className="quota" data-testid="quota-screen">
      <SandboxBanner sandbox={sandbox} />
      <QuotaAlerts alerts={alerts} onDismiss={(a) => setAlerts((all) => all.filter((x) => x !== a))} />
      {/* Keyed by profile: another profile starts from "Loading…" and never shows the older answer. */}
      <QuotaFor key={selected} name={selected} profiles={profiles} sandbox={sandbox} onCrossings={raise} />
    </div>
  );
}

function QuotaAlerts({ alerts, onDismiss }: { alerts: readonly Alert[]; onDismiss: (alert: Alert) => void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (alerts.length === 0) return null;
  return (
    <div className="quota-alerts" role="alert" data-testid="quota-alerts">
      {alerts.map((a) => (
        <div
          key={`${a.profile}-${a.month}-${a.threshold}`}
          className={`quota-alert quota-level--${a.threshold >= 100 ? "full" : a.threshold >= 90 ? "high" : "warn"}`}
          data-testid={`quota-alert-${a.threshold}`}
        >
          <span>
            <strong>{t("quota.alert.title", { profile: a.profile, threshold: a.threshold })}</strong>{" "}
            {t("quota.alert.body", { used: f.count(a.used), cap: f.count(a.cap), month: a.month })}
          </span>
          <button
            type="button"
            className="button button--small button--secondary"
            data-testid={`quota-alert-dismiss-${a.threshold}`}
            onClick={() => onDismiss(a)}
          >
            {t("quota.alert.dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}

interface QuotaForProps {
  name: string;
  profiles: ProfileSummary[];
  sandbox: SandboxStatus;
  onCrossings: (profile: string, crossings: ThresholdCrossing[]) => void;
}

function QuotaFor({ name, profiles, sandbox, onCrossings }: QuotaForProps) {
  const { t } = useTranslation();
  const f = useFormatters();
  const view = useLoad(useCallback(() => commands.quotaReport(name), [name]));
  const { reload } = view;

  useEffect(() => {
    if (view.data) onCrossings(name, view.data.crossings);
    // Each answer raises its first-time crossings once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.data]);

  const report = view.data?.report ?? null;
  const empty = report !== null && report.summary.ourCalls === 0 && report.summary.baseline === null;

  return (
    <>
      <div className="panel toolbar quota-toolbar">
        <ProfileSelect profiles={profiles} sandbox={sandbox} testId="quota-profile-select" />
        <BusyButton busy={view.busy} busyLabel={t("quota.refreshing")} testId="quota-refresh" secondary onClick={() => void reload()}>
          {t("quota.refresh")}
        </BusyButton>
        {report && (
          <span className="muted" data-testid="quota-as-of">
            {t("quota.asOf", { at: f.dateTime(report.summary.asOf), appId: report.summary.appId })}
          </span>
        )}
      </div>
      {report === null ? (
        <p className="panel muted loading-line" data-testid="quota-report-loading">
          <Spinner /> {t("common.loading")}
        </p>
      ) : (
        <>
          {empty && (
            <p className="panel muted" data-testid="quota-empty">
              {t("quota.empty")}
            </p>
          )}
          <QuotaGauge summary={report.summary} />
          <DailyChart daily={report.daily} showForecast={forecastReady(report.summary.forecast)} />
          <EndpointTable rows={report.endpoints} />
          <div className="quota-columns">
            <Ceilings ceilings={report.ceilings} />
            <RateLimitEvents events={report.events} />
          </div>
          <QuotaSettingsPanel profile={name} settings={report.settings} onSaved={() => void reload()} />
        </>
      )}
    </>
  );
}
