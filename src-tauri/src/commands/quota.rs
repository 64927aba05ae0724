//! Quota screen: month-to-date figures, the daily series, endpoints, rate-limit events and
//! ceilings read from the local call ledger (no network, no keychain), the per-app settings, and
//! the notification thresholds newly crossed, which the UI raises once each per month.

use chrono::{DateTime, Utc};
use companion::ipc::IpcError;
use companion::quota::{self, settings, QuotaReport, QuotaSettings, ThresholdCrossing};
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// What `quota_report` answers: the report, and the thresholds (80/90/100 % by default) this
/// refresh crossed for the first time this month. Each crossing is returned once: the UI shows it
/// as a desktop notification (when allowed) and an in-app banner.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaView {
    pub report: QuotaReport,
    pub crossings: Vec<ThresholdCrossing>,
}

fn app_id(state: &AppState, name: &str) -> Result<String, IpcError> {
    Ok(quota::app_id_of_profile(&state.db(), name)?)
}

#[tauri::command]
pub fn quota_report(state: State<'_, AppState>, name: String) -> Result<QuotaView, IpcError> {
    let app_id = app_id(&state, &name)?;
    // Calls made a moment ago may still be in the ledger's write batch.
    state.meter.flush();
    let now = Utc::now();
    let db = state.db();
    let report = quota::report(&db, &app_id, now)?;
    let crossings =
        quota::thresholds::newly_crossed(&db, &report.summary, &report.settings.thresholds, now)?;
    Ok(QuotaView { report, crossings })
}

#[tauri::command]
pub fn quota_settings(state: State<'_, AppState>, name: String) -> Result<QuotaSettings, IpcError> {
    let app_id = app_id(&state, &name)?;
    Ok(settings::load(&state.db(), &app_id)?)
}

/// Saves the cap (`null` = unlimited) and time zone, with the thresholds and ceilings as given;
/// the live limiter picks up the ceilings and zone at once.
#[tauri::command]
pub fn save_quota_settings(
    state: State<'_, AppState>,
    name: String,
    settings: QuotaSettings,
) -> Result<QuotaSettings, IpcError> {
    let app_id = app_id(&state, &name)?;
    Ok(state.meter.save_settings(&app_id, settings, Utc::now())?)
}

/// Records the month-to-date figure read in the admin console, and when (default: now).
#[tauri::command]
pub fn set_quota_baseline(
    state: State<'_, AppState>,
    name: String,
    calls: u64,
    at: Option<DateTime<Utc>>,
) -> Result<QuotaSettings, IpcError> {
    let app_id = app_id(&state, &name)?;
    let now = Utc::now();
    Ok(settings::set_baseline(
        &state.db(),
        &app_id,
        calls,
        at.unwrap_or(now),
        now,
    )?)
}
