//! The callback relay, GUI-free: Feishu/Lark POSTs events and card clicks to one URL, and admins
//! cannot see what happens there. The relay receives them (one path per profile), verifies them
//! with the right scheme for each envelope, records every request in SQLite before answering,
//! and passes them on to an upstream (transparent or re-signed) within the platform's deadlines.
//!
//! Pieces, each small:
//! - [`config`]: listen address, profiles with their keys and upstream, budgets, clock.
//! - `state`: what the listener, the outbox worker and the inspector share ([`RelayCore`]).
//! - `pipeline`: the request pipeline (verify, stale check, record, answer); `recording` turns
//!   a request into its (masked) record, `rejection` says why one is refused, `coverage` which
//!   kinds the profile's secrets can verify, `rejections` how many refusals a peer gets
//!   recorded.
//! - [`store`]: the SQLite record and the durable event outbox; `marks` keeps secret values
//!   out of stored outbox bodies.
//! - `outbox`: delivery with retries and backoff; duplicates (same event id) delivered once.
//! - [`builtin`]: with no upstream, Acknowledge/Resolve clicks get the updated alert card.
//! - [`claim`]: one relay per data folder and profile: the OS lock a relay of either mode takes
//!   on each profile it serves, and who holds it (named when a second relay is refused).
//! - [`server`]: the axum router and [`Relay`], the running relay the UI and CLI drive;
//!   `listener` accepts connections under `limits` (timeouts, connection caps, body admissions).
//! - [`long_connection`]: the input without a public URL: the relay dials the platform's
//!   WebSocket and pushed messages take the same record / forward / built-in path.
//! - [`inspector`]: replay (re-signed) and curl export without secrets.
//! - [`trigger`]: synthetic challenges, events and clicks signed with the profile's keys.
//! - [`lab`]: the signature lab, which names the secret in the wrong field.
//! - `scrub`, [`seal`], `upstream`: masking, sealing like the platform, HTTP forwarding.
//!
//! Rejections (none reaches the upstream, all are recorded with the reason): wrong signature or
//! token 401, unparseable or undecryptable body 400, body over 1 MiB 413, timestamp more than
//! 5 minutes off 401, a kind the profile's secrets cannot verify 401 (`coverage`).
//!
//! For the Relay screen: build a [`RelayProfile::load`] (keys from the keychain) and a
//! [`RelayCore`] from [`RelaySettings::config`], [`Relay::start`] it, forward
//! [`Relay::subscribe`] to the window, call [`Relay::list`] / [`Relay::detail`] /
//! [`Relay::replay`] / [`Relay::export_curl`] / [`Relay::trigger`] / [`Relay::lab`]. With no
//! relay running, history stays readable through a [`RelayStore`], and the lab
//! ([`lab::analyze`]) and triggers ([`trigger::send`] with a [`Forwarder`]) work on their own.

pub mod builtin;
pub mod claim;
mod commit;
pub mod config;
mod coverage;
mod error;
pub mod inspector;
pub mod lab;
mod limits;
mod listener;
pub mod long_connection;
mod marks;
pub mod model;
pub mod ops;
mod outbox;
mod pipeline;
mod recording;
mod rejection;
mod rejections;
pub mod saved;
mod scrub;
pub mod seal;
mod seen_clicks;
pub mod server;
mod state;
pub mod store;
pub mod trigger;
mod upstream;

use ts_rs::TS;

pub use builtin::{AlertBook, KnownAlerts};
pub use claim::{Holder, RelayProgram};
pub use config::{
    slugify, Clock, ForwardMode, OutboxPolicy, RelayConfig, RelayKeys, RelayProfile, RelaySettings,
    Retention, Upstream,
};
pub use error::RelayError;
pub use lab::{
    LabAttempt, LabDecryptError, LabFinding, LabFindingCode, LabInput, LabReport, LabScheme,
    LabSummary, LabSummaryCode, SecretField,
};
pub use limits::{ListenLimits, RelayLoad};
pub use long_connection::{
    ConnectionState, LongConnectionApp, LongConnectionRelay, LongConnectionStatus,
};
pub use model::{
    AnsweredBy, HeaderPair, OutboxState, ProfileUrl, RecordDetail, RecordEvent, RecordFilter,
    RecordSummary, RelayCheck, RelayStatus, ReplayResult, RequestKind, RequestSource, Verdict,
};
pub use saved::SavedRelaySettings;
pub use server::{router, Relay};
pub use state::RelayCore;
pub use store::RelayStore;
pub use trigger::{TriggerKind, TriggerRequest, TriggerResult};
pub use upstream::{display_url, Forwarder};

