//! Callbacks the platform sends to the app: URL verification, events, and card actions in both
//! generations, built, encrypted and signed exactly as docs/protocol.md ("Callback crypto")
//! describes, then POSTed to a loopback URL.
//!
//! - schema 2.0 events and `card.action.trigger`: encrypted with the Encrypt Key when the app has
//!   one (unless the caller turns it off), signed with SHA-256 over
//!   timestamp + nonce + Encrypt Key + raw body (only when a key exists);
//! - the legacy card callback: plain JSON, signed with SHA-1 over
//!   timestamp + nonce + Verification Token + raw body;
//! - URL verification: no signature headers, encrypted when a key exists.
//!
//! The same bodies feed the long connection, which carries them unencrypted.

use std::time::Instant;

use axum::http::StatusCode;
use lark_platform::crypto;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::ApiError;
use crate::state::{Inner, SimState};
use crate::tenant::random_secret;

/// What to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackKind {
    UrlVerification,
    MessageReceive,
    ChatDisbanded,
    CardAction,
    LegacyCardAction,
}

impl CallbackKind {
    /// Accepts `url_verification`, `event` (+ `event_type`), an event type itself,
    /// `card_action` / `card.action.trigger` and `legacy_card_action` / `card.action.trigger_v1`.
    pub fn parse(kind: &str, event_type: Option<&str>) -> Option<Self> {
        Some(match (kind, event_type) {
            ("url_verification", _) => Self::UrlVerification,
            ("event", None | Some("im.message.receive_v1")) | ("im.message.receive_v1", _) => {
                Self::MessageReceive
            }
            ("event", Some("im.chat.disbanded_v1")) | ("im.chat.disbanded_v1", _) => {
                Self::ChatDisbanded
            }
            ("event", Some("card.action.trigger"))
            | ("card_action", _)
            | ("card.action.trigger", _) => Self::CardAction,
            ("legacy_card_action", _) | ("card.action.trigger_v1", _) => Self::LegacyCardAction,
            _ => return None,
        })
    }

    /// Schema 2.0 envelope (signed with the Encrypt Key) rather than legacy / challenge.
    pub fn is_v2(self) -> bool {
        matches!(
            self,
            Self::MessageReceive | Self::ChatDisbanded | Self::CardAction
        )
    }
}

/// Inputs that shape a callback body.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CallbackParams {
    /// The button's `value` for card actions (default `{"action":"ack"}`).
    #[serde(default)]
    pub value: Option<Value>,
    /// The card's message; default the most recent message the app sent.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The chat; default the message's chat, else the first chat the bot is in.
    #[serde(default)]
    pub chat_id: Option<String>,
    /// Text of an `im.message.receive_v1` message.
    #[serde(default)]
    pub text: Option<String>,
}

/// The app a control request names, or the primary app; an unknown App ID is an error.
pub fn target_app(state: &SimState, app_id: Option<&str>) -> Result<String, ApiError> {
    let inner = state.lock();
    match app_id {
        None => Ok(inner.tenant.app.app_id.clone()),
        Some(id) if inner.tenant.find_app(id).is_some() => Ok(id.to_string()),
        Some(id) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            404,
            format!("no app {id} in the simulated tenant"),
        )),
    }
}

/// The credentials of `app_id`, or of the primary app when it is unknown.
fn credentials(inner: &Inner, app_id: &str) -> crate::tenant::AppCredentials {
    inner
        .tenant
        .find_app(app_id)
        .map_or_else(|| inner.tenant.app.clone(), |app| app.app.clone())
}

