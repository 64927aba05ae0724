//! Events are acknowledged at once and delivered by the outbox: retried with backoff until the
//! upstream comes back, and delivered once however often the platform redelivers them. A relay
//! delivers the rows of the profiles it serves only.

use std::collections::HashSet;
use std::time::Duration;

use companion::relay::{
    ForwardMode, OutboxState, Relay, RelayConfig, RelayCore, RelayProfile, RelayStore, Verdict,
};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn events_are_retried_until_the_upstream_comes_back() {
    let addr = free_port().await;
    let h = start_one(Some((
        format!("http://{addr}/hook"),
        ForwardMode::Transparent,
    )))
    .await;
    let mut sent = Vec::new();
    for event_type in [
        "im.message.receive_v1",
        "im.chat.disbanded_v1",
        "im.message.receive_v1",
    ] {
        let report = h
            .deliver("main", json!({"kind": "event", "event_type": event_type}))
            .await;
        assert_eq!(
            report["status"], 200,
            "acknowledged while the upstream is down"
        );
        assert!(report["latency_ms"].as_u64().unwrap() < 1000);
        sent.push(sent_event_id(&report));
    }
    // Several failed attempts while nothing listens.
    wait_for("failed attempts", || {
        h.records()
            .iter()
            .all(|r| r.attempts >= 2 && r.outbox == Some(OutboxState::Pending))
            .then_some(())
    })
    .await;
    let detail = h.relay.detail(h.newest().id).unwrap();
    assert!(detail.upstream_error.unwrap().contains("connect"));
    assert_eq!(h.relay.status().unwrap().pending_events, 3);

    // The upstream comes back on the same address.
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let upstream = TestUpstream::start_on(listener, keys_of(&h.sim));
    wait_for("delivery after the upstream came back", || {
        h.records()
            .iter()
            .all(|r| r.outbox == Some(OutboxState::Delivered))
            .then_some(())
    })
    .await;
    let mut got = upstream.event_ids();
    got.sort();
    sent.sort();
    assert_eq!(got, sent, "each event exactly once");
    assert!(upstream.seen().iter().all(|s| s.verify_error.is_none()));
    assert_eq!(h.relay.status().unwrap().pending_events, 0);
    for r in h.records() {
        assert_eq!(r.upstream_status, Some(200));
        assert!(r.attempts >= 3, "{r:?}");
    }
}

#[tokio::test]
async fn upstream_errors_are_retried_too() {
    let (h, upstream) = start_with_upstream(ForwardMode::Resign).await;
    upstream.set(|b| b.status = 503);
    h.deliver("main", json!({"kind": "event"})).await;
    wait_for("two refused attempts", || {
        (upstream.seen().len() >= 2).then_some(())
    })
    .await;
    upstream.set(|b| b.status = 200);
    let record = wait_for("delivered", || {
        let r = h.newest();
        (r.outbox == Some(OutboxState::Delivered)).then_some(r)
    })
    .await;
    assert_eq!(record.upstream_status, Some(200));
    // The attempts that failed reached the upstream; the successful one ends the retries.
    let count = upstream.seen().len();
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(upstream.seen().len(), count, "no delivery after success");
}

