//! Every envelope form the platform sends is verified with the right scheme, recorded with its
//! checks, answered, and reaches the upstream in a form the upstream's own verification accepts
//! (transparent and re-signed).

use companion::relay::{
    seal, AnsweredBy, ForwardMode, OutboxState, RecordFilter, RequestKind, Verdict,
};
use serde_json::{json, Value};

use crate::common::*;

/// The simulator's forms, plus a schema 1.0 event (which lark-sim does not send) sealed by hand.
async fn send_every_form(h: &Harness) -> Vec<(RequestKind, Value)> {
    let forms = [
        (
            RequestKind::UrlVerification,
            json!({"kind": "url_verification"}),
        ),
        (
            RequestKind::UrlVerification,
            json!({"kind": "url_verification", "encrypt": false}),
        ),
        (
            RequestKind::EventV2,
            json!({"kind": "event", "event_type": "im.message.receive_v1"}),
        ),
        (
            RequestKind::EventV2,
            json!({"kind": "event", "event_type": "im.chat.disbanded_v1", "encrypt": false}),
        ),
        (RequestKind::CardAction, json!({"kind": "card_action"})),
        (
            RequestKind::CardAction,
            json!({"kind": "card_action", "encrypt": false}),
        ),
        (
            RequestKind::LegacyCardAction,
            json!({"kind": "legacy_card_action"}),
        ),
    ];
    let mut answers = Vec::new();
    for (kind, request) in forms {
        let report = h.deliver("main", request.clone()).await;
        assert_eq!(report["status"], 200, "{request} -> {report}");
        answers.push((kind, report["body"].clone()));
    }
    let keys = keys_of(&h.sim);
    let v1 = json!({"uuid": "v1-event-1", "token": h.sim.app.verification_token, "ts": "1",
        "type": "event_callback", "event": {"type": "message", "text": "hi"}});
    let ts = chrono::Utc::now().timestamp().to_string();
    let sealed = seal::seal(
        RequestKind::EventV1,
        v1.to_string().as_bytes(),
        &keys,
        true,
        &ts,
        &seal::nonce(),
    );
    let (status, body) = h.post_raw("main", &sealed.headers, sealed.body).await;
    assert_eq!(status, 200, "{body}");
    answers.push((RequestKind::EventV1, body));
    answers
}

async fn every_form(mode: ForwardMode) {
    let (h, upstream) = start_with_upstream(mode).await;
    let answers = send_every_form(&h).await;
    for (kind, body) in &answers {
        match kind {
            RequestKind::UrlVerification => assert!(body["challenge"].is_string(), "{body}"),
            RequestKind::CardAction => assert_eq!(body["toast"]["content"], "from upstream"),
            // The legacy answer is the upstream's too.
            RequestKind::LegacyCardAction => assert_eq!(body["toast"]["content"], "from upstream"),
            _ => assert_eq!(body, &json!({})),
        }
    }
    let records = h.records();
    assert_eq!(records.len(), answers.len());
    for record in &records {
        assert_eq!(record.verdict, Verdict::Accepted, "{record:?}");
        assert_eq!(record.http_status, 200);
    }
    let kinds: Vec<RequestKind> = records.iter().rev().map(|r| r.kind).collect();
    let sent: Vec<RequestKind> = answers.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, sent);
    // Cards were answered by the upstream; events acknowledged by the relay and delivered.
    for r in records.iter().filter(|r| r.kind.is_card()) {
        assert_eq!(r.answered_by, AnsweredBy::Upstream);
        assert_eq!(r.upstream_status, Some(200));
    }
    wait_for("every event delivered", || {
        h.records()
            .iter()
            .filter(|r| r.kind.is_event())
            .all(|r| r.outbox == Some(OutboxState::Delivered))
            .then_some(())
    })
    .await;
    // Every request, challenges included (sent in the background), reached the upstream and
    // passed its own verification with the same keys.
    let seen = wait_for("the upstream saw all", || {
        let seen = upstream.seen();
        (seen.len() == answers.len()).then_some(seen)
    })
    .await;
    for s in &seen {
        assert!(s.verify_error.is_none(), "{mode:?}: {:?}", s.verify_error);
    }
    let mut seen_kinds: Vec<RequestKind> = seen.iter().filter_map(|s| s.kind).collect();
    let mut expected = sent.clone();
    seen_kinds.sort_by_key(|k| k.as_str());
    expected.sort_by_key(|k| k.as_str());
    assert_eq!(seen_kinds, expected);
    // Transparent mode passes the original signature on; re-sign mode makes a new one.
    let detail = h.relay.detail(records[0].id).unwrap();
    let recorded_sig = detail
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("x-lark-signature"))
        .map(|h| h.value.clone());
    let forwarded_sigs: Vec<String> = seen
        .iter()
        .filter_map(|s| {
            s.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("x-lark-signature"))
                .map(|(_, v)| v.clone())
        })
        .collect();
    let same = recorded_sig.is_some_and(|s| forwarded_sigs.contains(&s));
    assert_eq!(same, mode == ForwardMode::Transparent, "{mode:?}");
    // The checks that ran are recorded with the scheme and the secret named.
    let card = records
        .iter()
        .find(|r| r.kind == RequestKind::LegacyCardAction)
        .unwrap();
    let checks = h.relay.detail(card.id).unwrap().checks;
    // As codes with values, not English sentences: the inspector words them.
    assert!(
        checks.iter().any(|c| c.code == "signatureMatched"
            && c.params["scheme"] == "SHA-1"
            && c.params["secret"] == "Verification Token"),
        "{checks:?}"
    );
    assert!(
        checks
            .iter()
            .flat_map(|c| c.params.values())
            .all(|v| !v.contains('`') && !v.contains(" matches")),
        "{checks:?}"
    );
    let filtered = h
        .relay
        .list(&RecordFilter {
            kind: Some(RequestKind::EventV1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].event_id.as_deref(), Some("v1-event-1"));
}

#[tokio::test]
async fn every_form_transparent() {
    every_form(ForwardMode::Transparent).await;
}

#[tokio::test]
async fn every_form_resigned() {
    every_form(ForwardMode::Resign).await;
}
