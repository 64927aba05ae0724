//! The request pipeline: read the body under an admission and a deadline (`limits`), verify with
//! the profile's keys, reject stale timestamps and kinds no secret of the profile could check
//! (`coverage`), record, then
//! answer: the challenge at once, events at once (delivered later by the outbox), card clicks
//! with the upstream's answer within the budget (or `{}`), or the built-in handler's card.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use lark_platform::envelope::{self, Envelope, SignatureHeaders, Verified, VerifyError};
use serde_json::{json, Value};

use super::builtin;
use super::config::{RelayKeys, RelayProfile};
use super::coverage;
use super::limits::Full;
use super::marks::mark;
use super::model::{AnsweredBy, RecordEvent, RequestKind, Verdict};
use super::recording::{
    accepted_record, base_record, declared_length, peek, read_body, trim_rejected, Inbound,
    ReadBody,
};
use super::rejection::{stale, Rejection};
use super::scrub;
use super::seen_clicks;
use super::state::RelayCore;
use super::store::{NewOutbox, UpstreamOutcome};
use super::upstream::{display_url, forwarded_headers, Outgoing};

/// The axum handler for `POST /callback/{profile}`.
pub(crate) async fn handle(
    core: Arc<RelayCore>,
    slug: String,
    peer: Option<IpAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let received_ms = core.config.clock.now_ms();
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // No body is read without an admission: they bound what the relay buffers (`limits`).
    let limits = &core.config.limits;
    let admission = core
        .guard
        .admit(peer, declared_length(&headers), limits.admission_wait)
        .await;
    let admission = match admission {
        Ok(admission) => admission,
        Err(full) => return busy(&core, peer, full),
    };
    let mut held = core.guard.held();
    let deadline = tokio::time::Instant::from_std(started) + limits.body_timeout;
    let (raw, oversize, timed_out) =
        match read_body(&headers, body, core.config.max_body, deadline, &mut held).await {
            ReadBody::Complete(raw) => (raw, None, false),
            ReadBody::TooLarge(oversize) => (Vec::new(), Some(oversize), false),
            ReadBody::TimedOut(raw) => (raw, None, true),
        };
    let _large = admission.body_read();
    let inbound = Inbound {
        started,
        received_ms,
        path: format!("/callback/{slug}"),
        headers: pairs,
        raw,
        oversize,
        timed_out,
        peer,
        channel_authenticated: false,
    };
    process(core, &slug, inbound).await
}

/// No admission was free: 429 when the peer holds its share, 503 when everyone's is taken.
/// Not recorded (nothing was read); counted in the load and logged now and then.
fn busy(core: &RelayCore, peer: Option<IpAddr>, full: Full) -> Response {
    let refused = core.guard.load().refused_requests;
    if refused % 100 == 1 {
        tracing::warn!(
            ?peer,
            ?full,
            refused,
            "relay busy: request answered without reading it"
        );
    }
    let (status, message) = match full {
        Full::Peer => (
            StatusCode::TOO_MANY_REQUESTS,
            "This sender has too many requests in progress; try again.",
        ),
        Full::Global => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The relay is busy; try again.",
        ),
    };
    let mut response = error_response(status, "busy", message, None);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    response
}

