//! Setup by API for a profile (or for LARK_* credentials): read, plan, apply, publish, and a
//! new app by QR scan. The domain rules live in [`crate::appsetup`]; this file loads what they
//! need (credentials, URLs, keychain keys) on the blocking pool and makes the calls.

use chrono::Utc;
use lark_platform::client::application::AppInfo;
use lark_platform::client::Client;
use lark_platform::registration::{RegisteredApp, Registrar, RegistrationError, Started, Status};
use lark_platform::secret::Secret;

use super::App;
use crate::appsetup::apply::{self, ApplyReport};
use crate::appsetup::plan::{plan, LocalKeys, Wanted};
use crate::appsetup::publish::{self, PublishReport};
use crate::appsetup::read::{read, Snapshot};
use crate::appsetup::{checked_urls, register, ItemId, Plan};
use crate::problem::ProblemCode as C;
use crate::profiles::{self, Credentials, IntegrationUrls, Platform, ProfileSummary, SecretsInput};
use crate::{Error, Result};

/// Whose app: a saved profile, or credentials from the environment (nothing is stored then).
#[derive(Debug, Clone)]
pub enum SetupSubject {
    Profile(String),
    Credentials(Credentials),
}

/// The app and the integration's URLs; `urls` given here win over the profile's.
#[derive(Debug, Clone)]
pub struct SetupInput {
    pub subject: SetupSubject,
    pub urls: IntegrationUrls,
}

/// The app's identity and versions, for `app show`.
#[derive(Debug, Clone)]
pub struct AppOverview {
    pub app: Option<AppInfo>,
    pub snapshot: Snapshot,
    pub plan: Plan,
}

struct Context {
    client: Client,
    wanted: Wanted,
    profile: Option<String>,
}

fn merge(base: IntegrationUrls, over: IntegrationUrls) -> IntegrationUrls {
    IntegrationUrls {
        web_config_url: over.web_config_url.or(base.web_config_url),
        redirect_url: over.redirect_url.or(base.redirect_url),
        card_request_url: over.card_request_url.or(base.card_request_url),
    }
}

impl App {
    async fn setup_context(&self, input: SetupInput) -> Result<Context> {
        let over = input.urls;
        let (creds, urls, profile) = match input.subject {
            SetupSubject::Profile(name) => {
                let n = name.clone();
                let (creds, urls) = self
                    .blocking(move |app| {
                        let creds = profiles::credentials(app.db(), app.store(), &n)?;
                        let urls = profiles::get(app.db(), app.store(), &n)?.urls;
                        Ok((creds, urls))
                    })
                    .await?;
                (creds, urls, Some(name))
            }
            SetupSubject::Credentials(creds) => (creds, IntegrationUrls::default(), None),
        };
        let urls = checked_urls(merge(urls, over))?;
        let proxy = self
            .blocking(|app| crate::settings::proxy_mode(app.db()))
            .await?;
        let client =
            crate::platform_client::for_credentials_metered_via(&creds, self.meter(), &proxy)?;
        Ok(Context {
            client,
            wanted: Wanted {
                urls,
                keys: LocalKeys {
                    encrypt_key: creds.encrypt_key,
                    verification_token: creds.verification_token,
                    can_store: profile.is_some(),
                },
            },
            profile,
        })
    }

    /// The app as the platform describes it, and the plan.
    pub async fn setup_show(&self, input: SetupInput) -> Result<AppOverview> {
        let ctx = self.setup_context(input).await?;
        let snapshot = read(&ctx.client).await?;
        Ok(AppOverview {
            app: snapshot.app.clone(),
            plan: plan(&snapshot, &ctx.wanted),
            snapshot,
        })
    }

    /// What applying would change.
    pub async fn setup_plan(&self, input: SetupInput) -> Result<Plan> {
        let ctx = self.setup_context(input).await?;
        let snapshot = read(&ctx.client).await?;
        Ok(plan(&snapshot, &ctx.wanted))
    }

