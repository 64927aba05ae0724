//! Every Copy goes through here: the clipboard is written from Rust, because WebKitGTK drops
//! the user gesture once a click handler has awaited anything (so "Copy as curl", which first
//! asks for the text, failed). A copied secret is cleared after 30 s if the clipboard still
//! holds it; whatever the user copied since is left alone.

use std::time::Duration;

use companion::keychain::SecretKind;
use companion::Problem;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::AppState;

/// How long a copied secret stays on the clipboard.
pub const SECRET_CLEAR_AFTER: Duration = Duration::from_secs(30);

fn write<R: Runtime>(app: &AppHandle<R>, text: String, secret: bool) -> Result<(), Problem> {
    app.clipboard().write_text(text.clone()).map_err(|e| {
        Problem::invalid("clipboard", companion::ProblemCode::ClipboardFailed).param("detail", e)
    })?;
    if secret {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SECRET_CLEAR_AFTER).await;
            if app.clipboard().read_text().is_ok_and(|now| now == text) {
                let _ = app.clipboard().write_text(String::new());
            }
        });
    }
    Ok(())
}

#[tauri::command]
#[tracing::instrument(skip(app, text), err(Debug))]
pub async fn copy_text<R: Runtime>(
    app: AppHandle<R>,
    text: String,
    secret: bool,
) -> Result<(), Problem> {
    write(&app, text, secret)
}

/// Copies one stored secret of a profile, read from the keychain now, as a secret.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn copy_profile_secret<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    kind: SecretKind,
) -> Result<(), Problem> {
    write(
        &app,
        state
            .app
            .profile_secret(name, kind)
            .await?
            .expose()
            .to_owned(),
        true,
    )
}

/// Resolves when the keychain answers (the error banner's Retry).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn keychain_status(state: State<'_, AppState>) -> Result<(), Problem> {
    state.app.keychain_status().await.map_err(Into::into)
}
