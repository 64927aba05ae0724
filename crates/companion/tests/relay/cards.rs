//! Deadlines: the challenge is answered within 1 s whatever the upstream does; card clicks get
//! the upstream's answer, or `{}` when it is slower than the budget (and the late answer is
//! recorded when it comes); an unreachable upstream gets an error toast, not a hang.

use std::time::{Duration, Instant};

use companion::relay::{AnsweredBy, ForwardMode, RecordEvent, RequestKind};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn challenge_is_answered_within_one_second_even_with_a_slow_upstream() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    upstream.set(|b| b.delay = Duration::from_secs(3));
    let mut live = h.relay.subscribe();
    for encrypt in [true, false] {
        let report = h
            .deliver(
                "main",
                json!({"kind": "url_verification", "encrypt": encrypt}),
            )
            .await;
        assert_eq!(report["status"], 200);
        assert_eq!(
            report["body"]["challenge"],
            report["sent"]["plaintext"]["challenge"]
        );
        let latency = report["latency_ms"].as_u64().unwrap();
        assert!(latency < 1000, "challenge took {latency} ms");
    }
    let record = h.newest();
    assert_eq!(record.kind, RequestKind::UrlVerification);
    assert!(record.answer_ms < 1000.0);
    assert!(!record.deadline_missed);
    assert_eq!(record.deadline_ms, Some(1000));
    // The upstream got it too, in the background; its answer lands in the record later.
    let updated = tokio::time::timeout(WAIT, async {
        loop {
            if let Ok(RecordEvent::Updated { record }) = live.recv().await {
                return record;
            }
        }
    })
    .await
    .expect("the upstream's late answer is recorded");
    assert_eq!(updated.upstream_status, Some(200));
    assert!(updated.upstream_latency_ms.unwrap() >= 3000);
}

#[tokio::test]
async fn card_click_gets_the_upstreams_answer() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    let card = json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "Acked by upstream"}]}});
    upstream.set(|b| {
        b.card_answer = json!({"toast": {"type": "success", "content": "done"}, "card": {"type": "raw", "data": card}})
    });
    let report = h
        .deliver("main", json!({"kind": "card_action", "value": {"action": "acknowledge", "incident_id": "I-1"}}))
        .await;
    assert_eq!(report["body"]["card"]["data"], card);
    assert_eq!(report["body"]["toast"]["content"], "done");
    let record = h.newest();
    assert_eq!(record.answered_by, AnsweredBy::Upstream);
    assert_eq!(record.upstream_status, Some(200));
    let detail = h.relay.detail(record.id).unwrap();
    assert!(detail
        .upstream_answer
        .unwrap()
        .contains("Acked by upstream"));
    // The upstream saw the click with the button value intact.
    let seen = upstream.seen();
    assert_eq!(
        seen[0].plaintext.as_ref().unwrap()["event"]["action"]["value"]["incident_id"],
        "I-1"
    );
}

#[tokio::test]
async fn slow_upstream_gets_an_empty_answer_within_the_budget_and_the_miss_is_recorded() {
    let mut config = quick_config();
    config.card_budget = Duration::from_millis(300);
    let (h, upstream) = start_with_upstream_config(config, ForwardMode::Transparent).await;
    upstream.set(|b| b.delay = Duration::from_millis(1500));
    let mut live = h.relay.subscribe();
    let started = Instant::now();
    for kind in ["card_action", "legacy_card_action"] {
        let report = h.deliver("main", json!({"kind": kind})).await;
        assert_eq!(report["status"], 200);
        assert_eq!(report["body"], json!({}), "{kind}");
        let latency = report["latency_ms"].as_u64().unwrap();
        assert!(
            (250..1200).contains(&latency),
            "{kind} answered after {latency} ms"
        );
        let record = h.newest();
        assert_eq!(record.answered_by, AnsweredBy::Fallback);
        assert!(record.deadline_missed);
        assert_eq!(record.upstream_status, None, "not answered yet");
    }
    assert!(started.elapsed() < Duration::from_millis(2800));
    // Both late answers are recorded when they arrive.
    let mut late = Vec::new();
    tokio::time::timeout(WAIT, async {
        while late.len() < 2 {
            if let Ok(RecordEvent::Updated { record }) = live.recv().await {
                late.push(record);
            }
        }
    })
    .await
    .expect("late answers recorded");
    for r in &late {
        assert_eq!(r.upstream_status, Some(200));
        assert!(r.upstream_latency_ms.unwrap() >= 1500);
        assert!(r.deadline_missed);
    }
}

#[tokio::test]
async fn unreachable_upstream_gets_an_error_toast() {
    let dead = free_port().await;
    let h = start_one(Some((format!("http://{dead}/hook"), ForwardMode::Resign))).await;
    let report = h.deliver("main", json!({"kind": "card_action"})).await;
    assert_eq!(report["status"], 200);
    assert_eq!(report["body"]["toast"]["type"], "error");
    let record = h.newest();
    assert_eq!(record.answered_by, AnsweredBy::UpstreamError);
    let detail = h.relay.detail(record.id).unwrap();
    assert!(detail.upstream_error.unwrap().contains("connect"));
}