/// The pipeline for a request already read: from HTTP, or built from a long-connection message
/// (see `long_connection`).
pub(crate) async fn process(core: Arc<RelayCore>, slug: &str, inbound: Inbound) -> Response {
    let received_ms = inbound.received_ms;
    let Some(profile) = core.profile(slug).cloned() else {
        return unknown_profile(&core, slug, &inbound).await;
    };
    if inbound.timed_out {
        let rejection = Rejection::body_timeout(core.config.limits.body_timeout, inbound.raw.len());
        return reject(&core, &profile, &inbound, &rejection).await;
    }
    if let Some(oversize) = inbound.oversize {
        let limit = core.config.max_body;
        let rejection = if oversize.received > limit {
            Rejection::from_verify(&VerifyError::BodyTooLarge {
                len: oversize.received,
                limit,
            })
        } else {
            // Declared over the limit, and fewer bytes came: the size is the sender's word.
            Rejection::declared_too_large(oversize.declared.unwrap_or(0), oversize.received, limit)
        };
        return reject(&core, &profile, &inbound, &rejection).await;
    }
    let signature = SignatureHeaders::from_pairs(
        inbound
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let verified = match envelope::verify(
        &signature,
        &inbound.raw,
        &profile.keys.callback_keys(),
        core.config.max_body,
    ) {
        Ok(v) => v,
        Err(e) => {
            return reject(&core, &profile, &inbound, &Rejection::from_verify(&e)).await;
        }
    };
    // Before the timestamp: a request no check authenticated carries whatever timestamp its
    // sender wrote, and what matters about it is that it cannot be verified.
    if !inbound.channel_authenticated && !coverage::authenticated(&verified.checks) {
        let kind = RequestKind::of(&verified.envelope);
        return reject(&core, &profile, &inbound, &Rejection::unverifiable(kind)).await;
    }
    if verified.envelope.signature_scheme().is_some() {
        if let Some(stale) = stale(&signature, received_ms, core.config.max_skew.as_secs()) {
            return reject(&core, &profile, &inbound, &stale).await;
        }
    }
    // A card click is acted on at once: the same signed click sent again within the skew is
    // refused (the long connection's messages are sealed here and never repeat).
    let click = if inbound.channel_authenticated {
        Vec::new()
    } else {
        seen_clicks::keys(slug, &verified, &signature)
    };
    if !core
        .seen_clicks
        .first_sight(&click, received_ms, core.config.max_skew)
    {
        let kind = RequestKind::of(&verified.envelope);
        let rejection = Rejection::replayed(kind, core.config.max_skew);
        return reject(&core, &profile, &inbound, &rejection).await;
    }
    match &verified.envelope {
        Envelope::UrlVerification { challenge, .. } => {
            let challenge = challenge.clone();
            challenge_answer(&core, &profile, &inbound, &verified, &challenge).await
        }
        Envelope::EventV2 { .. } | Envelope::EventV1 { .. } => {
            event_answer(&core, &profile, &inbound, &verified).await
        }
        Envelope::CardActionTrigger(_) | Envelope::LegacyCardAction(_) => {
            card_answer(&core, &profile, &inbound, &verified, &click).await
        }
    }
}

fn error_response(status: StatusCode, code: &str, message: &str, fix: Option<&str>) -> Response {
    let mut error = json!({"code": code, "message": message});
    if let Some(fix) = fix {
        error["fix"] = json!(fix);
    }
    (status, axum::Json(json!({ "error": error }))).into_response()
}

fn not_recorded() -> Response {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage",
        "The relay could not record the request.",
        None,
    )
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (status, axum::Json(body.clone())).into_response()
}

/// Whether this rejected request may be recorded: rejections are recorded at a bounded rate per
/// peer (`rejections::RejectionBudget`); the others get the same answer, unrecorded.
fn record_rejection(core: &RelayCore, inbound: &Inbound) -> bool {
    inbound
        .peer
        .is_none_or(|peer| core.rejections.allow(peer, Instant::now()))
}

async fn reject(
    core: &RelayCore,
    profile: &RelayProfile,
    inbound: &Inbound,
    r: &Rejection,
) -> Response {
    let (reason, fix) = (r.reason(), r.fix());
    let response = error_response(r.status, r.code, &reason, fix.as_deref());
    if !record_rejection(core, inbound) {
        return response;
    }
    let plaintext = peek(&inbound.raw, &profile.keys);
    let envelope = plaintext
        .as_ref()
        .and_then(|p| envelope::parse_value(p, false).ok());
    let mut record = base_record(
        &profile.slug,
        inbound,
        &profile.keys,
        plaintext.as_ref(),
        envelope.as_ref(),
    );
    record.verdict = Verdict::Rejected;
    record.reject_code = Some(r.code.to_string());
    record.reject_reason = Some(reason.clone());
    record.reject_fix = fix;
    record.reject_params = r.params.clone();
    record.http_status = r.status.as_u16();
    record.answer = Some(json!({"error": {"code": r.code, "message": reason}}).to_string());
    record.answer_us = inbound.elapsed_us();
    trim_rejected(&mut record);
    match core.record(record, None).await {
        Some(_) => response,
        None => not_recorded(),
    }
}

/// The answer to a path that names no served profile. Whoever sent it learns nothing: neither
/// the profiles served nor the slug it asked for (the record, for the owner, has both).
const UNKNOWN_PROFILE_ANSWER: &str = "Not found.";

