//! Deep links into the developer console, so every failed check can open the exact page to fix.
//!
//! The per-app pages live under `<console>/app/<app_id>/...`. The sub-paths below are the ones the
//! console uses today (`baseinfo`, `auth`, `event`, `bot`, `safe`, `version`, `web-app`); `auth` is
//! also the page the platform itself links from its missing-scope errors. When a console page moves,
//! only this file changes.

use crate::profiles::Platform;

/// A page of one app's settings in the developer console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsolePage {
    /// The list of apps, with "Create custom app".
    AppList,
    /// Credentials & Basic Info: App ID and App Secret.
    Credentials,
    /// Events & Callbacks: Encrypt Key, Verification Token, request URL, subscriptions.
    EventsAndCallbacks,
    /// Features > Bot.
    Bot,
    /// Features > Web App: desktop and mobile homepage.
    WebApp,
    /// Security Settings: redirect URLs.
    Security,
    /// Permissions & Scopes.
    Scopes,
    /// Version Management & Release: publish and availability.
    Versions,
}

impl ConsolePage {
    fn sub_path(self) -> &'static str {
        match self {
            Self::AppList => "",
            Self::Credentials => "baseinfo",
            Self::EventsAndCallbacks => "event",
            Self::Bot => "bot",
            Self::WebApp => "web-app",
            Self::Security => "safe",
            Self::Scopes => "auth",
            Self::Versions => "version",
        }
    }
}

/// The developer console's origin for a platform. A custom base URL (a private deployment or the
/// simulator) has its console at the same origin.
pub fn console_origin(platform: &Platform) -> &str {
    match platform {
        Platform::Feishu => "https://open.feishu.cn",
        Platform::Lark => "https://open.larksuite.com",
        Platform::Custom { base_url } => base_url,
    }
}

/// The URL of `page` for app `app_id` (the app list ignores the id).
pub fn console_link(platform: &Platform, app_id: &str, page: ConsolePage) -> String {
    let origin = console_origin(platform);
    match page {
        ConsolePage::AppList => format!("{origin}/app"),
        _ => format!("{origin}/app/{app_id}/{}", page.sub_path()),
    }
}

/// The scope list as the console's "batch import" box takes it, plus the grant page for them.
pub fn scope_grant_link(platform: &Platform, app_id: &str, scopes: &[&str]) -> String {
    format!(
        "{}?q={}",
        console_link(platform, app_id, ConsolePage::Scopes),
        scopes.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_platform() {
        assert_eq!(
            console_link(&Platform::Feishu, "cli_a1", ConsolePage::Scopes),
            "https://open.feishu.cn/app/cli_a1/auth"
        );
        assert_eq!(
            console_link(&Platform::Lark, "cli_a1", ConsolePage::AppList),
            "https://open.larksuite.com/app"
        );
        let custom = Platform::Custom {
            base_url: "http://127.0.0.1:9".into(),
        };
        assert_eq!(
            scope_grant_link(&custom, "cli_a1", &["im:chat", "im:message"]),
            "http://127.0.0.1:9/app/cli_a1/auth?q=im:chat,im:message"
        );
    }
}
