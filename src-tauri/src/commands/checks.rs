//! Setup and Doctor: live checks, their history, the bot's chats, the sandbox's state.

use companion::checks::{BotChat, CheckId, CheckOutcome, DoctorReport, DoctorRun, SetupGuide};
use companion::sandbox::SandboxStatus;
use companion::Problem;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn setup_guide(state: State<'_, AppState>, name: String) -> Result<SetupGuide, Problem> {
    state.app.setup_guide(name).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn run_checks(
    state: State<'_, AppState>,
    name: String,
    ids: Vec<CheckId>,
    test_chat: Option<String>,
) -> Result<Vec<CheckOutcome>, Problem> {
    state
        .app
        .run_checks(name, ids, test_chat)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn run_doctor(
    state: State<'_, AppState>,
    name: String,
    test_chat: Option<String>,
) -> Result<DoctorReport, Problem> {
    state
        .app
        .run_doctor(name, test_chat)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn doctor_history(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<DoctorRun>, Problem> {
    state.app.doctor_history(name).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn list_bot_chats(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<BotChat>, Problem> {
    state.app.bot_chats(name).await.map_err(Into::into)
}

#[tauri::command]
pub async fn sandbox_status(state: State<'_, AppState>) -> Result<SandboxStatus, Problem> {
    Ok(state.app.sandbox_status().await)
}
