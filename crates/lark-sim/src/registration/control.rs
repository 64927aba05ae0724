//! `/_sim/registration/*`: the person's side of a registration, for tests.
//!
//! `POST /_sim/registration/confirm`, `/deny`, `/expire`, each with an optional JSON body
//! `{"user_code"?, "url"?, "brand"?}`: `user_code` names the registration by the code in its
//! link, `url` is the full link (its extra parameters become what the phone saw, and its
//! `user_code` names the registration when the body does not); without either, the newest
//! pending registration. `brand` (confirm only) is `feishu` (default) or `lark`. Answers:
//! confirm `{"app_id","created","user_code","brand"}` (never the secret), the others
//! `{"user_code","state"}`; 404 for an unknown code or none pending, 409 when it is no longer
//! pending, 400 for a link whose `addons` or `clientID` cannot be honoured.
//! `GET /_sim/registration` lists every registration and the settings.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::{
    confirm as do_confirm, deny as do_deny, expire as do_expire, find, ActError, Brand, LinkParams,
};
use crate::api::{parse_body, ApiError};
use crate::state::{Inner, SimState};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActRequest {
    #[serde(default)]
    pub user_code: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub brand: Option<Brand>,
}

impl From<ActError> for ApiError {
    fn from(error: ActError) -> Self {
        let status = match error {
            ActError::Unknown(_) => StatusCode::NOT_FOUND,
            ActError::NotPending(_) => StatusCode::CONFLICT,
            ActError::BadLink(_) => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, i64::from(status.as_u16()), error.to_string())
    }
}

/// Parses the body (empty = `{}`), learns the link if one is given, finds the registration.
fn locate(
    state: &SimState,
    body: &[u8],
    inner: &mut Inner,
) -> Result<(usize, ActRequest), ApiError> {
    let request: ActRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ActRequest::default()
    } else {
        parse_body(body)?
    };
    let mut user_code = request.user_code.clone();
    let mut link = None;
    if let Some(raw) = &request.url {
        let url = url::Url::parse(raw).map_err(|_| {
            ApiError::field_violation("url", "url must be the full registration link")
        })?;
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if user_code.is_none() {
            user_code = pairs
                .iter()
                .find(|(k, _)| k == "user_code")
                .map(|(_, v)| v.clone());
        }
        link = Some(LinkParams::from_pairs(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
    }
    let index = find(inner, user_code.as_deref(), state.clock.now_ms())?;
    if let Some(link) = link {
        inner.registrations.list[index].link = Some(link);
    }
    Ok((index, request))
}

fn answer(result: Result<serde_json::Value, ApiError>) -> Response {
    match result {
        Ok(value) => axum::Json(value).into_response(),
        Err(error) => error.into_response(),
    }
}

pub async fn confirm(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    answer(
        locate(&state, &body, &mut inner).and_then(|(index, request)| {
            let brand = request.brand.unwrap_or(Brand::Feishu);
            let (app_id, created) = do_confirm(&mut inner, index, brand, now_ms)?;
            Ok(json!({
                "app_id": app_id,
                "created": created,
                "user_code": inner.registrations.list[index].user_code,
                "brand": brand.as_str(),
            }))
        }),
    )
}

pub async fn deny(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    answer(locate(&state, &body, &mut inner).and_then(|(index, _)| {
        do_deny(&mut inner, index, now_ms)?;
        Ok(json!({"user_code": inner.registrations.list[index].user_code, "state": "denied"}))
    }))
}

pub async fn expire(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let mut inner = state.lock();
    answer(locate(&state, &body, &mut inner).and_then(|(index, _)| {
        do_expire(&mut inner, index)?;
        Ok(json!({"user_code": inner.registrations.list[index].user_code, "state": "expired"}))
    }))
}

/// `GET /_sim/registration`.
pub async fn list(State(state): State<Arc<SimState>>) -> Response {
    let inner = state.lock();
    axum::Json(json!(inner.registrations)).into_response()
}
