//! Setup by API (wizard and doctor): a new app by scan, and the app's settings planned,
//! applied and published. Each command is one call into the core; a scan runs in the core's
//! background and the wizard polls its state.

use companion::app::{RegistrationStarted, RegistrationStatus, SetupInput, SetupSubject};
use companion::appsetup::apply::ApplyReport;
use companion::appsetup::publish::PublishReport;
use companion::appsetup::Plan;
use companion::profiles::{IntegrationUrls, Platform};
use companion::Problem;
use tauri::State;

use crate::AppState;

fn input(name: String, urls: Option<IntegrationUrls>) -> SetupInput {
    SetupInput {
        subject: SetupSubject::Profile(name),
        urls: urls.unwrap_or_default(),
    }
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn registration_start(
    state: State<'_, AppState>,
    platform: Platform,
    profile_name: String,
    app_name: String,
    reconfirm: Option<bool>,
) -> Result<RegistrationStarted, Problem> {
    state
        .app
        .registration_start(platform, profile_name, app_name, reconfirm.unwrap_or(false))
        .await
        .map_err(Into::into)
}

#[tauri::command]
pub async fn registration_status(
    state: State<'_, AppState>,
    session_id: String,
) -> Result<RegistrationStatus, Problem> {
    Ok(state.app.registration_status(&session_id))
}

#[tauri::command]
pub async fn registration_cancel(
    state: State<'_, AppState>,
    session_id: String,
) -> Result<bool, Problem> {
    Ok(state.app.registration_cancel(&session_id))
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn setup_plan(
    state: State<'_, AppState>,
    name: String,
    urls: Option<IntegrationUrls>,
) -> Result<Plan, Problem> {
    state
        .app
        .setup_plan(input(name, urls))
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn setup_apply(state: State<'_, AppState>, name: String) -> Result<ApplyReport, Problem> {
    state
        .app
        .setup_apply(input(name, None))
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn setup_publish(
    state: State<'_, AppState>,
    name: String,
    changelog: Option<String>,
) -> Result<PublishReport, Problem> {
    state
        .app
        .setup_publish(input(name, None), "Lark Companion".into(), changelog)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn setup_version_state(
    state: State<'_, AppState>,
    name: String,
    version_id: String,
) -> Result<PublishReport, Problem> {
    state
        .app
        .setup_version_state(input(name, None), version_id)
        .await
        .map_err(Into::into)
}
