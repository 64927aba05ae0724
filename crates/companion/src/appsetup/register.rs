//! A new app by QR scan: where the accounts host is for a platform, what the link asks for, and
//! the profile the result becomes (the App Secret goes straight into the keychain with it;
//! nothing is printed or logged).

use lark_platform::registration::{AccountsHosts, Brand, LinkOptions, RegisteredApp};

use super::target::registration_addons;
use crate::profiles::{Platform, ProfileInput, SecretsInput};

/// The default name of a new app.
pub const DEFAULT_APP_NAME: &str = "Flashduty Alerts";
/// The integration's icon, offered on the creation page (Flashduty's guide suggests it).
pub const ICON_URL: &str = "https://download.flashcat.cloud/flashcat_logo_circular.png";
/// Its default description.
pub const DEFAULT_DESCRIPTION: &str = "Incident alerts from Flashduty, with buttons to act on them";

/// The accounts hosts of a platform: the real ones for Feishu and Lark (the flow starts on
/// Feishu's and moves to Lark's when the tenant is on Lark), the simulator's layout for a
/// custom base URL.
pub fn hosts_for(platform: &Platform) -> AccountsHosts {
    match platform {
        Platform::Feishu | Platform::Lark => AccountsHosts::default(),
        Platform::Custom { base_url } => AccountsHosts::simulator(base_url),
    }
}

/// The link's options: name and description pre-filled, the integration's scopes, events and
/// callbacks asked for; `client_id` re-confirms an existing app instead of creating one.
pub fn link_options(name: &str, description: &str, client_id: Option<&str>) -> LinkOptions {
    LinkOptions {
        name: Some(name.to_owned()),
        description: Some(description.to_owned()),
        avatars: vec![ICON_URL.to_owned()],
        addons: Some(registration_addons()),
        create_only: client_id.is_none(),
        client_id: client_id.map(str::to_owned),
    }
}

/// The profile a registered app becomes. A Feishu profile whose tenant turned out to be on
/// Lark becomes a Lark profile; a custom base URL stays.
pub fn profile_input(profile_name: &str, platform: &Platform, app: &RegisteredApp) -> ProfileInput {
    let platform = match (platform, app.brand) {
        (Platform::Feishu, Brand::Lark) => Platform::Lark,
        (other, _) => other.clone(),
    };
    ProfileInput {
        name: profile_name.to_owned(),
        platform,
        app_id: app.app_id.clone(),
        urls: None,
        secrets: SecretsInput {
            app_secret: Some(app.app_secret.clone()),
            verification_token: None,
            encrypt_key: None,
        },
    }
}
