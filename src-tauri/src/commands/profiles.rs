//! Profiles (Settings and the wizard's first steps): one call into the core each.

use companion::ipc::Language;
use companion::profiles::{
    ImportReport, IntegrationUrls, ProfileInput, ProfileSummary, SecretPresence, SecretsInput,
    WizardProgress,
};
use companion::Problem;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<Vec<ProfileSummary>, Problem> {
    state.app.list_profiles().await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<ProfileSummary, Problem> {
    state.app.get_profile(name).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn add_profile(
    state: State<'_, AppState>,
    input: ProfileInput,
) -> Result<ProfileSummary, Problem> {
    state.app.add_profile(input).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn rename_profile(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> Result<(), Problem> {
    state
        .app
        .rename_profile(name, new_name)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn delete_profile(state: State<'_, AppState>, name: String) -> Result<(), Problem> {
    state.app.delete_profile(name).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state, secrets), err(Debug))]
pub async fn set_profile_secrets(
    state: State<'_, AppState>,
    name: String,
    secrets: SecretsInput,
) -> Result<SecretPresence, Problem> {
    state
        .app
        .set_profile_secrets(name, secrets)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_profile_app_id(
    state: State<'_, AppState>,
    name: String,
    app_id: String,
) -> Result<ProfileSummary, Problem> {
    state
        .app
        .set_profile_app_id(name, app_id)
        .await
        .map_err(Into::into)
}

/// The language of the profile's alert cards; `null` follows the app's language.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_profile_card_language(
    state: State<'_, AppState>,
    name: String,
    language: Option<Language>,
) -> Result<ProfileSummary, Problem> {
    state
        .app
        .set_profile_card_language(name, language)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state, urls), err(Debug))]
pub async fn set_profile_urls(
    state: State<'_, AppState>,
    name: String,
    urls: IntegrationUrls,
) -> Result<IntegrationUrls, Problem> {
    state
        .app
        .set_profile_urls(name, urls)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn export_profiles(state: State<'_, AppState>) -> Result<String, Problem> {
    state.app.export_profiles().await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn import_profiles(
    state: State<'_, AppState>,
    text: String,
) -> Result<ImportReport, Problem> {
    state.app.import_profiles(text).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn get_wizard_progress(
    state: State<'_, AppState>,
    name: String,
) -> Result<WizardProgress, Problem> {
    state.app.wizard_progress(name).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state, progress), err(Debug))]
pub async fn set_wizard_progress(
    state: State<'_, AppState>,
    name: String,
    progress: WizardProgress,
) -> Result<(), Problem> {
    state
        .app
        .set_wizard_progress(name, progress)
        .await
        .map_err(Into::into)
}
