//! Inspector actions beyond list and detail: replay a recorded request to the upstream
//! (re-signed, since the recorded body has its secrets masked) and export one as a curl command
//! that holds no secret. Only accepted requests are replayed: re-signing is what makes a replay
//! pass the upstream's checks, so replaying a rejected one would launder it.

use std::time::Instant;

use serde_json::Value;

use super::config::RelayProfile;
use super::error::RelayError;
use super::model::{
    AnsweredBy, RecordDetail, RecordEvent, RelayCheck, ReplayResult, RequestKind, RequestSource,
    Verdict,
};
use super::scrub;
use super::state::RelayCore;
use super::store::upstream_problem;
use super::store::NewRecord;
use super::upstream::{display_url, Outgoing};
use crate::redact::MASK;

/// The recorded plaintext with the profile's Verification Token put back where the platform
/// puts it (`token` or `header.token`). Card-update tokens stay masked: they expire anyway.
fn restore_token(kind: RequestKind, mut plaintext: Value, profile: &RelayProfile) -> Value {
    let Some(token) = profile.keys.verification_token() else {
        return plaintext;
    };
    let slot = match kind {
        RequestKind::UrlVerification | RequestKind::EventV1 => plaintext.get_mut("token"),
        RequestKind::EventV2 | RequestKind::CardAction => {
            plaintext.get_mut("header").and_then(|h| h.get_mut("token"))
        }
        _ => None,
    };
    if let Some(slot) = slot.filter(|s| s.as_str() == Some(MASK)) {
        *slot = Value::String(token.to_string());
    }
    plaintext
}

/// Whether a check authenticated the recorded request's sender: a signature or the Verification
/// Token matched (codes, or the sentences of records from before codes), or it came over the
/// long connection. A replay record was made from such a record.
fn authenticated(detail: &RecordDetail) -> bool {
    detail.summary.source == RequestSource::Replay
        || detail.path.starts_with("/long-connection/")
        || detail.checks.iter().any(|c| match c.code.as_str() {
            "signatureMatched" | "tokenMatched" => true,
            "text" => c
                .params
                .get("text")
                .is_some_and(|t| t.ends_with(" matches")),
            _ => false,
        })
}

/// Sends record `id` again, sealed afresh with its profile's keys, to `url` or the profile's
/// upstream, and records the replay as a new record. A rejected record is refused
/// ([`RelayError::ReplayRejected`]): sealing it with the real keys and token would make the
/// request the relay refused (a forgery, say) genuine. So is an accepted one that no check
/// authenticated ([`RelayError::ReplayUnverified`], records from before `coverage`).
pub async fn replay(
    core: &RelayCore,
    id: i64,
    url: Option<&str>,
) -> Result<ReplayResult, RelayError> {
    let detail = core.store.detail(id)?;
    if detail.summary.verdict == Verdict::Rejected {
        return Err(RelayError::ReplayRejected {
            id,
            code: detail
                .summary
                .reject_code
                .clone()
                .unwrap_or_else(|| "rejected".into()),
        });
    }
    if !authenticated(&detail) {
        return Err(RelayError::ReplayUnverified(id));
    }
    let profile = core
        .profile(&detail.summary.profile)
        .ok_or_else(|| RelayError::UnknownProfile(detail.summary.profile.clone()))?;
    let target = target(profile, url)?;
    let kind = detail.summary.kind;
    let plaintext = match (&detail.plaintext, kind) {
        (Some(p), k) if k != RequestKind::Unknown => p.clone(),
        _ => return Err(RelayError::NothingToReplay(id)),
    };
    let sent = Sent {
        kind,
        event_type: detail.summary.event_type.clone(),
        event_id: detail.summary.event_id.clone(),
        shown: detail.plaintext.clone(),
        check: RelayCheck::new("replayed").param("id", id),
    };
    reseal_and_send(core, profile, plaintext, target, sent).await
}

/// Signs a body the admin wrote (or edited from a rejected request) with `profile`'s real keys
/// and Verification Token, and sends it to `url` or the profile's upstream: the signature lab's
/// "Re-sign and send", the one way a refused request's text goes anywhere. The UI asks for an
/// explicit confirmation first; the record says the admin signed it (`resignedInLab`), so no one
/// takes it for something the platform sent.
pub async fn resign(
    core: &RelayCore,
    profile: &str,
    body: &str,
    url: Option<&str>,
) -> Result<ReplayResult, RelayError> {
    let profile = core
        .find_profile(profile)
        .ok_or_else(|| RelayError::UnknownProfile(profile.to_string()))?;
    let target = target(profile, url)?;
    let not_a_callback = || {
        RelayError::invalid(
            "body",
            crate::problem::Problem::new(crate::problem::ProblemCode::ResignNotCallback),
        )
    };
    let plaintext: Value = serde_json::from_str(body).map_err(|_| not_a_callback())?;
    let parsed =
        lark_platform::envelope::parse_value(&plaintext, false).map_err(|_| not_a_callback())?;
    let kind = RequestKind::of(&parsed);
    let (event_type, event_id) = super::recording::event_type_and_id(&parsed);
    let mut shown = plaintext.clone();
    scrub::json(&mut shown, &profile.keys.values());
    let sent = Sent {
        kind,
        event_type,
        event_id,
        shown: Some(shown),
        check: RelayCheck::new("resignedInLab"),
    };
    reseal_and_send(core, profile, plaintext, target, sent).await
}

