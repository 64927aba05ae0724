//! `POST /open-apis/im/v1/messages` (send) and `PATCH /open-apis/im/v1/messages/:message_id`
//! (update a sent card).
//!
//! Checks run in the platform's order as far as it is observable: scope, bot capability,
//! receiver, content, size, then the per-receiver ceiling; `uuid` makes a send idempotent for
//! one hour (the same message comes back).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{caller, ok_data, parse_body, run, ApiError, Gate};
use crate::limits::Ceiling;
use crate::state::{Endpoint, Inner, MessageRecord, MessageUpdate, SimState};
use crate::tenant::ReceiveIdType;

/// Any one of these lets the bot send.
pub const SEND_SCOPES: &[&str] = &["im:message", "im:message:send_as_bot", "im:message:send"];
/// Any one of these lets the bot update its cards.
pub const UPDATE_SCOPES: &[&str] = &["im:message", "im:message:send_as_bot", "im:message:update"];
/// Card and rich-text content ceiling.
pub const CARD_MAX_BYTES: usize = 30 * 1024;
/// Plain text content ceiling.
pub const TEXT_MAX_BYTES: usize = 150 * 1024;
/// How long a `uuid` de-duplicates sends.
const UUID_TTL_MS: i64 = 3_600_000;

#[derive(Deserialize)]
struct SendRequest {
    #[serde(default)]
    receive_id: Option<String>,
    #[serde(default)]
    msg_type: Option<String>,
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    uuid: Option<String>,
}

#[derive(Deserialize)]
struct PatchRequest {
    #[serde(default)]
    content: Option<Value>,
}

pub async fn send(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let gate = Gate {
        endpoint: Endpoint::MessageSend,
        needs_token: true,
        counted: true,
        headers: &headers,
    };
    run(&state, gate, |inner, call| {
        let now_ms = call.now_ms;
        let request: SendRequest = parse_body(&body)?;
        let id_type_name = query.get("receive_id_type").cloned().unwrap_or_default();
        let id_type = ReceiveIdType::parse(&id_type_name).ok_or_else(|| {
            ApiError::field_violation(
                "receive_id_type",
                "receive_id_type must be one of open_id, user_id, union_id, email, chat_id",
            )
        })?;
        let app = caller(inner, call)?;
        if !app.has_any_scope(SEND_SCOPES) {
            return Err(ApiError::missing_scope(
                &app.app.app_id,
                &inner.console,
                SEND_SCOPES,
            ));
        }
        if !app.bot.enabled {
            return Err(ApiError::bad_request(
                230006,
                "Bot ability is not activated.",
            ));
        }
        let receive_id = request
            .receive_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ApiError::field_violation("receive_id", "receive_id is required"))?;
        let msg_type = request.msg_type.unwrap_or_default();
        let chat_id = resolve_receiver(inner, id_type, &receive_id)?;
        let content = check_content(&msg_type, request.content.as_ref())?;
        // A uuid de-duplicates the sends of one app.
        let uuid_key = |uuid: &str| format!("{}/{uuid}", call.app_id);
        if let Some(uuid) = request.uuid.as_deref().filter(|u| !u.is_empty()) {
            inner.uuids.retain(|_, (_, at)| now_ms - *at < UUID_TTL_MS);
            if let Some((message_id, _)) = inner.uuids.get(&uuid_key(uuid)) {
                let message_id = message_id.clone();
                if let Some(record) = inner.messages.iter().find(|m| m.message_id == message_id) {
                    return Ok(ok_data(message_json(inner, record)));
                }
            }
        }
        let per_receiver = Ceiling::per_second(
            format!("receiver:{chat_id}"),
            inner.limits.per_receiver_per_second,
        );
        inner
            .limiter
            .admit(now_ms, &[per_receiver])
            .map_err(|(_, rejection)| ApiError::receiver_rate_limited(rejection))?;
        let message_id = inner.new_id("om_", 32);
        let uuid = request.uuid.filter(|u| !u.is_empty());
        if let Some(uuid) = &uuid {
            inner
                .uuids
                .insert(uuid_key(uuid), (message_id.clone(), now_ms));
        }
        let record = MessageRecord {
            message_id,
            app_id: call.app_id.clone(),
            receive_id_type: id_type_name,
            receive_id,
            chat_id,
            msg_type,
            content,
            create_time: now_ms,
            uuid,
            updates: Vec::new(),
        };
        let data = message_json(inner, &record);
        inner.messages.push(record);
        Ok(ok_data(data))
    })
    .await
}

