//! The simulated tenant: its custom apps (each with a bot and granted scopes), a few users and a
//! few group chats.
//!
//! The app configured at start is the primary one and keeps its historical place in the struct
//! (`app`, `bot`, `scopes`), so everything written against a one-app tenant still reads it there.
//! Apps created later (app registration) are in `more_apps`; [`Tenant::find_app`] and
//! [`Tenant::find_app_mut`] reach any of them by App ID. They all share the users and chats.
//!
//! Ids follow the platform's shapes (`cli_` + 16 hex for the App ID, `ou_`/`on_` for open and
//! union ids, `oc_` for chats, `om_` for messages) because the product validates some of them
//! (the official SDKs check the App ID format before connecting).

use std::collections::BTreeSet;

use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};

/// The app's four secrets. The simulator prints them on purpose: it is nobody's real app.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AppCredentials {
    pub app_id: String,
    pub app_secret: String,
    pub verification_token: String,
    /// `None` when the app has no Encrypt Key (callbacks then go out in plain JSON, unsigned).
    pub encrypt_key: Option<String>,
}

/// A person in the tenant.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub open_id: String,
    pub user_id: String,
    pub union_id: String,
    pub email: String,
    /// Inside the app's availability range; sends to others fail with 230013.
    pub available: bool,
}

/// A group chat.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Chat {
    pub chat_id: String,
    pub name: String,
    pub description: String,
    /// The owner's open id.
    pub owner_id: String,
    /// Whether the app's bot is a member (only then can it list or send to the chat).
    pub bot_member: bool,
}

/// The app's bot capability.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Bot {
    pub app_name: String,
    pub open_id: String,
    /// Bot capability enabled and published; when off, IM APIs answer 230006/232025.
    pub enabled: bool,
    /// `activate_status` reported by `/bot/v3/info` while enabled (2 = enabled).
    pub activate_status: u8,
}

/// Everything about the simulated tenant.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tenant {
    pub tenant_key: String,
    /// The primary app (the one configured at start).
    pub app: AppCredentials,
    /// The primary app's bot.
    pub bot: Bot,
    /// Scopes granted to the primary app (tenant identity).
    pub scopes: BTreeSet<String>,
    pub users: Vec<User>,
    pub chats: Vec<Chat>,
    /// Apps added after the primary one (app registration), oldest first.
    #[serde(default)]
    pub more_apps: Vec<TenantApp>,
}

/// An app added after the primary one: the same three parts the primary app has.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TenantApp {
    pub app: AppCredentials,
    pub bot: Bot,
    /// Granted scopes (tenant identity): what the IM APIs check.
    pub scopes: BTreeSet<String>,
}

/// One app of the tenant, read-only.
#[derive(Clone, Copy, Debug)]
pub struct AppRef<'a> {
    pub app: &'a AppCredentials,
    pub bot: &'a Bot,
    pub scopes: &'a BTreeSet<String>,
    pub primary: bool,
}

impl AppRef<'_> {
    /// Whether any of `scopes` is granted to this app.
    pub fn has_any_scope(&self, scopes: &[&str]) -> bool {
        scopes.iter().any(|scope| self.scopes.contains(*scope))
    }
}

/// One app of the tenant, to change.
#[derive(Debug)]
pub struct AppMut<'a> {
    pub app: &'a mut AppCredentials,
    pub bot: &'a mut Bot,
    pub scopes: &'a mut BTreeSet<String>,
    pub primary: bool,
}

/// Credentials chosen by the caller; whatever is `None` is generated.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CredentialChoice {
    pub app_id: Option<String>,
    pub app_secret: Option<String>,
    pub verification_token: Option<String>,
    /// `Some("")` means "no Encrypt Key"; `None` generates one.
    pub encrypt_key: Option<String>,
}

