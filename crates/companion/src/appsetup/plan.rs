//! The plan: the snapshot compared with the target, item by item. Pure: no I/O, so every rule
//! is tested with plain values.

use lark_platform::client::application::{AppVersion, PATCH_SCOPE};
use lark_platform::client::ApiError;
use lark_platform::secret::Secret;

use super::read::Snapshot;
use super::target::{CALLBACKS, EVENTS, OPTIONAL_SCOPES, REQUIRED_SCOPES};
use super::{Action, Blocker, Current, Effect, ItemId, Plan, PlanItem};
use crate::profiles::IntegrationUrls;

const CONFIG_API: &str = "application.v7.config.patch";
const ABILITY_API: &str = "application.v7.ability.patch";
/// The read scope named when the app may not read itself.
pub const READ_SCOPE: &str = "application:application:self_manage";

/// The Encrypt Key and Verification Token on this side: the profile's keychain entries (or the
/// LARK_* environment, where nothing can be stored).
#[derive(Debug, Clone, Default)]
pub struct LocalKeys {
    pub encrypt_key: Option<Secret>,
    pub verification_token: Option<Secret>,
    /// A profile's keychain can take new or copied keys.
    pub can_store: bool,
}

/// What the plan is computed against.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    pub urls: IntegrationUrls,
    pub keys: LocalKeys,
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/')
}

fn text(value: impl Into<String>) -> Current {
    Current::Value { text: value.into() }
}

struct Builder<'a> {
    snap: &'a Snapshot,
    write_blocker: Option<Blocker>,
    items: Vec<PlanItem>,
}

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        id: ItemId,
        subject: Option<&str>,
        current: Current,
        wanted: String,
        satisfied: Option<bool>,
        effect: Effect,
        blocking: bool,
        api: &str,
        missing_input: Option<&str>,
    ) -> &mut PlanItem {
        let mut blocker = None;
        let action = match (satisfied, missing_input) {
            (Some(true), _) => Action::Nothing,
            (None, _) => Action::CantTell,
            (Some(false), Some(field)) => {
                blocker = Some(Blocker::MissingInput {
                    field: field.into(),
                });
                Action::NotAllowed
            }
            (Some(false), None) => match &self.write_blocker {
                Some(b) => {
                    blocker = Some(b.clone());
                    Action::NotAllowed
                }
                None if current == Current::NotSet => Action::Add,
                None => Action::Change,
            },
        };
        self.items.push(PlanItem {
            id,
            subject: subject.map(str::to_owned),
            current,
            wanted,
            action,
            effect,
            blocking,
            api: api.into(),
            blocker,
            awaiting_publish: false,
        });
        self.items.last_mut().expect("just pushed")
    }

    /// Whether `check` holds for the online version (`None`: no online version known).
    fn online(&self, check: impl Fn(&AppVersion) -> bool) -> Option<bool> {
        self.snap.online.as_ref().map(check)
    }
}

/// Compares the snapshot with the target.
pub fn plan(snap: &Snapshot, wanted: &Wanted) -> Plan {
    let app = snap.app.as_ref();
    let under_review = app.is_some_and(|a| a.under_review());
    let console_made = app.is_none_or(|a| a.console_made());
    let write_blocker = if under_review {
        Some(Blocker::UnderReview)
    } else if !console_made {
        Some(Blocker::NotConsoleApp)
    } else if snap.granted(PATCH_SCOPE) == Some(false) {
        Some(Blocker::MissingScope {
            scope: PATCH_SCOPE.into(),
        })
    } else {
        None
    };
    let mut b = Builder {
        snap,
        write_blocker,
        items: Vec::new(),
    };
    abilities(&mut b, &wanted.urls);
    urls_and_subscriptions(&mut b, &wanted.urls);
    scopes(&mut b);
    encryption(&mut b, &wanted.keys);
    let missing_read_scope = match &snap.app_error {
        Some(ApiError::MissingScopes { .. }) => Some(READ_SCOPE.to_owned()),
        _ => None,
    };
    Plan {
        app_id: app.map(|a| a.app_id.clone()).unwrap_or_default(),
        items: b.items,
        under_review,
        console_made,
        missing_read_scope,
    }
}

