//! The inspector's API: a live stream of records, list filters, details with masked bodies,
//! replay to the upstream (re-signed), curl export and the database itself without a secret
//! value, and pruning to the retention limit.

use companion::relay::{
    ForwardMode, RecordEvent, RecordFilter, Relay, RelayCore, RelayProfile, RelayStore,
    RequestKind, RequestSource, Verdict,
};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn live_stream_filters_and_details() {
    let h = start_one(None).await;
    let mut live = h.relay.subscribe();
    h.deliver(
        "main",
        json!({"kind": "event", "event_type": "im.message.receive_v1", "text": "disk almost full"}),
    )
    .await;
    h.deliver(
        "main",
        json!({"kind": "event", "event_type": "im.chat.disbanded_v1"}),
    )
    .await;
    h.deliver("main", json!({"kind": "card_action"})).await;
    h.post_raw("main", &[], b"garbage".to_vec()).await;

    let mut streamed = Vec::new();
    tokio::time::timeout(WAIT, async {
        while streamed.len() < 4 {
            if let Ok(RecordEvent::Recorded { record }) = live.recv().await {
                streamed.push(record);
            }
        }
    })
    .await
    .expect("four records streamed");
    assert_eq!(
        streamed[0].event_type.as_deref(),
        Some("im.message.receive_v1")
    );
    assert_eq!(streamed[3].verdict, Verdict::Rejected);

    let list = |filter: RecordFilter| h.relay.list(&filter).unwrap();
    assert_eq!(list(RecordFilter::default()).len(), 4);
    assert_eq!(
        list(RecordFilter {
            kind: Some(RequestKind::EventV2),
            ..Default::default()
        })
        .len(),
        2
    );
    assert_eq!(
        list(RecordFilter {
            verdict: Some(Verdict::Rejected),
            ..Default::default()
        })
        .len(),
        1
    );
    let found = list(RecordFilter {
        text: Some("almost full".into()),
        ..Default::default()
    });
    assert_eq!(found.len(), 1, "text search reaches the decrypted body");
    assert_eq!(
        list(RecordFilter {
            text: Some("disbanded".into()),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        list(RecordFilter {
            text: Some("100%_".into()),
            ..Default::default()
        })
        .len(),
        0,
        "LIKE wildcards are literal"
    );
    let page = list(RecordFilter {
        limit: Some(2),
        ..Default::default()
    });
    let next = list(RecordFilter {
        before_id: Some(page[1].id),
        ..Default::default()
    });
    assert_eq!(page.len() + next.len(), 4);

    let detail = h.relay.detail(found[0].id).unwrap();
    assert!(detail
        .headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("x-lark-signature")));
    let plain = detail.plaintext.unwrap();
    assert_eq!(plain["header"]["token"], "<redacted>");
    assert!(plain["event"]["message"]["content"]
        .as_str()
        .unwrap()
        .contains("almost full"));
    assert!(detail.checks.iter().any(|c| c.code == "decrypted"));
    assert!(
        detail.body.contains("encrypt"),
        "the body as received (encrypted)"
    );
    assert!(h.relay.detail(999_999).is_err());
}

#[tokio::test]
async fn replay_curl_and_no_secret_in_the_database() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    let (ek, vt) = (
        h.sim.app.encrypt_key.clone().unwrap(),
        h.sim.app.verification_token.clone(),
    );
    // Plain bodies carry the Verification Token in the clear: the hardest case for masking.
    let event = h
        .deliver("main", json!({"kind": "event", "encrypt": false}))
        .await;
    let event_id = sent_event_id(&event);
    h.deliver(
        "main",
        json!({"kind": "url_verification", "encrypt": false}),
    )
    .await;
    let card = h
        .deliver("main", json!({"kind": "card_action", "encrypt": false}))
        .await;
    let legacy = h
        .deliver("main", json!({"kind": "legacy_card_action"}))
        .await;
    // Card-update tokens are secrets too (valid for 30 minutes).
    let update_tokens = [
        card["sent"]["plaintext"]["event"]["token"]
            .as_str()
            .unwrap()
            .to_string(),
        legacy["sent"]["plaintext"]["token"]
            .as_str()
            .unwrap()
            .to_string(),
    ];
    wait_for("event delivered", || {
        (upstream.event_ids().len() == 2).then_some(())
    })
    .await;

    // Replay the event: the upstream gets it again, re-signed, and it verifies.
    let records = h.records();
    let original = records
        .iter()
        .find(|r| r.kind == RequestKind::EventV2)
        .unwrap();
    let replayed = h.relay.replay(original.id, None).await.unwrap();
    assert_eq!(replayed.status, Some(200), "{replayed:?}");
    assert_eq!(replayed.record.source, RequestSource::Replay);
    assert_eq!(
        replayed.record.verdict,
        Verdict::Accepted,
        "a replay is not a duplicate"
    );
    let seen = upstream.seen();
    let last = seen.last().unwrap();
    assert!(last.verify_error.is_none(), "{:?}", last.verify_error);
    assert_eq!(last.event_id.as_deref(), Some(event_id.as_str()));
    assert_eq!(
        last.plaintext.as_ref().unwrap()["header"]["token"],
        vt.as_str(),
        "the token is put back for the upstream's check"
    );
    // Replays of other kinds, and to another URL.
    let card = records
        .iter()
        .find(|r| r.kind == RequestKind::CardAction)
        .unwrap();
    let other = TestUpstream::start(keys_of(&h.sim)).await;
    let r = h.relay.replay(card.id, Some(&other.url)).await.unwrap();
    assert_eq!(r.status, Some(200));
    assert!(other.seen()[0].verify_error.is_none());

    // Curl exports: runnable shape, no secret.
    for record in h.records() {
        let curl = h.relay.export_curl(record.id).unwrap();
        assert!(curl.contains("curl -sS -X POST"), "{curl}");
        assert!(
            !curl.contains(&ek) && !curl.contains(&vt),
            "a secret in {curl}"
        );
    }
    let curl = h.relay.export_curl(original.id).unwrap();
    assert!(curl.contains("X-Lark-Signature") || curl.contains("x-lark-signature"));
    assert!(
        curl.starts_with('#'),
        "the note about masked values: {curl}"
    );

    // Nothing in the database files holds a secret value (WAL included).
    h.relay.stop().await;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(bytes.len() > 10_000);
    for secret in [&ek, &vt].into_iter().chain(&update_tokens) {
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "a secret value is stored in the database");
    }
}

