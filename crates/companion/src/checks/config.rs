//! The checks the application API can answer: Web App homepage, Redirect URL, callback and
//! event routing with their subscriptions, the version state, and whether the app's Encrypt Key
//! and Verification Token match the keychain's. They read the same snapshot and plan as Apply
//! (`crate::appsetup`), so the doctor and the plan never disagree. What the platform does not
//! return keeps today's "check it in the console" outcome, with the read scope named when the
//! app may not read itself.

use crate::appsetup::plan::{plan, LocalKeys, Wanted};
use crate::appsetup::read::Snapshot;
use crate::appsetup::{Action, Current, ItemId, Plan, PlanItem};

use super::{console_link, CheckFinding, CheckId, CheckOutcome, CheckStatus, ConsolePage};
use crate::profiles::{Credentials, IntegrationUrls};

/// What the platform says about the checks it can answer; `None` where it said nothing.
pub(super) struct Readings {
    pub web_app: Option<CheckOutcome>,
    pub redirect_url: Option<CheckOutcome>,
    pub callback_url: Option<CheckOutcome>,
    pub published: Option<CheckOutcome>,
    pub keys_differ: Option<CheckOutcome>,
    /// The app may not read itself: this scope would let it.
    pub missing_read_scope: Option<String>,
}

fn item(plan: &Plan, id: ItemId) -> Option<&PlanItem> {
    plan.items.iter().find(|i| i.id == id)
}

fn text(current: &Current) -> String {
    match current {
        Current::Value { text } => text.clone(),
        _ => String::new(),
    }
}

fn known(i: &PlanItem) -> bool {
    i.action != Action::CantTell && i.current != Current::Unknown
}

pub(super) fn readings(snap: &Snapshot, creds: &Credentials, urls: &IntegrationUrls) -> Readings {
    let wanted = Wanted {
        urls: urls.clone(),
        keys: LocalKeys {
            encrypt_key: creds.encrypt_key.clone(),
            verification_token: creds.verification_token.clone(),
            can_store: false,
        },
    };
    let plan = plan(snap, &wanted);
    let link = |page| Some(console_link(&creds.platform, &creds.app_id, page));

    let web_app = item(&plan, ItemId::WebApp)
        .filter(|i| known(i) && urls.web_config_url.is_some())
        .map(|i| match (i.action, &i.current) {
            (Action::Nothing, _) => {
                CheckOutcome::pass(CheckId::WebApp, CheckFinding::WebAppMatches)
                    .param("url", &i.wanted)
            }
            (_, Current::NotSet) => CheckOutcome::fail(CheckId::WebApp, CheckFinding::WebAppNotSet)
                .param("expected", &i.wanted)
                .fix(link(ConsolePage::WebApp)),
            _ => CheckOutcome::fail(CheckId::WebApp, CheckFinding::WebAppDiffers)
                .param("current", text(&i.current))
                .param("expected", &i.wanted)
                .fix(link(ConsolePage::WebApp)),
        });

    let redirect_url = item(&plan, ItemId::RedirectUrl)
        .filter(|i| known(i) && urls.redirect_url.is_some())
        .map(|i| match i.action {
            Action::Nothing => {
                CheckOutcome::pass(CheckId::RedirectUrl, CheckFinding::RedirectUrlListed)
                    .param("url", &i.wanted)
            }
            _ => CheckOutcome::fail(CheckId::RedirectUrl, CheckFinding::RedirectUrlMissing)
                .param("current", text(&i.current))
                .param("expected", &i.wanted)
                .fix(link(ConsolePage::Security)),
        });

    let callback_url = callback(&plan, snap, urls).map(|o| {
        if o.status == CheckStatus::Fail {
            o.fix(link(ConsolePage::EventsAndCallbacks))
        } else {
            o
        }
    });
    let published = published(snap);
    let keys_differ = item(&plan, ItemId::Encryption)
        .filter(|i| i.action == Action::Mismatch)
        .map(|_| {
            CheckOutcome::fail(CheckId::CallbackSecrets, CheckFinding::KeysDiffer)
                .fix(link(ConsolePage::EventsAndCallbacks))
        });
    Readings {
        web_app,
        redirect_url,
        callback_url,
        published,
        keys_differ,
        missing_read_scope: plan.missing_read_scope.clone(),
    }
}

/// Request URL, events and callbacks together, as the console shows them.
fn callback(plan: &Plan, snap: &Snapshot, urls: &IntegrationUrls) -> Option<CheckOutcome> {
    let url = item(plan, ItemId::CallbackUrl)?;
    let callbacks = item(plan, ItemId::Callbacks)?;
    let events = item(plan, ItemId::Events)?;
    urls.card_request_url.as_ref()?;
    if ![url, callbacks, events].into_iter().all(known) {
        return None;
    }
    if url.action != Action::Nothing {
        return Some(
            CheckOutcome::fail(CheckId::CallbackUrl, CheckFinding::CallbackUrlDiffers)
                .param("current", text(&url.current))
                .param("expected", &url.wanted),
        );
    }
    // What is missing, from the lists the platform returned (both are known: checked above).
    let app = snap.app.as_ref()?;
    let missing = |have: Option<&Vec<String>>, all: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|x| !have.is_some_and(|h| h.iter().any(|h| h == *x)))
            .map(|x| (*x).to_owned())
            .collect()
    };
    let subscribed_events = app
        .event
        .as_ref()
        .and_then(|e| e.subscribed_events.as_ref());
    let subscribed_callbacks = app
        .callbacks()
        .and_then(|c| c.subscribed_callbacks.as_ref());
    let missing_events = missing(subscribed_events, &super::EVENTS);
    let missing_callbacks = missing(subscribed_callbacks, &super::CALLBACKS);
    if missing_events.is_empty() && missing_callbacks.is_empty() {
        return Some(
            CheckOutcome::pass(CheckId::CallbackUrl, CheckFinding::CallbackUrlMatches)
                .param("url", &url.wanted),
        );
    }
    Some(
        CheckOutcome::fail(
            CheckId::CallbackUrl,
            CheckFinding::CallbackSubscriptionsMissing,
        )
        .param("events", missing_events.join(","))
        .param("callbacks", missing_callbacks.join(",")),
    )
}

/// Online, under review, or never published, from the app's version ids.
fn published(snap: &Snapshot) -> Option<CheckOutcome> {
    let app = snap.app.as_ref()?;
    let name = |id: &str| {
        snap.online
            .iter()
            .chain(&snap.newest)
            .find(|v| v.version_id == id)
            .and_then(|v| v.version.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    Some(match (&app.unaudit_version_id, &app.online_version_id) {
        (Some(review), _) => {
            CheckOutcome::fail(CheckId::Published, CheckFinding::PublishedUnderReview)
                .param("version", name(review))
        }
        (None, Some(online)) => {
            CheckOutcome::pass(CheckId::Published, CheckFinding::PublishedOnline)
                .param("version", name(online))
        }
        (None, None) => CheckOutcome::fail(CheckId::Published, CheckFinding::PublishedNone),
    })
}
