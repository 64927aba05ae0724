//! From a request as it arrived to the record that describes it: the body read with a bound,
//! secret values masked in headers, body and decrypted JSON, the checks named.

use std::net::IpAddr;
use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderMap};
use futures_util::StreamExt;
use lark_platform::crypto;
use lark_platform::envelope::{Check, Envelope, SignatureScheme, Verified};
use serde_json::Value;

use super::config::{
    RelayKeys, RelayProfile, RECORDED_FIELD_LIMIT, REJECTED_BODY_PREFIX,
    REJECTED_HEADER_VALUE_PREFIX,
};
use super::limits::Held;
use super::model::{AnsweredBy, RelayCheck, RequestKind, RequestSource, Verdict};
use super::scrub;
use super::store::NewRecord;
use super::upstream::display_url;

/// A request as it arrived.
pub(crate) struct Inbound {
    pub(crate) started: Instant,
    pub(crate) received_ms: i64,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) raw: Vec<u8>,
    /// Set when the body was too large to read (`raw` is then empty).
    pub(crate) oversize: Option<Oversize>,
    /// The body did not arrive within the body deadline (`raw` holds what did).
    pub(crate) timed_out: bool,
    /// The client's address (HTTP only), for the per-peer limits.
    pub(crate) peer: Option<IpAddr>,
    /// The channel itself proved the sender (the long connection, opened with the App
    /// Secret), so a request no secret of the profile can check is still taken.
    pub(crate) channel_authenticated: bool,
}

impl Inbound {
    pub(crate) fn elapsed_us(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
}

/// A body refused for its size: what came, and what the request declared. Only `received` is
/// a size the relay vouches for; `declared` is the sender's word (any number up to 2^64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Oversize {
    /// The bytes that arrived before the relay stopped reading (at least the limit, unless the
    /// sender declared more than the limit and then stopped short).
    pub(crate) received: usize,
    /// The Content-Length, when there was one.
    pub(crate) declared: Option<usize>,
}

/// Bodies over the limit are still read (and dropped) up to this size, so the client gets the
/// 413 instead of a reset connection; beyond it the connection is simply closed. The body
/// deadline bounds how long that takes.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// A body as far as it was read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ReadBody {
    Complete(Vec<u8>),
    /// Larger than the limit, by what came or by what was declared; nothing kept.
    TooLarge(Oversize),
    /// The deadline passed first; what arrived by then (within the limit).
    TimedOut(Vec<u8>),
}

/// Reads at most `limit` bytes before `deadline`, counting what it keeps in `held`. The
/// declared length decides nothing but the refusal of a body that says it is over the limit: the
/// buffer grows with what arrives (never past `limit`), and sizes are the bytes that came.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    deadline: tokio::time::Instant,
    held: &mut Held,
) -> ReadBody {
    let declared = declared_length(headers);
    let mut stream = body.into_data_stream();
    let mut kept: Vec<u8> = Vec::new();
    let mut total = 0usize;
    loop {
        let chunk = match tokio::time::timeout_at(deadline, stream.next()).await {
            Err(_) => return ReadBody::TimedOut(kept),
            Ok(None) => break,
            // A client that hangs up mid-body leaves what arrived; verification then refuses it.
            Ok(Some(Err(_))) => break,
            Ok(Some(Ok(chunk))) => chunk,
        };
        total = total.saturating_add(chunk.len());
        if total <= limit {
            let before = kept.capacity();
            if kept.len() + chunk.len() > before {
                // Doubling, but never past the limit (`Held` and the memory bound count it).
                let target = (kept.len() + chunk.len()).max(before * 2).min(limit);
                kept.reserve_exact(target - kept.len());
            }
            kept.extend_from_slice(&chunk);
            held.add(kept.capacity() - before);
        } else if total > DRAIN_LIMIT {
            break;
        }
    }
    if total > limit || declared.is_some_and(|d| d > limit) {
        return ReadBody::TooLarge(Oversize {
            received: total,
            declared,
        });
    }
    ReadBody::Complete(kept)
}

/// The body length a request declares (`None`: chunked or absent).
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

/// The decrypted body of a request that failed a check, for the inspector (no check runs).
pub(crate) fn peek(raw: &[u8], keys: &RelayKeys) -> Option<Value> {
    let outer: Value = serde_json::from_slice(raw).ok()?;
    match outer.get("encrypt").and_then(Value::as_str) {
        Some(enc) => {
            let plain = crypto::decrypt_to_string(keys.encrypt_key()?, enc).ok()?;
            serde_json::from_str(&plain).ok()
        }
        None => Some(outer),
    }
}

