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

pub(super) fn integration_urls(urls: &IntegrationUrls) -> CheckOutcome {
    let missing: Vec<&str> = [
        ("Web Configuration URL", &urls.web_config_url),
        ("Redirect URL", &urls.redirect_url),
        ("Message Card Request URL", &urls.card_request_url),
    ]
    .into_iter()
    .filter(|(_, v)| v.as_deref().is_none_or(str::is_empty))
    .map(|(name, _)| name)
    .collect();
    if missing.is_empty() {
        return CheckOutcome::pass(
            CheckId::IntegrationUrls,
            "integrationUrlsPasted",
            "All three URLs from the integration are saved.",
        );
    }
    CheckOutcome::fail(
        CheckId::IntegrationUrls,
        "integrationUrlsMissing",
        format!("Not saved yet: {}.", missing.join(", ")),
    )
    .param("missing", missing.join(", "))
    .fix(
        "Open the integration's detail page (Integration Center > Instant Messaging > Feishu/Lark), \
         copy the three URLs and paste them in the Setup screen's integration step.",
        None,
    )
}

/// The Web App homepage is not readable through the Open API.
pub(super) fn web_app(creds: &Credentials, urls: &IntegrationUrls) -> CheckOutcome {
    let expected = urls
        .web_config_url
        .as_deref()
        .unwrap_or("(the Web Configuration URL)");
    CheckOutcome::unknown(
        CheckId::WebApp,
        "webAppNotVisible",
        format!(
            "The Open API cannot see the Web App settings. Check that the Web App capability is on \
             and that both Desktop and Mobile Homepage are {expected}."
        ),
    )
    .param("url", expected)
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
    let expected = urls.redirect_url.as_deref().unwrap_or("(the Redirect URL)");
    CheckOutcome::unknown(
        CheckId::RedirectUrl,
        "redirectUrlNotVisible",
        format!(
            "The Open API cannot see Security Settings. Check that {expected} is listed under \
             Redirect URLs."
        ),
    )
    .param("url", expected)
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
    let expected = urls
        .card_request_url
        .as_deref()
        .unwrap_or("(the Message Card Request URL)");
    CheckOutcome::unknown(
        CheckId::CallbackUrl,
        "callbackUrlNotVisible",
        format!(
            "The Open API cannot see the callback settings. Check that the request URL is \
             {expected}, that the events {} and the callbacks {} are added, and that a version with \
             these settings is published. The relay's inspector shows whether callbacks arrive.",
            EVENTS.join(", "),
            CALLBACKS.join(", ")
        ),
    )
    .param("url", expected)
    .param("events", EVENTS.join(", "))
    .param("callbacks", CALLBACKS.join(", "))
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