/// The TypeScript declarations of the relay's IPC types, for `tests/bindings.rs`.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        (
            "ForwardMode.ts",
            ForwardMode::export_to_string().unwrap_or_default(),
        ),
        (
            "LongConnectionState.ts",
            long_connection::LongConnectionState::export_to_string().unwrap_or_default(),
        ),
        (
            "LongConnectionStatus.ts",
            long_connection::LongConnectionStatus::export_to_string().unwrap_or_default(),
        ),
        (
            "RelaySettings.ts",
            RelaySettings::export_to_string().unwrap_or_default(),
        ),
        (
            "SavedRelaySettings.ts",
            SavedRelaySettings::export_to_string().unwrap_or_default(),
        ),
        (
            "RelayStatus.ts",
            RelayStatus::export_to_string().unwrap_or_default(),
        ),
        (
            "ProfileUrl.ts",
            ProfileUrl::export_to_string().unwrap_or_default(),
        ),
        (
            "RequestKind.ts",
            RequestKind::export_to_string().unwrap_or_default(),
        ),
        (
            "RequestSource.ts",
            RequestSource::export_to_string().unwrap_or_default(),
        ),
        (
            "Verdict.ts",
            Verdict::export_to_string().unwrap_or_default(),
        ),
        (
            "AnsweredBy.ts",
            AnsweredBy::export_to_string().unwrap_or_default(),
        ),
        (
            "OutboxState.ts",
            OutboxState::export_to_string().unwrap_or_default(),
        ),
        (
            "RecordSummary.ts",
            RecordSummary::export_to_string().unwrap_or_default(),
        ),
        (
            "HeaderPair.ts",
            HeaderPair::export_to_string().unwrap_or_default(),
        ),
        (
            "RelayCheck.ts",
            RelayCheck::export_to_string().unwrap_or_default(),
        ),
        (
            "RecordDetail.ts",
            RecordDetail::export_to_string().unwrap_or_default(),
        ),
        (
            "RecordFilter.ts",
            RecordFilter::export_to_string().unwrap_or_default(),
        ),
        (
            "RecordEvent.ts",
            RecordEvent::export_to_string().unwrap_or_default(),
        ),
        (
            "ReplayResult.ts",
            ReplayResult::export_to_string().unwrap_or_default(),
        ),
        (
            "TriggerKind.ts",
            TriggerKind::export_to_string().unwrap_or_default(),
        ),
        (
            "TriggerRequest.ts",
            TriggerRequest::export_to_string().unwrap_or_default(),
        ),
        (
            "TriggerResult.ts",
            TriggerResult::export_to_string().unwrap_or_default(),
        ),
        (
            "LabInput.ts",
            LabInput::export_to_string().unwrap_or_default(),
        ),
        (
            "LabScheme.ts",
            LabScheme::export_to_string().unwrap_or_default(),
        ),
        (
            "SecretField.ts",
            SecretField::export_to_string().unwrap_or_default(),
        ),
        (
            "LabAttempt.ts",
            LabAttempt::export_to_string().unwrap_or_default(),
        ),
        (
            "LabReport.ts",
            LabReport::export_to_string().unwrap_or_default(),
        ),
        (
            "LabFinding.ts",
            LabFinding::export_to_string().unwrap_or_default(),
        ),
        (
            "LabFindingCode.ts",
            LabFindingCode::export_to_string().unwrap_or_default(),
        ),
        (
            "LabSummary.ts",
            LabSummary::export_to_string().unwrap_or_default(),
        ),
        (
            "LabSummaryCode.ts",
            LabSummaryCode::export_to_string().unwrap_or_default(),
        ),
        (
            "LabDecryptError.ts",
            LabDecryptError::export_to_string().unwrap_or_default(),
        ),
    ]
}