/// Builds the plaintext JSON body of a callback to `app_id`, with fresh ids.
pub fn build_body(
    inner: &mut Inner,
    app_id: &str,
    kind: CallbackKind,
    params: &CallbackParams,
    now_ms: i64,
) -> Value {
    let tenant_key = inner.tenant.tenant_key.clone();
    let app = credentials(inner, app_id);
    let token = app.verification_token.clone();
    let app_id = app.app_id.clone();
    let user = inner.tenant.users.first().cloned();
    let (open_id, user_id, union_id) = user
        .map(|u| (u.open_id, u.user_id, u.union_id))
        .unwrap_or_default();
    let record = match &params.message_id {
        Some(id) => inner.messages.iter().find(|m| &m.message_id == id),
        None => inner.messages.last(),
    };
    let message_id = params
        .message_id
        .clone()
        .or_else(|| record.map(|m| m.message_id.clone()));
    let chat_id = params
        .chat_id
        .clone()
        .or_else(|| record.map(|m| m.chat_id.clone()))
        .or_else(|| {
            inner
                .tenant
                .chats
                .iter()
                .find(|c| c.bot_member)
                .map(|c| c.chat_id.clone())
        })
        .unwrap_or_default();
    let message_id = message_id.unwrap_or_else(|| inner.new_id("om_", 32));
    let value = params
        .value
        .clone()
        .unwrap_or_else(|| json!({"action": "ack"}));
    let header = |inner: &mut Inner, event_type: &str| {
        json!({
            "event_id": inner.new_id("", 32),
            "event_type": event_type,
            "create_time": now_ms.to_string(),
            "token": token,
            "app_id": app_id,
            "tenant_key": tenant_key,
        })
    };
    match kind {
        CallbackKind::UrlVerification => json!({
            "challenge": inner.new_id("", 32),
            "token": token,
            "type": "url_verification",
        }),
        CallbackKind::MessageReceive => {
            let text = params.text.clone().unwrap_or_else(|| "hello".to_string());
            let content = json!({ "text": text }).to_string();
            let new_message = inner.new_id("om_", 32);
            json!({
                "schema": "2.0",
                "header": header(inner, "im.message.receive_v1"),
                "event": {
                    "sender": {
                        "sender_id": {"union_id": union_id, "user_id": user_id, "open_id": open_id},
                        "sender_type": "user",
                        "tenant_key": tenant_key,
                    },
                    "message": {
                        "message_id": new_message,
                        "root_id": "",
                        "parent_id": "",
                        "create_time": now_ms.to_string(),
                        "update_time": now_ms.to_string(),
                        "chat_id": chat_id,
                        "thread_id": "",
                        "chat_type": "group",
                        "message_type": "text",
                        "content": content,
                        "mentions": [],
                        "user_agent": "lark-sim",
                    }
                }
            })
        }
        CallbackKind::ChatDisbanded => {
            let name = inner
                .tenant
                .find_chat(&chat_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            json!({
                "schema": "2.0",
                "header": header(inner, "im.chat.disbanded_v1"),
                "event": {
                    "chat_id": chat_id,
                    "operator_id": {"union_id": union_id, "user_id": user_id, "open_id": open_id},
                    "external": false,
                    "operator_tenant_key": tenant_key,
                    "name": name,
                    "i18n_names": {},
                }
            })
        }
        CallbackKind::CardAction => {
            let update_token = format!("c-{}", inner.new_id("", 32));
            json!({
                "schema": "2.0",
                "header": header(inner, "card.action.trigger"),
                "event": {
                    "operator": {
                        "tenant_key": tenant_key,
                        "user_id": user_id,
                        "open_id": open_id,
                        "union_id": union_id,
                    },
                    "token": update_token,
                    "action": {"value": value, "tag": "button"},
                    "host": "im_message",
                    "context": {"open_message_id": message_id, "open_chat_id": chat_id},
                }
            })
        }
        CallbackKind::LegacyCardAction => {
            let update_token = format!("c-{}", inner.new_id("", 32));
            json!({
                "open_id": open_id,
                "user_id": user_id,
                "open_message_id": message_id,
                "open_chat_id": chat_id,
                "tenant_key": tenant_key,
                "token": update_token,
                "action": {"value": value, "tag": "button"},
            })
        }
    }
}

/// A request ready to POST: raw body bytes and the headers to send.
#[derive(Clone, Debug)]
pub struct SignedRequest {
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

/// Encrypts and signs a plaintext body the way the platform does for this kind.
pub fn seal(
    kind: CallbackKind,
    plaintext: &[u8],
    encrypt_key: Option<&str>,
    encrypt: bool,
    verification_token: &str,
    timestamp: &str,
    nonce: &str,
) -> SignedRequest {
    let mut headers = vec![(
        "Content-Type".to_string(),
        "application/json; charset=utf-8".to_string(),
    )];
    let sign_headers = |headers: &mut Vec<(String, String)>, signature: String| {
        headers.push(("X-Lark-Request-Timestamp".into(), timestamp.into()));
        headers.push(("X-Lark-Request-Nonce".into(), nonce.into()));
        headers.push(("X-Lark-Signature".into(), signature));
    };
    if kind == CallbackKind::LegacyCardAction {
        let signature =
            crypto::legacy_card_signature(timestamp, nonce, verification_token, plaintext);
        sign_headers(&mut headers, signature);
        return SignedRequest {
            body: plaintext.to_vec(),
            headers,
        };
    }
    let body = match encrypt_key.filter(|_| encrypt) {
        Some(key) => json!({ "encrypt": crypto::encrypt(key, plaintext) })
            .to_string()
            .into_bytes(),
        None => plaintext.to_vec(),
    };
    if kind.is_v2() {
        if let Some(key) = encrypt_key {
            let signature = crypto::event_signature(timestamp, nonce, key, &body);
            sign_headers(&mut headers, signature);
        }
    }
    SignedRequest { body, headers }
}

/// `POST /_sim/callbacks` request.
#[derive(Clone, Debug, Deserialize)]
pub struct DeliverRequest {
    /// Where to POST; default the app's configured request URL for the kind (see
    /// [`configured_url`]).
    #[serde(default)]
    pub url: Option<String>,
    /// The app the callback is for (its keys and its request URLs); default the primary app.
    #[serde(default)]
    pub app_id: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub event_type: Option<String>,
    /// Default: true when the app has an Encrypt Key.
    #[serde(default)]
    pub encrypt: Option<bool>,
    #[serde(flatten)]
    pub params: CallbackParams,
}

/// Only loopback HTTP targets: the simulator must never send anything off the machine.
pub fn check_loopback(target: &str) -> Result<url::Url, ApiError> {
    let refuse = |why: &str| {
        ApiError::bad_request(
            400,
            format!("callback url refused: {why}; only http://127.0.0.1, localhost or [::1] URLs may be targeted"),
        )
    };
    let url = url::Url::parse(target).map_err(|_| refuse("not a URL"))?;
    if url.scheme() != "http" {
        return Err(refuse("scheme must be http"));
    }
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if !loopback {
        return Err(refuse("host is not loopback"));
    }
    Ok(url)
}

/// The request URL an app configured for a kind of callback: events and URL verification go
/// to the event request URL; `card.action.trigger` to the callback request URL, else the bot's
/// card request URL; legacy card actions to the card request URL, else the callback one.
pub fn configured_url(inner: &Inner, app_id: &str, kind: CallbackKind) -> Option<String> {
    let now = &inner.profiles.get(app_id)?.immediate;
    let candidates = match kind {
        CallbackKind::UrlVerification
        | CallbackKind::MessageReceive
        | CallbackKind::ChatDisbanded => {
            vec![&now.event_request_url]
        }
        CallbackKind::CardAction => vec![&now.callback_request_url, &now.card_request_url],
        CallbackKind::LegacyCardAction => vec![&now.card_request_url, &now.callback_request_url],
    };
    candidates.into_iter().find(|u| !u.is_empty()).cloned()
}

/// Builds, seals and POSTs one callback; answers what the receiver said.
pub async fn deliver(state: &SimState, request: DeliverRequest) -> Result<Value, ApiError> {
    let kind = CallbackKind::parse(&request.kind, request.event_type.as_deref()).ok_or_else(|| {
        ApiError::field_violation(
            "kind",
            "kind must be url_verification, event (event_type im.message.receive_v1 | im.chat.disbanded_v1), card_action or legacy_card_action",
        )
    })?;
    let app_id = target_app(state, request.app_id.as_deref())?;
    let target = match request.url.clone() {
        Some(url) => url,
        None => configured_url(&state.lock(), &app_id, kind).ok_or_else(|| {
            ApiError::bad_request(
                400,
                format!(
                    "no url given and app {app_id} has no request URL configured for this kind"
                ),
            )
        })?,
    };
    let url = check_loopback(&target)?;
    let now_ms = state.clock.now_ms();
    let (plaintext, sealed) = {
        let mut inner = state.lock();
        let app = credentials(&inner, &app_id);
        let encrypt_key = app.encrypt_key.clone();
        let encrypt = request.encrypt.unwrap_or(encrypt_key.is_some());
        if encrypt && encrypt_key.is_none() {
            return Err(ApiError::bad_request(
                400,
                "encrypt requested but the app has no Encrypt Key",
            ));
        }
        let body = build_body(&mut inner, &app_id, kind, &request.params, now_ms);
        let plaintext = body.to_string();
        let timestamp = (now_ms / 1000).to_string();
        let nonce = random_secret(&mut inner.rng, 16);
        let sealed = seal(
            kind,
            plaintext.as_bytes(),
            encrypt_key.as_deref(),
            encrypt,
            &app.verification_token,
            &timestamp,
            &nonce,
        );
        (body, sealed)
    };
    let mut builder = state.http.post(url);
    for (name, value) in &sealed.headers {
        builder = builder.header(name, value);
    }
    let started = Instant::now();
    let answer = builder.body(sealed.body.clone()).send().await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let sent = json!({
        "headers": sealed.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body": String::from_utf8_lossy(&sealed.body),
        "plaintext": plaintext,
    });
    match answer {
        Ok(response) => {
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let body = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text));
            Ok(json!({"status": status, "body": body, "latency_ms": latency_ms, "sent": sent}))
        }
        Err(error) => Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            502,
            format!("callback delivery failed: {error}"),
        )),
    }
}
