//! `POST /open-apis/auth/v3/tenant_access_token/internal` and the bearer-token check.
//!
//! Credential errors answer HTTP 200 with code 10003 (unknown App ID) or 10014 (wrong secret),
//! as the official CLI's fixtures show. A token keeps being handed out while it has at least 30
//! minutes to live; after that each call mints a new one and both stay valid until they expire.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::{parse_body, run, ApiError, Gate};
use crate::state::{Endpoint, Inner, SimState};

/// A token is re-issued unchanged while it has at least this much life left.
const REUSE_MIN_REMAINING_MS: i64 = 30 * 60 * 1000;

#[derive(Deserialize)]
struct TokenRequest {
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    app_secret: Option<String>,
}

pub async fn tenant_access_token(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let gate = Gate {
        endpoint: Endpoint::TenantAccessToken,
        needs_token: false,
        counted: false,
        headers: &headers,
    };
    run(&state, gate, |inner, now_ms| {
        let request: TokenRequest = parse_body(&body)?;
        let app_id = request.app_id.unwrap_or_default();
        if app_id.is_empty() || app_id != inner.tenant.app.app_id {
            return Err(ApiError::new(StatusCode::OK, 10003, "invalid param"));
        }
        if request.app_secret.as_deref() != Some(inner.tenant.app.app_secret.as_str()) {
            return Err(ApiError::new(StatusCode::OK, 10014, "app secret invalid"));
        }
        let (token, expires_at) = issue(inner, now_ms);
        let expire = (expires_at - now_ms).max(0) / 1000;
        Ok(axum::Json(json!({
            "code": 0,
            "msg": "ok",
            "tenant_access_token": token,
            "expire": expire,
        }))
        .into_response())
    })
    .await
}

/// The current token if it still has enough life, else a new one.
fn issue(inner: &mut Inner, now_ms: i64) -> (String, i64) {
    inner.tokens.retain(|_, expires| *expires > now_ms);
    let lifetime_ms =
        i64::try_from(inner.token_expire_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    // With a shortened lifetime the 30-minute rule would never reuse; scale it down.
    let reuse_ms = REUSE_MIN_REMAINING_MS.min(lifetime_ms / 4);
    if let Some(token) = inner.current_token.clone() {
        if let Some(&expires) = inner.tokens.get(&token) {
            if expires - now_ms >= reuse_ms && reuse_ms > 0 {
                return (token, expires);
            }
        }
    }
    let token = inner.new_id("t-g1", 40);
    let expires = now_ms.saturating_add(lifetime_ms);
    inner.tokens.insert(token.clone(), expires);
    inner.current_token = Some(token.clone());
    (token, expires)
}

/// Checks `Authorization: Bearer <tenant_access_token>`.
pub fn check_bearer(inner: &Inner, headers: &HeaderMap, now_ms: i64) -> Result<(), ApiError> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .unwrap_or("");
    if token.is_empty() {
        return Err(ApiError::bad_request(
            99991661,
            "Missing access token for authorization. Please make a request with token attached.",
        ));
    }
    if !(token.starts_with("t-") || token.starts_with("u-")) {
        return Err(ApiError::bad_request(
            99991671,
            "Invalid access token format. The token must start with \"t-\" or \"u-\".",
        ));
    }
    match inner.tokens.get(token) {
        Some(&expires) if expires > now_ms => Ok(()),
        _ => Err(ApiError::bad_request(
            99991663,
            "Invalid access token for authorization. Please make a request with token attached.",
        )),
    }
}
