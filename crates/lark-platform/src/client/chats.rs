//! `GET /open-apis/im/v1/chats`: the group chats the bot is in. An empty list is the documented
//! "the bot was never added to a group" problem, not an error.

use serde::{Deserialize, Deserializer};

use super::{payload, ApiError, Client, Endpoint};

/// The platform's largest page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// A bound on `list_all_chats`, in case a server keeps saying `has_more`.
const MAX_PAGES: usize = 1_000;

/// A group chat the bot is in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Chat {
    pub chat_id: String,
    pub name: String,
    pub description: String,
    pub avatar: String,
    pub owner_id: String,
    pub owner_id_type: String,
    pub external: bool,
    pub tenant_key: String,
    pub chat_status: String,
}

/// One page of chats.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ChatPage {
    #[serde(deserialize_with = "null_as_empty")]
    pub items: Vec<Chat>,
    /// Pass it to get the next page; `None` on the last one.
    #[serde(deserialize_with = "empty_as_none")]
    pub page_token: Option<String>,
    pub has_more: bool,
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Chat>, D::Error> {
    Option::<Vec<Chat>>::deserialize(d).map(Option::unwrap_or_default)
}

fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d).map(|t| t.filter(|t| !t.is_empty()))
}

impl Client {
    /// One page. `page_size` is 1 to [`MAX_PAGE_SIZE`] (the platform's default is 20).
    pub async fn list_chats(
        &self,
        page_size: Option<u32>,
        page_token: Option<&str>,
    ) -> Result<ChatPage, ApiError> {
        let endpoint = Endpoint::ChatsList;
        let mut url = self.url(endpoint.path_template());
        {
            let mut query = url.query_pairs_mut();
            if let Some(size) = page_size {
                query.append_pair("page_size", &size.to_string());
            }
            if let Some(token) = page_token.filter(|t| !t.is_empty()) {
                query.append_pair("page_token", token);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let answer = self.call(endpoint, None, url, None).await?;
        payload(answer, &["data"], "chat list")
    }

    /// Every page, in order. Each page is one counted call.
    pub async fn list_all_chats(&self, page_size: Option<u32>) -> Result<Vec<Chat>, ApiError> {
        let mut chats = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self.list_chats(page_size, token.as_deref()).await?;
            chats.extend(page.items);
            if !page.has_more {
                return Ok(chats);
            }
            match page.page_token {
                Some(next) if token.as_deref() != Some(next.as_str()) => token = Some(next),
                _ => {
                    return Err(ApiError::decode(
                        "chat list: has_more without a new page_token",
                    ))
                }
            }
        }
        Err(ApiError::decode(format!(
            "chat list: still has_more after {MAX_PAGES} pages"
        )))
    }
}
