// The Relay screen: start/stop the callback relay for a profile, watch every request live,
// open one in a drawer (replay, copy as curl), send synthetic triggers, and run the signature lab.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { RelayStatus } from "../../bindings/RelayStatus";
import { Spinner } from "../../components/BusyButton";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useLoad } from "../../lib/useCommand";
import { useChosenProfile } from "../../profiles/CurrentProfile";
import { useProfileList } from "../../profiles/useProfileList";
import { RELAY_CHANGED_EVENT, onAppEvent } from "../../shell/appEvents";
import { Inspector } from "./Inspector";
import { LoginRelayToggle } from "./LoginRelayToggle";
import { RecordDrawer } from "./RecordDrawer";
import { LongConnectionPanel } from "./LongConnectionPanel";
import { RelayControls } from "./RelayControls";
import { SignatureLab, type LabPreset } from "./SignatureLab";
import { TriggersPanel } from "./TriggersPanel";
import { useRelayRecords } from "./useRelayRecords";
import "./relay.css";


export function Relay() {
  const { t } = useTranslation();
  const { profiles, sandbox } = useProfileList();
  const [selected, choose] = useChosenProfile(profiles, sandbox);
  const loadedStatus = useLoad(commands.relayStatus);
  /** Set by a start or a stop here (until then, the status read on opening). */
  const [changed, setChanged] = useState<{ status: RelayStatus | null } | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [labPreset, setLabPreset] = useState<LabPreset | null>(null);
  const { filter, setFilter, records, hasOlder, loadingOlder, reload, loadOlder, addReplayed } = useRelayRecords();
  const status = changed ? changed.status : (loadedStatus.data ?? null);
  const statusLoaded = changed !== null || loadedStatus.data !== undefined || loadedStatus.error !== null;
  const setStatus = (next: RelayStatus | null) => setChanged({ status: next });
  // Started or stopped from the tray (or at login): read the status again.
  const reloadStatus = loadedStatus.reload;
  useEffect(
    () =>
      onAppEvent(RELAY_CHANGED_EVENT, () => {
        setChanged(null);
        void reloadStatus();
        reload();
      }),
    [reloadStatus, reload],
  );

  if (profiles === null || !statusLoaded) {
    return (
      <p className="panel muted loading-line" data-testid="relay-loading">
        <Spinner /> {t("common.loading")}
      </p>
    );
  }
  if (profiles.length === 0 || !selected) {
    return (
      <p className="panel empty-state" data-testid="relay-no-profiles">
        {t("relay.noProfiles")}
      </p>
    );
  }

  // While the relay runs, the screen is about the profile it serves.
  const servedProfile = status?.urls[0]?.profile ?? null;
  const current = (servedProfile && profiles.some((p) => p.name === servedProfile) ? servedProfile : null) ?? selected;
  const relayForSelected = status !== null && servedProfile === current;
  const currentSummary = profiles.find((p) => p.name === current);

  return (
    <div className="relay">
      <SandboxBanner sandbox={sandbox} />
      <section className="panel" aria-labelledby="relay-run-title">
        <h2 id="relay-run-title" className="panel__title">
          {t("relay.run.title")}
        </h2>
        <ProfileSelect
          profiles={profiles}
          sandbox={sandbox}
          value={current}
          onChange={(name) => choose(name || null)}
          testId="relay-profile-select"
          disabled={status !== null}
        />
        <RelayControls
          profile={current}
          cardRequestUrl={currentSummary?.urls.cardRequestUrl ?? null}
          status={status}
          onStarted={(s) => {
            setStatus(s);
            reload();
          }}
          onStopped={() => {
            choose(current);
            setStatus(null);
          }}
        />
        <LoginRelayToggle profile={current} />
      </section>
      <LongConnectionPanel
        profile={current}
        cardRequestUrl={currentSummary?.urls.cardRequestUrl ?? null}
        httpRunning={status !== null}
        onChange={reload}
      />
      <div className={openId !== null ? "relay-inspect relay-inspect--open" : "relay-inspect"}>
        <Inspector
          records={records}
          filter={filter}
          onFilter={setFilter}
          onReload={reload}
          onOpen={setOpenId}
          openId={openId}
          hasOlder={hasOlder}
          loadingOlder={loadingOlder}
          onOlder={loadOlder}
        />
        {openId !== null && (
          <RecordDrawer
            key={openId}
            id={openId}
            running={status !== null}
            relayUrl={status?.urls[0]?.url ?? null}
            upstream={status?.urls[0]?.upstream ?? null}
            onClose={() => setOpenId(null)}
            onReplayed={(record) =>
              addReplayed(record)
            }
          />
        )}
      </div>
      <TriggersPanel
        profile={current}
        relayRunning={relayForSelected}
        onSentToRelay={reload}
        onUseInLab={(headers, body) => setLabPreset((p) => ({ headers, body, serial: (p?.serial ?? 0) + 1 }))}
      />
      <SignatureLab key={labPreset?.serial ?? 0} profile={current} preset={labPreset} running={status !== null} upstream={status?.urls[0]?.upstream ?? null} />
    </div>
  );
}
