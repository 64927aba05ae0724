//! A captured card click sent again: a correctly signed `card.action.trigger` or legacy click
//! is accepted once. Sent again within the allowed timestamp skew (where its signature still
//! passes) it is refused as `replayed` and recorded so: not forwarded a second time, and the
//! built-in handler does not act on it twice. A different click still passes.

use companion::relay::{AnsweredBy, ForwardMode, RequestKind, Verdict};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_signed_card_click_sent_again_is_refused_as_replayed() {
    let sim = sim().await;
    let keys = keys_of(&sim);
    let upstream = TestUpstream::start(keys.clone()).await;
    let h = start(
        sim,
        quick_config(),
        vec![
            ProfileSpec {
                name: "forwarding",
                keys: keys.clone(),
                upstream: Some((upstream.url.clone(), ForwardMode::Transparent)),
            },
            ProfileSpec {
                name: "builtin",
                keys,
                upstream: None,
            },
        ],
    )
    .await;
    let resolve = json!({"action": "resolve", "incident_id": "INC-9"});

    for (profile, kind) in [
        ("forwarding", "card_action"),
        ("forwarding", "legacy_card_action"),
        ("builtin", "card_action"),
        ("builtin", "legacy_card_action"),
    ] {
        let report = h
            .deliver(profile, json!({"kind": kind, "value": resolve}))
            .await;
        assert_eq!(report["status"], 200, "{profile} {kind}: {report}");
        let first = h.newest();
        assert_eq!(first.verdict, Verdict::Accepted);
        let forwarded = upstream.seen().len();

        // The same bytes and headers, a moment later: within the skew the signature passes.
        let (headers, body) = sent(&report);
        let (code, answer) = h.post_raw(profile, &headers, body).await;
        assert_eq!(code, 401, "{profile} {kind}: {answer}");
        assert_eq!(answer["error"]["code"], "replayed", "{answer}");
        assert!(
            answer.get("header").is_none(),
            "no card for a replay: {answer}"
        );
        assert!(
            answer.get("toast").is_none(),
            "no toast for a replay: {answer}"
        );
        let record = h.newest();
        assert_ne!(record.id, first.id);
        assert_eq!(record.verdict, Verdict::Rejected);
        assert_eq!(record.reject_code.as_deref(), Some("replayed"));
        assert_eq!(record.answered_by, AnsweredBy::Relay);
        let expected = if kind == "card_action" {
            RequestKind::CardAction
        } else {
            RequestKind::LegacyCardAction
        };
        assert_eq!(record.kind, expected);
        let detail = h.relay.detail(record.id).unwrap();
        let reason = detail.reject_reason.unwrap();
        assert!(reason.contains("already"), "{reason}");
        assert!(!reason.contains("{{"), "{reason}");
        assert!(detail.reject_fix.is_some());
        // Not forwarded again.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(upstream.seen().len(), forwarded, "{profile} {kind}");

        // And a third time, still refused.
        let (headers, body) = sent(&report);
        let (code, _) = h.post_raw(profile, &headers, body).await;
        assert_eq!(code, 401);

        // A different click (its own id, nonce and signature) passes.
        let other = h
            .deliver(profile, json!({"kind": kind, "value": resolve}))
            .await;
        assert_eq!(other["status"], 200, "{profile} {kind}: {other}");
        assert_eq!(h.newest().verdict, Verdict::Accepted);
    }

    // The same click to another profile is that profile's first sight of it.
    let report = h.deliver("builtin", json!({"kind": "card_action"})).await;
    assert_eq!(report["status"], 200);
    let (headers, body) = sent(&report);
    let (code, answer) = h.post_raw("forwarding", &headers, body).await;
    assert_eq!(code, 200, "{answer}");
}

/// Events are not refused: a platform redelivery is acknowledged and recorded as a duplicate
/// (the outbox delivers an event id once), as before.
#[tokio::test]
async fn an_event_sent_again_is_still_acknowledged_as_a_duplicate() {
    let h = start_one(None).await;
    let report = h.deliver("main", json!({"kind": "event"})).await;
    assert_eq!(report["status"], 200);
    let (headers, body) = sent(&report);
    let (code, _) = h.post_raw("main", &headers, body).await;
    assert_eq!(code, 200);
    assert_eq!(h.newest().verdict, Verdict::Duplicate);
}
