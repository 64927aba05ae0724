//! The Open API surface: the platform's `{code, msg, data}` envelope, its error codes and HTTP
//! statuses, and the gate every call passes (injected faults, token, rate ceilings, quota).

pub mod application;
pub mod auth;
pub mod bot;
pub mod chats;
pub mod messages;

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::limits::{Ceiling, RateRejection};
use crate::state::{Endpoint, Inner, SimState};

/// A platform error answer: HTTP status, code, message and the optional `error` object.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: i64,
    pub msg: String,
    pub error: Option<Value>,
    /// `data` of the answer, for endpoints whose refusals keep one (the long-connection endpoint).
    pub data: Option<Box<Value>>,
    pub rate: Option<RateRejection>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: i64, msg: impl Into<String>) -> Self {
        Self {
            status,
            code,
            msg: msg.into(),
            error: None,
            data: None,
            rate: None,
        }
    }

    /// Business errors of the IM APIs come back as HTTP 400 with a code.
    pub fn bad_request(code: i64, msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, msg)
    }

    /// A body that is not JSON at all.
    pub fn bad_json(detail: impl std::fmt::Display) -> Self {
        Self::bad_request(9499, format!("Bad Request: invalid JSON body: {detail}"))
    }

    /// A parameter that fails validation (the generic 99992402 with `field_violations`).
    pub fn field_violation(field: &str, description: &str) -> Self {
        let mut error = Self::bad_request(99992402, "field validation failed");
        error.error = Some(json!({
            "field_violations": [{"field": field, "description": description}]
        }));
        error
    }

    /// A tripped gateway ceiling: HTTP 429, 99991400 and the `x-ogw-ratelimit-*` headers.
    pub fn rate_limited(rejection: RateRejection) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            99991400,
            "request trigger frequency limit",
        );
        error.rate = Some(rejection);
        error
    }

    /// A tripped per-chat / per-user / per-message ceiling (230020), also HTTP 429 with headers.
    pub fn receiver_rate_limited(rejection: RateRejection) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            230020,
            "This operation triggers the frequency limit.",
        );
        error.rate = Some(rejection);
        error
    }

    /// Missing scope: 99991672 with the scopes in the message, a console link to grant them and
    /// `error.permission_violations`, the way the platform words it.
    pub fn missing_scope(app_id: &str, console: &str, scopes: &[&str]) -> Self {
        let list = scopes.join(", ");
        let query = scopes.join(",");
        let link =
            format!("{console}/app/{app_id}/auth?q={query}&op_from=openapi&token_type=tenant");
        let mut error = Self::bad_request(
            99991672,
            format!(
                "Access denied. One of the following scopes is required: [{list}].应用尚未开通所需的应用身份权限：[{list}]，点击链接申请并开通任一权限即可：{link}"
            ),
        );
        let violations: Vec<Value> = scopes
            .iter()
            .map(|scope| json!({"type": "action_scope_required", "subject": scope}))
            .collect();
        error.error = Some(json!({
            "permission_violations": violations,
            "helps": [{"url": link, "description": "Grant the scope in the developer console"}],
        }));
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "msg": self.msg});
        if let Some(error) = self.error {
            body["error"] = error;
        }
        if let Some(data) = self.data {
            body["data"] = *data;
        }
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(rate) = self.rate {
            let headers = response.headers_mut();
            headers.insert("x-ogw-ratelimit-limit", HeaderValue::from(rate.limit));
            headers.insert("x-ogw-ratelimit-reset", HeaderValue::from(rate.reset_secs));
        }
        response
    }
}

/// The calling app (the token's). Apps are never removed, so a live token always finds one; the
/// error is for a tenant changed under a test's feet.
pub fn caller<'a>(inner: &'a Inner, call: &Call) -> Result<crate::tenant::AppRef<'a>, ApiError> {
    inner.tenant.find_app(&call.app_id).ok_or_else(|| {
        ApiError::bad_request(
            99991663,
            "Invalid access token for authorization. Please make a request with token attached.",
        )
    })
}

