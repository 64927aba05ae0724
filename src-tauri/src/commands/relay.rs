//! Relay: start/stop the callback relay for one profile, read its record, replay, export as curl,
//! send synthetic triggers and run the signature lab. Live changes reach the window as
//! `relay://record` events (a `RecordEvent`); `relay://lagged` says some were skipped and the
//! list should be reloaded.
//!
//! The running relay lives in [`AppState::relay`]: reads share the lock, start/stop take it alone.
//! With no relay running, the history stays readable from the store, and the lab (and triggers
//! to an explicit URL) work with the profile's keys from the keychain.

use std::net::{IpAddr, SocketAddr};

use chrono::Utc;
use companion::ipc::IpcError;
use companion::relay::{
    self, lab, trigger, Forwarder, LabInput, LabReport, LongConnectionApp, LongConnectionRelay,
    LongConnectionStatus, RecordDetail, RecordEvent, RecordFilter, RecordSummary, Relay, RelayCore,
    RelayError, RelayProfile, RelaySettings, RelayStatus, RelayStore, ReplayResult, TriggerRequest,
    TriggerResult,
};
use tauri::{AppHandle, Emitter, Runtime, State};
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;

/// The window event carrying one [`RecordEvent`].
pub const RECORD_EVENT: &str = "relay://record";
/// The window event saying live events were dropped (reload the list).
pub const LAGGED_EVENT: &str = "relay://lagged";

fn not_running() -> IpcError {
    RelayError::InvalidInput {
        field: "relay",
        message: "The relay is not running; start it first.".to_string(),
    }
    .into()
}

/// The listen address: `bind` when given (any IP; beyond loopback the relay reports a warning),
/// else what the settings say (127.0.0.1, or every interface with `listenAll`).
fn listen_address(settings: &RelaySettings, bind: Option<&str>) -> Result<SocketAddr, RelayError> {
    let default = settings.config().listen;
    match bind.map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(default),
        Some(text) => text
            .parse::<IpAddr>()
            .map(|ip| SocketAddr::new(ip, default.port()))
            .map_err(|_| RelayError::InvalidInput {
                field: "bind",
                message: format!(
                    "\"{text}\" is not an IP address (for example 127.0.0.1 or 0.0.0.0)."
                ),
            }),
    }
}

/// Starts the relay for profile `name` (stopping a running one first) and forwards its live
/// changes to the window.
#[tauri::command]
pub async fn relay_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    settings: RelaySettings,
    bind: Option<String>,
) -> Result<RelayStatus, IpcError> {
    let upstream = settings.upstream()?;
    let mut config = settings.config();
    config.listen = listen_address(&settings, bind.as_deref())?;
    let profile = RelayProfile::load(&state.db(), &state.store, &name, upstream)?;
    let store = RelayStore::open(&state.paths.data_dir)?;
    stop_long_connection(&state).await;
    let mut slot = state.relay.write().await;
    if let Some(old) = slot.take() {
        old.stop().await;
    }
    let core = RelayCore::new(config, vec![profile], store)?;
    let running = Relay::start(core).await?;
    let status = running.status()?;
    forward_events(app, running.subscribe());
    *slot = Some(running);
    Ok(status)
}

/// Forwards a relay's live record changes to the window until the relay stops.
fn forward_events<R: Runtime>(
    app: AppHandle<R>,
    mut events: tokio::sync::broadcast::Receiver<RecordEvent>,
) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(e) = app.emit(RECORD_EVENT, &event) {
                        tracing::warn!(error = %e, "could not send a relay record to the window");
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    let _ = app.emit(LAGGED_EVENT, n);
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

async fn stop_long_connection(state: &AppState) {
    let running = state.long_connection.write().await.take();
    if let Some(running) = running {
        running.stop().await;
    }
}

/// Starts the relay in long-connection mode for profile `name`: no listener, the app dials the
/// platform's WebSocket (stopping a running relay of either mode first). Records go to the same
/// store, so the inspector, replay and curl export work as in HTTP mode.
#[tauri::command]
pub async fn relay_start_long_connection<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    settings: RelaySettings,
) -> Result<LongConnectionStatus, IpcError> {
    let upstream = settings.upstream()?;
    let (profile, creds) = {
        let db = state.db();
        (
            RelayProfile::load(&db, &state.store, &name, upstream)?,
            companion::profiles::credentials(&db, &state.store, &name)?,
        )
    };
    let store = RelayStore::open(&state.paths.data_dir)?;
    if let Some(old) = state.relay.write().await.take() {
        old.stop().await;
    }
    let mut slot = state.long_connection.write().await;
    if let Some(old) = slot.take() {
        old.stop().await;
    }
    let core = RelayCore::new(settings.config(), vec![profile], store)?;
    let running = LongConnectionRelay::start(
        core,
        &name,
        LongConnectionApp {
            base_url: creds.platform.base_url().to_owned(),
            app_id: creds.app_id.clone(),
            app_secret: creds.app_secret.clone(),
        },
    )?;
    forward_events(app, running.subscribe());
    let status = running.status();
    *slot = Some(running);
    Ok(status)
}