/// Where a replay or a re-signed body goes: the typed URL, else the profile's upstream.
fn target(profile: &RelayProfile, url: Option<&str>) -> Result<url::Url, RelayError> {
    match url {
        Some(url) => super::upstream::parse_typed_url("url", url),
        None => profile
            .upstream
            .as_ref()
            .map(|u| u.url.clone())
            .ok_or_else(|| RelayError::NoUpstream(profile.name.clone())),
    }
}

/// What a re-sealed request is recorded as.
struct Sent {
    kind: RequestKind,
    event_type: Option<String>,
    event_id: Option<String>,
    /// The plaintext as shown (masked).
    shown: Option<Value>,
    check: RelayCheck,
}

/// Seals `plaintext` (its masked token put back) with `profile`'s keys, sends it to `target`
/// and records it as a new replay record.
async fn reseal_and_send(
    core: &RelayCore,
    profile: &RelayProfile,
    plaintext: Value,
    target: url::Url,
    sent: Sent,
) -> Result<ReplayResult, RelayError> {
    let kind = sent.kind;
    let body = restore_token(kind, plaintext, profile).to_string();
    let now = core.config.clock.now();
    let outgoing = Outgoing::resigned(kind, body.as_bytes(), &profile.keys, now.timestamp());
    let started = Instant::now();
    let outcome = core
        .forwarder
        .send(&target, &outgoing, core.config.upstream_timeout)
        .await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let secrets = profile.keys.values();
    // Recorded and shown masked: an upstream may echo the token put back above.
    let outcome = scrub::outcome(&outcome, &secrets, &[]);
    let shown_url = display_url(&target);
    let record = NewRecord {
        received_ms: now.timestamp_millis(),
        profile: profile.slug.clone(),
        source: RequestSource::Replay,
        kind,
        event_type: sent.event_type,
        event_id: sent.event_id,
        verdict: Verdict::Accepted,
        reject_code: None,
        reject_reason: None,
        reject_fix: None,
        reject_params: Default::default(),
        checks: vec![sent.check],
        path: shown_url.clone(),
        headers: scrub::headers(&outgoing.headers, &secrets),
        body: scrub::text(&String::from_utf8_lossy(&outgoing.body), &secrets, &[]),
        body_bytes: outgoing.body.len(),
        plaintext: sent.shown,
        http_status: outcome.status.unwrap_or(0),
        answer: outcome.answer.clone(),
        answered_by: AnsweredBy::Upstream,
        answer_us: (latency_ms * 1000.0) as u64,
        deadline_missed: false,
        upstream_url: Some(shown_url.clone()),
        forward_mode: Some(super::config::ForwardMode::Resign),
        upstream: Some(outcome.clone()),
        outbox: None,
    };
    let summary = core.store.insert(record, None)?;
    core.publish(RecordEvent::Recorded {
        record: summary.clone(),
    });
    Ok(ReplayResult {
        record: summary,
        url: shown_url,
        status: outcome.status,
        answer: outcome.answer,
        error: outcome.error.map(upstream_problem),
        latency_ms,
    })
}

/// Single-quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The record as a curl command against `url`. The recorded headers and body are already
/// masked; credential headers are left out entirely.
pub fn export_curl(detail: &RecordDetail, url: &str) -> String {
    let mut lines = Vec::new();
    if detail.body.contains(MASK) {
        lines.push(format!(
            "# Secret values appear as {MASK}; put yours back to send it. The signature headers \
             match only the original body: use the relay's replay to send a re-signed copy."
        ));
    }
    let mut command = format!("curl -sS -X POST {}", shell_quote(url));
    for h in &detail.headers {
        let name = h.name.to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "host" | "content-length" | "accept-encoding" | "connection"
        ) || scrub::credential_header(&name)
        {
            continue;
        }
        command.push_str(&format!(
            " \\\n  -H {}",
            shell_quote(&format!("{}: {}", h.name, h.value))
        ));
    }
    command.push_str(&format!(" \\\n  --data-raw {}", shell_quote(&detail.body)));
    lines.push(command);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(shell_quote("it's"), r#"'it'\''s'"#);
    }
}
