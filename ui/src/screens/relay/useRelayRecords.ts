// The Relay inspector's list: a page of records for the filter, older pages on request, live
// records merged in as they arrive (or the page read again when a text filter needs the Rust
// side), and read again once the banner's Retry asks screens to reload. An answer overtaken by a
// newer read is ignored (useCommand).
import { useCallback, useEffect, useRef, useState } from "react";
import * as commands from "../../api/commands";
import type { RecordFilter } from "../../bindings/RecordFilter";
import type { RecordSummary } from "../../bindings/RecordSummary";
import { useErrors } from "../../errors/ErrorContext";
import { useCommand } from "../../lib/useCommand";
import { matchesFilter, mergeRecord, replaceRecord } from "./format";
import { listenToRelay } from "./liveEvents";

/** Records fetched per page; "Show older" fetches the next page below the last row. */
const LIST_LIMIT = 200;
/** Once older pages are shown, live records no longer push rows out, up to this many. */
const PAGED_KEEP = 5000;

export function useRelayRecords() {
  const { reloadToken } = useErrors();
  const [filter, setFilter] = useState<RecordFilter>({});
  const [records, setRecords] = useState<RecordSummary[] | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const page = useCommand(commands.relayList);
  const olderPage = useCommand(commands.relayList);
  const filterRef = useRef(filter);
  // How many rows the list keeps as live records arrive.
  const keep = useRef(LIST_LIMIT);

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

  /** A replay's record, shown at the top when the filter lets it through. */
  const addReplayed = (record: RecordSummary) =>
    setRecords((list) => (matchesFilter(record, filterRef.current) ? mergeRecord(list ?? [], record, keep.current) : list));

  return {
    filter,
    setFilter,
    records,
    hasOlder,
    loadingOlder: olderPage.busy,
    reload,
    loadOlder: () => void loadOlder(),
    addReplayed,
  };
}
