//! The scan page: what the person's phone shows after scanning the registration QR code, served
//! by the simulated console at `GET /app/scan?user_code=..&...` (the link's other parameters
//! become what the simulator knows about the registration), with Confirm (and a "Lark tenant"
//! choice) and Deny posting to `/app/scan/confirm` and `/app/scan/deny`.
//!
//! It is opened in the admin's browser in the sandbox, offline: no script, no external
//! resource (avatars are shown as text, not loaded), everything from the link escaped, and a
//! Content-Security-Policy that would stop anything else.

use std::sync::{Arc, LazyLock};

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use bytes::Bytes;
use minijinja::value::Serde;
use minijinja::{Environment, Value};
use serde_json::json;

use super::{confirm, deny, find, ActError, Brand, LinkParams, Outcome};
use crate::state::SimState;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.add_template("scan.html", include_str!("scan.html"))
        .expect("the scan template parses");
    env
});

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

fn render(status: StatusCode, ctx: serde_json::Value) -> Response {
    let html = TEMPLATES
        .get_template("scan.html")
        .and_then(|t| t.render(Value::from(Serde(ctx))));
    let mut response = match html {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("scan template failed: {e}"),
        )
            .into_response(),
    };
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

fn error_page(status: StatusCode, message: &str) -> Response {
    render(status, json!({"view": "error", "message": message}))
}

fn act_error(error: &ActError) -> Response {
    let status = match error {
        ActError::Unknown(_) => StatusCode::NOT_FOUND,
        ActError::NotPending(_) => StatusCode::CONFLICT,
        ActError::BadLink(_) => StatusCode::BAD_REQUEST,
    };
    error_page(status, &error.to_string())
}

/// `GET /app/scan?user_code=..&...`.
pub async fn page(State(state): State<Arc<SimState>>, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let Some(code) = pairs
        .iter()
        .find(|(k, _)| k == "user_code")
        .map(|(_, v)| v.clone())
    else {
        return error_page(StatusCode::BAD_REQUEST, "The link has no user_code.");
    };
    let link = LinkParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    let index = match find(&inner, Some(&code), now_ms) {
        Ok(index) => index,
        Err(error) => return act_error(&error),
    };
    let registration = &mut inner.registrations.list[index];
    if registration.outcome != Outcome::Pending || now_ms >= registration.expires_ms {
        let message = match &registration.outcome {
            Outcome::Denied => "This request was denied.",
            Outcome::Confirmed { .. } | Outcome::Used => "This request was already confirmed.",
            _ => "This code has expired. Start again from the app.",
        };
        return error_page(StatusCode::CONFLICT, message);
    }
    registration.link = Some(link.clone());
    let user_code = registration.user_code.clone();
    let (addons, addons_error) = match link.decoded_addons() {
        Ok(addons) => (addons.unwrap_or_default(), None),
        Err(error) => (Default::default(), Some(error)),
    };
    render(
        StatusCode::OK,
        json!({
            "view": "confirm",
            "user_code": user_code,
            "source": link.source,
            "name": link.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "Untitled app".to_string()),
            "desc": link.desc,
            "avatars": link.avatars,
            "create_only": link.create_only,
            "existing": link.existing_app(),
            "addons_error": addons_error,
            "template": addons.with_template(),
            "tenant_scopes": addons.tenant_scopes(),
            "user_scopes": addons.user_scopes(),
            "events": addons.events(),
            "callbacks": addons.callbacks(),
        }),
    )
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `POST /app/scan/confirm` (`user_code`, optional `lark=on`).
pub async fn confirm_form(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let form = form(&body);
    let Some(code) = field(&form, "user_code") else {
        return error_page(StatusCode::BAD_REQUEST, "The form has no user_code.");
    };
    let brand = if field(&form, "lark") == Some("on") {
        Brand::Lark
    } else {
        Brand::Feishu
    };
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    let result = find(&inner, Some(code), now_ms)
        .and_then(|index| confirm(&mut inner, index, brand, now_ms));
    match result {
        Ok((app_id, true)) => render(
            StatusCode::OK,
            json!({"view": "done", "message": format!("App {app_id} was created.")}),
        ),
        Ok((app_id, false)) => render(
            StatusCode::OK,
            json!({"view": "done", "message": format!("App {app_id} was updated.")}),
        ),
        Err(error) => act_error(&error),
    }
}

/// `POST /app/scan/deny` (`user_code`).
pub async fn deny_form(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let form = form(&body);
    let Some(code) = field(&form, "user_code") else {
        return error_page(StatusCode::BAD_REQUEST, "The form has no user_code.");
    };
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    match find(&inner, Some(code), now_ms).and_then(|index| deny(&mut inner, index, now_ms)) {
        Ok(()) => render(
            StatusCode::OK,
            json!({"view": "done", "message": "The request was denied."}),
        ),
        Err(error) => act_error(&error),
    }
}
