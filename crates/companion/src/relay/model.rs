//! What the inspector shows: recorded requests as list rows and details, the filter, and the
//! live events. These cross the IPC boundary (TypeScript is generated from them).

use lark_platform::envelope::Envelope;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use ts_rs::TS;

use super::config::ForwardMode;
use crate::problem::Problem;

/// The kind of body a request carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    UrlVerification,
    /// A schema 2.0 event (`im.message.receive_v1`, ...).
    EventV2,
    /// A schema 1.0 event.
    EventV1,
    /// The new card callback, `card.action.trigger`.
    CardAction,
    /// The legacy ("message card request URL") card callback.
    LegacyCardAction,
    /// Not readable (not JSON, not decryptable, or an unknown shape).
    Unknown,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        Self::UrlVerification,
        Self::EventV2,
        Self::EventV1,
        Self::CardAction,
        Self::LegacyCardAction,
        Self::Unknown,
    ];

    pub fn of(envelope: &Envelope) -> Self {
        match envelope {
            Envelope::UrlVerification { .. } => Self::UrlVerification,
            Envelope::EventV2 { .. } => Self::EventV2,
            Envelope::EventV1 { .. } => Self::EventV1,
            Envelope::CardActionTrigger(_) => Self::CardAction,
            Envelope::LegacyCardAction(_) => Self::LegacyCardAction,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UrlVerification => "url_verification",
            Self::EventV2 => "event_v2",
            Self::EventV1 => "event_v1",
            Self::CardAction => "card_action",
            Self::LegacyCardAction => "legacy_card_action",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .unwrap_or(Self::Unknown)
    }

    /// The platform's answer deadline for this kind, in ms (events only need a quick 2xx).
    pub fn deadline_ms(self) -> Option<u32> {
        match self {
            Self::UrlVerification => Some(super::config::CHALLENGE_DEADLINE_MS),
            Self::CardAction | Self::LegacyCardAction => Some(super::config::CARD_DEADLINE_MS),
            _ => None,
        }
    }

    pub fn is_card(self) -> bool {
        matches!(self, Self::CardAction | Self::LegacyCardAction)
    }

    pub fn is_event(self) -> bool {
        matches!(self, Self::EventV2 | Self::EventV1)
    }
}

/// What the relay decided about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accepted,
    /// Accepted, but an event with the same id was accepted before: not delivered again.
    Duplicate,
    /// Refused; `rejectCode` and the detail's reason say which check failed.
    Rejected,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Duplicate => "duplicate",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "accepted" => Self::Accepted,
            "duplicate" => Self::Duplicate,
            _ => Self::Rejected,
        }
    }
}

/// Who produced the answer the platform got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredBy {
    /// The relay itself: a challenge, an event acknowledgement, a rejection.
    Relay,
    /// The upstream's answer, passed back.
    Upstream,
    /// The upstream was slower than the budget: the relay answered `{}`.
    Fallback,
    /// The upstream could not be reached: the relay answered with an error toast.
    UpstreamError,
    /// No upstream: the built-in alert-card handler answered.
    BuiltIn,
}

impl AnsweredBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relay => "relay",
            Self::Upstream => "upstream",
            Self::Fallback => "fallback",
            Self::UpstreamError => "upstream_error",
            Self::BuiltIn => "built_in",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "upstream" => Self::Upstream,
            "fallback" => Self::Fallback,
            "upstream_error" => Self::UpstreamError,
            "built_in" => Self::BuiltIn,
            _ => Self::Relay,
        }
    }
}

/// Where an event stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Delivered,
    /// Given up after the last retry.
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(Self::Pending),
            "delivered" => Some(Self::Delivered),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// Where a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestSource {
    /// Received by the listener.
    Callback,
    /// Sent to the upstream by a replay.
    Replay,
}

impl RequestSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Callback => "callback",
            Self::Replay => "replay",
        }
    }
}

/// One row of the inspector's list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordSummary {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC, milliseconds.
    pub received_at: String,
    /// The profile's path slug.
    pub profile: String,
    pub source: RequestSource,
    pub kind: RequestKind,
    pub event_type: Option<String>,
    pub event_id: Option<String>,
    pub verdict: Verdict,
    pub reject_code: Option<String>,
    /// The HTTP status the relay answered.
    pub http_status: u16,
    pub answered_by: AnsweredBy,
    /// Time from receipt to the answer, ms.
    pub answer_ms: f64,
    /// The platform's deadline for this kind (1000 challenge, 3000 card), ms.
    pub deadline_ms: Option<u32>,
    /// The answer missed the deadline, or the upstream missed the card budget.
    pub deadline_missed: bool,
    pub upstream_status: Option<u16>,
    pub upstream_latency_ms: Option<u32>,
    pub outbox: Option<OutboxState>,
    pub attempts: u32,
}

/// A header as received (credential headers masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeaderPair {
    pub name: String,
    pub value: String,
}

/// One verification step that ran on a request, as a stable code with the values its sentence
/// needs, so the inspector says it in the UI's language. Codes: `decrypted` (with the Encrypt
/// Key); `signatureMatched` / `signatureNotChecked` (params `scheme`: `SHA-256` or `SHA-1`,
/// `secret`: the secret's name, `Encrypt Key` or `Verification Token`, which the console shows in
/// English in every language); `tokenMatched` / `tokenNotChecked` (param `path`: where the
/// token is, `token` or `header.token`); `replayed` (param `id`: the record replayed). Records
/// from before codes read as `text` with the English sentence in the `text` param.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RelayCheck {
    pub code: String,
    #[serde(default)]
    #[ts(type = "{ [key in string]?: string }")]
    pub params: BTreeMap<String, String>,
}

