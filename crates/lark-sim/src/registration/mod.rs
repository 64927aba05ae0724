//! App registration by one scan: the accounts host's device authorization grant (RFC 8628) that
//! both official SDKs drive (`register_app` / `registerApp`), on the simulator's own address.
//!
//! - Feishu accounts host = the simulator's base URL, Lark accounts host = `{base}/_lark`; both
//!   serve `POST /oauth/v1/app/registration` (form-encoded, `action=init|begin|poll`), see
//!   [`endpoint`].
//! - The person's side is the scan page `GET /app/scan?user_code=..` in the simulated console
//!   ([`scan`]) or, from tests, `POST /_sim/registration/confirm|deny|expire` ([`control`]).
//!   The link's extra parameters (`name`, `desc`, `avatar`, `addons`, `createOnly`, `clientID`,
//!   …) are what the phone would see: the simulator learns them when the scan page is opened or
//!   when confirm is given the link as `url`.
//! - Confirming creates an app in the tenant (or adds to the `clientID` app), see [`confirm`].
//!
//! Device codes expire (`expires_in`, default 600 s, simulated clock); a poll on one host sooner
//! than the device's interval after the previous poll on that host answers `slow_down` and adds
//! 5 s to the interval (the SDKs poll the Lark host at once after switching, so the hosts are
//! tracked apart); an unknown or used-up device code answers `expired_token`. Both read the
//! simulated clock: on a frozen clock, advance it between polls or every poll after the first is
//! too soon. A confirmation in one brand answers the other brand's host `authorization_pending`
//! with `user_info.tenant_brand` naming the brand (the SDKs switch from Feishu to Lark only).

pub mod addons;
pub mod control;
pub mod endpoint;
pub mod scan;

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::application::{AppProfile, Settings, TokenType};
use crate::state::Inner;
use crate::tenant::random_secret;
use addons::Addons;

/// A poll this much sooner than the interval is still accepted (request latency).
pub const SLOW_DOWN_TOLERANCE_MS: i64 = 200;
/// What `slow_down` adds to a device's interval.
pub const SLOW_DOWN_STEP_SECS: u64 = 5;
/// Registrations kept (oldest dropped first).
const KEEP: usize = 100;

/// The base template a new app gets unless `addons.preset` is false (then: the bot only). The
/// platform's own template is not published; this one is small on purpose, so a client that
/// needs more must ask for it in `addons`.
pub const TEMPLATE_TENANT_SCOPES: &[&str] = &["im:message:send_as_bot"];
pub const TEMPLATE_EVENTS: &[&str] = &["im.message.receive_v1"];

/// Feishu or Lark: the accounts host polled, and the tenant brand a person confirms in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Brand {
    Feishu,
    Lark,
}

impl Brand {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feishu => "feishu",
            Self::Lark => "lark",
        }
    }
}

/// Settings from `/_sim/config`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RegistrationSettings {
    /// `false`: the endpoint answers 404, like a platform without the API.
    pub supported: bool,
    /// `interval` handed out by `begin`, seconds.
    pub interval_secs: u64,
    /// `expires_in` handed out by `begin`, seconds.
    pub expires_secs: u64,
}

impl Default for RegistrationSettings {
    fn default() -> Self {
        Self {
            supported: true,
            interval_secs: 5,
            expires_secs: 600,
        }
    }
}

/// Where a registration stands.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Denied,
    /// Expired by `/_sim/registration/expire` (time-based expiry is computed at each poll).
    Expired,
    Confirmed {
        brand: Brand,
        app_id: String,
        open_id: String,
        /// A new app was made (not a `clientID` re-confirmation).
        created: bool,
    },
    /// The credentials were handed out; the device code is used up.
    Used,
}

/// The link's query parameters, as the phone sees them.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct LinkParams {
    pub from: Option<String>,
    pub tp: Option<String>,
    pub source: Option<String>,
    pub name: Option<String>,
    pub desc: Option<String>,
    pub avatars: Vec<String>,
    /// The raw `addons` parameter.
    pub addons: Option<String>,
    pub create_only: bool,
    pub client_id: Option<String>,
}

