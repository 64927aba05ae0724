//! What the wizard shows beside the checks: console links for the profile's app, the scope list
//! to copy, and the events and callbacks to subscribe. Computed here so the UI and the CLI agree.

use serde::Serialize;
use ts_rs::TS;

use super::{
    console_link, scope_list, ConsolePage, CALLBACKS, EVENTS, OPTIONAL_SCOPES, REQUIRED_SCOPES,
};
use crate::profiles::Platform;

/// Deep links into the developer console for one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleLinks {
    pub app_list: String,
    pub credentials: String,
    pub events_and_callbacks: String,
    pub bot: String,
    pub web_app: String,
    pub security: String,
    pub scopes: String,
    pub versions: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupGuide {
    pub links: ConsoleLinks,
    pub required_scopes: Vec<String>,
    pub optional_scopes: Vec<String>,
    /// Required and optional scopes, one per line, for the console's batch import.
    pub scope_list: String,
    pub events: Vec<String>,
    pub callbacks: Vec<String>,
}

/// A group the bot is in, for pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BotChat {
    pub chat_id: String,
    pub name: String,
    pub description: String,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

pub fn setup_guide(platform: &Platform, app_id: &str) -> SetupGuide {
    let link = |page| console_link(platform, app_id, page);
    SetupGuide {
        links: ConsoleLinks {
            app_list: link(ConsolePage::AppList),
            credentials: link(ConsolePage::Credentials),
            events_and_callbacks: link(ConsolePage::EventsAndCallbacks),
            bot: link(ConsolePage::Bot),
            web_app: link(ConsolePage::WebApp),
            security: link(ConsolePage::Security),
            scopes: link(ConsolePage::Scopes),
            versions: link(ConsolePage::Versions),
        },
        required_scopes: strings(&REQUIRED_SCOPES),
        optional_scopes: strings(&OPTIONAL_SCOPES),
        scope_list: scope_list(true),
        events: strings(&EVENTS),
        callbacks: strings(&CALLBACKS),
    }
}

/// The groups the bot is in, sorted by name.
pub async fn bot_chats(client: &lark_platform::client::Client) -> crate::Result<Vec<BotChat>> {
    let mut chats: Vec<BotChat> = client
        .list_all_chats(Some(100))
        .await?
        .into_iter()
        .map(|c| BotChat {
            chat_id: c.chat_id,
            name: c.name,
            description: c.description,
        })
        .collect();
    chats.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(chats)
}
