//! The URL-verification challenge the console sends when a webhook request URL is saved (event
//! or callback request URL with the webhook mode, or the bot's card request URL): the body
//! `{"challenge","token","type":"url_verification"}`, sealed like every callback (encrypted when
//! the app has an Encrypt Key).
//!
//! The save never waits for it and is never refused because of it: the write's handler queues a
//! [`ChallengeJob`] while it holds the state lock, and [`dispatch`] sends the queued ones in the
//! background once the lock is released, with a 3-second timeout. `GET /_sim/challenges` shows
//! each one and whether the receiver answered it (HTTP 200 with the same `challenge`). Only
//! loopback targets are contacted: any other URL is recorded as not sent.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};

use crate::callbacks::{build_body, check_loopback, seal, CallbackKind, CallbackParams};
use crate::state::{Inner, SimState};
use crate::tenant::random_secret;

/// How long the receiver has to answer.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);
/// Records kept (oldest dropped first).
const KEEP: usize = 1000;

/// Which URL was saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeKind {
    /// The event subscription's request URL.
    Event,
    /// The callback subscription's request URL.
    Callback,
    /// The bot's card request URL (`message_card_callback_url`).
    Card,
}

/// One challenge, as `GET /_sim/challenges` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ChallengeRecord {
    pub id: u64,
    pub app_id: String,
    pub kind: ChallengeKind,
    pub url: String,
    /// The receiver answered HTTP 200 with the challenge it was sent.
    pub answered: bool,
    /// HTTP status of the answer; `null` while waiting or when none came.
    pub status: Option<u16>,
    /// When the URL was saved (ms, simulated clock).
    pub at: i64,
    /// Still waiting for the answer.
    pub pending: bool,
    /// Why there is no answer: a timeout, a refused connection, a URL that is not loopback.
    pub error: Option<String>,
    /// The challenge string that was sent.
    pub challenge: String,
}

/// A challenge to send.
#[derive(Clone, Debug)]
pub struct ChallengeJob {
    id: u64,
    url: String,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

/// Records a challenge for `url` and queues it for [`dispatch`]; call under the state lock.
pub fn queue(inner: &mut Inner, app_id: &str, kind: ChallengeKind, url: &str, now_ms: i64) {
    let id = inner.challenges.last().map_or(1, |c| c.id + 1);
    if inner.challenges.len() >= KEEP {
        inner.challenges.remove(0);
    }
    let plaintext = build_body(
        inner,
        app_id,
        CallbackKind::UrlVerification,
        &CallbackParams::default(),
        now_ms,
    );
    let challenge = plaintext["challenge"].as_str().unwrap_or("").to_string();
    let mut record = ChallengeRecord {
        id,
        app_id: app_id.to_string(),
        kind,
        url: url.to_string(),
        answered: false,
        status: None,
        at: now_ms,
        pending: true,
        error: None,
        challenge,
    };
    if check_loopback(url).is_err() {
        record.pending = false;
        record.error = Some("not sent: lark-sim only contacts loopback URLs".to_string());
        inner.challenges.push(record);
        return;
    }
    let Some(app) = inner.tenant.find_app(app_id).map(|a| a.app.clone()) else {
        return;
    };
    let nonce = random_secret(&mut inner.rng, 16);
    let sealed = seal(
        CallbackKind::UrlVerification,
        plaintext.to_string().as_bytes(),
        app.encrypt_key.as_deref(),
        app.encrypt_key.is_some(),
        &app.verification_token,
        &(now_ms / 1000).to_string(),
        &nonce,
    );
    inner.challenges.push(record);
    inner.challenge_outbox.push(ChallengeJob {
        id,
        url: url.to_string(),
        body: sealed.body,
        headers: sealed.headers,
    });
}

/// Sends every queued challenge in the background.
pub fn dispatch(state: &Arc<SimState>) {
    let jobs = std::mem::take(&mut state.lock().challenge_outbox);
    for job in jobs {
        let state = state.clone();
        tokio::spawn(async move {
            let outcome = send(&state, &job).await;
            let mut inner = state.lock();
            if let Some(record) = inner.challenges.iter_mut().find(|c| c.id == job.id) {
                record.pending = false;
                match outcome {
                    Ok((status, answered)) => {
                        record.status = Some(status);
                        record.answered = answered;
                    }
                    Err(error) => record.error = Some(error),
                }
            }
        });
    }
}

/// POSTs one challenge; answers the status and whether the challenge came back.
async fn send(state: &SimState, job: &ChallengeJob) -> Result<(u16, bool), String> {
    let mut request = state
        .http
        .post(&job.url)
        .timeout(ANSWER_TIMEOUT)
        .body(job.body.clone());
    for (name, value) in &job.headers {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let sent = state
        .lock()
        .challenges
        .iter()
        .find(|c| c.id == job.id)
        .map(|c| c.challenge.clone())
        .unwrap_or_default();
    let echoed = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|body| body["challenge"].as_str().map(String::from));
    Ok((
        status,
        status == 200 && !sent.is_empty() && echoed.as_deref() == Some(sent.as_str()),
    ))
}

/// `GET /_sim/challenges[?app_id=..]`.
pub async fn list(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let challenges: Vec<&ChallengeRecord> = inner
        .challenges
        .iter()
        .filter(|c| query.get("app_id").is_none_or(|id| &c.app_id == id))
        .collect();
    axum::Json(json!({ "challenges": challenges })).into_response()
}
