//! Sending a card (`POST /open-apis/im/v1/messages`) and updating it
//! (`PATCH /open-apis/im/v1/messages/:message_id`).
//!
//! `content` goes on the wire as the card JSON serialized into a string, as the platform wants.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{payload, ApiError, CallTarget, Client, Endpoint};

/// Who receives a message; the variant picks `receive_id_type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReceiveId {
    /// A group (`oc_…`); the bot must be a member.
    ChatId(String),
    /// A person by open id (`ou_…`, per app).
    OpenId(String),
    /// A person by tenant user id.
    UserId(String),
    /// A person by union id (`on_…`, per developer).
    UnionId(String),
    /// A person by email.
    Email(String),
}

impl ReceiveId {
    /// The `receive_id_type` query value.
    pub fn id_type(&self) -> &'static str {
        match self {
            Self::ChatId(_) => "chat_id",
            Self::OpenId(_) => "open_id",
            Self::UserId(_) => "user_id",
            Self::UnionId(_) => "union_id",
            Self::Email(_) => "email",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Self::ChatId(id)
            | Self::OpenId(id)
            | Self::UserId(id)
            | Self::UnionId(id)
            | Self::Email(id) => id,
        }
    }
}

/// What the platform says about a message it accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SentMessage {
    /// `om_…`: needed to update the card later.
    pub message_id: String,
    /// The group, or the p2p chat with the person.
    pub chat_id: String,
    pub msg_type: String,
    /// Milliseconds since the epoch, as a string (the platform's format).
    pub create_time: String,
    pub update_time: String,
    pub root_id: String,
    pub parent_id: String,
    pub updated: bool,
    pub deleted: bool,
}

impl Client {
    /// Sends `card` (card JSON) to `to`. A `uuid` makes the send idempotent for an hour: a
    /// repeat returns the first message instead of posting twice.
    pub async fn send_card(
        &self,
        to: &ReceiveId,
        card: &Value,
        uuid: Option<&str>,
    ) -> Result<SentMessage, ApiError> {
        let endpoint = Endpoint::MessagesCreate;
        let mut url = self.url(endpoint.path_template());
        url.query_pairs_mut()
            .append_pair("receive_id_type", to.id_type());
        let mut body = json!({
            "receive_id": to.id(),
            "msg_type": "interactive",
            "content": card.to_string(),
        });
        if let Some(uuid) = uuid.filter(|u| !u.is_empty()) {
            body["uuid"] = json!(uuid);
        }
        let target = CallTarget::Receiver(to.clone());
        let answer = self.call(endpoint, Some(&target), url, Some(&body)).await?;
        let sent: SentMessage = payload(answer, &["data"], "sent message")?;
        if sent.message_id.is_empty() {
            return Err(ApiError::decode("sent message: no message_id"));
        }
        Ok(sent)
    }

    /// Replaces the content of a card the app sent. The card needs `"update_multi": true` in its
    /// config, before and after, and the message must be under 14 days old.
    pub async fn update_card(&self, message_id: &str, card: &Value) -> Result<(), ApiError> {
        let endpoint = Endpoint::MessagesPatch;
        let mut url = self.url("/open-apis/im/v1/messages");
        // Pushed as a segment so an odd id is percent-encoded rather than changing the path.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(message_id);
        }
        let body = json!({ "content": card.to_string() });
        let target = CallTarget::Message(message_id.to_string());
        self.call(endpoint, Some(&target), url, Some(&body)).await?;
        Ok(())
    }
}
