//! Cards: templates, validation, payload import, send and update. Thin wrappers over
//! `companion::cards`; the card text from the editor is parsed in Rust, so exactly what the user
//! sees is what is sent. The bot's chats come from `checks::list_bot_chats`.

use chrono::Utc;
use companion::cards::{
    self, CardCheck, CardUpdate, Delivery, ExportedTemplates, PayloadImport, RenderRequest,
    RenderedView, SendTarget, TemplateList,
};
use companion::checks::ProfileContext;
use companion::ipc::IpcError;
use tauri::State;

use crate::AppState;

fn templates_dir(state: &AppState) -> std::path::PathBuf {
    cards::templates_dir(&state.paths.data_dir)
}

#[tauri::command]
pub async fn list_card_templates(state: State<'_, AppState>) -> Result<TemplateList, IpcError> {
    Ok(cards::list_templates(&templates_dir(&state))?)
}

#[tauri::command]
pub async fn export_card_templates(
    state: State<'_, AppState>,
) -> Result<ExportedTemplates, IpcError> {
    Ok(cards::export_templates(&templates_dir(&state))?)
}

#[tauri::command]
pub async fn render_card(
    state: State<'_, AppState>,
    request: RenderRequest,
) -> Result<RenderedView, IpcError> {
    Ok(cards::gallery::render(&templates_dir(&state), &request)?)
}

#[tauri::command]
pub async fn validate_card(text: String) -> CardCheck {
    cards::check_text(&text)
}

#[tauri::command]
pub async fn import_alert_payload(body: String) -> Result<PayloadImport, IpcError> {
    Ok(cards::import(&body, Utc::now()).map_err(companion::Error::from)?)
}

#[tauri::command]
pub async fn send_card(
    state: State<'_, AppState>,
    name: String,
    card: String,
    targets: Vec<SendTarget>,
    request_id: Option<String>,
) -> Result<Vec<Delivery>, IpcError> {
    let card = cards::parse_card(&card)?;
    let ctx = ProfileContext::load(&state.db(), &state.store, &name)?;
    let platform = &ctx.credentials.platform;
    Ok(cards::send_to_targets(
        &ctx.client(&state.meter)?,
        platform,
        &card,
        &targets,
        request_id.as_deref(),
    )
    .await?)
}

#[tauri::command]
pub async fn update_card(
    state: State<'_, AppState>,
    name: String,
    message_id: String,
    card: String,
) -> Result<CardUpdate, IpcError> {
    let card = cards::parse_card(&card)?;
    let ctx = ProfileContext::load(&state.db(), &state.store, &name)?;
    let platform = &ctx.credentials.platform;
    Ok(cards::update_sent_card(&ctx.client(&state.meter)?, platform, &message_id, &card).await?)
}