impl LinkParams {
    /// From query pairs (repeated `avatar`s kept in order).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut link = Self::default();
        for (key, value) in pairs {
            let value = value.to_string();
            match key {
                "from" => link.from = Some(value),
                "tp" => link.tp = Some(value),
                "source" => link.source = Some(value),
                "name" => link.name = Some(value),
                "desc" => link.desc = Some(value),
                "avatar" => link.avatars.push(value),
                "addons" => link.addons = Some(value),
                "createOnly" => link.create_only = value == "true",
                "clientID" => link.client_id = Some(value).filter(|v| !v.is_empty()),
                _ => {}
            }
        }
        link
    }

    /// The decoded addons; `Ok(None)` without any.
    pub fn decoded_addons(&self) -> Result<Option<Addons>, String> {
        self.addons.as_deref().map(addons::decode).transpose()
    }

    /// The app a confirmation re-confirms: `clientID`, unless `createOnly` wins (as on the
    /// platform's page).
    pub fn existing_app(&self) -> Option<&str> {
        self.client_id.as_deref().filter(|_| !self.create_only)
    }
}

/// One device authorization.
#[derive(Clone, Debug, Serialize)]
pub struct Registration {
    pub device_code: String,
    /// `XXXX-XXXX`, the code in the link.
    pub user_code: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    /// The current polling interval (grows with each `slow_down`).
    pub interval_secs: u64,
    /// Previous poll per accounts host, ms.
    pub last_poll: BTreeMap<Brand, i64>,
    pub outcome: Outcome,
    /// What the link carried, once known (scan page opened or confirm given the `url`).
    pub link: Option<LinkParams>,
}

/// All registrations.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Registrations {
    pub settings: RegistrationSettings,
    pub list: Vec<Registration>,
}

/// A registration-flow refusal: HTTP 400 `{"error","error_description"}` on the accounts host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowError {
    pub error: &'static str,
    pub description: String,
    /// `user_info` to add (the brand hint of a Lark confirmation on the Feishu host).
    pub user_info: Option<Value>,
}

impl FlowError {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            description: description.into(),
            user_info: None,
        }
    }

    pub fn body(&self) -> Value {
        let mut body = json!({"error": self.error, "error_description": self.description});
        if let Some(info) = &self.user_info {
            body["user_info"] = info.clone();
        }
        body
    }
}

/// `XXXX-XXXX` from consonants and digits (RFC 8628 §6.1: no vowels, no look-alikes).
fn user_code(rng: &mut impl Rng) -> String {
    const ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ23456789";
    let mut pick = || char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]);
    let first: String = (0..4).map(|_| pick()).collect();
    let second: String = (0..4).map(|_| pick()).collect();
    format!("{first}-{second}")
}

/// `action=begin`: a new device authorization.
pub fn begin(inner: &mut Inner, base_url: &str, now_ms: i64) -> Value {
    let settings = inner.registrations.settings.clone();
    let device_code = random_secret(&mut inner.rng, 40);
    let code = user_code(&mut inner.rng);
    let expires_ms = now_ms.saturating_add(
        i64::try_from(settings.expires_secs.saturating_mul(1000)).unwrap_or(i64::MAX),
    );
    let list = &mut inner.registrations.list;
    if list.len() >= KEEP {
        list.remove(0);
    }
    list.push(Registration {
        device_code: device_code.clone(),
        user_code: code.clone(),
        created_ms: now_ms,
        expires_ms,
        interval_secs: settings.interval_secs,
        last_poll: BTreeMap::new(),
        outcome: Outcome::Pending,
        link: None,
    });
    let verification_uri = format!("{base_url}/app/scan");
    json!({
        "device_code": device_code,
        "user_code": code,
        "verification_uri": verification_uri,
        "verification_uri_complete": format!("{verification_uri}?user_code={code}"),
        "interval": settings.interval_secs,
        "expires_in": settings.expires_secs,
    })
}