pub async fn patch(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(message_id): Path<String>,
    body: Bytes,
) -> Response {
    let gate = Gate {
        endpoint: Endpoint::MessagePatch,
        needs_token: true,
        counted: true,
        headers: &headers,
    };
    run(&state, gate, |inner, call| {
        let now_ms = call.now_ms;
        let request: PatchRequest = parse_body(&body)?;
        let app = caller(inner, call)?;
        if !app.has_any_scope(UPDATE_SCOPES) {
            return Err(ApiError::missing_scope(
                &app.app.app_id,
                &inner.console,
                UPDATE_SCOPES,
            ));
        }
        let index = inner
            .messages
            .iter()
            .position(|m| m.message_id == message_id && m.app_id == call.app_id)
            .ok_or_else(|| ApiError::bad_request(230001, "The message is not found."))?;
        if inner.messages[index].msg_type != "interactive" {
            return Err(ApiError::bad_request(
                230001,
                "Only interactive (card) messages can be updated.",
            ));
        }
        let content = check_content("interactive", request.content.as_ref())?;
        let ceiling = Ceiling::per_second(
            format!("patch:{message_id}"),
            inner.limits.patch_per_message_per_second,
        );
        inner
            .limiter
            .admit(now_ms, &[ceiling])
            .map_err(|(_, rejection)| ApiError::receiver_rate_limited(rejection))?;
        let record = &mut inner.messages[index];
        record.content.clone_from(&content);
        record.updates.push(MessageUpdate {
            content,
            update_time: now_ms,
        });
        Ok(ok_data(json!({})))
    })
    .await
}

/// The chat a send lands in, or why it cannot be delivered.
fn resolve_receiver(
    inner: &mut Inner,
    id_type: ReceiveIdType,
    receive_id: &str,
) -> Result<String, ApiError> {
    if id_type == ReceiveIdType::ChatId {
        let chat = inner
            .tenant
            .find_chat(receive_id)
            .ok_or_else(|| ApiError::bad_request(230001, "Invalid receive_id: chat not found."))?;
        if !chat.bot_member {
            return Err(ApiError::bad_request(
                230002,
                "Bot/User can NOT be out of the chat.",
            ));
        }
        return Ok(chat.chat_id.clone());
    }
    let user = inner
        .tenant
        .find_user(id_type, receive_id)
        .filter(|user| user.available)
        .map(|user| user.open_id.clone())
        .ok_or_else(|| ApiError::bad_request(230013, "Bot has NO availability to this user."))?;
    Ok(inner.p2p_chat(&user))
}

/// `content` must be a string holding a JSON object (the card, or `{"text":…}`), within size.
fn check_content(msg_type: &str, content: Option<&Value>) -> Result<String, ApiError> {
    let invalid =
        |why: &str| ApiError::bad_request(230001, format!("invalid message content: {why}"));
    let (max, needs_text) = match msg_type {
        "interactive" | "post" => (CARD_MAX_BYTES, false),
        "text" => (TEXT_MAX_BYTES, true),
        "" => {
            return Err(ApiError::field_violation(
                "msg_type",
                "msg_type is required",
            ))
        }
        _ => return Err(invalid("unsupported msg_type")),
    };
    let content = match content {
        Some(Value::String(content)) => content,
        Some(_) => return Err(invalid("content must be a JSON string")),
        None => return Err(ApiError::field_violation("content", "content is required")),
    };
    if content.len() > max {
        return Err(ApiError::bad_request(
            230025,
            format!(
                "The message content is too long: {} bytes, the limit is {max} bytes.",
                content.len()
            ),
        ));
    }
    let parsed: Value = serde_json::from_str(content).map_err(|_| invalid("not JSON"))?;
    let Some(object) = parsed.as_object() else {
        return Err(invalid("content must be a JSON object"));
    };
    if needs_text && !object.get("text").is_some_and(Value::is_string) {
        return Err(invalid("text messages need a \"text\" field"));
    }
    Ok(content.clone())
}

fn message_json(inner: &Inner, record: &MessageRecord) -> Value {
    let updated = record.updates.last().map(|u| u.update_time);
    json!({
        "message_id": record.message_id,
        "root_id": "",
        "parent_id": "",
        "thread_id": "",
        "msg_type": record.msg_type,
        "create_time": record.create_time.to_string(),
        "update_time": updated.unwrap_or(record.create_time).to_string(),
        "deleted": false,
        "updated": updated.is_some(),
        "chat_id": record.chat_id,
        "sender": {
            "id": record.app_id,
            "id_type": "app_id",
            "sender_type": "app",
            "tenant_key": inner.tenant.tenant_key,
        },
        "body": {"content": record.content},
        "mentions": [],
        "upper_message_id": "",
    })
}