#[tokio::test]
async fn old_records_are_pruned_to_the_retention_limit() {
    let sim = sim().await;
    let keys = keys_of(&sim);
    let mut config = quick_config();
    config.retention.records = 3;
    let h = start(
        sim,
        config.clone(),
        vec![ProfileSpec {
            name: "main",
            keys: keys.clone(),
            upstream: None,
        }],
    )
    .await;
    for _ in 0..6 {
        h.deliver("main", json!({"kind": "url_verification"})).await;
    }
    // The first prune ran when the relay started; the next is due in 30 s.
    assert!(h.records().len() > 3);
    h.relay.stop().await;
    // A restarted relay prunes at once.
    let core = RelayCore::new(
        config,
        vec![RelayProfile::new("main", keys, None)],
        RelayStore::open(h.dir.path()).unwrap(),
    )
    .unwrap();
    let relay = Relay::start(core).await.unwrap();
    let left = wait_for("pruned", || {
        let left = relay.list(&RecordFilter::default()).unwrap();
        (left.len() == 3).then_some(left)
    })
    .await;
    assert!(left.iter().all(|r| r.id > 3), "the newest are kept");
    relay.stop().await;
    // The store can be pruned directly too (e.g. when the user lowers the limit).
    let store = RelayStore::open(h.dir.path()).unwrap();
    let one = companion::relay::Retention {
        records: 1,
        ..Default::default()
    };
    assert_eq!(store.prune(one, 0).unwrap(), 2);
    assert_eq!(store.count().unwrap(), 1);
}

#[tokio::test]
async fn a_taken_port_is_an_error_not_a_panic() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = quick_config();
    config.listen = taken.local_addr().unwrap();
    let core = RelayCore::new(
        config,
        vec![RelayProfile::new("main", Default::default(), None)],
        RelayStore::in_memory().unwrap(),
    )
    .unwrap();
    let err = Relay::start(core).await.err().expect("the port is taken");
    assert!(
        matches!(err, companion::relay::RelayError::Bind { .. }),
        "{err}"
    );
    let problem = companion::Problem::from(err);
    assert!(problem
        .english_fix()
        .is_some_and(|f| f.contains("another port")));
}
