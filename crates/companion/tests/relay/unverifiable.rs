//! A kind of callback the profile's secrets cannot verify is refused, never let through
//! unchecked: legacy card clicks are signed with the Verification Token, so with only an
//! Encrypt Key anyone could click "Resolve" for anyone. The relay says at start which kinds it
//! refuses for want of a secret.

use companion::relay::{RelayKeys, RequestKind, Verdict};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn a_forged_legacy_click_is_refused_when_the_verification_token_is_missing() {
    let sim = sim().await;
    let ek = sim.app.encrypt_key.clone().unwrap();
    let vt = sim.app.verification_token.clone();
    let h = start(
        sim,
        quick_config(),
        vec![
            ProfileSpec {
                name: "key-only",
                keys: RelayKeys::new(Some(&ek), None),
                upstream: None,
            },
            ProfileSpec {
                name: "token-only",
                keys: RelayKeys::new(None, Some(&vt)),
                upstream: None,
            },
            ProfileSpec {
                name: "bare",
                keys: RelayKeys::default(),
                upstream: None,
            },
        ],
    )
    .await;

    // An unsigned legacy click, as anyone could send it.
    let click = json!({"open_id": "ou_x", "open_message_id": "om_x", "open_chat_id": "oc_x",
        "tenant_key": "t", "token": "c-update",
        "action": {"tag": "button", "value": {"action": "resolve", "incident_id": "INC-42"}}});
    let (code, body) = h
        .post_raw("key-only", &[], click.to_string().into_bytes())
        .await;
    assert_eq!(code, 401, "{body}");
    assert_eq!(body["error"]["code"], "unverifiable", "{body}");
    assert!(body.get("header").is_none(), "no Resolved card: {body}");
    let record = h.newest();
    assert_eq!(record.verdict, Verdict::Rejected);
    assert_eq!(record.kind, RequestKind::LegacyCardAction);
    let detail = h.relay.detail(record.id).unwrap();
    let reason = detail.reject_reason.unwrap();
    assert!(reason.contains("Verification Token"), "{reason}");
    assert_eq!(detail.reject_params["secret"], "Verification Token");
    assert_eq!(detail.reject_params["kind"], "legacy_card_action");
    assert!(detail.reject_fix.unwrap().contains("Verification Token"));

    // At start: which kinds each profile refuses, for want of which secret.
    let status = h.relay.status().unwrap();
    let refused = |name: &str| {
        status
            .urls
            .iter()
            .find(|u| u.profile == name)
            .unwrap()
            .unverifiable
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(
        refused("key-only"),
        vec![RequestKind::UrlVerification, RequestKind::LegacyCardAction]
    );
    assert!(refused("token-only").is_empty());
    assert_eq!(refused("bare").len(), 5);

    // The same with no secret at all, for an event.
    let r = h
        .deliver("bare", json!({"kind": "event", "encrypt": false}))
        .await;
    assert_eq!(r["status"], 401, "{r}");
    assert_eq!(r["body"]["error"]["code"], "unverifiable", "{r}");

    // What the secrets can verify still goes through: a signed card click with the key, and
    // with only the token, an unsigned event carrying it and a signed legacy click.
    let ok = h.deliver("key-only", json!({"kind": "card_action"})).await;
    assert_eq!(ok["status"], 200, "{ok}");
    let ok = h
        .deliver("token-only", json!({"kind": "event", "encrypt": false}))
        .await;
    assert_eq!(ok["status"], 200, "{ok}");
    let ok = h
        .deliver("token-only", json!({"kind": "legacy_card_action"}))
        .await;
    assert_eq!(ok["status"], 200, "{ok}");
}

/// A request no secret of the profile checks carries whatever timestamp its sender wrote: the
/// relay refuses it as `unverifiable` and keeps serving. A debug build used to overflow on
/// `now - timestamp` with a timestamp of i64::MIN and drop the connection (the task panicked).
#[tokio::test]
async fn an_unverifiable_request_with_an_absurd_timestamp_is_refused_without_a_panic() {
    let sim = sim().await;
    let ek = sim.app.encrypt_key.clone().unwrap();
    let h = start(
        sim,
        quick_config(),
        vec![
            ProfileSpec {
                name: "key-only",
                keys: RelayKeys::new(Some(&ek), None),
                upstream: None,
            },
            ProfileSpec {
                name: "bare",
                keys: RelayKeys::default(),
                upstream: None,
            },
        ],
    )
    .await;
    let click = json!({"open_id": "ou_x", "open_message_id": "om_x", "open_chat_id": "oc_x",
        "tenant_key": "t", "token": "c-update",
        "action": {"tag": "button", "value": {"action": "resolve", "incident_id": "INC-42"}}});
    let event = json!({"schema": "2.0", "header": {"event_id": "e-absurd",
        "event_type": "im.message.receive_v1", "token": "t"}, "event": {}});
    let challenge = json!({"type": "url_verification", "challenge": "c-1", "token": "t"});
    for timestamp in [i64::MIN.to_string(), i64::MAX.to_string(), "-1".into()] {
        let headers = vec![
            ("X-Lark-Request-Timestamp".to_string(), timestamp.clone()),
            ("X-Lark-Request-Nonce".to_string(), "n".to_string()),
            ("X-Lark-Signature".to_string(), "00".repeat(20)),
        ];
        for (profile, body) in [
            ("key-only", &click),
            ("key-only", &challenge),
            ("bare", &event),
            ("bare", &click),
        ] {
            let (code, answer) = h
                .post_raw(profile, &headers, body.to_string().into_bytes())
                .await;
            assert_eq!(code, 401, "{profile} at {timestamp}: {answer}");
            assert_eq!(answer["error"]["code"], "unverifiable", "{answer}");
        }
    }
    // Still serving what the key can verify.
    let ok = h.deliver("key-only", json!({"kind": "card_action"})).await;
    assert_eq!(ok["status"], 200, "{ok}");
}
