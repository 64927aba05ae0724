//! Triggers: synthetic callbacks signed with the profile's keys, sent to the relay itself (which
//! verifies and answers them) or to any URL (whose own verification accepts them).

use companion::relay::{ForwardMode, TriggerKind, TriggerRequest, Verdict};
use serde_json::json;

use crate::common::*;

const KINDS: [TriggerKind; 5] = [
    TriggerKind::UrlVerification,
    TriggerKind::Event,
    TriggerKind::EventV1,
    TriggerKind::CardAction,
    TriggerKind::LegacyCardAction,
];

#[tokio::test]
async fn triggers_to_the_relay_itself_pass_its_checks() {
    let h = start_one(None).await;
    let ek = h.sim.app.encrypt_key.clone().unwrap();
    let vt = h.sim.app.verification_token.clone();
    for kind in KINDS {
        for encrypt in [None, Some(false)] {
            let request = TriggerRequest {
                kind,
                encrypt,
                ..Default::default()
            };
            let result = h.relay.trigger("main", &request).await.unwrap();
            assert_eq!(result.status, Some(200), "{kind:?}: {result:?}");
            assert!(result.latency_ms < 1000.0);
            let shown = serde_json::to_string(&result).unwrap();
            assert!(
                !shown.contains(&ek) && !shown.contains(&vt),
                "a secret in {shown}"
            );
            match kind {
                TriggerKind::UrlVerification => assert_eq!(result.challenge_ok, Some(true)),
                TriggerKind::CardAction => {
                    // The default value is an Acknowledge: the built-in handler updates the card.
                    assert_eq!(result.answer.as_ref().unwrap()["card"]["type"], "raw");
                }
                _ => assert_eq!(result.challenge_ok, None),
            }
        }
    }
    let records = h.records();
    assert_eq!(records.len(), KINDS.len() * 2);
    assert!(
        records.iter().all(|r| r.verdict == Verdict::Accepted),
        "{records:?}"
    );
}

#[tokio::test]
async fn triggers_to_any_url_verify_there() {
    let (h, target) = start_with_upstream(ForwardMode::Resign).await;
    for kind in KINDS {
        let request = TriggerRequest {
            kind,
            url: Some(target.url.clone()),
            value: Some(json!({"action": "resolve", "incident_id": "X"})),
            ..Default::default()
        };
        let result = h.relay.trigger("main", &request).await.unwrap();
        assert_eq!(result.status, Some(200), "{kind:?}");
    }
    let seen = target.seen();
    assert_eq!(seen.len(), KINDS.len());
    for s in &seen {
        assert!(s.verify_error.is_none(), "{:?}", s.verify_error);
    }
    assert!(
        h.records().is_empty(),
        "sent elsewhere, not through the relay"
    );
    let unreachable = TriggerRequest {
        url: Some(format!("http://{}/x", free_port().await)),
        ..Default::default()
    };
    let result = h.relay.trigger("main", &unreachable).await.unwrap();
    assert_eq!(result.status, None);
    assert!(result.error.is_some());
    assert!(h
        .relay
        .trigger("nobody", &TriggerRequest::default())
        .await
        .is_err());
}
