//! Cards: templates, validation, payload import, send and update. The card text from the editor
//! is parsed in Rust, so exactly what the user sees is what is sent.

use chrono::Utc;
use companion::cards::{
    self, CardCheck, CardUpdate, Delivery, ExportedTemplates, PayloadImport, RenderRequest,
    RenderedView, SendTarget, TemplateList,
};
use companion::Problem;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_card_templates(state: State<'_, AppState>) -> Result<TemplateList, Problem> {
    Ok(cards::list_templates(&state.app.templates_dir())?)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn export_card_templates(
    state: State<'_, AppState>,
) -> Result<ExportedTemplates, Problem> {
    Ok(cards::export_templates(&state.app.templates_dir())?)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn render_card(
    state: State<'_, AppState>,
    request: RenderRequest,
) -> Result<RenderedView, Problem> {
    Ok(cards::gallery::render(
        &state.app.templates_dir(),
        &request,
    )?)
}

#[tauri::command]
pub async fn validate_card(text: String) -> CardCheck {
    cards::check_text(&text)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn import_alert_payload(body: String) -> Result<PayloadImport, Problem> {
    Ok(cards::import(&body, Utc::now()).map_err(companion::Error::from)?)
}

#[tauri::command]
#[tracing::instrument(skip(state, card), err(Debug))]
pub async fn send_card(
    state: State<'_, AppState>,
    name: String,
    card: String,
    targets: Vec<SendTarget>,
    request_id: Option<String>,
) -> Result<Vec<Delivery>, Problem> {
    state
        .app
        .send_card(name, card, targets, request_id)
        .await
        .map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state, card), err(Debug))]
pub async fn update_card(
    state: State<'_, AppState>,
    name: String,
    message_id: String,
    card: String,
) -> Result<CardUpdate, Problem> {
    state
        .app
        .update_card(name, message_id, card)
        .await
        .map_err(Into::into)
}