/// Bot and Web App: read from the newest version (the platform returns abilities per version).
fn abilities(b: &mut Builder<'_>, urls: &IntegrationUrls) {
    let newest = b.snap.newest.as_ref();
    let ability = |v: &AppVersion| v.ability.clone().unwrap_or_default();
    let (bot_current, bot_ok) = match (b.snap.versions_read, newest) {
        (false, _) => (Current::Unknown, None),
        (true, None) => (Current::NotSet, Some(false)),
        (true, Some(v)) if ability(v).bot.is_some() => (text("on"), Some(true)),
        (true, Some(_)) => (Current::NotSet, Some(false)),
    };
    let pending = b.snap.newest_is_pending();
    let bot_online = b.online(|v| ability(v).bot.is_some());
    let item = b.push(
        ItemId::Bot,
        None,
        bot_current,
        "on".into(),
        bot_ok,
        Effect::AfterPublish,
        true,
        ABILITY_API,
        None,
    );
    item.awaiting_publish = bot_ok == Some(true) && pending && bot_online != Some(true);

    let want = urls.web_config_url.clone();
    let web = newest.and_then(|v| ability(v).web_app);
    let (current, ok) = match (b.snap.versions_read, &web) {
        (false, _) => (Current::Unknown, None),
        (true, None) => (Current::NotSet, Some(false)),
        (true, Some(w)) => {
            let pc = w.pc_url.clone().unwrap_or_default();
            let ok = want.as_deref().map(|u| {
                same_url(&pc, u) && w.mobile_url.as_deref().is_some_and(|m| same_url(m, u))
            });
            let current = if pc.is_empty() {
                Current::NotSet
            } else {
                text(pc)
            };
            (current, ok.or(Some(false)))
        }
    };
    let web_online = b.online(|v| {
        let w = ability(v).web_app.unwrap_or_default();
        want.as_deref()
            .is_some_and(|u| w.pc_url.as_deref().is_some_and(|p| same_url(p, u)))
    });
    let item = b.push(
        ItemId::WebApp,
        None,
        current,
        want.clone().unwrap_or_default(),
        ok,
        Effect::AfterPublish,
        true,
        ABILITY_API,
        want.is_none().then_some("webConfigUrl"),
    );
    item.awaiting_publish = ok == Some(true) && pending && web_online != Some(true);
}

fn urls_and_subscriptions(b: &mut Builder<'_>, urls: &IntegrationUrls) {
    let app = b.snap.app.clone();
    // Redirect URL (Security Settings), at once.
    let want = urls.redirect_url.clone();
    let list = app.as_ref().and_then(|a| a.redirects().cloned());
    let (current, ok) = match &list {
        None => (Current::Unknown, None),
        Some(l) if l.is_empty() => (Current::NotSet, Some(false)),
        Some(l) => (
            text(l.join(", ")),
            Some(
                want.as_deref()
                    .is_some_and(|w| l.iter().any(|u| same_url(u, w))),
            ),
        ),
    };
    b.push(
        ItemId::RedirectUrl,
        None,
        current,
        want.clone().unwrap_or_default(),
        ok,
        Effect::AtOnce,
        true,
        CONFIG_API,
        want.is_none().then_some("redirectUrl"),
    );

    let card = urls.card_request_url.clone();
    let card_input = card.is_none().then_some("cardRequestUrl");
    let callbacks = app.as_ref().and_then(|a| a.callbacks().cloned());
    let events = app.as_ref().and_then(|a| a.event.clone());
    // Where callbacks and events go: webhook to the Message Card Request URL, at once.
    let route = |kind: Option<String>, url: Option<String>| match (kind, url) {
        (Some(k), _) if k != "webhook" => (text(k), Some(false)),
        (_, Some(u)) if !u.is_empty() => {
            let ok = card.as_deref().is_some_and(|c| same_url(&u, c));
            (text(u), Some(ok))
        }
        (Some(_), _) => (Current::Unknown, None),
        (None, _) => (Current::NotSet, Some(false)),
    };
    let (current, ok) = match &callbacks {
        None => (Current::Unknown, None),
        Some(c) => route(c.callback_type.clone(), c.request_url.clone()),
    };
    let wanted = card.clone().unwrap_or_default();
    b.push(
        ItemId::CallbackUrl,
        None,
        current,
        wanted.clone(),
        ok,
        Effect::AtOnce,
        true,
        CONFIG_API,
        card_input,
    );
    let list_item = |subscribed: Option<&Vec<String>>, needed: &[&str]| match subscribed {
        None => (Current::Unknown, None),
        Some(l) if l.is_empty() => (Current::NotSet, Some(false)),
        Some(l) => (
            text(l.join(", ")),
            Some(needed.iter().all(|n| l.iter().any(|x| x == n))),
        ),
    };
    let (current, ok) = list_item(
        callbacks
            .as_ref()
            .and_then(|c| c.subscribed_callbacks.as_ref()),
        &CALLBACKS,
    );
    b.push(
        ItemId::Callbacks,
        None,
        current,
        CALLBACKS.join(", "),
        ok,
        Effect::AfterPublish,
        true,
        CONFIG_API,
        None,
    );

    let (current, ok) = match &events {
        None => (Current::Unknown, None),
        Some(e) => route(e.subscription_type.clone(), e.request_url.clone()),
    };
    b.push(
        ItemId::EventUrl,
        None,
        current,
        wanted,
        ok,
        Effect::AtOnce,
        false,
        CONFIG_API,
        card_input,
    );
    let (current, ok) = list_item(
        events.as_ref().and_then(|e| e.subscribed_events.as_ref()),
        &EVENTS,
    );
    let online = b.online(|v| {
        EVENTS
            .iter()
            .all(|e| v.events.iter().flatten().any(|x| x == e))
    });
    let pending = b.snap.newest_is_pending();
    let item = b.push(
        ItemId::Events,
        None,
        current,
        EVENTS.join(", "),
        ok,
        Effect::AfterPublish,
        false,
        CONFIG_API,
        None,
    );
    item.awaiting_publish = ok == Some(true) && pending && online == Some(false);
}

