//! The relay as the app runs it: at most one at a time, in HTTP or long-connection mode, for one
//! profile. Starting either mode stops whatever ran before. Across processes there is one relay
//! per data folder and profile: a start is refused (`RelayError::AlreadyRunning`, naming the
//! other process) while `lark-companion-cli relay` serves the profile (`relay::claim`). With no relay running, the history
//! stays readable from the store, curl exports point at the profile's saved port, and the lab
//! and triggers to an explicit URL use the profile's keys from the keychain.

use crate::problem::{Problem, ProblemCode as C};
use std::net::{IpAddr, SocketAddr};

use chrono::Utc;
use tokio::sync::{broadcast, RwLock};

use super::App;
use crate::relay::{
    self, lab, saved, trigger, Forwarder, LabInput, LabReport, LongConnectionApp,
    LongConnectionRelay, LongConnectionStatus, RecordDetail, RecordEvent, RecordFilter,
    RecordSummary, Relay, RelayCore, RelayError, RelayProfile, RelaySettings, RelayStatus,
    RelayStore, ReplayResult, SavedRelaySettings, TriggerRequest, TriggerResult,
};

type Result<T> = std::result::Result<T, RelayError>;

/// The running relay of either mode. Reads share a lock; start and stop take it alone.
#[derive(Default)]
pub(super) struct Relays {
    http: RwLock<Option<Relay>>,
    long: RwLock<Option<LongConnectionRelay>>,
    /// What the running relay was started with, for a hand-over (`app::handover`).
    pub(super) started: std::sync::Mutex<Option<super::handover::HandedRelay>>,
}

/// A relay just started: its status, and its live record changes for the face to show.
pub struct RelayStarted<S> {
    pub status: S,
    pub events: broadcast::Receiver<RecordEvent>,
}

fn not_running() -> RelayError {
    RelayError::invalid("relay", Problem::new(C::RelayNotRunning))
}

/// The listen address: `bind` when given (any IP; beyond loopback the relay reports a warning),
/// else what the settings say (127.0.0.1, or every interface with `listenAll`).
pub(crate) fn listen_address(settings: &RelaySettings, bind: Option<&str>) -> Result<SocketAddr> {
    let default = settings.config().listen;
    match bind.map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(default),
        Some(text) => text
            .parse::<IpAddr>()
            .map(|ip| SocketAddr::new(ip, default.port()))
            .map_err(|_| {
                RelayError::invalid(
                    "bind",
                    Problem::new(C::RelayBindAddress).param("value", text),
                )
            }),
    }
}

impl App {
    fn relays(&self) -> &Relays {
        &self.inner.relays
    }

    /// The running HTTP relay's core.
    pub(super) async fn relays_http_core(&self) -> Option<std::sync::Arc<crate::relay::RelayCore>> {
        self.relays()
            .http
            .read()
            .await
            .as_ref()
            .map(|r| r.core().clone())
    }

    /// The running long-connection relay's core.
    pub(super) async fn relays_long_core(&self) -> Option<std::sync::Arc<crate::relay::RelayCore>> {
        self.relays()
            .long
            .read()
            .await
            .as_ref()
            .map(|r| r.core().clone())
    }

