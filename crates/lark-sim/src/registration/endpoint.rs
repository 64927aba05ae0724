//! `POST /oauth/v1/app/registration` (Feishu accounts host) and
//! `POST /_lark/oauth/v1/app/registration` (Lark accounts host).
//!
//! Form-encoded `action=init|begin|poll`. Success is HTTP 200 JSON; every refusal is HTTP 400
//! `{"error","error_description"}` (clients must read the body, not the status): `invalid_request`
//! for a missing/unknown action or a poll without `device_code`, and the RFC 8628 poll answers.
//! With `/_sim/config` `registration_supported: false` both hosts answer 404 (JSON
//! `{"error":"not_found",..}`), as a platform without the API would.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{json, Value};

use super::{begin, poll, Brand, FlowError};
use crate::state::{Endpoint, SimState};

pub async fn feishu(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    handle(&state, Brand::Feishu, &body)
}

pub async fn lark(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    handle(&state, Brand::Lark, &body)
}

fn handle(state: &SimState, host: Brand, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    let result: Result<Value, (StatusCode, FlowError)> = if !inner.registrations.settings.supported
    {
        Err((
            StatusCode::NOT_FOUND,
            FlowError::new(
                "not_found",
                "app registration is not available on this platform",
            ),
        ))
    } else {
        let bad = |e: FlowError| (StatusCode::BAD_REQUEST, e);
        match form.get("action").map(String::as_str) {
            Some("init") => Ok(json!({"supported_auth_methods": ["client_secret"]})),
            Some("begin") => Ok(begin(&mut inner, &state.base_url, now_ms)),
            Some("poll") => match form.get("device_code") {
                Some(code) => poll(&mut inner, host, code, now_ms).map_err(bad),
                None => Err(bad(FlowError::new(
                    "invalid_request",
                    "device_code is required",
                ))),
            },
            Some(other) => Err(bad(FlowError::new(
                "invalid_request",
                format!("unknown action {other}"),
            ))),
            None => Err(bad(FlowError::new("invalid_request", "action is required"))),
        }
    };
    let stats = inner.stats.endpoint(Endpoint::AppRegistration);
    stats.calls += 1;
    match result {
        Ok(value) => {
            stats.ok += 1;
            axum::Json(value).into_response()
        }
        Err((status, error)) => {
            *stats.rejected.entry(error.error.to_string()).or_default() += 1;
            (status, axum::Json(error.body())).into_response()
        }
    }
}
