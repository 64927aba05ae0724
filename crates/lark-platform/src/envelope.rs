//! Callback envelopes: every body Feishu/Lark POSTs to a request URL (or sends over the long
//! connection) parsed into one typed enum, and [`verify`], which runs the checks the platform
//! expects a receiver to run, in the right order, with the right secret for each body kind.
//!
//! Why one entry point: the classic integration failures are "the challenge was not decrypted",
//! "the legacy card was checked with the Encrypt Key" and "the card-update token was compared to
//! the Verification Token". Deciding the scheme from the decrypted body's shape, in one place,
//! avoids all three, and each failure comes back as a distinct error that names the check and
//! the secret involved (never its value), so the relay inspector and the doctor can say which
//! field in the console is wrong.
//!
//! Rules (docs/protocol.md, "Callback crypto"):
//! - `{"encrypt": ...}` bodies are decrypted with the Encrypt Key first.
//! - url_verification: token at the top level must equal the Verification Token; no signature.
//! - schema 2.0 events and `card.action.trigger`: SHA-256 signature with the Encrypt Key (only
//!   when one is configured); token in `header.token`.
//! - schema 1.0 events: same signature rule; token at the top level.
//! - legacy card callbacks: SHA-1 signature with the Verification Token; the body's `token` is
//!   the card-update token and is NOT checked.

use serde_json::{Map, Value};

use crate::crypto::{self, CryptoError};
use crate::secret::Secret;

/// Request header carrying the timestamp.
pub const HEADER_TIMESTAMP: &str = "X-Lark-Request-Timestamp";
/// Request header carrying the nonce.
pub const HEADER_NONCE: &str = "X-Lark-Request-Nonce";
/// Request header carrying the signature.
pub const HEADER_SIGNATURE: &str = "X-Lark-Signature";
/// Default body limit for [`verify`]: 1 MiB, far above any real callback.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// Who clicked, in a `card.action.trigger`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Operator {
    pub open_id: Option<String>,
    pub user_id: Option<String>,
    pub union_id: Option<String>,
    pub tenant_key: Option<String>,
}

/// A new-style card callback (schema 2.0, `header.event_type` = `card.action.trigger`).
#[derive(Debug, Clone, PartialEq)]
pub struct CardActionTrigger {
    pub event_id: String,
    /// `header.token`: the Verification Token.
    pub token: String,
    pub create_time: Option<String>,
    pub app_id: Option<String>,
    pub tenant_key: Option<String>,
    pub operator: Operator,
    /// `event.action.value` (`Null` when absent).
    pub action_value: Value,
    /// `event.action.tag`, e.g. `button`.
    pub action_tag: Option<String>,
    /// The whole `event.action` object (form values, options, ...).
    pub action: Value,
    pub open_message_id: Option<String>,
    pub open_chat_id: Option<String>,
    /// `event.token`: the card-update token (valid 30 min), not the Verification Token.
    pub update_token: Option<String>,
    /// The whole `event` object.
    pub event: Value,
}

/// A legacy card callback (the old "message card request URL" format).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyCardAction {
    pub open_id: Option<String>,
    pub user_id: Option<String>,
    pub open_message_id: String,
    pub open_chat_id: Option<String>,
    pub tenant_key: Option<String>,
    /// The `action` object (`value`, `tag`, `option`, `form_value`, ...).
    pub action: Value,
    /// The body's `token`: the card-update token, NOT the Verification Token.
    pub update_token: Option<String>,
}

/// Any callback body, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// The console's URL check; answer `{"challenge": <same>}` within about 1 s.
    UrlVerification {
        challenge: String,
        token: String,
        /// Whether it arrived as `{"encrypt": ...}`.
        encrypted: bool,
    },
    /// A schema 2.0 event (other than `card.action.trigger`).
    EventV2 {
        event_id: String,
        event_type: String,
        token: String,
        create_time: Option<String>,
        app_id: Option<String>,
        tenant_key: Option<String>,
        event: Value,
    },
    /// A schema 1.0 event.
    EventV1 {
        uuid: String,
        event_type: String,
        token: String,
        event: Value,
    },
    CardActionTrigger(Box<CardActionTrigger>),
    LegacyCardAction(Box<LegacyCardAction>),
}

