//! Notifications: the core's notice list and which kinds notify (`companion::notices`).

use companion::notices::{Notice, NoticeKind, NoticeSetting};
use companion::Problem;
use tauri::State;

use crate::AppState;

#[tauri::command]
pub async fn notice_list(state: State<'_, AppState>) -> Result<Vec<Notice>, Problem> {
    Ok(state.app.notice_list().await)
}

#[tauri::command]
pub async fn notice_settings(state: State<'_, AppState>) -> Result<Vec<NoticeSetting>, Problem> {
    Ok(state.app.notice_settings().await)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_notice_enabled(
    state: State<'_, AppState>,
    kind: NoticeKind,
    enabled: bool,
) -> Result<Vec<NoticeSetting>, Problem> {
    Ok(state.app.set_notice_enabled(kind, enabled).await?)
}
