//! `GET /open-apis/bot/v3/info`: the calling app's bot capability. Note the payload sits under
//! `bot`, not `data` (the documented shape).

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{caller, run, ApiError, Gate};
use crate::state::{Endpoint, SimState};

pub async fn info(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    let gate = Gate {
        endpoint: Endpoint::BotInfo,
        needs_token: true,
        counted: true,
        headers: &headers,
    };
    run(&state, gate, |inner, call| {
        let bot = caller(inner, call)?.bot;
        if !bot.enabled {
            return Err(ApiError::bad_request(
                230006,
                "Bot ability is not activated.",
            ));
        }
        Ok(axum::Json(json!({
            "code": 0,
            "msg": "ok",
            "bot": {
                "activate_status": bot.activate_status,
                "app_name": bot.app_name,
                "avatar_url": "https://example.invalid/avatar.png",
                "ip_white_list": [],
                "open_id": bot.open_id,
            }
        }))
        .into_response())
    })
    .await
}
