// The Relay screen: start/stop the callback relay for a profile, watch every request live,
// open one in a drawer (replay, copy as curl), send synthetic triggers, and run the signature lab.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as commands from "../../api/commands";
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordSummary } from "../../bindings/RecordSummary";
import type { RelayStatus } from "../../bindings/RelayStatus";
import { Spinner } from "../../components/BusyButton";
import { ProfileSelect } from "../../components/ProfileSelect";
import { SandboxBanner } from "../../components/SandboxBanner";
import { useErrors } from "../../errors/ErrorContext";
import { useCommand, useLoad } from "../../lib/useCommand";
import { useChosenProfile } from "../../profiles/CurrentProfile";
import { useProfileList } from "../../profiles/useProfileList";
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
  const { reloadToken } = useErrors();
  const { profiles, sandbox } = useProfileList();
  const [selected, choose] = useChosenProfile(profiles, sandbox);
  const loadedStatus = useLoad(commands.relayStatus);
  /** Set by a start or a stop here (until then, the status read on opening). */
  const [changed, setChanged] = useState<{ status: RelayStatus | null } | null>(null);
  const [filter, setFilter] = useState<RecordFilter>({});
  const [records, setRecords] = useState<RecordSummary[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [labPreset, setLabPreset] = useState<LabPreset | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const page = useCommand(commands.relayList);
  const olderPage = useCommand(commands.relayList);
  const filterRef = useRef(filter);
  // How many rows the list keeps as live records arrive.
  const keep = useRef(LIST_LIMIT);
  const status = changed ? changed.status : (loadedStatus.data ?? null);
  const statusLoaded = changed !== null || loadedStatus.data !== undefined || loadedStatus.error !== null;
  const setStatus = (next: RelayStatus | null) => setChanged({ status: next });

  const { run: runPage } = page;
  const { reset: dropOlder } = olderPage;
  const reload = useCallback(() => {
    keep.current = LIST_LIMIT;
    // A page of older rows still on its way would land below the new list: it is ignored.
    dropOlder();
    void runPage({ ...filterRef.current, limit: LIST_LIMIT }).then((list) => {
      if (list.status !== "done") return;
      setRecords(list.value);
      setHasOlder(list.value.length === LIST_LIMIT);
    });
  }, [runPage, dropOlder]);

  async function loadOlder() {
    const last = records?.[records.length - 1];
    if (!last) return;
    const older = await olderPage.run({ ...filterRef.current, beforeId: last.id, limit: LIST_LIMIT });
    if (older.status !== "done") return;
    keep.current = PAGED_KEEP;
    setRecords((list) => {
      const shown = new Set(list?.map((r) => r.id));
      return [...(list ?? []), ...older.value.filter((r) => !shown.has(r.id))];
    });
    setHasOlder(older.value.length === LIST_LIMIT);
  }

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
          loadingOlder={olderPage.busy}
          onOlder={() => void loadOlder()}
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
