//! Profiles (Settings and the wizard's first steps): thin wrappers over `companion::profiles`.

use chrono::Utc;
use companion::ipc::{IpcError, Language};
use companion::profiles::{
    self, ImportReport, IntegrationUrls, ProfileInput, ProfileSummary, SecretPresence,
    SecretsInput, WizardProgress,
};
use tauri::State;

use crate::AppState;

#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> Result<Vec<ProfileSummary>, IpcError> {
    Ok(profiles::list(&state.db(), &state.store)?)
}

#[tauri::command]
pub fn get_profile(state: State<'_, AppState>, name: String) -> Result<ProfileSummary, IpcError> {
    Ok(profiles::get(&state.db(), &state.store, &name)?)
}

#[tauri::command]
pub fn add_profile(
    state: State<'_, AppState>,
    input: ProfileInput,
) -> Result<ProfileSummary, IpcError> {
    Ok(profiles::add(&state.db(), &state.store, input, Utc::now())?)
}

#[tauri::command]
pub fn rename_profile(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> Result<(), IpcError> {
    Ok(profiles::rename(&state.db(), &name, &new_name, Utc::now())?)
}

#[tauri::command]
pub fn delete_profile(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    Ok(profiles::delete(&state.db(), &state.store, &name)?)
}

#[tauri::command]
pub fn set_profile_secrets(
    state: State<'_, AppState>,
    name: String,
    secrets: SecretsInput,
) -> Result<SecretPresence, IpcError> {
    Ok(profiles::set_secrets(
        &state.db(),
        &state.store,
        &name,
        secrets,
        Utc::now(),
    )?)
}

#[tauri::command]
pub fn set_profile_app_id(
    state: State<'_, AppState>,
    name: String,
    app_id: String,
) -> Result<ProfileSummary, IpcError> {
    Ok(profiles::set_app_id(
        &state.db(),
        &state.store,
        &name,
        &app_id,
        Utc::now(),
    )?)
}

/// The language of the profile's alert cards; `null` follows the app's language.
#[tauri::command]
pub fn set_profile_card_language(
    state: State<'_, AppState>,
    name: String,
    language: Option<Language>,
) -> Result<ProfileSummary, IpcError> {
    let db = state.db();
    profiles::set_card_language(&db, &name, language, Utc::now())?;
    Ok(profiles::get(&db, &state.store, &name)?)
}

#[tauri::command]
pub fn set_profile_urls(
    state: State<'_, AppState>,
    name: String,
    urls: IntegrationUrls,
) -> Result<IntegrationUrls, IpcError> {
    Ok(profiles::set_urls(&state.db(), &name, urls, Utc::now())?)
}

#[tauri::command]
pub fn export_profiles(state: State<'_, AppState>) -> Result<String, IpcError> {
    Ok(profiles::export_json(&state.db(), &state.store)?)
}

#[tauri::command]
pub fn import_profiles(state: State<'_, AppState>, text: String) -> Result<ImportReport, IpcError> {
    Ok(profiles::import_json(&state.db(), &text, Utc::now())?)
}

#[tauri::command]
pub fn get_wizard_progress(
    state: State<'_, AppState>,
    name: String,
) -> Result<WizardProgress, IpcError> {
    Ok(profiles::wizard_progress(&state.db(), &name)?)
}

#[tauri::command]
pub fn set_wizard_progress(
    state: State<'_, AppState>,
    name: String,
    progress: WizardProgress,
) -> Result<(), IpcError> {
    Ok(profiles::set_wizard_progress(
        &state.db(),
        &name,
        &progress,
        Utc::now(),
    )?)
}