fn scopes(b: &mut Builder<'_>) {
    let configured: Option<Vec<String>> = b
        .snap
        .app
        .as_ref()
        .and_then(|a| a.scopes.as_ref())
        .map(|s| s.iter().map(|x| x.scope.clone()).collect());
    let needed = REQUIRED_SCOPES
        .iter()
        .map(|s| (*s, true))
        .chain(OPTIONAL_SCOPES.iter().map(|s| (*s, false)));
    for (scope, blocking) in needed {
        let granted = b.snap.granted(scope);
        let (current, ok) = match (&configured, granted) {
            (Some(list), _) if list.iter().any(|s| s == scope) => (
                text(if granted == Some(true) {
                    "granted"
                } else {
                    "requested"
                }),
                Some(true),
            ),
            (_, Some(true)) => (text("granted"), Some(true)),
            (Some(_), _) => (Current::NotSet, Some(false)),
            (None, _) => (Current::Unknown, None),
        };
        let item = b.push(
            ItemId::Scope,
            Some(scope),
            current,
            "granted".into(),
            ok,
            Effect::AfterPublish,
            blocking,
            CONFIG_API,
            None,
        );
        item.awaiting_publish = ok == Some(true) && granted == Some(false);
    }
}

fn encryption(b: &mut Builder<'_>, keys: &LocalKeys) {
    let set = |s: &Option<Secret>| s.as_ref().is_some_and(|v| !v.expose().trim().is_empty());
    let enc = b.snap.app.as_ref().and_then(|a| a.encryption.clone());
    let local = set(&keys.encrypt_key) && set(&keys.verification_token);
    let wanted = "set, and the same as in the keychain".to_string();
    let Some(enc) = enc else {
        b.push(
            ItemId::Encryption,
            None,
            Current::Unknown,
            wanted,
            None,
            Effect::AtOnce,
            true,
            CONFIG_API,
            None,
        );
        return;
    };
    let remote = set(&enc.encryption_key) && set(&enc.verification_token);
    let current = match (set(&enc.encryption_key), set(&enc.verification_token)) {
        (true, true) => text("set"),
        (false, false) => Current::NotSet,
        (true, false) => text("Encrypt Key only"),
        (false, true) => text("Verification Token only"),
    };
    let same = |a: &Option<Secret>, b: &Option<Secret>| match (a, b) {
        (Some(a), Some(b)) => a.expose().trim() == b.expose().trim(),
        _ => false,
    };
    if remote && local {
        let equal = same(&enc.encryption_key, &keys.encrypt_key)
            && same(&enc.verification_token, &keys.verification_token);
        let item = b.push(
            ItemId::Encryption,
            None,
            current,
            wanted,
            Some(true),
            Effect::AtOnce,
            true,
            CONFIG_API,
            None,
        );
        if !equal {
            item.action = Action::Mismatch;
        }
        return;
    }
    // The app has both and the keychain lacks one: copying them in needs no API call.
    // Otherwise the app lacks one: ours (or new ones) are set through the config API.
    let api = if remote { "keychain" } else { CONFIG_API };
    let item = b.push(
        ItemId::Encryption,
        None,
        current,
        wanted,
        Some(false),
        Effect::AtOnce,
        true,
        api,
        None,
    );
    let needs_store = remote || !local;
    if remote && keys.can_store {
        item.action = Action::Add;
        item.blocker = None;
    } else if needs_store && !keys.can_store && (remote || item.blocker.is_none()) {
        item.action = Action::NotAllowed;
        item.blocker = Some(Blocker::NoKeychain);
    }
}
