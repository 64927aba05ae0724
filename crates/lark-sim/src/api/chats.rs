//! `GET /open-apis/im/v1/chats`: the group chats the bot is in, paged.
//!
//! An empty list is the documented "the bot was never added to a group" symptom, so chats the
//! bot is not in never appear.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

use super::{caller, ok_data, run, ApiError, Gate};
use crate::state::{Endpoint, SimState};

/// Any one of these lets the app list chats.
pub const CHAT_SCOPES: &[&str] = &[
    "im:chat",
    "im:chat:readonly",
    "im:chat:read",
    "im:chat.group_info:readonly",
];

pub async fn list(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let gate = Gate {
        endpoint: Endpoint::ChatsList,
        needs_token: true,
        counted: true,
        headers: &headers,
    };
    run(&state, gate, |inner, call| {
        let tenant = &inner.tenant;
        let app = caller(inner, call)?;
        if !app.has_any_scope(CHAT_SCOPES) {
            return Err(ApiError::missing_scope(
                &app.app.app_id,
                &inner.console,
                &CHAT_SCOPES[..2],
            ));
        }
        if !app.bot.enabled {
            return Err(ApiError::bad_request(
                232025,
                "Bot ability is not activated.",
            ));
        }
        let page_size = match query.get("page_size").map(|v| v.parse::<usize>()) {
            None => 20,
            Some(Ok(size)) if (1..=100).contains(&size) => size,
            Some(_) => {
                return Err(ApiError::field_violation(
                    "page_size",
                    "page_size must be between 1 and 100",
                ))
            }
        };
        let start = match query.get("page_token").filter(|t| !t.is_empty()) {
            None => 0,
            Some(token) => token
                .strip_prefix("pt_")
                .and_then(|offset| offset.parse::<usize>().ok())
                .ok_or_else(|| ApiError::field_violation("page_token", "invalid page_token"))?,
        };
        let member: Vec<_> = tenant.chats.iter().filter(|c| c.bot_member).collect();
        let items: Vec<_> = member
            .iter()
            .skip(start)
            .take(page_size)
            .map(|chat| {
                json!({
                    "chat_id": chat.chat_id,
                    "avatar": "https://example.invalid/chat.png",
                    "name": chat.name,
                    "description": chat.description,
                    "owner_id": chat.owner_id,
                    "owner_id_type": "open_id",
                    "external": false,
                    "tenant_key": tenant.tenant_key,
                    "chat_status": "normal",
                })
            })
            .collect();
        let next = start + items.len();
        let has_more = next < member.len();
        Ok(ok_data(json!({
            "items": items,
            "page_token": if has_more { format!("pt_{next}") } else { String::new() },
            "has_more": has_more,
        })))
    })
    .await
}