impl Envelope {
    /// A short name for logs and the inspector.
    pub fn kind(&self) -> &'static str {
        match self {
            Envelope::UrlVerification { .. } => "url_verification",
            Envelope::EventV2 { .. } => "event_v2",
            Envelope::EventV1 { .. } => "event_v1",
            Envelope::CardActionTrigger(_) => "card.action.trigger",
            Envelope::LegacyCardAction(_) => "legacy_card_action",
        }
    }

    /// The id to de-duplicate redeliveries by (`header.event_id` or `uuid`), if any.
    pub fn dedup_id(&self) -> Option<&str> {
        match self {
            Envelope::EventV2 { event_id, .. } => Some(event_id),
            Envelope::CardActionTrigger(c) => Some(&c.event_id),
            Envelope::EventV1 { uuid, .. } => Some(uuid),
            _ => None,
        }
    }

    /// Which signature scheme applies to this kind of body (`None` for url_verification).
    pub fn signature_scheme(&self) -> Option<SignatureScheme> {
        match self {
            Envelope::UrlVerification { .. } => None,
            Envelope::LegacyCardAction(_) => Some(SignatureScheme::LegacyCardSha1),
            _ => Some(SignatureScheme::EventSha256),
        }
    }

    /// Where the Verification Token sits (`None` for legacy cards, which carry none).
    pub fn token_location(&self) -> Option<TokenLocation> {
        match self {
            Envelope::UrlVerification { .. } | Envelope::EventV1 { .. } => {
                Some(TokenLocation::TopLevel)
            }
            Envelope::EventV2 { .. } | Envelope::CardActionTrigger(_) => {
                Some(TokenLocation::Header)
            }
            Envelope::LegacyCardAction(_) => None,
        }
    }

    fn verification_token(&self) -> Option<&str> {
        match self {
            Envelope::UrlVerification { token, .. }
            | Envelope::EventV1 { token, .. }
            | Envelope::EventV2 { token, .. } => Some(token),
            Envelope::CardActionTrigger(c) => Some(&c.token),
            Envelope::LegacyCardAction(_) => None,
        }
    }
}

/// The two signature schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    /// SHA-256(timestamp + nonce + Encrypt Key + body): events and `card.action.trigger`.
    EventSha256,
    /// SHA-1(timestamp + nonce + Verification Token + body): legacy card callbacks.
    LegacyCardSha1,
}

impl SignatureScheme {
    /// The name of the secret the scheme uses, as the console labels it.
    pub fn secret_name(self) -> &'static str {
        match self {
            SignatureScheme::EventSha256 => "Encrypt Key",
            SignatureScheme::LegacyCardSha1 => "Verification Token",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SignatureScheme::EventSha256 => "SHA-256 (Encrypt Key)",
            SignatureScheme::LegacyCardSha1 => "SHA-1 (Verification Token)",
        }
    }
}

/// Where a body carries the Verification Token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenLocation {
    /// `token` at the top level (url_verification, schema 1.0).
    TopLevel,
    /// `header.token` (schema 2.0).
    Header,
}

impl TokenLocation {
    pub fn json_path(self) -> &'static str {
        match self {
            TokenLocation::TopLevel => "token",
            TokenLocation::Header => "header.token",
        }
    }
}

/// One check that [`verify`] ran or deliberately skipped, for the inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// The body was `{"encrypt": ...}` and decrypted with the Encrypt Key.
    Decrypted,
    /// The signature matched.
    Signature(SignatureScheme),
    /// The scheme applies but its secret is not configured, so nothing was checked.
    SignatureSkippedNoSecret(SignatureScheme),
    /// The Verification Token matched at this location.
    Token(TokenLocation),
    /// No Verification Token configured, so the body's token was not checked.
    TokenSkippedNoSecret(TokenLocation),
}

/// Why a callback was rejected. Names the check and the secret, never a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the body is {len} bytes, over the {limit}-byte limit")]
    BodyTooLarge { len: usize, limit: usize },
    #[error("the {} is not JSON: {detail}", if *.decrypted { "decrypted body" } else { "body" })]
    NotJson { decrypted: bool, detail: String },
    #[error("the body is JSON but not a known callback: {detail}")]
    WrongShape { detail: String },
    #[error("the body is encrypted but no Encrypt Key is configured")]
    EncryptedButNoKey,
    #[error("decryption with the Encrypt Key failed: {0}")]
    Decrypt(CryptoError),
    #[error("the {scheme:?} signature headers are missing: {}", missing.join(", "))]
    MissingSignatureHeaders {
        scheme: SignatureScheme,
        missing: Vec<&'static str>,
    },
    #[error("the signature does not match ({}, checked with the {secret})", scheme.as_str())]
    SignatureMismatch {
        scheme: SignatureScheme,
        secret: &'static str,
        /// A likely cause found by trying the other secret, when one was found.
        hint: Option<&'static str>,
    },
    #[error("the token at `{}` does not match the {secret}", location.json_path())]
    TokenMismatch {
        location: TokenLocation,
        secret: &'static str,
        hint: Option<&'static str>,
    },
}

