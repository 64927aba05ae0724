//! Setup and Doctor: live checks. The profile is read under the database lock, the lock is
//! released for the network calls, and taken again to record the results.

use chrono::Utc;
use companion::checks::{
    self, BotChat, CheckId, CheckOutcome, DoctorReport, DoctorRun, ProfileContext, SetupGuide,
};
use companion::ipc::IpcError;
use companion::profiles;
use companion::sandbox::SandboxStatus;
use tauri::State;

use crate::AppState;

fn context(state: &AppState, name: &str) -> Result<ProfileContext, IpcError> {
    Ok(ProfileContext::load(&state.db(), &state.store, name)?)
}

#[tauri::command]
pub fn setup_guide(state: State<'_, AppState>, name: String) -> Result<SetupGuide, IpcError> {
    let profile = profiles::get(&state.db(), &state.store, &name)?;
    Ok(checks::setup_guide(&profile.platform, &profile.app_id))
}

#[tauri::command]
pub async fn run_checks(
    state: State<'_, AppState>,
    name: String,
    ids: Vec<CheckId>,
    test_chat: Option<String>,
) -> Result<Vec<CheckOutcome>, IpcError> {
    let ctx = context(&state, &name)?;
    let outcomes = checks::run_selected(
        &ctx.client(&state.meter)?,
        &ctx.subject(test_chat.as_deref()),
        &ids,
    )
    .await;
    Ok(checks::record_run(&state.db(), &name, outcomes, Utc::now())?.outcomes)
}

#[tauri::command]
pub async fn run_doctor(
    state: State<'_, AppState>,
    name: String,
    test_chat: Option<String>,
) -> Result<DoctorReport, IpcError> {
    let ctx = context(&state, &name)?;
    let outcomes = checks::run_all(
        &ctx.client(&state.meter)?,
        &ctx.subject(test_chat.as_deref()),
    )
    .await;
    Ok(checks::record_run(
        &state.db(),
        &name,
        outcomes,
        Utc::now(),
    )?)
}

#[tauri::command]
pub fn doctor_history(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<DoctorRun>, IpcError> {
    Ok(checks::history(&state.db(), &name, 20)?)
}

#[tauri::command]
pub async fn list_bot_chats(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<BotChat>, IpcError> {
    let ctx = context(&state, &name)?;
    Ok(checks::bot_chats(&ctx.client(&state.meter)?).await?)
}

#[tauri::command]
pub fn sandbox_status(state: State<'_, AppState>) -> SandboxStatus {
    state.sandbox_status()
}
