//! Replay only sends again what the relay accepted. Replaying seals the recorded body afresh
//! with the profile's real keys and puts the real Verification Token back, so replaying a
//! rejected request would turn a forgery into a genuine request.

use companion::relay::{ForwardMode, RelayError, Verdict};
use companion::{Problem, ProblemKind};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_rejected_request_is_never_replayed() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    // A plain event with the attacker's text, a made-up token and a made-up signature.
    let forged = json!({"schema": "2.0",
        "header": {"event_id": "forged-1", "event_type": "im.message.receive_v1",
                   "token": "not-the-token", "create_time": "1700000000000"},
        "event": {"message": {"content": "{\"text\":\"transfer the budget\"}"}}});
    let headers = vec![
        (
            "X-Lark-Request-Timestamp".to_string(),
            chrono::Utc::now().timestamp().to_string(),
        ),
        ("X-Lark-Request-Nonce".to_string(), "nonce".to_string()),
        ("X-Lark-Signature".to_string(), "0".repeat(64)),
    ];
    let (status, _) = h
        .post_raw("main", &headers, forged.to_string().into_bytes())
        .await;
    assert_eq!(status, 401);
    let record = h.newest();
    assert_eq!(record.verdict, Verdict::Rejected);

    let err = h
        .relay
        .replay(record.id, None)
        .await
        .expect_err("a rejected request is not replayed");
    assert!(
        matches!(err, RelayError::ReplayRejected { id, .. } if id == record.id),
        "{err}"
    );
    let problem = Problem::from(err);
    assert_eq!(problem.kind, ProblemKind::InvalidInput);
    assert!(problem.english().contains("rejected"), "{problem:?}");
    assert!(
        problem
            .english_fix()
            .is_some_and(|f| f.contains("signature lab")),
        "{problem:?}"
    );
    // Nor to another URL, and nothing was sent or recorded.
    let other = TestUpstream::start(keys_of(&h.sim)).await;
    assert!(h.relay.replay(record.id, Some(&other.url)).await.is_err());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(upstream.seen().is_empty() && other.seen().is_empty());
    assert_eq!(h.records().len(), 1, "no replay record");
}

/// Records accepted before the relay refused unverifiable kinds may hold a request no check
/// authenticated (a legacy click with no Verification Token set): not replayed either.
#[tokio::test]
async fn a_record_no_check_authenticated_is_never_replayed() {
    use companion::relay::store::NewRecord;
    use companion::relay::{AnsweredBy, RelayCheck, RequestKind};

    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    let plaintext = json!({"open_id": "ou_x", "open_message_id": "om_x", "token": "<redacted>",
        "action": {"tag": "button", "value": {"action": "resolve", "incident_id": "INC-42"}}});
    let old = NewRecord {
        received_ms: chrono::Utc::now().timestamp_millis(),
        kind: RequestKind::LegacyCardAction,
        event_type: Some("card.action.trigger_v1".into()),
        checks: vec![RelayCheck::new("signatureNotChecked")
            .param("scheme", "SHA-1")
            .param("secret", "Verification Token")],
        answered_by: AnsweredBy::BuiltIn,
        ..a_record(Some(plaintext))
    };
    let record = h.relay.core().store().insert(old, None).unwrap();
    let err = h
        .relay
        .replay(record.id, None)
        .await
        .expect_err("not replayed");
    assert!(
        matches!(err, RelayError::ReplayUnverified(id) if id == record.id),
        "{err}"
    );
    assert!(
        err.to_string().contains("no signature or token check"),
        "{err}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(upstream.seen().is_empty());
}

/// The one way a refused request's text goes out: the admin re-signs it in the signature lab.
/// It then arrives genuinely signed (the real token put back), and its record says the admin
/// signed it, not the platform.
#[tokio::test]
async fn a_body_re_signed_in_the_lab_goes_out_signed_and_is_recorded_as_the_admins() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    let edited = json!({"schema": "2.0",
        "header": {"event_id": "lab-1", "event_type": "im.message.receive_v1",
                   "token": companion::redact::MASK, "create_time": "1700000000000"},
        "event": {"message": {"content": "{\"text\":\"hello\"}"}}});
    let result = h
        .relay
        .resign("main", &edited.to_string(), None)
        .await
        .expect("re-signed and sent");
    assert_eq!(result.status, Some(200), "{result:?}");
    let seen = wait_for("the upstream to get it", || {
        upstream.seen().into_iter().next()
    })
    .await;
    assert_eq!(
        seen.verify_error, None,
        "the upstream verifies it as genuine"
    );
    assert_eq!(seen.event_id.as_deref(), Some("lab-1"));
    let detail = h.relay.detail(result.record.id).unwrap();
    assert_eq!(
        detail.summary.source,
        companion::relay::RequestSource::Replay
    );
    assert_eq!(detail.checks.len(), 1);
    assert_eq!(detail.checks[0].code, "resignedInLab");
    // The record shows the token masked, never the real one.
    let shown = detail.plaintext.unwrap().to_string();
    assert!(!shown.contains(&h.sim.app.verification_token), "{shown}");
}

#[tokio::test]
async fn a_body_that_is_no_callback_is_neither_signed_nor_sent() {
    let (h, upstream) = start_with_upstream(ForwardMode::Transparent).await;
    for body in ["not json", r#"{"hello": "world"}"#] {
        let err = h
            .relay
            .resign("main", body, None)
            .await
            .expect_err("refused");
        let problem = Problem::from(err);
        assert_eq!(problem.kind, ProblemKind::InvalidInput);
        assert_eq!(problem.field.as_deref(), Some("body"));
        assert!(
            problem.english().contains("nothing was signed"),
            "{problem:?}"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(upstream.seen().is_empty());
    assert!(h.records().is_empty());
}