impl VerifyError {
    /// A stable code for the UI and logs.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::BodyTooLarge { .. } => "body_too_large",
            VerifyError::NotJson { .. } => "not_json",
            VerifyError::WrongShape { .. } => "wrong_shape",
            VerifyError::EncryptedButNoKey => "encrypted_but_no_key",
            VerifyError::Decrypt(_) => "decrypt_failed",
            VerifyError::MissingSignatureHeaders { .. } => "missing_signature_headers",
            VerifyError::SignatureMismatch { .. } => "signature_mismatch",
            VerifyError::TokenMismatch { .. } => "token_mismatch",
        }
    }

    /// What to do about it, where there is something to do.
    pub fn fix(&self) -> Option<&'static str> {
        match self {
            VerifyError::EncryptedButNoKey => Some(
                "Copy the Encrypt Key from the console (Events & Callbacks > Encryption Strategy) into the profile.",
            ),
            VerifyError::Decrypt(CryptoError::BadPadding) => Some(
                "The Encrypt Key in the profile differs from the console's; copy it again.",
            ),
            VerifyError::SignatureMismatch { scheme, .. } => Some(match scheme {
                SignatureScheme::EventSha256 => {
                    "Copy the Encrypt Key from the console again; the signature uses it."
                }
                SignatureScheme::LegacyCardSha1 => {
                    "Copy the Verification Token from the console again; legacy card signatures use it."
                }
            }),
            VerifyError::TokenMismatch { .. } => Some(
                "Copy the Verification Token from the console (Events & Callbacks > Encryption Strategy) again.",
            ),
            VerifyError::MissingSignatureHeaders { .. } => Some(
                "The request did not come from Feishu/Lark directly, or a proxy dropped the X-Lark-* headers.",
            ),
            _ => None,
        }
    }
}

/// The three signature headers of a request; any may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureHeaders {
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
    pub signature: Option<String>,
}

impl SignatureHeaders {
    /// Picks the three headers out of any header list, names compared case-insensitively.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut h = Self::default();
        for (k, v) in pairs {
            if k.eq_ignore_ascii_case(HEADER_TIMESTAMP) {
                h.timestamp = Some(v.to_owned());
            } else if k.eq_ignore_ascii_case(HEADER_NONCE) {
                h.nonce = Some(v.to_owned());
            } else if k.eq_ignore_ascii_case(HEADER_SIGNATURE) {
                h.signature = Some(v.to_owned());
            }
        }
        h
    }
}

/// The profile's callback secrets. Empty values count as not configured.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallbackKeys<'a> {
    pub encrypt_key: Option<&'a Secret>,
    pub verification_token: Option<&'a Secret>,
}

impl CallbackKeys<'_> {
    fn encrypt_key(&self) -> Option<&str> {
        self.encrypt_key
            .filter(|s| !s.is_empty())
            .map(Secret::expose)
    }
    fn verification_token(&self) -> Option<&str> {
        self.verification_token
            .filter(|s| !s.is_empty())
            .map(Secret::expose)
    }
}

/// A callback that passed every applicable check.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub envelope: Envelope,
    /// The plaintext JSON (decrypted when it was encrypted).
    pub plaintext: Value,
    /// What ran, in order, including deliberate skips.
    pub checks: Vec<Check>,
}

/// Decrypts (if needed), picks the signature scheme from the body's kind, checks the signature
/// and the Verification Token, and returns the parsed envelope. `max_body` bounds the raw body
/// ([`DEFAULT_MAX_BODY`] is a good value).
pub fn verify(
    headers: &SignatureHeaders,
    body: &[u8],
    keys: &CallbackKeys<'_>,
    max_body: usize,
) -> Result<Verified, VerifyError> {
    if body.len() > max_body {
        return Err(VerifyError::BodyTooLarge {
            len: body.len(),
            limit: max_body,
        });
    }
    let outer: Value = serde_json::from_slice(body).map_err(|e| VerifyError::NotJson {
        decrypted: false,
        detail: e.to_string(),
    })?;
    let mut checks = Vec::new();
    let (plaintext, encrypted) = match outer.as_object().and_then(|o| o.get("encrypt")) {
        Some(enc) => {
            let enc = enc.as_str().ok_or_else(|| VerifyError::WrongShape {
                detail: "`encrypt` is not a string".into(),
            })?;
            let key = keys.encrypt_key().ok_or(VerifyError::EncryptedButNoKey)?;
            let plain = crypto::decrypt_to_string(key, enc).map_err(VerifyError::Decrypt)?;
            checks.push(Check::Decrypted);
            let v: Value = serde_json::from_str(&plain).map_err(|e| VerifyError::NotJson {
                decrypted: true,
                detail: e.to_string(),
            })?;
            (v, true)
        }
        None => (outer, false),
    };
    let envelope = parse_value(&plaintext, encrypted)?;

    if let Some(scheme) = envelope.signature_scheme() {
        check_signature(scheme, headers, body, keys, &mut checks)?;
    }
    if let (Some(location), Some(received)) =
        (envelope.token_location(), envelope.verification_token())
    {
        match keys.verification_token() {
            Some(expected) => {
                if !crypto::ct_eq_str(expected, received) {
                    let hint = keys
                        .encrypt_key()
                        .filter(|k| crypto::ct_eq_str(k, received))
                        .map(|_| {
                            "the configured Encrypt Key equals the received token: the two fields look swapped"
                        });
                    return Err(VerifyError::TokenMismatch {
                        location,
                        secret: "Verification Token",
                        hint,
                    });
                }
                checks.push(Check::Token(location));
            }
            None => checks.push(Check::TokenSkippedNoSecret(location)),
        }
    }
    Ok(Verified {
        envelope,
        plaintext,
        checks,
    })
}