/// `action=poll` on the `host` accounts host.
pub fn poll(
    inner: &mut Inner,
    host: Brand,
    device_code: &str,
    now_ms: i64,
) -> Result<Value, FlowError> {
    let Some(index) = inner
        .registrations
        .list
        .iter()
        .position(|r| r.device_code == device_code && !device_code.is_empty())
    else {
        return Err(FlowError::new(
            "expired_token",
            "unknown or used device_code",
        ));
    };
    let registration = &mut inner.registrations.list[index];
    let timed_out = now_ms >= registration.expires_ms;
    match registration.outcome {
        Outcome::Used | Outcome::Expired => {
            return Err(FlowError::new(
                "expired_token",
                "the device_code has expired",
            ))
        }
        Outcome::Pending | Outcome::Confirmed { .. } if timed_out => {
            return Err(FlowError::new(
                "expired_token",
                "the device_code has expired",
            ))
        }
        _ => {}
    }
    let previous = registration.last_poll.insert(host, now_ms);
    let interval_ms =
        i64::try_from(registration.interval_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    if previous.is_some_and(|at| now_ms - at < interval_ms - SLOW_DOWN_TOLERANCE_MS) {
        registration.interval_secs += SLOW_DOWN_STEP_SECS;
        return Err(FlowError::new(
            "slow_down",
            format!(
                "polled too often; interval is now {} s",
                registration.interval_secs
            ),
        ));
    }
    match registration.outcome.clone() {
        Outcome::Pending => Err(FlowError::new(
            "authorization_pending",
            "the user has not confirmed yet",
        )),
        Outcome::Denied => Err(FlowError::new(
            "access_denied",
            "the user denied the request",
        )),
        Outcome::Confirmed { brand, .. } if brand != host => Err(FlowError {
            user_info: Some(json!({"tenant_brand": brand.as_str()})),
            ..FlowError::new(
                "authorization_pending",
                format!(
                    "confirmed in a {} tenant: poll its accounts host",
                    brand.as_str()
                ),
            )
        }),
        Outcome::Confirmed {
            app_id,
            open_id,
            brand,
            ..
        } => {
            registration.outcome = Outcome::Used;
            let secret = inner
                .tenant
                .find_app(&app_id)
                .map(|a| a.app.app_secret.clone())
                .unwrap_or_default();
            Ok(json!({
                "client_id": app_id,
                "client_secret": secret,
                "user_info": {"open_id": open_id, "tenant_brand": brand.as_str()},
            }))
        }
        Outcome::Used | Outcome::Expired => Err(FlowError::new(
            "expired_token",
            "the device_code has expired",
        )),
    }
}

/// Why a confirm/deny/expire from the person's side did not apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActError {
    /// No registration with that code (or none pending, without a code).
    Unknown(String),
    /// It is no longer pending (denied, confirmed, expired, used).
    NotPending(String),
    /// The link's `addons` or `clientID` cannot be honoured.
    BadLink(String),
}

impl std::fmt::Display for ActError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown(why) | Self::NotPending(why) | Self::BadLink(why) => f.write_str(why),
        }
    }
}

/// The registration a person acts on: the one with `user_code`, else the newest pending one.
pub fn find(inner: &Inner, user_code: Option<&str>, now_ms: i64) -> Result<usize, ActError> {
    let list = &inner.registrations.list;
    match user_code {
        Some(code) => list
            .iter()
            .rposition(|r| r.user_code.eq_ignore_ascii_case(code.trim()))
            .ok_or_else(|| ActError::Unknown(format!("no registration with user_code {code}"))),
        None => list
            .iter()
            .rposition(|r| r.outcome == Outcome::Pending && now_ms < r.expires_ms)
            .ok_or_else(|| ActError::Unknown("no pending registration".to_string())),
    }
}

fn pending(inner: &Inner, index: usize, now_ms: i64) -> Result<(), ActError> {
    let registration = &inner.registrations.list[index];
    if registration.outcome != Outcome::Pending || now_ms >= registration.expires_ms {
        let state = if registration.outcome == Outcome::Pending {
            "expired"
        } else {
            match registration.outcome {
                Outcome::Denied => "denied",
                Outcome::Expired => "expired",
                _ => "already confirmed",
            }
        };
        return Err(ActError::NotPending(format!(
            "registration {} is {state}",
            registration.user_code
        )));
    }
    Ok(())
}

/// Confirms: creates the app (or adds to the `clientID` one) and answers its App ID.
pub fn confirm(
    inner: &mut Inner,
    index: usize,
    brand: Brand,
    now_ms: i64,
) -> Result<(String, bool), ActError> {
    pending(inner, index, now_ms)?;
    let link = inner.registrations.list[index]
        .link
        .clone()
        .unwrap_or_default();
    let addons = link
        .decoded_addons()
        .map_err(ActError::BadLink)?
        .unwrap_or_default();
    let (app_id, created) = match link.existing_app() {
        Some(existing) => {
            if inner.tenant.find_app(existing).is_none() {
                return Err(ActError::BadLink(format!(
                    "clientID {existing} is not an app of this tenant"
                )));
            }
            add_to_app(inner, existing, &addons, now_ms);
            (existing.to_string(), false)
        }
        None => (create_app(inner, &link, &addons, now_ms), true),
    };
    let open_id = inner
        .tenant
        .users
        .first()
        .map(|u| u.open_id.clone())
        .unwrap_or_default();
    inner.registrations.list[index].outcome = Outcome::Confirmed {
        brand,
        app_id: app_id.clone(),
        open_id,
        created,
    };
    Ok((app_id, created))
}