/// Scopes a freshly set-up integration has (what the Flashduty guide asks for).
pub fn default_scopes() -> BTreeSet<String> {
    [
        "im:chat",
        "im:message",
        "im:message:send_as_bot",
        "contact:user.id:readonly",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// `prefix` followed by `len` random lowercase hex digits.
pub fn random_id(rng: &mut dyn RngCore, prefix: &str, len: usize) -> String {
    let mut bytes = vec![0u8; len.div_ceil(2)];
    rng.fill_bytes(&mut bytes);
    let mut hex = hex::encode(bytes);
    hex.truncate(len);
    format!("{prefix}{hex}")
}

/// A random alphanumeric string, the shape of Feishu secrets and tokens.
pub fn random_secret(rng: &mut dyn RngCore, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

impl Tenant {
    /// A tenant with three users (one outside the app's availability) and four chats, the bot
    /// in the first three.
    pub fn generate(rng: &mut dyn RngCore, choice: CredentialChoice) -> Self {
        let app = AppCredentials {
            app_id: choice.app_id.unwrap_or_else(|| random_id(rng, "cli_", 16)),
            app_secret: choice.app_secret.unwrap_or_else(|| random_secret(rng, 32)),
            verification_token: choice
                .verification_token
                .unwrap_or_else(|| random_secret(rng, 32)),
            encrypt_key: match choice.encrypt_key {
                Some(key) if key.is_empty() => None,
                Some(key) => Some(key),
                None => Some(random_secret(rng, 32)),
            },
        };
        let people = [
            ("Alice Chen", "alice", true),
            ("Bob Li", "bob", true),
            ("Carol Wang", "carol", false),
        ];
        let users: Vec<User> = people
            .iter()
            .map(|(name, handle, available)| User {
                name: (*name).to_string(),
                open_id: random_id(rng, "ou_", 32),
                user_id: random_id(rng, "", 8),
                union_id: random_id(rng, "on_", 32),
                email: format!("{handle}@example.com"),
                available: *available,
            })
            .collect();
        let groups = [
            ("On-call", "Alerts for the on-call rotation", true),
            ("SRE", "Site reliability", true),
            ("Payments incidents", "Payments team", true),
            ("Random", "The bot was never added here", false),
        ];
        let owner = users.first().map(|u| u.open_id.clone()).unwrap_or_default();
        let chats = groups
            .iter()
            .map(|(name, description, bot_member)| Chat {
                chat_id: random_id(rng, "oc_", 32),
                name: (*name).to_string(),
                description: (*description).to_string(),
                owner_id: owner.clone(),
                bot_member: *bot_member,
            })
            .collect();
        Self {
            tenant_key: random_id(rng, "", 16),
            bot: Bot {
                app_name: "Lark Companion Sandbox".to_string(),
                open_id: random_id(rng, "ou_", 32),
                enabled: true,
                activate_status: 2,
            },
            app,
            scopes: default_scopes(),
            users,
            chats,
            more_apps: Vec::new(),
        }
    }

    /// The App ID of every app, the primary one first.
    pub fn app_ids(&self) -> Vec<String> {
        std::iter::once(self.app.app_id.clone())
            .chain(self.more_apps.iter().map(|a| a.app.app_id.clone()))
            .collect()
    }

    /// The app with this App ID.
    pub fn find_app(&self, app_id: &str) -> Option<AppRef<'_>> {
        if self.app.app_id == app_id {
            return Some(AppRef {
                app: &self.app,
                bot: &self.bot,
                scopes: &self.scopes,
                primary: true,
            });
        }
        self.more_apps
            .iter()
            .find(|a| a.app.app_id == app_id)
            .map(|a| AppRef {
                app: &a.app,
                bot: &a.bot,
                scopes: &a.scopes,
                primary: false,
            })
    }

    /// The app with this App ID, to change.
    pub fn find_app_mut(&mut self, app_id: &str) -> Option<AppMut<'_>> {
        if self.app.app_id == app_id {
            return Some(AppMut {
                app: &mut self.app,
                bot: &mut self.bot,
                scopes: &mut self.scopes,
                primary: true,
            });
        }
        self.more_apps
            .iter_mut()
            .find(|a| a.app.app_id == app_id)
            .map(|a| AppMut {
                app: &mut a.app,
                bot: &mut a.bot,
                scopes: &mut a.scopes,
                primary: false,
            })
    }

    /// Adds an app with fresh credentials (no Encrypt Key, as the console creates them) and a
    /// bot named after it, enabled; returns its App ID.
    pub fn add_app(
        &mut self,
        rng: &mut dyn RngCore,
        name: &str,
        scopes: BTreeSet<String>,
    ) -> String {
        let app = AppCredentials {
            app_id: random_id(rng, "cli_", 16),
            app_secret: random_secret(rng, 32),
            verification_token: random_secret(rng, 32),
            encrypt_key: None,
        };
        let app_id = app.app_id.clone();
        self.more_apps.push(TenantApp {
            app,
            bot: Bot {
                app_name: name.to_string(),
                open_id: random_id(rng, "ou_", 32),
                enabled: true,
                activate_status: 2,
            },
            scopes,
        });
        app_id
    }

    /// The user a receive id designates, by the id type the caller named.
    pub fn find_user(&self, id_type: ReceiveIdType, id: &str) -> Option<&User> {
        self.users.iter().find(|user| match id_type {
            ReceiveIdType::OpenId => user.open_id == id,
            ReceiveIdType::UserId => user.user_id == id,
            ReceiveIdType::UnionId => user.union_id == id,
            ReceiveIdType::Email => user.email.eq_ignore_ascii_case(id),
            ReceiveIdType::ChatId => false,
        })
    }

    pub fn find_chat(&self, chat_id: &str) -> Option<&Chat> {
        self.chats.iter().find(|chat| chat.chat_id == chat_id)
    }

    /// Whether any of `scopes` is granted.
    pub fn has_any_scope(&self, scopes: &[&str]) -> bool {
        scopes.iter().any(|scope| self.scopes.contains(*scope))
    }
}

/// `receive_id_type` of a send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiveIdType {
    ChatId,
    OpenId,
    UserId,
    UnionId,
    Email,
}

