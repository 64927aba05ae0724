//! `GET /open-apis/bot/v3/info`: whether the app's Bot capability is on, and the bot's identity.
//! The payload sits under `bot`, not `data` (the documented shape); `data` is read too because
//! some fixtures use it.

use serde::Deserialize;

use super::{payload, ApiError, Client, Endpoint};

/// The bot, as the platform describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct BotInfo {
    pub app_name: String,
    /// The bot's own open id (sending to it fails with 230013).
    pub open_id: String,
    /// 0 not installed, 1 disabled by the tenant, 2 enabled, 3 installed but not enabled,
    /// 4 upgraded but not enabled, 5 license expired, 6 plan expired or downgraded.
    pub activate_status: i64,
    pub avatar_url: String,
    pub ip_white_list: Vec<String>,
}

impl BotInfo {
    /// Only status 2 lets the bot send and receive.
    pub fn is_active(&self) -> bool {
        self.activate_status == 2
    }

    /// What `activate_status` means, for people.
    pub fn activate_status_text(&self) -> &'static str {
        match self.activate_status {
            0 => "not installed yet",
            1 => "disabled by the tenant",
            2 => "enabled",
            3 => "installed, waiting to be enabled",
            4 => "upgraded, waiting to be enabled",
            5 => "license expired",
            6 => "plan expired or downgraded",
            _ => "unknown status",
        }
    }
}

impl Client {
    /// The bot's state. Fails with [`ApiError::BotCapabilityDisabled`] when the capability is off.
    pub async fn bot_info(&self) -> Result<BotInfo, ApiError> {
        let endpoint = Endpoint::BotInfo;
        let answer = self
            .call(endpoint, None, self.url(endpoint.path_template()), None)
            .await?;
        payload(answer, &["bot", "data"], "bot info")
    }
}