#[tokio::test]
async fn a_redelivered_event_is_recorded_but_delivered_once() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    let report = h.deliver("main", json!({"kind": "event"})).await;
    let event_id = sent_event_id(&report);
    // The platform retries with the same body (same event id); twice, to be sure.
    let (headers, body) = sent(&report);
    for _ in 0..2 {
        let (status, answer) = h.post_raw("main", &headers, body.clone()).await;
        assert_eq!(status, 200, "duplicates are acknowledged: {answer}");
    }
    let records = h.records();
    assert_eq!(records.len(), 3);
    let first = records.last().unwrap();
    assert_eq!(first.verdict, Verdict::Accepted);
    for dup in &records[..2] {
        assert_eq!(dup.verdict, Verdict::Duplicate);
        assert_eq!(dup.outbox, None);
        let detail = h.relay.detail(dup.id).unwrap();
        assert_eq!(detail.duplicate_of, Some(first.id));
    }
    wait_for("delivered", || {
        (h.records().last().unwrap().outbox == Some(OutboxState::Delivered)).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(upstream.event_ids(), vec![event_id]);
}

/// A 4xx other than 408 and 429 is the upstream's final word: retrying the same bytes cannot
/// change it, so the row fails at once with the status recorded.
#[tokio::test]
async fn a_permanent_refusal_is_not_retried() {
    let (h, upstream) = start_with_upstream(ForwardMode::Resign).await;
    upstream.set(|b| b.status = 400);
    h.deliver("main", json!({"kind": "event"})).await;
    wait_for("the row failed or was retried", || {
        let r = h.newest();
        (r.outbox == Some(OutboxState::Failed) || upstream.seen().len() > 1).then_some(())
    })
    .await;
    // Long enough for several retries at the test's backoff (50 ms, then doubling to 400 ms).
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(upstream.seen().len(), 1, "one attempt only");
    let record = h.relay.list(&Default::default()).unwrap()[0].clone();
    assert_eq!(record.outbox, Some(OutboxState::Failed), "{record:?}");
    assert_eq!(record.attempts, 1);
    assert_eq!(record.upstream_status, Some(400));
    assert_eq!(h.relay.status().unwrap().pending_events, 0);
    let detail = h.relay.detail(record.id).unwrap();
    assert_eq!(detail.summary.upstream_status, Some(400));
}

/// 408 and 429 say "not now": they are retried like 5xx and network errors.
#[tokio::test]
async fn too_many_requests_and_timeouts_are_retried() {
    for status in [429, 408] {
        let (h, upstream) = start_with_upstream(ForwardMode::Resign).await;
        upstream.set(|b| b.status = status);
        h.deliver("main", json!({"kind": "event"})).await;
        wait_for("two refused attempts", || {
            (upstream.seen().len() >= 2).then_some(())
        })
        .await;
        assert_eq!(h.newest().outbox, Some(OutboxState::Pending), "{status}");
        upstream.set(|b| b.status = 200);
        let record = wait_for("delivered", || {
            let r = h.newest();
            (r.outbox == Some(OutboxState::Delivered)).then_some(r)
        })
        .await;
        assert_eq!(record.upstream_status, Some(200), "{status}");
        assert!(record.attempts >= 3, "{status}: {record:?}");
    }
}

/// Before: a second relay on the data folder, for a profile without an upstream, postponed every
/// pending row of the folder by its longest delay (300 s), the first relay's retries included.
#[tokio::test]
async fn a_relay_for_another_profile_leaves_the_first_ones_rows_alone() {
    let down = free_port().await;
    let h = start_one(Some((
        format!("http://{down}/hook"),
        ForwardMode::Transparent,
    )))
    .await;
    let mut sent = Vec::new();
    for _ in 0..5 {
        let report = h.deliver("main", json!({"kind": "event"})).await;
        assert_eq!(report["status"], 200);
        sent.push(sent_event_id(&report));
    }
    wait_for("a failed attempt each", || {
        h.records().iter().all(|r| r.attempts >= 1).then_some(())
    })
    .await;

    // A relay for another profile, no upstream, the default (300 s) longest delay.
    let other = RelayCore::new(
        RelayConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..RelayConfig::default()
        },
        vec![RelayProfile::new("other", keys_of(&h.sim), None)],
        RelayStore::open(h.dir.path()).unwrap(),
    )
    .unwrap();
    let other = Relay::start(other).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;

    // The upstream comes back: the first relay's next retry (at most 400 ms away) delivers.
    let listener = tokio::net::TcpListener::bind(down).await.unwrap();
    let upstream = TestUpstream::start_on(listener, keys_of(&h.sim));
    wait_for("delivery by the first relay", || {
        h.records()
            .iter()
            .all(|r| r.outbox == Some(OutboxState::Delivered))
            .then_some(())
    })
    .await;
    let got = upstream.event_ids();
    assert_eq!(got.len(), 5, "each event once: {got:?}");
    assert_eq!(
        got.into_iter().collect::<HashSet<_>>(),
        sent.into_iter().collect::<HashSet<_>>()
    );
    assert_eq!(
        other.status().unwrap().pending_events,
        0,
        "none are its own"
    );
    other.stop().await;
    h.relay.stop().await;
}
