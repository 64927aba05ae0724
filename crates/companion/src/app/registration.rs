//! App registration for the window: a scan runs as a background session that the wizard polls
//! (`registration_status`), so no command waits minutes for a person and leaving the step
//! loses nothing. One session at a time per app instance; starting a new one cancels the old.
//! On success the profile is created at once (App Secret in the keychain), whether or not the
//! window is still looking.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lark_platform::registration::{RegistrationError, Status};
use parking_lot::Mutex;
use serde::Serialize;
use ts_rs::TS;

use super::App;
use crate::problem::{Problem, ProblemCode as C};
use crate::profiles::{parse_name, Platform, ProfileSummary};
use crate::{Error, Result};

/// What the wizard shows once a scan is started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationStarted {
    pub session_id: String,
    /// The link to scan or open (never carries a secret).
    pub link: String,
    /// The link as a QR code, an SVG document drawn here (no web service).
    pub qr_svg: String,
    #[ts(type = "string")]
    pub expires_at: DateTime<Utc>,
}

/// Where a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RegistrationPhase {
    /// Waiting for the scan and the confirmation.
    Waiting,
    /// The platform asked to poll less often (`interval_secs` says how often now).
    SlowedDown,
    Confirmed,
    Denied,
    Expired,
    /// This platform has no registration by scan: use an app made in the console.
    Unsupported,
    /// Something else went wrong (`message`).
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationStatus {
    pub phase: RegistrationPhase,
    pub interval_secs: u32,
    /// The tenant turned out to be on Lark.
    pub lark: bool,
    /// The new profile, once confirmed.
    pub profile: Option<ProfileSummary>,
    pub message: Option<String>,
}

pub(crate) struct Session {
    id: String,
    status: Arc<Mutex<RegistrationStatus>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The current scan, if any.
#[derive(Default)]
pub(crate) struct Registrations {
    current: Mutex<Option<Session>>,
}

/// The link as an SVG QR code.
pub fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

fn phase_of(error: &RegistrationError) -> RegistrationPhase {
    match error {
        RegistrationError::Denied => RegistrationPhase::Denied,
        RegistrationError::Expired => RegistrationPhase::Expired,
        RegistrationError::Unsupported { .. } => RegistrationPhase::Unsupported,
        _ => RegistrationPhase::Failed,
    }
}

impl App {
    /// Starts a scan: the link and its QR code at once; the wait goes on in the background and
    /// saves the app as profile `profile_name` when confirmed. With `reconfirm`, the profile
    /// exists and its app is confirmed again to grant it what the integration needs (scopes
    /// the app may not add itself); nothing new is created.
    pub async fn registration_start(
        &self,
        platform: Platform,
        profile_name: String,
        app_name: String,
        reconfirm: bool,
    ) -> Result<RegistrationStarted> {
        let profile_name = parse_name(&profile_name)?;
        let app_name = app_name.trim().to_owned();
        if app_name.is_empty() {
            return Err(Error::invalid("appName", C::AppNameEmpty));
        }
        let existing = {
            let name = profile_name.clone();
            self.blocking(move |app| {
                let names = crate::profiles::names(app.db())?;
                match names.iter().find(|n| n.eq_ignore_ascii_case(&name)) {
                    Some(n) => crate::profiles::get(app.db(), app.store(), n).map(Some),
                    None => Ok(None),
                }
            })
            .await?
        };
        let (platform, client_id) = match (&existing, reconfirm) {
            (Some(_), false) => return Err(Error::ProfileExists { name: profile_name }),
            (None, true) => return Err(Error::ProfileNotFound { name: profile_name }),
            (Some(p), true) => (p.platform.clone(), Some(p.app_id.clone())),
            (None, false) => (platform, None),
        };
        let (registrar, started, link) = self
            .registration_begin(&platform, &app_name, client_id.as_deref())
            .await
            .map_err(|e| {
                Problem::invalid("registration", C::RegistrationFailed).param("detail", e)
            })?;
        let expires_at = Utc::now()
            + chrono::Duration::from_std(started.expires_in).unwrap_or(chrono::Duration::zero());
        let status = Arc::new(Mutex::new(RegistrationStatus {
            phase: RegistrationPhase::Waiting,
            interval_secs: started.interval.as_secs() as u32,
            lark: false,
            profile: None,
            message: None,
        }));
        let app = self.clone();
        let shared = status.clone();
        let task = tokio::spawn(async move {
            let update = shared.clone();
            let result = registrar
                .wait(&started, move |s| {
                    let mut st = update.lock();
                    match s {
                        Status::Pending => {}
                        Status::SlowDown(every) => {
                            st.phase = RegistrationPhase::SlowedDown;
                            st.interval_secs = every.as_secs() as u32;
                        }
                        Status::SwitchedToLark => st.lark = true,
                    }
                })
                .await;
            let next = match result {
                Ok(registered) if client_id.is_some() => {
                    match app
                        .registration_reconfirmed(profile_name, client_id, registered)
                        .await
                    {
                        Ok(profile) => (RegistrationPhase::Confirmed, Some(profile), None),
                        Err(e) => (RegistrationPhase::Failed, None, Some(e.to_string())),
                    }
                }
                Ok(registered) => match app
                    .registration_save(profile_name, platform, registered)
                    .await
                {
                    Ok(profile) => (RegistrationPhase::Confirmed, Some(profile), None),
                    Err(e) => (RegistrationPhase::Failed, None, Some(e.to_string())),
                },
                Err(e) => (phase_of(&e), None, Some(e.to_string())),
            };
            let mut st = shared.lock();
            (st.phase, st.profile, st.message) = next;
        });
        let id = format!("reg-{}", uuid_like());
        *self.inner.registrations.current.lock() = Some(Session {
            id: id.clone(),
            status,
            task,
        });
        Ok(RegistrationStarted {
            session_id: id,
            qr_svg: qr_svg(&link),
            link,
            expires_at,
        })
    }

