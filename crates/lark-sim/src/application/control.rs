//! `/_sim/versions/*`: the tenant admin's side of publishing, for tests.
//!
//! `POST /_sim/versions/approve` and `POST /_sim/versions/reject` act on the version under
//! review, with an optional JSON body `{"app_id"?, "reason"?}` (`reason` for reject only):
//! without `app_id`, the app whose version was submitted last. Approve puts it online (granted
//! scopes, bot and, for the primary app, availability follow it); reject sets status 2 and keeps
//! the reason. Both answer `{"app_id","version_id","version","status"}`; 404 when nothing is
//! under review.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::{go_online, VersionStatus};
use crate::api::{parse_body, ApiError};
use crate::state::{Inner, SimState};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewRequest {
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// (app, index) of the version under review: of `app_id`, else the newest submission.
fn under_review(inner: &Inner, app_id: Option<&str>) -> Result<(String, usize), ApiError> {
    let found = inner
        .profiles
        .values()
        .filter(|p| app_id.is_none_or(|id| p.app_id == id))
        .filter_map(|p| {
            p.versions
                .iter()
                .rposition(|v| v.status == VersionStatus::UnderReview)
                .map(|i| (p.app_id.clone(), i, p.versions[i].create_time_ms))
        })
        .max_by_key(|(_, _, at)| *at);
    found.map(|(app, index, _)| (app, index)).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            404,
            match app_id {
                Some(id) => format!("app {id} has no version under review"),
                None => "no version is under review".to_string(),
            },
        )
    })
}

fn decide(state: &SimState, body: &[u8], approve: bool) -> Result<serde_json::Value, ApiError> {
    let request: ReviewRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ReviewRequest::default()
    } else {
        parse_body(body)?
    };
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    let (app_id, index) = under_review(&inner, request.app_id.as_deref())?;
    if approve {
        go_online(&mut inner, &app_id, index, now_ms);
    } else if let Some(version) = inner
        .profiles
        .get_mut(&app_id)
        .and_then(|p| p.versions.get_mut(index))
    {
        version.status = VersionStatus::Rejected;
        version.reject_reason = request.reason;
    }
    let version = inner
        .profiles
        .get(&app_id)
        .and_then(|p| p.versions.get(index))
        .map(|v| json!({"version_id": v.version_id, "version": v.version, "status": v.status}))
        .unwrap_or_default();
    let mut answer = json!({"app_id": app_id});
    if let (Some(target), Some(fields)) = (answer.as_object_mut(), version.as_object()) {
        target.extend(fields.clone());
    }
    Ok(answer)
}

fn respond(result: Result<serde_json::Value, ApiError>) -> Response {
    match result {
        Ok(value) => axum::Json(value).into_response(),
        Err(error) => error.into_response(),
    }
}

pub async fn approve(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    respond(decide(&state, &body, true))
}

pub async fn reject(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    respond(decide(&state, &body, false))
}