/// Denies (the person pressed Deny).
pub fn deny(inner: &mut Inner, index: usize, now_ms: i64) -> Result<(), ActError> {
    pending(inner, index, now_ms)?;
    inner.registrations.list[index].outcome = Outcome::Denied;
    Ok(())
}

/// Expires now, whatever its state short of used.
pub fn expire(inner: &mut Inner, index: usize) -> Result<(), ActError> {
    let registration = &mut inner.registrations.list[index];
    if registration.outcome == Outcome::Used {
        return Err(ActError::NotPending(format!(
            "registration {} is used up",
            registration.user_code
        )));
    }
    registration.outcome = Outcome::Expired;
    Ok(())
}

/// The settings of a new app: name/description from the link, the template unless
/// `preset:false`, the addons; everything requested is granted, the bot on.
pub fn new_app_settings(link: &LinkParams, addons: &Addons) -> Settings {
    let mut settings = Settings {
        app_name: link
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "Untitled app".to_string()),
        description: link.desc.clone().unwrap_or_default(),
        avatar_url: link.avatars.first().cloned().unwrap_or_default(),
        bot: true,
        ..Settings::default()
    };
    if addons.with_template() {
        for scope in TEMPLATE_TENANT_SCOPES {
            settings.add_scope(scope, TokenType::Tenant);
        }
        settings
            .events
            .extend(TEMPLATE_EVENTS.iter().map(|e| e.to_string()));
    }
    add_addons(&mut settings, addons);
    settings
}

fn add_addons(settings: &mut Settings, addons: &Addons) {
    for scope in addons.tenant_scopes() {
        settings.add_scope(&scope, TokenType::Tenant);
    }
    for scope in addons.user_scopes() {
        settings.add_scope(&scope, TokenType::User);
    }
    settings.events.extend(addons.events());
    settings.callbacks.extend(addons.callbacks());
}

fn create_app(inner: &mut Inner, link: &LinkParams, addons: &Addons, now_ms: i64) -> String {
    let settings = new_app_settings(link, addons);
    let granted: BTreeSet<String> = settings.scopes_for(TokenType::Tenant);
    let app_id = inner
        .tenant
        .add_app(&mut inner.rng, &settings.app_name, granted);
    let version_id = inner.new_id("oav_", 32);
    let mut profile = AppProfile::new(&app_id, settings, version_id, now_ms);
    profile.granted_user_scopes = profile.current.scopes_for(TokenType::User);
    inner.profiles.insert(app_id.clone(), profile);
    app_id
}

/// A `clientID` re-confirmation: the addons join the app's configuration and its online
/// version, requested and granted at once (the person confirmed them).
fn add_to_app(inner: &mut Inner, app_id: &str, addons: &Addons, now_ms: i64) {
    inner.ensure_profiles(now_ms);
    if let Some(profile) = inner.profiles.get_mut(app_id) {
        add_addons(&mut profile.current, addons);
        if let Some(online) = profile
            .versions
            .iter_mut()
            .rev()
            .find(|v| v.status == crate::application::VersionStatus::Online)
        {
            add_addons(&mut online.settings, addons);
        }
        profile.granted_user_scopes.extend(addons.user_scopes());
    }
    if let Some(app) = inner.tenant.find_app_mut(app_id) {
        app.scopes.extend(addons.tenant_scopes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_parameters_are_read_like_the_page_reads_them() {
        let link = LinkParams::from_pairs([
            ("user_code", "ABCD-EFGH"),
            ("from", "sdk"),
            ("name", "Pager"),
            ("avatar", "https://a/1.png"),
            ("avatar", "https://a/2.png"),
            ("createOnly", "true"),
            ("clientID", "cli_x"),
        ]);
        assert_eq!(link.name.as_deref(), Some("Pager"));
        assert_eq!(link.avatars.len(), 2);
        assert_eq!(link.existing_app(), None, "createOnly wins over clientID");
        let link = LinkParams::from_pairs([("clientID", "cli_x"), ("createOnly", "1")]);
        assert_eq!(link.existing_app(), Some("cli_x"));
    }

    #[test]
    fn user_codes_have_the_documented_shape() {
        let mut rng = rand::thread_rng();
        let code = user_code(&mut rng);
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(!code.contains(['A', 'E', 'I', 'O', 'U', '0', '1']));
    }
}
