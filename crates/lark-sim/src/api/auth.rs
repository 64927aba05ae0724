//! `POST /open-apis/auth/v3/tenant_access_token/internal` and the bearer-token check.
//!
//! Credential errors answer HTTP 200 with code 10003 (unknown App ID) or 10014 (wrong secret),
//! as the official CLI's fixtures show. Any app of the tenant may ask; its token is bound to it,
//! and every Open API call then acts as that app. A token keeps being handed out while it has at
//! least 30 minutes to live; after that each call mints a new one and both stay valid until they
//! expire.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::{parse_body, run, ApiError, Gate};
use crate::state::{Endpoint, Inner, IssuedToken, SimState};

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
    run(&state, gate, |inner, call| {
        let now_ms = call.now_ms;
        let request: TokenRequest = parse_body(&body)?;
        let app_id = request.app_id.unwrap_or_default();
        let app = inner
            .tenant
            .find_app(&app_id)
            .filter(|_| !app_id.is_empty())
            .ok_or_else(|| ApiError::new(StatusCode::OK, 10003, "invalid param"))?;
        if request.app_secret.as_deref() != Some(app.app.app_secret.as_str()) {
            return Err(ApiError::new(StatusCode::OK, 10014, "app secret invalid"));
        }
        let (token, expires_at) = issue(inner, &app_id, now_ms);
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

/// The app's current token if it still has enough life, else a new one.
fn issue(inner: &mut Inner, app_id: &str, now_ms: i64) -> (String, i64) {
    inner.tokens.retain(|_, issued| issued.expires_ms > now_ms);
    let lifetime_ms =
        i64::try_from(inner.token_expire_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    // With a shortened lifetime the 30-minute rule would never reuse; scale it down.
    let reuse_ms = REUSE_MIN_REMAINING_MS.min(lifetime_ms / 4);
    if let Some(token) = inner.current_tokens.get(app_id).cloned() {
        if let Some(issued) = inner.tokens.get(&token) {
            if issued.expires_ms - now_ms >= reuse_ms && reuse_ms > 0 {
                return (token, issued.expires_ms);
            }
        }
    }
    let token = inner.new_id("t-g1", 40);
    let expires = now_ms.saturating_add(lifetime_ms);
    inner.tokens.insert(
        token.clone(),
        IssuedToken {
            app_id: app_id.to_string(),
            expires_ms: expires,
        },
    );
    inner
        .current_tokens
        .insert(app_id.to_string(), token.clone());
    (token, expires)
}

/// Checks `Authorization: Bearer <tenant_access_token>`; answers the app it is bound to.
pub fn check_bearer(inner: &Inner, headers: &HeaderMap, now_ms: i64) -> Result<String, ApiError> {
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
        Some(issued) if issued.expires_ms > now_ms => Ok(issued.app_id.clone()),
        _ => Err(ApiError::bad_request(
            99991663,
            "Invalid access token for authorization. Please make a request with token attached.",
        )),
    }
}
