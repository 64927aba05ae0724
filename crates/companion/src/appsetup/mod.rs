//! Setup by API: the app's configuration read from the platform, compared with what the
//! integration needs ([`target`]), the difference as a plan, applied in at most one config
//! PATCH and one ability PATCH, and published on request (docs/protocol.md, "Creating and
//! configuring the app by API"; docs/architecture.md, "Setup by API").
//!
//! - [`read`]: one snapshot of the app (its configuration, its newest and online versions, its
//!   scope grants). A field the platform did not return is unknown, never "not set".
//! - [`plan`]: per item: current, wanted, the action, when it takes effect, blocking or not,
//!   the API that would do it, and the scope that is missing when we may not.
//! - [`apply`]: re-reads, writes what the plan says (generating an Encrypt Key and a
//!   Verification Token when the app has none, stored in the keychain first), re-plans.
//! - [`publish`]: publishes and reads the version's state.
//! - [`register`]: a new app by QR scan, saved as a profile with its App Secret in the keychain.

pub mod apply;
pub mod plan;
pub mod publish;
pub mod read;
pub mod register;
pub mod target;

use serde::Serialize;
use ts_rs::TS;

use crate::problem::{Problem, ProblemCode as C};
use crate::profiles::{parse_url, IntegrationUrls};
use crate::Result;

/// The integration's three URLs, checked before anything is written: absolute https URLs (http
/// only on this computer, for the simulator and local tests), and no URL in two fields (a URL
/// pasted into the wrong field is the usual slip).
pub fn checked_urls(urls: IntegrationUrls) -> Result<IntegrationUrls> {
    let urls = urls.validated()?;
    let fields = [
        ("webConfigUrl", &urls.web_config_url),
        ("redirectUrl", &urls.redirect_url),
        ("cardRequestUrl", &urls.card_request_url),
    ];
    for (field, value) in fields {
        let Some(value) = value else { continue };
        let parsed = url::Url::parse(&parse_url(field, value)?).map_err(|e| {
            Problem::invalid(field, C::UrlNotFull)
                .param("value", value)
                .param("detail", e)
        })?;
        if parsed.scheme() != "https" && !lark_platform::client::is_loopback(&parsed) {
            return Err(Problem::invalid(field, C::CallbackUrlNotHttps)
                .param("value", value)
                .into());
        }
    }
    for (i, (field, value)) in fields.iter().enumerate() {
        for (other, other_value) in &fields[i + 1..] {
            if value.is_some() && value == other_value {
                return Err(Problem::invalid(*other, C::UrlInTwoFields)
                    .param("other", field)
                    .into());
            }
        }
    }
    Ok(urls)
}

/// The items of the plan, in the order the console shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS, strum::EnumIter)]
#[serde(rename_all = "camelCase")]
pub enum ItemId {
    /// The Bot capability (alert cards are sent by the bot).
    Bot,
    /// The Web App capability with the Web Configuration URL as desktop and mobile homepage.
    WebApp,
    /// The Redirect URL in Security Settings (signing in to the web app).
    RedirectUrl,
    /// Where card callbacks go: webhook to the Message Card Request URL.
    CallbackUrl,
    /// The card callbacks subscribed.
    Callbacks,
    /// Where events go: webhook to the same URL.
    EventUrl,
    /// The events subscribed.
    Events,
    /// One scope (the item's `subject`).
    Scope,
    /// Encrypt Key and Verification Token set on the app and the same as in the keychain.
    Encryption,
}

/// What the platform says today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Current {
    /// The platform did not return it (or we may not read it).
    Unknown,
    NotSet,
    /// Set to this (URLs, lists joined with ", ", "on"); never a secret.
    Value {
        text: String,
    },
}

/// What applying would do for the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    Nothing,
    Add,
    Change,
    /// The current value is unknown, so we cannot say.
    CantTell,
    /// A change is needed but the app does not let us make it (`needs_scope`, under review,
    /// not a console-made app, or an input is missing).
    NotAllowed,
    /// The app's Encrypt Key / Verification Token differ from the keychain's: the admin
    /// chooses which to keep.
    Mismatch,
}

impl Action {
    /// Applying changes something.
    pub fn writes(self) -> bool {
        matches!(self, Self::Add | Self::Change)
    }
}

/// When a change takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Effect {
    AtOnce,
    AfterPublish,
}

/// Why an item cannot be applied, when it cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Blocker {
    /// The app lacks this scope.
    MissingScope { scope: String },
    /// A version is under review.
    UnderReview,
    /// The app was not made in the developer console.
    NotConsoleApp,
    /// The integration's URL for this item was not given (`field`: webConfigUrl, …).
    MissingInput { field: String },
    /// No profile to keep generated keys in (LARK_* environment).
    NoKeychain,
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    pub id: ItemId,
    /// The scope name for [`ItemId::Scope`].
    pub subject: Option<String>,
    pub current: Current,
    /// What it should be, in words the UI can show (URLs, lists, "on"); never a secret.
    pub wanted: String,
    pub action: Action,
    pub effect: Effect,
    pub blocking: bool,
    /// The API that would make the change, e.g. `application.v7.config.patch`.
    pub api: String,
    pub blocker: Option<Blocker>,
    /// Already set, but only in a version that is not online yet: publishing makes it live.
    pub awaiting_publish: bool,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub app_id: String,
    pub items: Vec<PlanItem>,
    pub under_review: bool,
    /// `false` when the app was not made in the developer console.
    pub console_made: bool,
    /// The read scope the app lacks (everything it would show is then unknown).
    pub missing_read_scope: Option<String>,
}

impl Plan {
    /// Items applying would change.
    pub fn pending(&self) -> impl Iterator<Item = &PlanItem> {
        self.items
            .iter()
            .filter(|i| i.action.writes() && i.blocker.is_none())
    }

    /// Something differs from the target: a change to apply, one we may not make, or keys
    /// that disagree. Items we cannot read do not count (they are shown as unknown).
    pub fn has_changes(&self) -> bool {
        self.items.iter().any(|i| {
            matches!(
                i.action,
                Action::Add | Action::Change | Action::NotAllowed | Action::Mismatch
            )
        })
    }

    /// Some change is set but not live until a version is published.
    pub fn needs_publish(&self) -> bool {
        self.items
            .iter()
            .any(|i| i.awaiting_publish || (i.action.writes() && i.effect == Effect::AfterPublish))
    }
}

/// The TypeScript declarations of this module's types, for `tests/bindings.rs`.
pub fn bindings() -> Vec<(&'static str, String)> {
    fn file<T: TS + 'static>(name: &'static str) -> (&'static str, String) {
        (name, T::export_to_string().unwrap_or_default())
    }
    vec![
        file::<ItemId>("ItemId.ts"),
        file::<Current>("Current.ts"),
        file::<Action>("Action.ts"),
        file::<Effect>("Effect.ts"),
        file::<Blocker>("Blocker.ts"),
        file::<PlanItem>("PlanItem.ts"),
        file::<Plan>("Plan.ts"),
        file::<apply::ApplyReport>("ApplyReport.ts"),
        file::<publish::VersionState>("VersionState.ts"),
        file::<publish::PublishReport>("PublishReport.ts"),
    ]
}

#[cfg(test)]
mod tests;
