//! The record cannot fill the disk: rejected requests keep a small prefix of their body and are
//! recorded at a bounded rate per sender, the history is pruned by bytes as well as by count,
//! and rejected records beyond their share go first, so a flood cannot push accepted records
//! out of the inspector.

use companion::relay::config::{REJECTED_BODY_PREFIX, REJECTED_RECORDS_BURST};
use companion::relay::store::NewRecord;
use companion::relay::{RelayStore, Retention, Verdict};
use serde_json::json;

use crate::common::*;

fn disk_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

#[tokio::test]
async fn a_flood_of_rejected_requests_neither_fills_the_disk_nor_evicts_accepted_records() {
    let mut config = quick_config();
    config.retention.records = 30;
    let h = start_one_with(config, None).await;
    for _ in 0..5 {
        let r = h.deliver("main", json!({"kind": "event"})).await;
        assert_eq!(r["status"], 200);
    }
    let before = disk_bytes(h.dir.path());

    // Sixty forged events of almost 1 MiB each, from one sender.
    let text = "x".repeat(1024 * 1024 - 1024);
    let forged = json!({"schema": "2.0",
        "header": {"event_id": "forged", "event_type": "im.message.receive_v1", "token": "t"},
        "event": {"message": {"content": text}}})
    .to_string();
    assert!(forged.len() < 1024 * 1024);
    let headers = vec![
        (
            "X-Lark-Request-Timestamp".to_string(),
            chrono::Utc::now().timestamp().to_string(),
        ),
        ("X-Lark-Request-Nonce".to_string(), "n".to_string()),
        ("X-Lark-Signature".to_string(), "0".repeat(64)),
    ];
    for _ in 0..60 {
        let (status, body) = h
            .post_raw("main", &headers, forged.clone().into_bytes())
            .await;
        assert_eq!(status, 401, "every one is answered: {body}");
    }
    for _ in 0..5 {
        h.deliver("main", json!({"kind": "event"})).await;
    }

    let rejected: Vec<_> = h
        .records()
        .into_iter()
        .filter(|r| r.verdict == Verdict::Rejected)
        .collect();
    assert!(
        rejected.len() <= REJECTED_RECORDS_BURST as usize + 5,
        "{} rejections recorded from one sender",
        rejected.len()
    );
    let detail = h.relay.detail(rejected[0].id).unwrap();
    assert!(
        detail.body.len() <= REJECTED_BODY_PREFIX,
        "{}",
        detail.body.len()
    );
    assert!(
        detail.plaintext.is_none(),
        "a large rejected body's JSON is not kept"
    );
    assert_eq!(detail.summary.http_status, 401);
    assert!(
        detail.body_bytes as usize >= forged.len(),
        "the size is still recorded"
    );
    let grown = disk_bytes(h.dir.path()).saturating_sub(before);
    assert!(grown < 8_000_000, "60 rejected requests took {grown} bytes");

    // Pruning to 30 records keeps every accepted one: rejected records go first.
    h.relay.core().prune().unwrap();
    let left = h.records();
    let accepted = left
        .iter()
        .filter(|r| r.verdict == Verdict::Accepted)
        .count();
    assert_eq!(accepted, 10, "{left:?}");
    assert!(left.len() <= 30);
}

fn record(verdict: Verdict, text_len: usize) -> NewRecord {
    let plaintext = json!({"schema": "2.0", "event": {"text": "y".repeat(text_len)}});
    NewRecord {
        event_type: Some("im.message.receive_v1".into()),
        verdict,
        reject_code: (verdict == Verdict::Rejected).then(|| "signature_mismatch".into()),
        ..a_record(Some(plaintext))
    }
}

#[test]
fn history_is_pruned_to_a_byte_budget_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = RelayStore::open(dir.path()).unwrap();
    let mut ids = Vec::new();
    for _ in 0..30 {
        ids.push(
            store
                .insert(record(Verdict::Accepted, 50_000), None)
                .unwrap()
                .id,
        );
    }
    assert!(store.stored_bytes().unwrap() > 3_000_000);
    let budget = Retention {
        records: 1000,
        bytes: 1_000_000,
    };
    assert!(store.prune(budget, 0).unwrap() > 0);
    let stored = store.stored_bytes().unwrap();
    assert!(stored <= 1_000_000, "{stored}");
    assert!(store.count().unwrap() >= 8, "{}", store.count().unwrap());
    assert!(
        store.detail(*ids.last().unwrap()).is_ok(),
        "the newest is kept"
    );
    assert!(store.detail(ids[0]).is_err(), "the oldest went");

    // Rejected records beyond their share (a tenth) go before any accepted one.
    let store = RelayStore::in_memory().unwrap();
    for _ in 0..10 {
        store.insert(record(Verdict::Accepted, 10), None).unwrap();
    }
    for _ in 0..50 {
        store.insert(record(Verdict::Rejected, 10), None).unwrap();
    }
    let twenty = Retention {
        records: 20,
        ..Retention::default()
    };
    store.prune(twenty, 0).unwrap();
    assert_eq!(store.count().unwrap(), 12, "10 accepted and 2 rejected");
}