impl ReceiveIdType {
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "chat_id" => Self::ChatId,
            "open_id" => Self::OpenId,
            "user_id" => Self::UserId,
            "union_id" => Self::UnionId,
            "email" => Self::Email,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generated_ids_have_the_platform_shapes() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let tenant = Tenant::generate(&mut rng, CredentialChoice::default());
        assert!(tenant.app.app_id.starts_with("cli_"));
        assert_eq!(tenant.app.app_id.len(), 20);
        assert!(tenant.app.encrypt_key.is_some());
        assert!(tenant.chats.iter().all(|c| c.chat_id.starts_with("oc_")));
        assert!(tenant.chats.iter().any(|c| !c.bot_member));
        let none = Tenant::generate(
            &mut rng,
            CredentialChoice {
                encrypt_key: Some(String::new()),
                ..CredentialChoice::default()
            },
        );
        assert_eq!(none.app.encrypt_key, None);
    }

    #[test]
    fn added_apps_are_found_next_to_the_primary_one() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        let mut tenant = Tenant::generate(&mut rng, CredentialChoice::default());
        let primary = tenant.app.app_id.clone();
        let added = tenant.add_app(&mut rng, "Second", BTreeSet::from(["im:chat".to_string()]));
        assert_ne!(added, primary);
        assert_eq!(tenant.app_ids(), vec![primary.clone(), added.clone()]);
        let found = tenant.find_app(&added).unwrap();
        assert!(!found.primary);
        assert_eq!(found.bot.app_name, "Second");
        assert_eq!(found.app.encrypt_key, None);
        assert!(found.has_any_scope(&["im:chat"]));
        assert!(tenant.find_app(&primary).unwrap().primary);
        tenant.find_app_mut(&added).unwrap().bot.enabled = false;
        assert!(!tenant.more_apps[0].bot.enabled);
        assert!(tenant.find_app("cli_0000000000000000").is_none());
    }
}