/// `{"code":0,"msg":"success","data":…}`.
pub fn ok_data(data: Value) -> Response {
    axum::Json(json!({"code": 0, "msg": "success", "data": data})).into_response()
}

/// Parses a JSON request body, answering the platform's error shape when it is not JSON.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(ApiError::bad_json)
}

/// What a call needs from the gate.
pub struct Gate<'a> {
    pub endpoint: Endpoint,
    /// Check `Authorization: Bearer t-…`.
    pub needs_token: bool,
    /// Counts against the monthly quota when it succeeds.
    pub counted: bool,
    pub headers: &'a HeaderMap,
}

/// What a handler learns from the gate.
#[derive(Clone, Debug)]
pub struct Call {
    /// The simulated clock at the call, ms.
    pub now_ms: i64,
    /// The app the bearer token is bound to; empty for calls without a token.
    pub app_id: String,
}

/// Runs one API call: waits the injected latency, then under the state lock passes the gate and
/// runs `handler`, records the outcome in the stats and (on success of a counted API) the quota.
pub async fn run<F>(state: &SimState, gate: Gate<'_>, handler: F) -> Response
where
    F: FnOnce(&mut Inner, &Call) -> Result<Response, ApiError>,
{
    let latency = state.lock().latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let now_ms = state.clock.now_ms();
    let now = state.clock.now();
    let mut inner = state.lock();
    let result = pass_gate(&mut inner, &gate, now_ms, now).and_then(|app_id| {
        let call = Call { now_ms, app_id };
        handler(&mut inner, &call)
    });
    let stats = inner.stats.endpoint(gate.endpoint);
    stats.calls += 1;
    match result {
        Ok(response) => {
            stats.ok += 1;
            if gate.counted {
                inner.quota.record(now);
            }
            with_log_id(response, &mut inner)
        }
        Err(mut error) => {
            if gate.endpoint.refusals_carry_data() && error.data.is_none() {
                error.data = Some(Box::new(json!({})));
            }
            *stats.rejected.entry(error.code.to_string()).or_default() += 1;
            with_log_id(error.into_response(), &mut inner)
        }
    }
}

fn with_log_id(mut response: Response, inner: &mut Inner) -> Response {
    let log_id = inner.next_log_id();
    if let Ok(value) = HeaderValue::from_str(&log_id) {
        response.headers_mut().insert("x-tt-logid", value);
    }
    response
}

/// Injected failure, token, rate ceilings, quota; answers the calling app (empty without token).
fn pass_gate(
    inner: &mut Inner,
    gate: &Gate<'_>,
    now_ms: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, ApiError> {
    if let Some(error) = inner.take_injected_failure(gate.endpoint) {
        return Err(error);
    }
    let app_id = if gate.needs_token {
        auth::check_bearer(inner, gate.headers, now_ms)?
    } else {
        String::new()
    };
    let mut ceilings = vec![Ceiling::per_second(
        format!("api:{}", gate.endpoint.name()),
        inner.limits.api_per_second,
    )];
    if gate.endpoint == Endpoint::MessageSend {
        ceilings.push(Ceiling::per_minute(
            "send:minute",
            inner.limits.send_per_minute,
        ));
    }
    if let Some(limit) = gate.endpoint.per_app_minute_limit() {
        ceilings.push(Ceiling::per_minute(
            format!("{}:{app_id}:minute", gate.endpoint.name()),
            limit,
        ));
    }
    inner
        .limiter
        .admit(now_ms, &ceilings)
        .map_err(|(_, rejection)| ApiError::rate_limited(rejection))?;
    if gate.counted && inner.quota.exhausted(now) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            99991403,
            "This month's API call quota has been exceeded",
        ));
    }
    Ok(app_id)
}
