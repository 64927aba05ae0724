//! Thin `#[tauri::command]`s, one module per screen: parse, call `companion`, map the error.

pub mod settings;

/// Every command the UI may call.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        settings::get_settings,
        settings::set_language,
        settings::set_theme,
        settings::app_info,
    ]
}