fn check_signature(
    scheme: SignatureScheme,
    headers: &SignatureHeaders,
    body: &[u8],
    keys: &CallbackKeys<'_>,
    checks: &mut Vec<Check>,
) -> Result<(), VerifyError> {
    let secret = match scheme {
        SignatureScheme::EventSha256 => keys.encrypt_key(),
        SignatureScheme::LegacyCardSha1 => keys.verification_token(),
    };
    let Some(secret) = secret else {
        checks.push(Check::SignatureSkippedNoSecret(scheme));
        return Ok(());
    };
    let (Some(ts), Some(nonce), Some(sig)) = (
        headers.timestamp.as_deref(),
        headers.nonce.as_deref(),
        headers.signature.as_deref(),
    ) else {
        let mut missing = Vec::new();
        if headers.timestamp.is_none() {
            missing.push(HEADER_TIMESTAMP);
        }
        if headers.nonce.is_none() {
            missing.push(HEADER_NONCE);
        }
        if headers.signature.is_none() {
            missing.push(HEADER_SIGNATURE);
        }
        return Err(VerifyError::MissingSignatureHeaders { scheme, missing });
    };
    let ok = match scheme {
        SignatureScheme::EventSha256 => {
            crypto::verify_event_signature(ts, nonce, secret, body, sig)
        }
        SignatureScheme::LegacyCardSha1 => {
            crypto::verify_legacy_card_signature(ts, nonce, secret, body, sig)
        }
    };
    if ok {
        checks.push(Check::Signature(scheme));
        return Ok(());
    }
    // Try the other secret in the same scheme, to say "fields swapped" instead of just "wrong".
    let other = match scheme {
        SignatureScheme::EventSha256 => keys.verification_token(),
        SignatureScheme::LegacyCardSha1 => keys.encrypt_key(),
    };
    let hint = other.and_then(|o| {
        let swapped = match scheme {
            SignatureScheme::EventSha256 => crypto::verify_event_signature(ts, nonce, o, body, sig),
            SignatureScheme::LegacyCardSha1 => {
                crypto::verify_legacy_card_signature(ts, nonce, o, body, sig)
            }
        };
        swapped.then_some(
            "the signature matches the other secret: Encrypt Key and Verification Token look swapped",
        )
    });
    Err(VerifyError::SignatureMismatch {
        scheme,
        secret: scheme.secret_name(),
        hint,
    })
}

/// Parses a plaintext (already decrypted) callback body without any check.
pub fn parse(body: &[u8]) -> Result<Envelope, VerifyError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| VerifyError::NotJson {
        decrypted: false,
        detail: e.to_string(),
    })?;
    parse_value(&v, false)
}

fn shape(detail: impl Into<String>) -> VerifyError {
    VerifyError::WrongShape {
        detail: detail.into(),
    }
}

fn opt_str(o: &Map<String, Value>, k: &str) -> Option<String> {
    o.get(k).and_then(Value::as_str).map(str::to_owned)
}