    /// Re-reads, writes what the plan says (at most one config and one ability PATCH), and
    /// returns the plan read back after.
    pub async fn setup_apply(&self, input: SetupInput) -> Result<ApplyReport> {
        let mut ctx = self.setup_context(input).await?;
        let snapshot = read(&ctx.client).await?;
        let before = plan(&snapshot, &ctx.wanted);
        let mut keys = None;
        let (mut generated, mut stored) = (false, false);
        let encryption = before
            .pending()
            .find(|i| i.id == ItemId::Encryption)
            .map(|i| i.api.clone());
        if let Some(api) = encryption {
            let app_keys = snapshot.app.as_ref().and_then(|a| a.encryption.clone());
            let (app_ek, app_vt) = app_keys
                .map(|e| (e.encryption_key, e.verification_token))
                .unwrap_or_default();
            let present = |s: &Option<Secret>| s.clone().filter(|v| !v.expose().trim().is_empty());
            let local = &ctx.wanted.keys;
            let (ek, vt) = if api == "keychain" {
                // Copy the app's keys into the keychain (no API call).
                stored = true;
                (present(&app_ek), present(&app_vt))
            } else {
                let ek = present(&local.encrypt_key).or(present(&app_ek));
                let vt = present(&local.verification_token).or(present(&app_vt));
                generated = ek.is_none() || vt.is_none();
                let pair = (
                    ek.unwrap_or_else(apply::generate_key),
                    vt.unwrap_or_else(apply::generate_key),
                );
                keys = Some(pair.clone());
                (Some(pair.0), Some(pair.1))
            };
            // Into the keychain first: if the write to the app fails, the next apply sets the
            // same keys; the other way round, keys could be set that nobody has.
            self.store_keys(&ctx, ek.clone(), vt.clone()).await?;
            ctx.wanted.keys.encrypt_key = ek;
            ctx.wanted.keys.verification_token = vt;
        }
        let delivery = apply::Delivery {
            events: snapshot
                .app
                .as_ref()
                .and_then(|a| a.event.as_ref()?.subscription_type.clone()),
            callbacks: snapshot
                .app
                .as_ref()
                .and_then(|a| a.callbacks()?.callback_type.clone()),
        };
        let (config, ability) = apply::patches(&before, &ctx.wanted, keys, &delivery);
        let (applied, error, partial) = apply::send(&ctx.client, &before, &config, &ability).await;
        let after = read(&ctx.client).await?;
        let generated = generated && applied.contains(&ItemId::Encryption);
        if let Some(error) = &error {
            tracing::warn!(kind = error.kind(), partial, "apply stopped");
        }
        Ok(ApplyReport {
            applied,
            partial,
            failure: error.as_ref().map(crate::error::platform_problem),
            generated_keys: generated,
            stored_app_keys: stored,
            plan: plan(&after, &ctx.wanted),
        })
    }

    async fn store_keys(
        &self,
        ctx: &Context,
        ek: Option<Secret>,
        vt: Option<Secret>,
    ) -> Result<()> {
        let Some(name) = ctx.profile.clone() else {
            return Err(Error::invalid("profile", C::KeysNeedProfile));
        };
        self.blocking(move |app| {
            let secrets = SecretsInput {
                app_secret: None,
                verification_token: vt,
                encrypt_key: ek,
            };
            profiles::set_secrets(app.db(), app.store(), &name, secrets, Utc::now()).map(drop)
        })
        .await
    }

    /// Publishes the pending changes with a remark and a changelog, then reads the state.
    pub async fn setup_publish(
        &self,
        input: SetupInput,
        remark: String,
        changelog: Option<String>,
    ) -> Result<PublishReport> {
        let ctx = self.setup_context(input).await?;
        let changelog = match changelog {
            Some(text) => text,
            None => publish::changelog(&plan(&read(&ctx.client).await?, &ctx.wanted)),
        };
        Ok(publish::publish(&ctx.client, &remark, &changelog).await?)
    }

    /// The state of version `version_id` now.
    pub async fn setup_version_state(
        &self,
        input: SetupInput,
        version_id: String,
    ) -> Result<PublishReport> {
        let ctx = self.setup_context(input).await?;
        let mut report = PublishReport {
            version_id,
            version: None,
            state: publish::VersionState::Unknown,
            note: None,
        };
        publish::refresh(&ctx.client, &mut report).await?;
        Ok(report)
    }

    /// Starts a registration on `platform`'s accounts host: the device code and the link to scan.
    pub async fn registration_begin(
        &self,
        platform: &Platform,
        app_name: &str,
        client_id: Option<&str>,
    ) -> std::result::Result<(Registrar, Started, String), RegistrationError> {
        let registrar = Registrar::new(register::hosts_for(platform))?;
        let started = registrar.begin().await?;
        let options = register::link_options(app_name, register::DEFAULT_DESCRIPTION, client_id);
        let link = started.link(&options)?;
        Ok((registrar, started, link))
    }

    /// Waits for the scan; `on_status` hears each change. Drop the future to cancel.
    pub async fn registration_wait(
        &self,
        registrar: &Registrar,
        started: &Started,
        on_status: impl FnMut(Status),
    ) -> std::result::Result<RegisteredApp, RegistrationError> {
        registrar.wait(started, on_status).await
    }

    /// Saves a registered app as a new profile, its App Secret in the keychain.
    pub async fn registration_save(
        &self,
        profile_name: String,
        platform: Platform,
        registered: RegisteredApp,
    ) -> Result<ProfileSummary> {
        crate::redact::register(&registered.app_secret);
        let input = register::profile_input(&profile_name, &platform, &registered);
        self.blocking(move |app| profiles::add(app.db(), app.store(), input, Utc::now()))
            .await
    }
}