async fn unknown_profile(core: &RelayCore, slug: &str, inbound: &Inbound) -> Response {
    let slug: String = slug.chars().take(64).collect();
    let known: Vec<&str> = core.profiles.keys().map(String::as_str).collect();
    let params = BTreeMap::from([
        ("slug".to_owned(), slug.clone()),
        ("served".to_owned(), known.join(",")),
    ]);
    let reason = super::rejection::reason("unknown_profile", &params);
    let response = error_response(
        StatusCode::NOT_FOUND,
        "unknown_profile",
        UNKNOWN_PROFILE_ANSWER,
        None,
    );
    if !record_rejection(core, inbound) {
        return response;
    }
    let mut record = base_record(&slug, inbound, &RelayKeys::default(), None, None);
    record.verdict = Verdict::Rejected;
    record.reject_code = Some("unknown_profile".into());
    record.reject_reason = Some(reason.clone());
    record.reject_params = params;
    record.http_status = 404;
    record.answer = Some(
        json!({"error": {"code": "unknown_profile", "message": UNKNOWN_PROFILE_ANSWER}})
            .to_string(),
    );
    record.answer_us = inbound.elapsed_us();
    trim_rejected(&mut record);
    match core.record(record, None).await {
        Some(_) => response,
        None => not_recorded(),
    }
}

fn outgoing(
    core: &RelayCore,
    profile: &RelayProfile,
    inbound: &Inbound,
    verified: &Verified,
) -> Option<(url::Url, Outgoing)> {
    let upstream = profile.upstream.as_ref()?;
    let outgoing = Outgoing::for_mode(
        upstream.mode,
        RequestKind::of(&verified.envelope),
        &inbound.headers,
        &inbound.raw,
        verified.plaintext.to_string().as_bytes(),
        &profile.keys,
        core.config.clock.now().timestamp(),
    );
    Some((upstream.url.clone(), outgoing))
}

/// Answers the challenge at once; a configured upstream gets it too, in the background, and its
/// answer is added to the record (so "the upstream would have failed the check" shows).
async fn challenge_answer(
    core: &Arc<RelayCore>,
    profile: &RelayProfile,
    inbound: &Inbound,
    verified: &Verified,
    challenge: &str,
) -> Response {
    let answer = json!({ "challenge": challenge });
    let mut record = accepted_record(profile, inbound, verified);
    record.answer = Some(answer.to_string());
    record.answer_us = inbound.elapsed_us();
    record.deadline_missed =
        record.answer_us > u64::from(super::config::CHALLENGE_DEADLINE_MS) * 1000;
    let summary = match core.record(record, None).await {
        Some(summary) => summary,
        None => return not_recorded(),
    };
    if let Some((url, outgoing)) = outgoing(core, profile, inbound, verified) {
        let mask = AnswerMask::new(profile, verified);
        follow_up(core.clone(), summary.id, url, outgoing, mask);
    }
    json_response(StatusCode::OK, &answer)
}

/// What to mask in the upstream's answers to one request before they are recorded: the
/// profile's secrets and the values masked in the request itself (an upstream may echo them).
struct AnswerMask {
    secrets: Vec<String>,
    request_values: Vec<String>,
}

impl AnswerMask {
    fn new(profile: &RelayProfile, verified: &Verified) -> Self {
        let secrets = profile.keys.values();
        Self {
            request_values: scrub::masked_values(&verified.plaintext, &secrets),
            secrets: secrets.into_iter().map(str::to_owned).collect(),
        }
    }

    fn outcome(&self, outcome: &UpstreamOutcome) -> UpstreamOutcome {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        scrub::outcome(outcome, &secrets, &self.request_values)
    }
}

/// Sends to the upstream in the background and adds its answer (masked) to record `id`.
fn follow_up(core: Arc<RelayCore>, id: i64, url: url::Url, outgoing: Outgoing, mask: AnswerMask) {
    tokio::spawn(async move {
        let outcome = core
            .forwarder
            .send(&url, &outgoing, core.config.upstream_timeout)
            .await;
        store_late(&core, id, &mask.outcome(&outcome));
    });
}

/// Records a late answer, already masked.
fn store_late(core: &RelayCore, id: i64, outcome: &UpstreamOutcome) {
    match core.store.set_upstream(id, outcome) {
        Ok(record) => core.publish(RecordEvent::Updated { record }),
        Err(e) => tracing::warn!(id, error = %e, "could not record the upstream's late answer"),
    }
}

/// Records the event (and its outbox row) and acknowledges it at once.
async fn event_answer(
    core: &RelayCore,
    profile: &RelayProfile,
    inbound: &Inbound,
    verified: &Verified,
) -> Response {
    let mut record = accepted_record(profile, inbound, verified);
    let outbox = profile.upstream.as_ref().map(|u| {
        let (body, secret_marker) = mark(&inbound.raw, &profile.keys);
        NewOutbox {
            upstream_url: display_url(&u.url),
            mode: u.mode,
            headers: forwarded_headers(&inbound.headers),
            body,
            secret_marker,
        }
    });
    let answer = json!({});
    record.answer = Some(answer.to_string());
    record.answer_us = inbound.elapsed_us();
    let queued = outbox.is_some();
    match core.record(record, outbox).await {
        Some(summary) => {
            if queued && summary.verdict == Verdict::Accepted {
                core.outbox_wake.notify_one();
            }
            json_response(StatusCode::OK, &answer)
        }
        None => not_recorded(),
    }
}

