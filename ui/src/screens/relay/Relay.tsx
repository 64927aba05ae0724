// The Relay screen: start/stop the callback relay for a profile, watch every request live,
// open one in a drawer (replay, copy as curl), send synthetic triggers, and run the signature lab.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { RelayStatus } from "../../bindings/RelayStatus";
import type { SandboxStatus } from "../../bindings/SandboxStatus";
import { Spinner } from "../../components/BusyButton";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useErrors } from "../../errors/ErrorContext";
import { rememberProfile } from "../../lib/lastProfile";
import { defaultProfileName, useProfileList } from "../../profiles/useProfileList";
import { matchesFilter, mergeRecord, replaceRecord } from "./format";
import { Inspector } from "./Inspector";
import { listenToRelay } from "./liveEvents";
import { RecordDrawer } from "./RecordDrawer";
import { LongConnectionPanel } from "./LongConnectionPanel";
import { RelayControls } from "./RelayControls";
import { SignatureLab, type LabPreset } from "./SignatureLab";
import { TriggersPanel } from "./TriggersPanel";

/** Records fetched per page; "Show older" fetches the next page below the last row. */
const LIST_LIMIT = 200;
/** Once older pages are shown, live records no longer push rows out, up to this many. */
const PAGED_KEEP = 5000;

export function Relay() {
  const { t } = useTranslation();
  const { show, reloadToken } = useErrors();
  const [selected, setSelected] = useState<string | null>(null);
  const [status, setStatus] = useState<RelayStatus | null>(null);
  const [statusLoaded, setStatusLoaded] = useState(false);
  const [filter, setFilter] = useState<RecordFilter>({});
  const [records, setRecords] = useState<RecordSummary[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [labPreset, setLabPreset] = useState<LabPreset | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const filterRef = useRef(filter);
  const listGeneration = useRef(0);
  // How many rows the list keeps as live records arrive.
  const keep = useRef(LIST_LIMIT);

  const reload = useCallback(() => {
    const gen = ++listGeneration.current;
    keep.current = LIST_LIMIT;
    commands
      .relayList({ ...filterRef.current, limit: LIST_LIMIT })
      .then((list) => {
        if (gen !== listGeneration.current) return;
        setRecords(list);
        setHasOlder(list.length === LIST_LIMIT);
      })
      .catch(show);
  }, [show]);

  const loadOlder = useCallback(() => {
    const last = records?.[records.length - 1];
    if (!last) return;
    const gen = listGeneration.current;
    setLoadingOlder(true);
    commands
      .relayList({ ...filterRef.current, beforeId: last.id, limit: LIST_LIMIT })
      .then((older) => {
        if (gen !== listGeneration.current) return;
        keep.current = PAGED_KEEP;
        setRecords((list) => {
          const shown = new Set(list?.map((r) => r.id));
          return [...(list ?? []), ...older.filter((r) => !shown.has(r.id))];
        });
        setHasOlder(older.length === LIST_LIMIT);
      })
      .catch(show)
      .finally(() => setLoadingOlder(false));
  }, [records, show]);

  const onLoaded = useCallback((list: ProfileSummary[], sandbox: SandboxStatus) => {
    setSelected(defaultProfileName(list, sandbox));
  }, []);
  const { profiles, sandbox } = useProfileList(onLoaded);

  useEffect(() => {
    let live = true;
    commands
      .relayStatus()
      .then((s) => live && setStatus(s))
      .catch(show)
      .finally(() => live && setStatusLoaded(true));
    return () => {
      live = false;
    };
  }, [show, reloadToken]);

  // reloadToken: read again once the cause of a failure went away (the banner's Retry).
  useEffect(() => {
    filterRef.current = filter;
    reload();
  }, [filter, reload, reloadToken]);

  useEffect(
    () =>
      listenToRelay(
        (event) => {
          if (event.type === "recorded") {
            if (filterRef.current.text) reload();
            else if (matchesFilter(event.record, filterRef.current))
              setRecords((list) => mergeRecord(list ?? [], event.record, keep.current));
          } else {
            setRecords((list) => (list ? replaceRecord(list, event.record) : list));
          }
        },
        reload,
      ),
    [reload],
  );

  function choose(name: string) {
    rememberProfile(name);
    setSelected(name);
  }

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
          onChange={choose}
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
            setSelected(current);
            setStatus(null);
          }}
        />
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
              setRecords((list) => (matchesFilter(record, filter) ? mergeRecord(list ?? [], record, keep.current) : list))
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
      <SignatureLab key={labPreset?.serial ?? 0} profile={current} preset={labPreset} />
    </div>
  );
}