    async fn relay_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&App) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.on_blocking_pool(work)
            .await
            .map_err(RelayError::Storage)?
    }

    async fn stop_long_connection(&self) {
        let running = self.relays().long.write().await.take();
        if let Some(running) = running {
            running.stop().await;
        }
    }

    async fn stop_http(&self) {
        let running = self.relays().http.write().await.take();
        if let Some(running) = running {
            running.stop().await;
        }
    }

    /// Starts the HTTP relay for profile `name` (stopping a running relay of either mode
    /// first) and remembers the form for the profile's next start.
    pub async fn relay_start(
        &self,
        name: String,
        settings: RelaySettings,
        bind: Option<String>,
    ) -> Result<RelayStarted<RelayStatus>> {
        self.start_http(name, settings, bind, None).await
    }

    /// [`App::relay_start`], on `listening` when given (a socket handed over) instead of
    /// binding the settings' address.
    pub(super) async fn start_http(
        &self,
        name: String,
        settings: RelaySettings,
        bind: Option<String>,
        listening: Option<std::net::TcpListener>,
    ) -> Result<RelayStarted<RelayStatus>> {
        let spec = super::handover::HandedRelay::http(&name, &settings, bind.as_deref());
        let upstream = settings.upstream()?;
        let mut config = settings.config();
        config.listen = listen_address(&settings, bind.as_deref())?;
        let (profile, store) = self
            .relay_blocking(move |app| {
                let profile = RelayProfile::load(app.db(), app.store(), &name, upstream)?;
                saved::save(app.db(), &name, &settings, bind.as_deref())?;
                Ok((profile, RelayStore::open(&app.paths().data_dir)?))
            })
            .await?;
        self.stop_long_connection().await;
        let mut slot = self.relays().http.write().await;
        if let Some(old) = slot.take() {
            old.stop().await;
        }
        let core = RelayCore::new(config, vec![profile], store)?;
        let profile_name = core
            .profiles()
            .next()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let started = match listening {
            Some(listening) => Relay::adopt(core, listening).await,
            None => Relay::start(core).await,
        };
        let running = match started {
            Ok(running) => running,
            Err(e) => {
                if let RelayError::Bind { addr, source } = &e {
                    if source.kind() == std::io::ErrorKind::AddrInUse {
                        self.port_taken(&profile_name, Some(addr.to_string()));
                    }
                }
                return Err(e);
            }
        };
        self.port_taken(&profile_name, None);
        let started = RelayStarted {
            status: running.status()?,
            events: running.subscribe(),
        };
        *slot = Some(running);
        self.set_started(Some(spec));
        Ok(started)
    }

    /// Starts the relay in long-connection mode for profile `name`: no listener, the app dials
    /// the platform's WebSocket (stopping a running relay of either mode first).
    pub async fn relay_start_long_connection(
        &self,
        name: String,
        settings: RelaySettings,
    ) -> Result<RelayStarted<LongConnectionStatus>> {
        let spec = super::handover::HandedRelay::long_connection(&name, &settings);
        let upstream = settings.upstream()?;
        let profile_name = name.clone();
        let (profile, creds, store) = self
            .relay_blocking(move |app| {
                Ok((
                    RelayProfile::load(app.db(), app.store(), &name, upstream)?,
                    crate::profiles::credentials(app.db(), app.store(), &name)?,
                    RelayStore::open(&app.paths().data_dir)?,
                ))
            })
            .await?;
        self.stop_http().await;
        let mut slot = self.relays().long.write().await;
        if let Some(old) = slot.take() {
            old.stop().await;
        }
        let core = RelayCore::new(settings.config(), vec![profile], store)?;
        let running = LongConnectionRelay::start(
            core,
            &profile_name,
            LongConnectionApp {
                base_url: creds.platform.base_url().to_owned(),
                app_id: creds.app_id.clone(),
                app_secret: creds.app_secret.clone(),
            },
        )?;
        let started = RelayStarted {
            status: running.status(),
            events: running.subscribe(),
        };
        *slot = Some(running);
        self.set_started(Some(spec));
        Ok(started)
    }

    /// The long connection's state, uptime and last message; `None` when that mode is off.
    pub async fn relay_long_connection_status(&self) -> Option<LongConnectionStatus> {
        self.relays()
            .long
            .read()
            .await
            .as_ref()
            .map(LongConnectionRelay::status)
    }

    /// Stops the relay in either mode; requests in flight are answered and recorded, queued
    /// events stay queued.
    pub async fn relay_stop(&self) {
        self.set_started(None);
        self.stop_http().await;
        self.stop_long_connection().await;
    }

    fn set_started(&self, spec: Option<super::handover::HandedRelay>) {
        *self
            .relays()
            .started
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = spec;
    }

    /// Takes the running relay out of the app for a hand-over: the HTTP relay stops serving
    /// but keeps its socket listening (returned), the long connection is closed. `None` when
    /// no relay runs.
    pub(super) async fn take_running(
        &self,
    ) -> Option<(super::handover::HandedRelay, Option<std::net::TcpListener>)> {
        let spec = self
            .relays()
            .started
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        let http = self.relays().http.write().await.take();
        let long = self.relays().long.write().await.take();
        let running = http.is_some() || long.is_some();
        let listener = match http {
            Some(relay) => relay.hand_over().await,
            None => None,
        };
        if let Some(long) = long {
            long.stop().await;
        }
        // The form of the relay that ran: a start that failed after stopping the previous
        // relay leaves the previous form here, with nothing running.
        spec.filter(|_| running).map(|spec| (spec, listener))
    }

    /// The running relay's address, URLs and warning; `None` when it is stopped.
    pub async fn relay_status(&self) -> Result<Option<RelayStatus>> {
        match self.relays().http.read().await.as_ref() {
            Some(running) => Ok(Some(running.status()?)),
            None => Ok(None),
        }
    }

    pub async fn relay_list(&self, filter: RecordFilter) -> Result<Vec<RecordSummary>> {
        if let Some(running) = self.relays().http.read().await.as_ref() {
            return running.list(&filter);
        }
        self.relay_blocking(move |app| RelayStore::open(&app.paths().data_dir)?.list(&filter))
            .await
    }

    pub async fn relay_detail(&self, id: i64) -> Result<RecordDetail> {
        if let Some(running) = self.relays().http.read().await.as_ref() {
            return running.detail(id);
        }
        self.relay_blocking(move |app| RelayStore::open(&app.paths().data_dir)?.detail(id))
            .await
    }

    /// Sends record `id` again, re-signed, to `url` or the profile's upstream (relay running).
    pub async fn relay_replay(&self, id: i64, url: Option<String>) -> Result<ReplayResult> {
        let slot = self.relays().http.read().await;
        let running = slot.as_ref().ok_or_else(not_running)?;
        let url = url.as_deref().map(str::trim).filter(|u| !u.is_empty());
        running.replay(id, url).await
    }

    /// Signs the admin's `body` with `profile`'s keys and sends it to `url` or the profile's
    /// upstream (the signature lab's "Re-sign and send"; relay running).
    pub async fn relay_resign(
        &self,
        profile: String,
        body: String,
        url: Option<String>,
    ) -> Result<ReplayResult> {
        let slot = self.relays().http.read().await;
        let running = slot.as_ref().ok_or_else(not_running)?;
        let url = url.as_deref().map(str::trim).filter(|u| !u.is_empty());
        running.resign(&profile, &body, url).await
    }

    /// Record `id` as a curl command, with no secret in it: to the running relay, or with it
    /// stopped, to the port the profile's relay last listened on.
    pub async fn relay_export_curl(&self, id: i64) -> Result<String> {
        if let Some(running) = self.relays().http.read().await.as_ref() {
            return running.export_curl(id);
        }
        self.relay_blocking(move |app| {
            let detail = RelayStore::open(&app.paths().data_dir)?.detail(id)?;
            let port = saved::load(app.db(), &detail.summary.profile)
                .map(|s| s.settings.port)
                .unwrap_or(RelaySettings::default().port);
            let url = format!("http://127.0.0.1:{port}{}", detail.path);
            Ok(relay::inspector::export_curl(&detail, &url))
        })
        .await
    }

    /// A synthetic callback signed with the profile's keys: to the running relay when
    /// `request.url` is empty, else to that URL (which works without a relay).
    pub async fn relay_trigger(
        &self,
        name: String,
        request: TriggerRequest,
    ) -> Result<TriggerResult> {
        {
            let slot = self.relays().http.read().await;
            if let Some(running) = slot.as_ref() {
                if running.core().find_profile(&name).is_some() {
                    return running.trigger(&name, &request).await;
                }
            }
        }
        let url = request
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(not_running)?
            .to_owned();
        let profile = self
            .relay_blocking(move |app| Ok(RelayProfile::load(app.db(), app.store(), &name, None)?))
            .await?;
        trigger::send(&Forwarder::new(), &profile.keys, &request, &url, Utc::now()).await
    }

    /// The signature lab with the profile's secrets (the running relay's skew limit when it
    /// serves the profile, else the default 5 minutes).
    pub async fn relay_lab(&self, name: String, input: LabInput) -> Result<LabReport> {
        {
            let slot = self.relays().http.read().await;
            if let Some(running) = slot.as_ref() {
                if running.core().find_profile(&name).is_some() {
                    return running.lab(&name, &input);
                }
            }
        }
        let profile = self
            .relay_blocking(move |app| Ok(RelayProfile::load(app.db(), app.store(), &name, None)?))
            .await?;
        let max_skew = RelaySettings::default().max_skew_secs;
        Ok(lab::analyze(
            &input,
            &profile.keys,
            Utc::now(),
            i64::from(max_skew),
        ))
    }

    /// What the profile's relay was last started with (port 9400 and defaults before that).
    pub async fn relay_saved_settings(&self, name: String) -> Result<SavedRelaySettings> {
        self.relay_blocking(move |app| Ok(saved::load(app.db(), &name)?))
            .await
    }

    /// Remembers the callback URL the admin copied for the console.
    pub async fn relay_mark_copied(&self, name: String, url: String) -> Result<()> {
        self.relay_blocking(move |app| Ok(saved::mark_copied(app.db(), &name, &url)?))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_overrides_the_loopback_default() {
        let settings = RelaySettings {
            port: 9411,
            ..RelaySettings::default()
        };
        assert_eq!(
            listen_address(&settings, None).unwrap().to_string(),
            "127.0.0.1:9411"
        );
        assert_eq!(
            listen_address(&settings, Some(" 0.0.0.0 "))
                .unwrap()
                .to_string(),
            "0.0.0.0:9411"
        );
        assert!(listen_address(&settings, Some("localhost:1")).is_err());
    }
}