/// Card clicks: the upstream's answer if it comes within the budget, else `{}` (and the late
/// answer is recorded when it arrives); with no upstream, the built-in handler.
async fn card_answer(
    core: &Arc<RelayCore>,
    profile: &RelayProfile,
    inbound: &Inbound,
    verified: &Verified,
    click: &[String],
) -> Response {
    // Unrecorded, the click was not acknowledged: the platform may send it again.
    let not_recorded = || {
        core.seen_clicks.forget(click);
        not_recorded()
    };
    let mut record = accepted_record(profile, inbound, verified);
    let Some((url, outgoing)) = outgoing(core, profile, inbound, verified) else {
        let answer = builtin::answer(
            &verified.envelope,
            &core.templates,
            core.alerts.as_ref(),
            profile.card_language,
            core.config.clock.now(),
        );
        record.answered_by = AnsweredBy::BuiltIn;
        record.answer = Some(answer.to_string());
        record.answer_us = inbound.elapsed_us();
        record.deadline_missed =
            record.answer_us > u64::from(super::config::CARD_DEADLINE_MS) * 1000;
        return match core.record(record, None).await {
            Some(_) => json_response(StatusCode::OK, &answer),
            None => not_recorded(),
        };
    };
    let mask = AnswerMask::new(profile, verified);
    let budget = core
        .config
        .card_budget
        .saturating_sub(inbound.started.elapsed());
    let forwarder = core.forwarder.clone();
    let timeout = core.config.upstream_timeout;
    let mut task = tokio::spawn(async move { forwarder.send(&url, &outgoing, timeout).await });
    let (response, late) = match tokio::time::timeout(budget, &mut task).await {
        Ok(Ok(outcome)) => {
            // The platform gets the answer as it came; the record gets it masked.
            let masked = mask.outcome(&outcome);
            let response = match outcome.status {
                Some(status) => {
                    record.answered_by = AnsweredBy::Upstream;
                    record.http_status = status;
                    record.answer = masked.answer.clone();
                    upstream_response(status, outcome.answer.as_deref().unwrap_or_default())
                }
                None => {
                    record.answered_by = AnsweredBy::UpstreamError;
                    let toast = json!({"toast": {"type": "error",
                        "content": "The relay could not reach the upstream; see the relay's inspector."}});
                    record.answer = Some(toast.to_string());
                    json_response(StatusCode::OK, &toast)
                }
            };
            record.upstream = Some(masked);
            (response, None)
        }
        Ok(Err(join)) => {
            record.answered_by = AnsweredBy::UpstreamError;
            record.upstream = Some(UpstreamOutcome {
                error: Some(format!("the forwarding task failed: {join}")),
                ..UpstreamOutcome::default()
            });
            record.answer = Some("{}".into());
            (json_response(StatusCode::OK, &json!({})), None)
        }
        Err(_) => {
            record.answered_by = AnsweredBy::Fallback;
            record.deadline_missed = true;
            record.answer = Some("{}".into());
            (json_response(StatusCode::OK, &json!({})), Some(task))
        }
    };
    record.answer_us = inbound.elapsed_us();
    record.deadline_missed |= record.answer_us > u64::from(super::config::CARD_DEADLINE_MS) * 1000;
    let summary = match core.record(record, None).await {
        Some(summary) => summary,
        None => return not_recorded(),
    };
    if let Some(task) = late {
        let core = core.clone();
        tokio::spawn(async move {
            let outcome = task.await.unwrap_or_else(|join| UpstreamOutcome {
                error: Some(format!("the forwarding task failed: {join}")),
                ..UpstreamOutcome::default()
            });
            store_late(&core, summary.id, &mask.outcome(&outcome));
        });
    }
    response
}

/// The upstream's answer, passed back as it came (JSON when it is JSON).
fn upstream_response(status: u16, body: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let content_type = if serde_json::from_str::<Value>(body).is_ok() {
        "application/json; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    (
        status,
        [(header::CONTENT_TYPE, content_type)],
        body.to_string(),
    )
        .into_response()
}
