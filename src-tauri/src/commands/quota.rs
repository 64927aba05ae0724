//! Quota screen: the local call ledger's figures (no network), the per-app settings, and the
//! thresholds newly crossed, which the UI raises once each per month.

use chrono::{DateTime, Utc};
use companion::app::QuotaView;
use companion::quota::QuotaSettings;
use companion::Problem;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn quota_report(state: State<'_, AppState>, name: String) -> Result<QuotaView, Problem> {
    state.app.quota_view(name).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn quota_settings(
    state: State<'_, AppState>,
    name: String,
) -> Result<QuotaSettings, Problem> {
    state.app.quota_settings(name).await.map_err(Into::into)
}

/// Saves the cap (`null` = unlimited) and time zone, with the thresholds and ceilings as given;
/// the live limiter picks up the ceilings and zone at once.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn save_quota_settings(
    state: State<'_, AppState>,
    name: String,
    settings: QuotaSettings,
) -> Result<QuotaSettings, Problem> {
    state
        .app
        .save_quota_settings(name, settings)
        .await
        .map_err(Into::into)
}

/// Records the month-to-date figure read in the admin console, and when (default: now).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_quota_baseline(
    state: State<'_, AppState>,
    name: String,
    calls: u64,
    at: Option<DateTime<Utc>>,
) -> Result<QuotaSettings, Problem> {
    state
        .app
        .set_quota_baseline(name, calls, at)
        .await
        .map_err(Into::into)
}
