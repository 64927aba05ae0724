// The Quota screen: month-to-date figures for a chosen profile's app, read from the local call
// ledger, with the daily chart, endpoints, rate-limit events, ceilings and settings. Thresholds
// crossed for the first time this month raise a desktop notification (when the webview allows
// it) and always an in-app banner.
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import type { ThresholdCrossing } from "../../bindings/ThresholdCrossing";
import { BusyButton, Spinner } from "../../components/BusyButton";
import { ProfileSelect } from "../../components/ProfileSelect";
import { NoProfileYet } from "../../components/NoProfileYet";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useErrors } from "../../errors/ErrorContext";
import { rememberProfile } from "../../lib/lastProfile";
import { defaultProfileName, useProfileList } from "../../profiles/useProfileList";
import { Ceilings } from "./Ceilings";
import { DailyChart } from "./DailyChart";
import { EndpointTable } from "./EndpointTable";
import { useFormatters } from "./format";
import { notifyDesktop } from "./notify";
import { forecastReady, QuotaGauge } from "./QuotaGauge";
import { QuotaSettingsPanel } from "./QuotaSettingsPanel";
import { RateLimitEvents } from "./RateLimitEvents";
import type { QuotaView } from "./types";

export function Quota() {
  const { t } = useTranslation();
  const { show } = useErrors();
  const f = useFormatters();
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<QuotaView | null>(null);
  const [loading, setLoading] = useState(false);
  const [alerts, setAlerts] = useState<(ThresholdCrossing & { profile: string })[]>([]);
  const generation = useRef(0);

  const raise = useCallback(
    (profile: string, crossings: ThresholdCrossing[]) => {
      if (crossings.length === 0) return;
      setAlerts((current) => [...crossings.map((c) => ({ ...c, profile })), ...current]);
      for (const c of crossings) {
        const params = { profile, threshold: c.threshold, used: f.count(c.used), cap: f.count(c.cap), month: c.month };
        void notifyDesktop({
          title: t("quota.alert.title", params),
          body: t("quota.alert.body", params),
          tag: `quota-${profile}-${c.month}-${c.threshold}`,
        });
      }
    },
    [t, f],
  );

  const load = useCallback(
    async (name: string) => {
      const gen = ++generation.current;
      setLoading(true);
      try {
        const result = await commands.quotaReport(name);
        if (gen !== generation.current) return;
        setView(result);
        raise(name, result.crossings);
      } catch (error) {
        if (gen === generation.current) show(error);
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [show, raise],
  );

  const choose = useCallback(
    (name: string) => {
      rememberProfile(name);
      setSelected(name);
      setView(null);
      void load(name);
    },
    [load],
  );

  const onLoaded = useCallback(
    (list: ProfileSummary[], sandbox: SandboxStatus) => {
      const name = defaultProfileName(list, sandbox);
      if (name) choose(name);
    },
    [choose],
  );
  const { profiles, sandbox } = useProfileList(onLoaded);

  if (profiles === null || profiles.length === 0) {
    return <NoProfileYet profiles={profiles} sandbox={sandbox} screen="quota" />;
  }

  const report = view?.report ?? null;
  const empty = report !== null && report.summary.ourCalls === 0 && report.summary.baseline === null;

  return (
    <div className="quota" data-testid="quota-screen">
      <SandboxBanner sandbox={sandbox} />
      {alerts.length > 0 && (
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
                onClick={() => setAlerts((all) => all.filter((x) => x !== a))}
              >
                {t("quota.alert.dismiss")}
              </button>
            </div>
          ))}
        </div>
      )}
      <div className="panel toolbar quota-toolbar">
        <ProfileSelect
          profiles={profiles}
          sandbox={sandbox}
          value={selected ?? ""}
          onChange={(name) => choose(name)}
          testId="quota-profile-select"
        />
        <BusyButton
          busy={loading}
          busyLabel={t("quota.refreshing")}
          testId="quota-refresh"
          secondary
          disabled={!selected}
          onClick={() => selected && void load(selected)}
        >
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
          {selected && (
            <QuotaSettingsPanel
              key={selected}
              profile={selected}
              settings={report.settings}
              onSaved={() => void load(selected)}
            />
          )}
        </>
      )}
    </div>
  );
}
