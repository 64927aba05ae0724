//! Triggers (the `stripe trigger` idea): build a synthetic callback the way the platform would,
//! sign and encrypt it with the profile's keys, send it to the relay itself or any URL, and show
//! the answer and how long it took against the platform's deadline.

use crate::problem::Problem;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::config::RelayKeys;
use super::error::RelayError;
use super::model::{HeaderPair, RequestKind};
use super::scrub;
use super::seal;
use super::store::upstream_problem;
use super::upstream::{display_url, Forwarder, Outgoing};
use crate::cards::ACTION_ACKNOWLEDGE;

/// What to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    #[default]
    UrlVerification,
    /// A schema 2.0 event (`eventType`, default `im.message.receive_v1`).
    Event,
    /// A schema 1.0 event.
    EventV1,
    /// A `card.action.trigger` click.
    CardAction,
    /// A legacy card callback click.
    LegacyCardAction,
}

impl TriggerKind {
    pub fn request_kind(self) -> RequestKind {
        match self {
            Self::UrlVerification => RequestKind::UrlVerification,
            Self::Event => RequestKind::EventV2,
            Self::EventV1 => RequestKind::EventV1,
            Self::CardAction => RequestKind::CardAction,
            Self::LegacyCardAction => RequestKind::LegacyCardAction,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct TriggerRequest {
    pub kind: TriggerKind,
    #[ts(optional)]
    pub event_type: Option<String>,
    /// The button value of a card click (default: an Acknowledge of incident `TEST-1`).
    #[ts(optional, type = "unknown")]
    pub value: Option<Value>,
    /// Encrypt the body (default: when the profile has an Encrypt Key).
    #[ts(optional)]
    pub encrypt: Option<bool>,
    /// Where to send it; none means the relay itself.
    #[ts(optional)]
    pub url: Option<String>,
}

/// What was sent (secret values masked) and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TriggerResult {
    pub url: String,
    pub status: Option<u16>,
    /// The answer, as JSON when it parses.
    #[ts(type = "unknown")]
    pub answer: Option<Value>,
    pub error: Option<Problem>,
    pub latency_ms: f64,
    /// The platform's deadline for this kind, ms.
    pub deadline_ms: Option<u32>,
    /// For a challenge: whether the answer echoed it correctly.
    pub challenge_ok: Option<bool>,
    pub sent_headers: Vec<HeaderPair>,
    pub sent_body: String,
    #[ts(type = "unknown")]
    pub sent_plaintext: Value,
}

fn hex_id(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect()
}

/// The plaintext body of a synthetic callback.
pub fn build(request: &TriggerRequest, keys: &RelayKeys, now: DateTime<Utc>) -> Value {
    let token = keys.verification_token().unwrap_or_default();
    let now_ms = now.timestamp_millis().to_string();
    let operator = json!({"open_id": "ou_companion_trigger", "user_id": "companion", "union_id": "on_companion_trigger"});
    let value = request
        .value
        .clone()
        .unwrap_or_else(|| json!({"action": ACTION_ACKNOWLEDGE, "incident_id": "TEST-1"}));
    let header = |event_type: &str| {
        json!({
            "event_id": hex_id(32),
            "event_type": event_type,
            "create_time": now_ms,
            "token": token,
            "app_id": "cli_companiontrigger",
            "tenant_key": "companion-trigger",
        })
    };
    match request.kind {
        TriggerKind::UrlVerification => json!({
            "challenge": hex_id(32),
            "token": token,
            "type": "url_verification",
        }),
        TriggerKind::Event => {
            let event_type = request
                .event_type
                .clone()
                .unwrap_or_else(|| "im.message.receive_v1".to_string());
            let event = if event_type == "im.message.receive_v1" {
                json!({
                    "sender": {"sender_id": operator, "sender_type": "user"},
                    "message": {
                        "message_id": format!("om_{}", hex_id(32)),
                        "create_time": now_ms,
                        "chat_id": "oc_companion_trigger",
                        "chat_type": "group",
                        "message_type": "text",
                        "content": json!({"text": "Test event from Lark Companion"}).to_string(),
                    }
                })
            } else {
                json!({"chat_id": "oc_companion_trigger", "operator_id": operator})
            };
            json!({"schema": "2.0", "header": header(&event_type), "event": event})
        }
        TriggerKind::EventV1 => json!({
            "uuid": hex_id(32),
            "token": token,
            "ts": now.timestamp().to_string(),
            "type": "event_callback",
            "event": {
                "type": request.event_type.clone().unwrap_or_else(|| "message".to_string()),
                "app_id": "cli_companiontrigger",
                "tenant_key": "companion-trigger",
                "text": "Test event from Lark Companion",
            }
        }),
        TriggerKind::CardAction => json!({
            "schema": "2.0",
            "header": header("card.action.trigger"),
            "event": {
                "operator": operator,
                "token": format!("c-{}", hex_id(32)),
                "action": {"value": value, "tag": "button"},
                "host": "im_message",
                "context": {"open_message_id": format!("om_{}", hex_id(32)), "open_chat_id": "oc_companion_trigger"},
            }
        }),
        TriggerKind::LegacyCardAction => json!({
            "open_id": "ou_companion_trigger",
            "user_id": "companion",
            "open_message_id": format!("om_{}", hex_id(32)),
            "open_chat_id": "oc_companion_trigger",
            "tenant_key": "companion-trigger",
            "token": format!("c-{}", hex_id(32)),
            "action": {"value": value, "tag": "button"},
        }),
    }
}

/// Builds, seals and sends a synthetic callback to `url`.
pub async fn send(
    forwarder: &Forwarder,
    keys: &RelayKeys,
    request: &TriggerRequest,
    url: &str,
    now: DateTime<Utc>,
) -> Result<TriggerResult, RelayError> {
    let target = super::upstream::parse_typed_url("url", url)?;
    let kind = request.kind.request_kind();
    let plaintext = build(request, keys, now);
    let text = plaintext.to_string();
    let encrypt = request.encrypt.unwrap_or(keys.encrypt_key().is_some());
    let sealed = seal::seal(
        kind,
        text.as_bytes(),
        keys,
        encrypt,
        &now.timestamp().to_string(),
        &seal::nonce(),
    );
    let outgoing = Outgoing {
        headers: sealed.headers.clone(),
        body: sealed.body.clone(),
    };
    let started = Instant::now();
    let outcome = forwarder
        .send(&target, &outgoing, Duration::from_secs(10))
        .await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let parse =
        |a: &str| serde_json::from_str::<Value>(a).unwrap_or_else(|_| Value::String(a.to_string()));
    let challenge_ok = (kind == RequestKind::UrlVerification).then(|| {
        let answer = outcome.answer.as_deref().map(parse);
        answer.as_ref().and_then(|a| a.get("challenge")) == plaintext.get("challenge")
            && outcome.status == Some(200)
    });
    let secrets = keys.values();
    let mut shown = plaintext;
    let masked = scrub::json(&mut shown, &secrets);
    // Shown masked: the target may echo what it received.
    let outcome = scrub::outcome(&outcome, &secrets, &masked);
    let answer = outcome.answer.as_deref().map(parse);
    Ok(TriggerResult {
        url: display_url(&target),
        status: outcome.status,
        answer,
        error: outcome.error.map(upstream_problem),
        latency_ms,
        deadline_ms: kind.deadline_ms(),
        challenge_ok,
        sent_headers: scrub::headers(&sealed.headers, &secrets),
        sent_body: scrub::text(&String::from_utf8_lossy(&sealed.body), &secrets, &masked),
        sent_plaintext: shown,
    })
}

#[cfg(test)]
mod tests {
    use lark_platform::envelope;

    use super::*;

    #[test]
    fn every_kind_builds_a_parseable_body() {
        let keys = RelayKeys::new(Some("ek-trigger"), Some("vt-trigger"));
        for kind in [
            TriggerKind::UrlVerification,
            TriggerKind::Event,
            TriggerKind::EventV1,
            TriggerKind::CardAction,
            TriggerKind::LegacyCardAction,
        ] {
            let request = TriggerRequest {
                kind,
                ..Default::default()
            };
            let body = build(&request, &keys, Utc::now());
            let parsed = envelope::parse_value(&body, false).expect("parses");
            assert_eq!(RequestKind::of(&parsed), kind.request_kind());
        }
    }
}