    /// The app confirmed again: it must be the profile's; its App Secret is stored if it changed.
    async fn registration_reconfirmed(
        &self,
        profile_name: String,
        client_id: Option<String>,
        registered: lark_platform::registration::RegisteredApp,
    ) -> Result<ProfileSummary> {
        if client_id.as_deref() != Some(registered.app_id.as_str()) {
            return Err(Problem::invalid("registration", C::RegistrationOtherApp)
                .param("appId", &registered.app_id)
                .into());
        }
        crate::redact::register(&registered.app_secret);
        self.blocking(move |app| {
            let secrets = crate::profiles::SecretsInput {
                app_secret: Some(registered.app_secret),
                ..Default::default()
            };
            crate::profiles::sync_secrets(
                app.db(),
                app.store(),
                &profile_name,
                secrets,
                Utc::now(),
            )?;
            crate::profiles::get(app.db(), app.store(), &profile_name)
        })
        .await
    }

    /// The scan's state; a session that is no longer current reads as cancelled.
    pub fn registration_status(&self, session_id: &str) -> RegistrationStatus {
        match &*self.inner.registrations.current.lock() {
            Some(session) if session.id == session_id => session.status.lock().clone(),
            _ => RegistrationStatus {
                phase: RegistrationPhase::Cancelled,
                interval_secs: 0,
                lark: false,
                profile: None,
                message: None,
            },
        }
    }

    /// Stops waiting for the scan (an app confirmed later is not saved); whether it was waiting.
    pub fn registration_cancel(&self, session_id: &str) -> bool {
        let mut current = self.inner.registrations.current.lock();
        let found = current.as_ref().is_some_and(|s| s.id == session_id);
        if found {
            *current = None;
        }
        found
    }
}

fn uuid_like() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}

/// The TypeScript declarations, for `tests/bindings.rs`.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        (
            "RegistrationStarted.ts",
            RegistrationStarted::export_to_string().unwrap_or_default(),
        ),
        (
            "RegistrationPhase.ts",
            RegistrationPhase::export_to_string().unwrap_or_default(),
        ),
        (
            "RegistrationStatus.ts",
            RegistrationStatus::export_to_string().unwrap_or_default(),
        ),
    ]
}
