//! Applying a plan: the pending items become at most one config PATCH and one ability PATCH
//! (config first: its request URLs and redirect URLs take effect at once, so a half-applied
//! change still leaves the more useful half). The caller re-reads before and after, so a second
//! apply plans nothing and a partial failure leaves a plan of what is left.

use lark_platform::client::application::{
    AbilityPatch, BotPatch, ConfigPatch, SubscriptionPatch, WebAppPatch,
};
use lark_platform::client::{ApiError, Client};
use lark_platform::secret::Secret;
use rand::distributions::{Alphanumeric, DistString};
use serde::Serialize;
use ts_rs::TS;

use super::plan::Wanted;
use super::target::{CALLBACKS, EVENTS};
use super::{ItemId, Plan};
use crate::problem::Problem;

/// What an apply did, and the plan read back after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    /// The items written (scopes once per scope), in plan order.
    pub applied: Vec<ItemId>,
    /// Both writes were needed and the first worked, the second did not.
    pub partial: bool,
    /// What refused (`missing_scopes` with the `scopes` param, `under_review`, …).
    pub failure: Option<Problem>,
    /// A new Encrypt Key and Verification Token were made, stored in the keychain and set.
    pub generated_keys: bool,
    /// The app's own keys were copied into the keychain.
    pub stored_app_keys: bool,
    pub plan: Plan,
}

/// A strong random value for an Encrypt Key or Verification Token (32 letters and digits, as
/// the console makes them).
pub fn generate_key() -> Secret {
    Secret::new(Alphanumeric.sample_string(&mut rand::thread_rng(), 32))
}

/// How events and callbacks are delivered today (`webhook` / `websocket`), as read: the config
/// API wants the type with every event or callback change, so adding subscriptions keeps it.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    pub events: Option<String>,
    pub callbacks: Option<String>,
}

/// The two requests the plan's pending items make. `keys`: the Encrypt Key and Verification
/// Token to set on the app, when the encryption item is to be written.
pub fn patches(
    plan: &Plan,
    wanted: &Wanted,
    keys: Option<(Secret, Secret)>,
    delivery: &Delivery,
) -> (ConfigPatch, AbilityPatch) {
    let mut config = ConfigPatch::default();
    let mut ability = AbilityPatch::default();
    let card = wanted.urls.card_request_url.clone();
    for item in plan.pending() {
        match item.id {
            ItemId::Bot => {
                ability.bot = Some(BotPatch {
                    enable: true,
                    message_card_callback_url: card.clone(),
                })
            }
            ItemId::WebApp => {
                ability.web_app = Some(WebAppPatch {
                    enable: true,
                    pc_url: wanted.urls.web_config_url.clone(),
                    mobile_url: wanted.urls.web_config_url.clone(),
                })
            }
            ItemId::RedirectUrl => config
                .add_redirect_urls
                .extend(wanted.urls.redirect_url.clone()),
            ItemId::CallbackUrl | ItemId::Callbacks => {
                let part = config
                    .callback
                    .get_or_insert_with(SubscriptionPatch::default);
                if item.id == ItemId::CallbackUrl {
                    part.kind = Some("webhook".into());
                    part.request_url = card.clone();
                } else {
                    part.add = CALLBACKS.iter().map(|s| (*s).to_owned()).collect();
                }
            }
            ItemId::EventUrl | ItemId::Events => {
                let part = config.event.get_or_insert_with(SubscriptionPatch::default);
                if item.id == ItemId::EventUrl {
                    part.kind = Some("webhook".into());
                    part.request_url = card.clone();
                } else {
                    part.add = EVENTS.iter().map(|s| (*s).to_owned()).collect();
                }
            }
            ItemId::Scope => config
                .add_scopes
                .extend(item.subject.clone().map(|s| (s, "tenant".to_owned()))),
            ItemId::Encryption => {
                if item.api != "keychain" {
                    config.encryption = keys.clone();
                }
            }
        }
    }
    // A subscription change without a new route keeps the current one (the registration
    // default, long connection, when it could not be read).
    let keep = |kind: &Option<String>| Some(kind.clone().unwrap_or_else(|| "websocket".into()));
    if let Some(part) = config.event.as_mut().filter(|p| p.kind.is_none()) {
        part.kind = keep(&delivery.events);
    }
    if let Some(part) = config.callback.as_mut().filter(|p| p.kind.is_none()) {
        part.kind = keep(&delivery.callbacks);
    }
    (config, ability)
}

/// Sends the two requests (the empty ones are skipped). Returns the items written and the
/// error that stopped it, if any, and whether it stopped half way.
pub async fn send(
    client: &Client,
    plan: &Plan,
    config: &ConfigPatch,
    ability: &AbilityPatch,
) -> (Vec<ItemId>, Option<ApiError>, bool) {
    let is_config = |id: ItemId| !matches!(id, ItemId::Bot | ItemId::WebApp);
    let ids = |config_side: bool| -> Vec<ItemId> {
        plan.pending()
            .filter(|i| is_config(i.id) == config_side && i.api != "keychain")
            .map(|i| i.id)
            .collect()
    };
    let mut applied = Vec::new();
    if !config.is_empty() {
        if let Err(e) = client.patch_config(config).await {
            return (applied, Some(e), false);
        }
        applied.extend(ids(true));
    }
    if !ability.is_empty() {
        if let Err(e) = client.patch_ability(ability).await {
            let partial = !applied.is_empty();
            return (applied, Some(e), partial);
        }
        applied.extend(ids(false));
    }
    (applied, None, false)
}
