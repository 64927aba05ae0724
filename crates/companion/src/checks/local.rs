//! Checks that need no network: what the profile holds, and the console settings the Open API
//! cannot see (for those the outcome is "unknown" with what to look at, never a guess).

use super::{console_link, CheckId, CheckOutcome, ConsolePage, CALLBACKS, EVENTS};
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
            "callbackSecretsStored",
            "Verification Token and Encrypt Key are stored in the keychain.",
        ),
        (true, false) => CheckOutcome::unknown(
            CheckId::CallbackSecrets,
            "encryptKeyMissing",
            "No Encrypt Key is stored. It is optional, but without it callbacks travel unencrypted \
             and unsigned.",
        )
        .fix(
            "Set an Encrypt Key under Events & Callbacks > Encryption Strategy, then enter it here \
             and in the integration.",
            link,
        ),
        (false, _) => CheckOutcome::fail(
            CheckId::CallbackSecrets,
            "verificationTokenMissing",
            "No Verification Token is stored: callbacks cannot be verified without it.",
        )
        .fix(
            "Copy the Verification Token from Events & Callbacks > Encryption Strategy and enter it \
             in the profile.",
            link,
        ),
    }
}

/// The integration's three URLs: the stable key of each (a `missing` param lists the keys, which
/// the UI names in its own language) and its English name (for the reason the CLI prints).
const URL_FIELDS: [(&str, &str); 3] = [
    ("webConfigUrl", "Web Configuration URL"),
    ("redirectUrl", "Redirect URL"),
    ("cardRequestUrl", "Message Card Request URL"),
];

fn url_value<'a>(urls: &'a IntegrationUrls, key: &str) -> Option<&'a str> {
    match key {
        "webConfigUrl" => urls.web_config_url.as_deref(),
        "redirectUrl" => urls.redirect_url.as_deref(),
        _ => urls.card_request_url.as_deref(),
    }
    .filter(|v| !v.is_empty())
}

fn english_name(key: &str) -> &'static str {
    URL_FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("URL", |(_, name)| name)
}

/// An outcome that names one of the URLs: `url` when it is saved; when it is not, `field` holds
/// the URL's key (the UI says "the Web Configuration URL" in its language) and the English reason
/// gets `(the Web Configuration URL)`.
fn with_url(
    outcome: impl FnOnce(&str) -> CheckOutcome,
    urls: &IntegrationUrls,
    key: &str,
) -> CheckOutcome {
    match url_value(urls, key) {
        Some(url) => outcome(url).param("url", url),
        None => outcome(&format!("(the {})", english_name(key))).param("field", key),
    }
}

pub(super) fn integration_urls(urls: &IntegrationUrls) -> CheckOutcome {
    let missing: Vec<&str> = URL_FIELDS
        .iter()
        .map(|(key, _)| *key)
        .filter(|key| url_value(urls, key).is_none())
        .collect();
    if missing.is_empty() {
        return CheckOutcome::pass(
            CheckId::IntegrationUrls,
            "integrationUrlsPasted",
            "All three URLs from the integration are saved.",
        );
    }
    let names: Vec<&str> = missing.iter().map(|key| english_name(key)).collect();
    CheckOutcome::fail(
        CheckId::IntegrationUrls,
        "integrationUrlsMissing",
        format!("Not saved yet: {}.", names.join(", ")),
    )
    .param("missing", missing.join(","))
    .fix(
        "Open the integration's detail page (Integration Center > Instant Messaging > Feishu/Lark), \
         copy the three URLs and paste them in the Setup screen's integration step.",
        None,
    )
}

/// The Web App homepage is not readable through the Open API.
pub(super) fn web_app(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    with_url(
        |expected| {
            CheckOutcome::unknown(
                CheckId::WebApp,
                "webAppNotVisible",
                format!(
                    "The Open API cannot see the Web App settings. Check that the Web App \
                     capability is on and that both Desktop and Mobile Homepage are {expected}."
                ),
            )
        },
        urls,
        "webConfigUrl",
    )
    .fix(
        "Open Features > Web App in the developer console.",
        Some(console_link(
            &creds.platform,
            &creds.app_id,
            ConsolePage::WebApp,
        )),
    )
}

pub(super) fn redirect_url(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    with_url(
        |expected| {
            CheckOutcome::unknown(
                CheckId::RedirectUrl,
                "redirectUrlNotVisible",
                format!(
                    "The Open API cannot see Security Settings. Check that {expected} is listed \
                     under Redirect URLs."
                ),
            )
        },
        urls,
        "redirectUrl",
    )
    .fix(
        "Open Security Settings in the developer console.",
        Some(console_link(
            &creds.platform,
            &creds.app_id,
            ConsolePage::Security,
        )),
    )
}

pub(super) fn callback_url(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    with_url(
        |expected| {
            CheckOutcome::unknown(
                CheckId::CallbackUrl,
                "callbackUrlNotVisible",
                format!(
                    "The Open API cannot see the callback settings. Check that the request URL is \
                     {expected}, that the events {} and the callbacks {} are added, and that a \
                     version with these settings is published. The relay's inspector shows \
                     whether callbacks arrive.",
                    EVENTS.join(", "),
                    CALLBACKS.join(", ")
                ),
            )
        },
        urls,
        "cardRequestUrl",
    )
    .param("events", EVENTS.join(","))
    .param("callbacks", CALLBACKS.join(","))
    .fix(
        "Open Events & Callbacks in the developer console.",
        Some(console_link(
            &creds.platform,
            &creds.app_id,
            ConsolePage::EventsAndCallbacks,
        )),
    )
}

/// The two common problems that only people can see: availability and account linking.
pub(super) fn availability(creds: &Credentials) -> CheckOutcome {
    CheckOutcome::unknown(
        CheckId::Availability,
        "availabilityNotVisible",
        "The Open API cannot list the availability range. Check it includes everyone who receives \
         alerts (All employees is recommended). Each person must also open the web app once to link \
         accounts, or sends to them fail with \"application not associated\" and their card \
         buttons show errors.",
    )
    .fix(
        "Open Version Management & Release, check Availability, and ask recipients to open the app \
         from Workspace once.",
        Some(console_link(&creds.platform, &creds.app_id, ConsolePage::Versions)),
    )
}
