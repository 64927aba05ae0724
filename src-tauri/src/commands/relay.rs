//! Relay: start/stop the callback relay for one profile, read its record, replay, export as curl,
//! send synthetic triggers and run the signature lab; the rules live in `companion::App`. Live
//! changes reach the window as `relay://record` events (a `RecordEvent`); `relay://lagged` says
//! some were skipped and the list should be reloaded.

use companion::app::RelayStarted;
use companion::relay::{
    LabInput, LabReport, LongConnectionStatus, RecordDetail, RecordEvent, RecordFilter,
    RecordSummary, RelaySettings, RelayStatus, ReplayResult, SavedRelaySettings, TriggerRequest,
    TriggerResult,
};
use companion::Problem;
use tauri::{AppHandle, Emitter, Runtime, State};
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;

/// The window event carrying one [`RecordEvent`].
pub const RECORD_EVENT: &str = "relay://record";
/// The window event saying live events were dropped (reload the list).
pub const LAGGED_EVENT: &str = "relay://lagged";

/// Forwards a relay's live record changes to the window until the relay stops, and hands back
/// its status.
pub(crate) fn forward<R: Runtime, S>(app: AppHandle<R>, started: RelayStarted<S>) -> S {
    let mut events = started.events;
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(e) = app.emit::<RecordEvent>(RECORD_EVENT, event) {
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
    started.status
}

/// Starts the relay for profile `name` (stopping a running one first).
#[tauri::command]
#[tracing::instrument(skip(app, state, settings), err(Debug))]
pub async fn relay_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    settings: RelaySettings,
    bind: Option<String>,
) -> Result<RelayStatus, Problem> {
    let started = state.app.relay_start(name, settings, bind).await?;
    state.tray_changed.notify_one();
    Ok(forward(app, started))
}

/// Starts the relay in long-connection mode for profile `name`.
#[tauri::command]
#[tracing::instrument(skip(app, state, settings), err(Debug))]
pub async fn relay_start_long_connection<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    settings: RelaySettings,
) -> Result<LongConnectionStatus, Problem> {
    let started = state
        .app
        .relay_start_long_connection(name, settings)
        .await?;
    state.tray_changed.notify_one();
    Ok(forward(app, started))
}

#[tauri::command]
pub async fn relay_long_connection_status(
    state: State<'_, AppState>,
) -> Result<Option<LongConnectionStatus>, Problem> {
    Ok(state.app.relay_long_connection_status().await)
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn relay_stop(state: State<'_, AppState>) -> Result<(), Problem> {
    state.app.relay_stop().await;
    state.tray_changed.notify_one();
    Ok(())
}

#[tauri::command]
pub async fn relay_status(state: State<'_, AppState>) -> Result<Option<RelayStatus>, Problem> {
    Ok(state.app.relay_status().await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn relay_list(
    state: State<'_, AppState>,
    filter: RecordFilter,
) -> Result<Vec<RecordSummary>, Problem> {
    Ok(state.app.relay_list(filter).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn relay_detail(state: State<'_, AppState>, id: i64) -> Result<RecordDetail, Problem> {
    Ok(state.app.relay_detail(id).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, url), err(Debug))]
pub async fn relay_replay(
    state: State<'_, AppState>,
    id: i64,
    url: Option<String>,
) -> Result<ReplayResult, Problem> {
    Ok(state.app.relay_replay(id, url).await?)
}

/// The signature lab's "Re-sign and send": the admin's own body, signed with the profile's keys.
#[tauri::command]
#[tracing::instrument(skip(state, body, url), err(Debug))]
pub async fn relay_resign(
    state: State<'_, AppState>,
    profile: String,
    body: String,
    url: Option<String>,
) -> Result<ReplayResult, Problem> {
    Ok(state.app.relay_resign(profile, body, url).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn relay_export_curl(state: State<'_, AppState>, id: i64) -> Result<String, Problem> {
    Ok(state.app.relay_export_curl(id).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, request), err(Debug))]
pub async fn relay_trigger(
    state: State<'_, AppState>,
    name: String,
    request: TriggerRequest,
) -> Result<TriggerResult, Problem> {
    Ok(state.app.relay_trigger(name, request).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state, input), err(Debug))]
pub async fn relay_lab(
    state: State<'_, AppState>,
    name: String,
    input: LabInput,
) -> Result<LabReport, Problem> {
    Ok(state.app.relay_lab(name, input).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn relay_saved_settings(
    state: State<'_, AppState>,
    name: String,
) -> Result<SavedRelaySettings, Problem> {
    Ok(state.app.relay_saved_settings(name).await?)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn relay_mark_copied(
    state: State<'_, AppState>,
    name: String,
    url: String,
) -> Result<(), Problem> {
    Ok(state.app.relay_mark_copied(name, url).await?)
}