/// A check that ran, as a code with values (the UI words it; see [`RelayCheck`]).
fn check_code(check: &Check) -> RelayCheck {
    let signature = |code: &str, s: &SignatureScheme| {
        let scheme = match s {
            SignatureScheme::EventSha256 => "SHA-256",
            SignatureScheme::LegacyCardSha1 => "SHA-1",
        };
        RelayCheck::new(code)
            .param("scheme", scheme)
            .param("secret", s.secret_name())
    };
    match check {
        Check::Decrypted => RelayCheck::new("decrypted"),
        Check::Signature(s) => signature("signatureMatched", s),
        Check::SignatureSkippedNoSecret(s) => signature("signatureNotChecked", s),
        Check::Token(l) => RelayCheck::new("tokenMatched").param("path", l.json_path()),
        Check::TokenSkippedNoSecret(l) => {
            RelayCheck::new("tokenNotChecked").param("path", l.json_path())
        }
    }
}

pub(crate) fn event_type_and_id(envelope: &Envelope) -> (Option<String>, Option<String>) {
    match envelope {
        Envelope::EventV2 {
            event_type,
            event_id,
            ..
        } => (Some(event_type.clone()), Some(event_id.clone())),
        Envelope::EventV1 {
            event_type, uuid, ..
        } => (Some(event_type.clone()), Some(uuid.clone())),
        Envelope::CardActionTrigger(c) => (
            Some("card.action.trigger".to_string()),
            Some(c.event_id.clone()),
        ),
        Envelope::LegacyCardAction(_) => (Some("card.action.trigger_v1".to_string()), None),
        Envelope::UrlVerification { .. } => (None, None),
    }
}

/// The record fields common to every outcome: masked headers, body and plaintext.
pub(crate) fn base_record(
    profile_slug: &str,
    inbound: &Inbound,
    keys: &RelayKeys,
    plaintext: Option<&Value>,
    envelope: Option<&Envelope>,
) -> NewRecord {
    let secrets = keys.values();
    let mut masked_plain = plaintext.cloned();
    let masked_values = masked_plain
        .as_mut()
        .map(|p| scrub::json(p, &secrets))
        .unwrap_or_default();
    let mut raw_values = masked_values;
    // A body that failed to decrypt may still be plain JSON with a token in it.
    if let Ok(mut outer) = serde_json::from_slice::<Value>(&inbound.raw) {
        raw_values.extend(scrub::json(&mut outer, &secrets));
    }
    let body = scrub::text(
        &String::from_utf8_lossy(&inbound.raw),
        &secrets,
        &raw_values,
    );
    let (event_type, event_id) = envelope.map(event_type_and_id).unwrap_or_default();
    let field = |v: Option<String>| v.map(|v| prefix(&v, RECORDED_FIELD_LIMIT).to_owned());
    let (event_type, event_id) = (field(event_type), field(event_id));
    NewRecord {
        received_ms: inbound.received_ms,
        profile: profile_slug.to_string(),
        source: RequestSource::Callback,
        kind: envelope
            .map(RequestKind::of)
            .unwrap_or(RequestKind::Unknown),
        event_type,
        event_id,
        verdict: Verdict::Accepted,
        reject_code: None,
        reject_reason: None,
        reject_fix: None,
        reject_params: Default::default(),
        checks: Vec::new(),
        path: inbound.path.clone(),
        headers: scrub::headers(&inbound.headers, &secrets),
        body,
        body_bytes: inbound.oversize.map_or(inbound.raw.len(), |o| o.received),
        plaintext: masked_plain,
        http_status: 200,
        answer: None,
        answered_by: AnsweredBy::Relay,
        answer_us: 0,
        deadline_missed: false,
        upstream_url: None,
        forward_mode: None,
        upstream: None,
        outbox: None,
    }
}

/// At most `limit` bytes of `text`, cut on a character boundary.
pub(crate) fn prefix(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A rejected request's record kept small: anyone can send one, so only a prefix of the body
/// ([`REJECTED_BODY_PREFIX`]), the decrypted JSON only when it is no larger, and short header
/// values. `body_bytes` still says how large it was.
pub(crate) fn trim_rejected(record: &mut NewRecord) {
    let body = prefix(&record.body, REJECTED_BODY_PREFIX);
    if body.len() < record.body.len() {
        record.body = body.to_owned();
    }
    if record
        .plaintext
        .as_ref()
        .is_some_and(|p| p.to_string().len() > REJECTED_BODY_PREFIX)
    {
        record.plaintext = None;
    }
    for header in &mut record.headers {
        let value = prefix(&header.value, REJECTED_HEADER_VALUE_PREFIX);
        if value.len() < header.value.len() {
            header.value = value.to_owned();
        }
    }
}

pub(crate) fn accepted_record(
    profile: &RelayProfile,
    inbound: &Inbound,
    verified: &Verified,
) -> NewRecord {
    let mut record = base_record(
        &profile.slug,
        inbound,
        &profile.keys,
        Some(&verified.plaintext),
        Some(&verified.envelope),
    );
    record.checks = verified.checks.iter().map(check_code).collect();
    if let Some(upstream) = &profile.upstream {
        record.upstream_url = Some(display_url(&upstream.url));
        record.forward_mode = Some(upstream.mode);
    }
    record
}