/// A string, or a number rendered as a string (some ids/timestamps arrive as numbers).
fn opt_scalar(o: &Map<String, Value>, k: &str) -> Option<String> {
    match o.get(k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn req_str(o: &Map<String, Value>, k: &str, ctx: &str) -> Result<String, VerifyError> {
    opt_str(o, k).ok_or_else(|| shape(format!("{ctx}`{k}` is missing or not a string")))
}

/// Parses a plaintext callback JSON value. `encrypted` only sets the url_verification flag.
pub fn parse_value(v: &Value, encrypted: bool) -> Result<Envelope, VerifyError> {
    let o = v
        .as_object()
        .ok_or_else(|| shape("the body is not a JSON object"))?;

    if o.get("type").and_then(Value::as_str) == Some("url_verification") {
        return Ok(Envelope::UrlVerification {
            challenge: req_str(o, "challenge", "url_verification: ")?,
            token: opt_str(o, "token").unwrap_or_default(),
            encrypted,
        });
    }

    if let Some(schema) = o.get("schema") {
        if schema.as_str() != Some("2.0") {
            return Err(shape("`schema` is present but not \"2.0\""));
        }
        let h = o
            .get("header")
            .and_then(Value::as_object)
            .ok_or_else(|| shape("schema 2.0 body without a `header` object"))?;
        let event_type = req_str(h, "event_type", "header.")?;
        let event_id = req_str(h, "event_id", "header.")?;
        let token = opt_str(h, "token").unwrap_or_default();
        let create_time = opt_scalar(h, "create_time");
        let app_id = opt_str(h, "app_id");
        let tenant_key = opt_str(h, "tenant_key");
        let event = o.get("event").cloned().unwrap_or(Value::Null);
        if event_type == "card.action.trigger" {
            return card_action_trigger(event_id, token, create_time, app_id, tenant_key, event);
        }
        return Ok(Envelope::EventV2 {
            event_id,
            event_type,
            token,
            create_time,
            app_id,
            tenant_key,
            event,
        });
    }

    if o.contains_key("uuid") {
        let uuid = req_str(o, "uuid", "schema 1.0: ")?;
        let event = o.get("event").cloned().unwrap_or(Value::Null);
        let event_type = event
            .as_object()
            .and_then(|e| opt_str(e, "type"))
            .ok_or_else(|| shape("schema 1.0: `event.type` is missing or not a string"))?;
        return Ok(Envelope::EventV1 {
            uuid,
            event_type,
            token: opt_str(o, "token").unwrap_or_default(),
            event,
        });
    }

    if o.contains_key("open_message_id") || o.contains_key("action") {
        let open_message_id = req_str(o, "open_message_id", "legacy card: ")?;
        let action = o
            .get("action")
            .filter(|a| a.is_object())
            .cloned()
            .ok_or_else(|| shape("legacy card: `action` is missing or not an object"))?;
        return Ok(Envelope::LegacyCardAction(Box::new(LegacyCardAction {
            open_id: opt_str(o, "open_id"),
            user_id: opt_str(o, "user_id"),
            open_message_id,
            open_chat_id: opt_str(o, "open_chat_id"),
            tenant_key: opt_str(o, "tenant_key"),
            action,
            update_token: opt_str(o, "token"),
        })));
    }

    Err(shape(
        "none of: type=url_verification, schema 2.0 header, schema 1.0 uuid, legacy card open_message_id/action",
    ))
}

fn card_action_trigger(
    event_id: String,
    token: String,
    create_time: Option<String>,
    app_id: Option<String>,
    tenant_key: Option<String>,
    event: Value,
) -> Result<Envelope, VerifyError> {
    let e = event
        .as_object()
        .ok_or_else(|| shape("card.action.trigger: `event` is not an object"))?;
    let action = e
        .get("action")
        .filter(|a| a.is_object())
        .cloned()
        .ok_or_else(|| shape("card.action.trigger: `event.action` is missing or not an object"))?;
    let operator = e
        .get("operator")
        .and_then(Value::as_object)
        .map(|op| Operator {
            open_id: opt_str(op, "open_id"),
            user_id: opt_str(op, "user_id"),
            union_id: opt_str(op, "union_id"),
            tenant_key: opt_str(op, "tenant_key"),
        })
        .unwrap_or_default();
    let ctx = e.get("context").and_then(Value::as_object);
    let action_obj = action.as_object();
    Ok(Envelope::CardActionTrigger(Box::new(CardActionTrigger {
        event_id,
        token,
        create_time,
        app_id,
        tenant_key,
        operator,
        action_value: action_obj
            .and_then(|a| a.get("value"))
            .cloned()
            .unwrap_or(Value::Null),
        action_tag: action_obj.and_then(|a| opt_str(a, "tag")),
        open_message_id: ctx.and_then(|c| opt_str(c, "open_message_id")),
        open_chat_id: ctx.and_then(|c| opt_str(c, "open_chat_id")),
        update_token: opt_str(e, "token"),
        action,
        event,
    })))
}

#[cfg(test)]
mod tests;
