//! Checks that need no network: what the profile holds, and the console settings the Open API
//! cannot see (for those the outcome is "unknown" with what to look at, never a guess).

use super::{console_link, CheckFinding, CheckId, CheckOutcome, ConsolePage, CALLBACKS, EVENTS};
use crate::profiles::{Credentials, IntegrationUrls};

pub(super) fn callback_secrets(creds: &Credentials) -> CheckOutcome {
    let link = Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::EventsAndCallbacks,
    ));
    let has = |s: &Option<lark_platform::secret::Secret>| s.as_ref().is_some_and(|s| !s.is_empty());
    match (has(&creds.verification_token), has(&creds.encrypt_key)) {
        (true, true) => CheckOutcome::pass(
            CheckId::CallbackSecrets,
            CheckFinding::CallbackSecretsStored,
        ),
        (true, false) => {
            CheckOutcome::unknown(CheckId::CallbackSecrets, CheckFinding::EncryptKeyMissing)
                .fix(link)
        }
        (false, _) => CheckOutcome::fail(
            CheckId::CallbackSecrets,
            CheckFinding::VerificationTokenMissing,
        )
        .fix(link),
    }
}

/// The integration's three URLs by key (a `missing` param lists the keys; the catalogue names
/// them in each language).
const URL_FIELDS: [&str; 3] = ["webConfigUrl", "redirectUrl", "cardRequestUrl"];

fn url_value<'a>(urls: &'a IntegrationUrls, key: &str) -> Option<&'a str> {
    match key {
        "webConfigUrl" => urls.web_config_url.as_deref(),
        "redirectUrl" => urls.redirect_url.as_deref(),
        _ => urls.card_request_url.as_deref(),
    }
    .filter(|v| !v.is_empty())
}

/// An outcome that names one of the URLs: `url` when it is saved; when it is not, `field` holds
/// the URL's key (the catalogue's words say "the Web Configuration URL, not saved yet").
fn with_url(outcome: CheckOutcome, urls: &IntegrationUrls, key: &str) -> CheckOutcome {
    match url_value(urls, key) {
        Some(url) => outcome.param("url", url),
        None => outcome.param("field", key),
    }
}

pub(super) fn integration_urls(urls: &IntegrationUrls) -> CheckOutcome {
    let missing: Vec<&str> = URL_FIELDS
        .into_iter()
        .filter(|key| url_value(urls, key).is_none())
        .collect();
    if missing.is_empty() {
        return CheckOutcome::pass(
            CheckId::IntegrationUrls,
            CheckFinding::IntegrationUrlsPasted,
        );
    }
    CheckOutcome::fail(
        CheckId::IntegrationUrls,
        CheckFinding::IntegrationUrlsMissing,
    )
    .param("missing", missing.join(","))
    .fix(None)
}

/// The Web App homepage is not readable through the Open API.
pub(super) fn web_app(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    with_url(
        CheckOutcome::unknown(CheckId::WebApp, CheckFinding::WebAppNotVisible),
        urls,
        "webConfigUrl",
    )
    .fix(Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::WebApp,
    )))
}

pub(super) fn redirect_url(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    with_url(
        CheckOutcome::unknown(CheckId::RedirectUrl, CheckFinding::RedirectUrlNotVisible),
        urls,
        "redirectUrl",
    )
    .fix(Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::Security,
    )))
}

pub(super) fn callback_url(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    with_url(
        CheckOutcome::unknown(CheckId::CallbackUrl, CheckFinding::CallbackUrlNotVisible),
        urls,
        "cardRequestUrl",
    )
    .param("events", EVENTS.join(","))
    .param("callbacks", CALLBACKS.join(","))
    .fix(Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::EventsAndCallbacks,
    )))
}

/// The two common problems that only people can see: availability and account linking.
pub(super) fn availability(creds: &Credentials) -> CheckOutcome {
    CheckOutcome::unknown(CheckId::Availability, CheckFinding::AvailabilityNotVisible).fix(Some(
        console_link(&creds.platform, &creds.app_id, ConsolePage::Versions),
    ))
}
