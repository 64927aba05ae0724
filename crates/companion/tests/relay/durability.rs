//! Durability: a request is on disk before its answer leaves, and requests arriving together
//! share one transaction (one sync of the WAL) instead of paying one each.

use std::time::Duration;

use companion::relay::RelayStore;
use rusqlite::{Connection, TransactionBehavior};
use serde_json::json;

use crate::common::*;

/// Another process's view of the relay's database: what is committed, nothing else.
fn outside_view(h: &Harness) -> Connection {
    let conn = Connection::open(h.dir.path().join(companion::db::FILE_NAME)).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn
}

fn stored(conn: &Connection, event_id: &str) -> bool {
    conn.query_row(
        "SELECT COUNT(*) FROM relay_requests WHERE event_id = ?1",
        [event_id],
        |row| row.get::<_, i64>(0),
    )
    .unwrap()
        == 1
}

#[tokio::test]
async fn the_relay_syncs_every_commit_to_disk() {
    let h = start_one(None).await;
    // 2 = FULL: the WAL is synced at each commit, so an answered request survives a power cut.
    assert_eq!(h.relay.core().store().synchronous().unwrap(), 2);
}

#[tokio::test]
async fn no_answer_leaves_before_its_request_is_committed() {
    let h = start_one(None).await;
    // Another connection holds the write lock: nothing the relay writes can commit meanwhile.
    let mut outside = outside_view(&h);
    let lock = outside
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let deliveries: Vec<_> = (0..20)
        .map(|_| {
            let h = &h;
            Box::pin(async move { h.deliver("main", json!({"kind": "event"})).await })
        })
        .collect();
    let all = futures_util::future::join_all(deliveries);
    tokio::pin!(all);
    assert!(
        tokio::time::timeout(Duration::from_millis(800), &mut all)
            .await
            .is_err(),
        "the relay answered while its records could not be committed"
    );
    lock.commit().unwrap();
    let reports = tokio::time::timeout(WAIT, all)
        .await
        .expect("answers after the commit");
    let view = outside_view(&h);
    for report in &reports {
        assert_eq!(report["status"], 200, "{report}");
        assert!(
            stored(&view, &sent_event_id(report)),
            "answered but not on disk"
        );
    }
}

#[tokio::test]
async fn every_answered_request_is_already_visible_to_another_process() {
    let h = start_one(None).await;
    let view = outside_view(&h);
    // 24: under the relay's connections per peer (the simulator is one peer).
    let deliveries = (0..24).map(|_| async {
        let report = h.deliver("main", json!({"kind": "event"})).await;
        // Checked the moment the answer arrives, before any other request's answer is awaited.
        let seen = stored(&view, &sent_event_id(&report));
        (report, seen)
    });
    for (report, seen) in futures_util::future::join_all(deliveries).await {
        assert_eq!(report["status"], 200, "{report}");
        assert!(
            seen,
            "an answer arrived before its record was committed: {report}"
        );
    }
}

#[tokio::test]
async fn requests_waiting_together_are_committed_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = RelayStore::open(dir.path()).unwrap();
    let mut outside = Connection::open(dir.path().join(companion::db::FILE_NAME)).unwrap();
    let lock = outside
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let before = store.groups_committed();
    let commits = (0..50).map(|i| {
        let mut record = a_record(Some(json!({"n": i})));
        record.event_id = Some(format!("ev-{i}"));
        store.commit(record, None)
    });
    let all = futures_util::future::join_all(commits);
    tokio::pin!(all);
    // All 50 are queued behind the lock (the first group waits for it inside SQLite).
    assert!(tokio::time::timeout(Duration::from_millis(300), &mut all)
        .await
        .is_err());
    lock.commit().unwrap();
    let results = tokio::time::timeout(WAIT, all).await.unwrap();
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(store.count().unwrap(), 50);
    let groups = store.groups_committed() - before;
    assert!(
        groups <= 2,
        "50 waiting requests took {groups} transactions"
    );
}