impl RelayCheck {
    pub fn new(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            params: BTreeMap::new(),
        }
    }

    pub fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    /// Reads the stored JSON list: objects as written now, plain strings as written before.
    pub(crate) fn parse_stored(json: &str) -> Vec<Self> {
        let items: Vec<Value> = serde_json::from_str(json).unwrap_or_default();
        items
            .into_iter()
            .filter_map(|item| match item {
                Value::String(text) => Some(Self::new("text").param("text", text)),
                other => serde_json::from_value(other).ok(),
            })
            .collect()
    }
}

/// Everything recorded about one request. No field holds a secret value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordDetail {
    pub summary: RecordSummary,
    /// Which check failed and with which secret (never its value), in the catalogue's English
    /// as it was stored (the CLI prints it; the window words `reject_code` itself).
    pub reject_reason: Option<String>,
    pub reject_fix: Option<String>,
    /// The values of the rejection's sentence: `secret` (`Encrypt Key`,
    /// `Verification Token`), `scheme` (`SHA-256`, `SHA-1`), `path` (the token's), `swapped`
    /// (`true` when the other secret matched: the two fields look swapped), `missing` (header
    /// names, joined with `,`), `bytes` and `limit` (sizes; `bytes` is what came), `declared`
    /// (a Content-Length over the limit, the sender's word), `seconds`, `allowed` and
    /// `direction` (`old`, `future`: a stale timestamp), `slug` and `served` (unknown profile),
    /// `detail` (the parser's words about a body that is not JSON or not a callback).
    #[ts(type = "{ [key in string]?: string }")]
    pub reject_params: BTreeMap<String, String>,
    /// The checks that ran, in order.
    pub checks: Vec<RelayCheck>,
    #[ts(type = "number | null")]
    pub duplicate_of: Option<i64>,
    pub path: String,
    pub headers: Vec<HeaderPair>,
    /// The body as received, secret values masked, cut at 64 KiB.
    pub body: String,
    pub body_bytes: u32,
    /// The decrypted JSON, secret-looking values masked.
    #[ts(type = "unknown")]
    pub plaintext: Option<Value>,
    /// What the relay answered.
    pub answer: Option<String>,
    pub upstream_url: Option<String>,
    pub forward_mode: Option<ForwardMode>,
    pub upstream_answer: Option<String>,
    pub upstream_error: Option<String>,
}

/// The inspector's list query. Every field narrows the list; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RecordFilter {
    #[ts(optional)]
    pub profile: Option<String>,
    #[ts(optional)]
    pub kind: Option<RequestKind>,
    #[ts(optional)]
    pub verdict: Option<Verdict>,
    /// Found in the event type, event id, reject code or reason, or the decrypted body.
    #[ts(optional)]
    pub text: Option<String>,
    /// Only records older than this id (paging).
    #[ts(optional, type = "number")]
    pub before_id: Option<i64>,
    /// At most this many (default 100, at most 1000).
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// A change to the record, for the live view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum RecordEvent {
    /// A new request was recorded (before it was answered).
    Recorded { record: RecordSummary },
    /// A recorded request changed: the upstream answered late, or the outbox delivered it.
    Updated { record: RecordSummary },
}

impl RecordEvent {
    pub fn record(&self) -> &RecordSummary {
        match self {
            Self::Recorded { record } | Self::Updated { record } => record,
        }
    }
}

/// The outcome of a replay.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplayResult {
    /// The new record of the replayed request.
    pub record: RecordSummary,
    pub url: String,
    pub status: Option<u16>,
    pub answer: Option<String>,
    /// Why the request got no answer (`upstream_failed`, the detail masked).
    pub error: Option<Problem>,
    pub latency_ms: f64,
}

/// A running relay, for the Relay screen's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RelayStatus {
    /// `ip:port` it listens on.
    pub listen: String,
    /// The callback URL of each profile.
    pub urls: Vec<ProfileUrl>,
    /// Set when the relay listens beyond loopback (`relay_beyond_loopback`).
    pub warning: Option<Problem>,
    pub pending_events: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileUrl {
    pub profile: String,
    pub url: String,
    pub upstream: Option<String>,
    pub mode: ForwardMode,
    /// The kinds of callback the profile's secrets cannot verify, which the relay refuses
    /// (absent when it can verify every kind).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverifiable: Option<Vec<RequestKind>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_checks_read_as_codes_and_old_sentences_still_read() {
        let now = serde_json::to_string(&[
            RelayCheck::new("decrypted"),
            RelayCheck::new("tokenMatched").param("path", "header.token"),
        ])
        .unwrap();
        let read = RelayCheck::parse_stored(&now);
        assert_eq!(read[1].code, "tokenMatched");
        assert_eq!(read[1].params["path"], "header.token");

        let before =
            r#"["decrypted with the Encrypt Key", "Verification Token at `header.token` matches"]"#;
        let read = RelayCheck::parse_stored(before);
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].code, "text");
        assert_eq!(read[0].params["text"], "decrypted with the Encrypt Key");
        assert!(RelayCheck::parse_stored("not json").is_empty());
    }
}