/// The long connection's state, uptime and last message; `None` when that mode is off.
#[tauri::command]
pub async fn relay_long_connection_status(
    state: State<'_, AppState>,
) -> Result<Option<LongConnectionStatus>, IpcError> {
    Ok(state
        .long_connection
        .read()
        .await
        .as_ref()
        .map(LongConnectionRelay::status))
}

/// Stops the relay in either mode; requests in flight are answered and recorded, queued events
/// stay queued.
#[tauri::command]
pub async fn relay_stop(state: State<'_, AppState>) -> Result<(), IpcError> {
    let running = state.relay.write().await.take();
    if let Some(running) = running {
        running.stop().await;
    }
    stop_long_connection(&state).await;
    Ok(())
}

/// The running relay's address, URLs and warning; `None` when it is stopped.
#[tauri::command]
pub async fn relay_status(state: State<'_, AppState>) -> Result<Option<RelayStatus>, IpcError> {
    match state.relay.read().await.as_ref() {
        Some(running) => Ok(Some(running.status()?)),
        None => Ok(None),
    }
}

#[tauri::command]
pub async fn relay_list(
    state: State<'_, AppState>,
    filter: RecordFilter,
) -> Result<Vec<RecordSummary>, IpcError> {
    match state.relay.read().await.as_ref() {
        Some(running) => Ok(running.list(&filter)?),
        None => Ok(RelayStore::open(&state.paths.data_dir)?.list(&filter)?),
    }
}

#[tauri::command]
pub async fn relay_detail(state: State<'_, AppState>, id: i64) -> Result<RecordDetail, IpcError> {
    match state.relay.read().await.as_ref() {
        Some(running) => Ok(running.detail(id)?),
        None => Ok(RelayStore::open(&state.paths.data_dir)?.detail(id)?),
    }
}

/// Sends record `id` again, re-signed, to `url` or the profile's upstream (relay running).
#[tauri::command]
pub async fn relay_replay(
    state: State<'_, AppState>,
    id: i64,
    url: Option<String>,
) -> Result<ReplayResult, IpcError> {
    let slot = state.relay.read().await;
    let running = slot.as_ref().ok_or_else(not_running)?;
    let url = url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    Ok(running.replay(id, url).await?)
}

/// Record `id` as a curl command, with no secret in it.
#[tauri::command]
pub async fn relay_export_curl(state: State<'_, AppState>, id: i64) -> Result<String, IpcError> {
    match state.relay.read().await.as_ref() {
        Some(running) => Ok(running.export_curl(id)?),
        None => {
            let detail = RelayStore::open(&state.paths.data_dir)?.detail(id)?;
            let port = RelaySettings::default().port;
            let url = format!("http://127.0.0.1:{port}{}", detail.path);
            Ok(relay::inspector::export_curl(&detail, &url))
        }
    }
}

/// A synthetic callback signed with the profile's keys: to the running relay when `request.url`
/// is empty, else to that URL (which works without a relay).
#[tauri::command]
pub async fn relay_trigger(
    state: State<'_, AppState>,
    name: String,
    request: TriggerRequest,
) -> Result<TriggerResult, IpcError> {
    let has_url = request.url.as_deref().is_some_and(|u| !u.trim().is_empty());
    {
        let slot = state.relay.read().await;
        if let Some(running) = slot.as_ref() {
            if running.core().find_profile(&name).is_some() {
                return Ok(running.trigger(&name, &request).await?);
            }
        }
    }
    if !has_url {
        return Err(not_running());
    }
    let url = request.url.clone().unwrap_or_default();
    let profile = RelayProfile::load(&state.db(), &state.store, &name, None)?;
    Ok(trigger::send(
        &Forwarder::new(),
        &profile.keys,
        &request,
        url.trim(),
        Utc::now(),
    )
    .await?)
}

/// The signature lab with the profile's secrets (the running relay's skew limit when it serves
/// the profile, else the default 5 minutes).
#[tauri::command]
pub async fn relay_lab(
    state: State<'_, AppState>,
    name: String,
    input: LabInput,
) -> Result<LabReport, IpcError> {
    {
        let slot = state.relay.read().await;
        if let Some(running) = slot.as_ref() {
            if running.core().find_profile(&name).is_some() {
                return Ok(running.lab(&name, &input)?);
            }
        }
    }
    let profile = RelayProfile::load(&state.db(), &state.store, &name, None)?;
    let max_skew = RelaySettings::default().max_skew_secs;
    Ok(lab::analyze(
        &input,
        &profile.keys,
        Utc::now(),
        i64::from(max_skew),
    ))
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
