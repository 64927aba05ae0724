//! Thin `#[tauri::command]`s, one module per screen: parse, call `companion`, map the error.

pub mod cards;
pub mod checks;
pub mod clipboard;
pub mod notices;
pub mod profiles;
pub mod quota;
pub mod relay;
pub mod settings;
pub mod setup;

/// Every command the UI may call.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        settings::get_settings,
        settings::set_language,
        settings::set_theme,
        settings::set_proxy,
        settings::app_info,
        settings::ui_painted,
        notices::notice_list,
        notices::notice_settings,
        notices::set_notice_enabled,
        settings::set_close_action,
        settings::close_window_choice,
        settings::quit_app,
        settings::set_login_relay,
        settings::autostart_enabled,
        settings::set_autostart,
        clipboard::copy_text,
        clipboard::copy_profile_secret,
        clipboard::keychain_status,
        profiles::list_profiles,
        profiles::get_profile,
        profiles::add_profile,
        profiles::rename_profile,
        profiles::delete_profile,
        profiles::set_profile_secrets,
        profiles::set_profile_app_id,
        profiles::set_profile_urls,
        profiles::set_profile_card_language,
        profiles::export_profiles,
        profiles::import_profiles,
        profiles::get_wizard_progress,
        profiles::set_wizard_progress,
        checks::setup_guide,
        checks::run_checks,
        checks::run_doctor,
        checks::doctor_history,
        checks::list_bot_chats,
        checks::sandbox_status,
        cards::list_card_templates,
        cards::export_card_templates,
        cards::render_card,
        cards::validate_card,
        cards::import_alert_payload,
        cards::send_card,
        cards::update_card,
        quota::quota_report,
        quota::quota_settings,
        quota::save_quota_settings,
        quota::set_quota_baseline,
        relay::relay_start,
        relay::relay_stop,
        relay::relay_start_long_connection,
        relay::relay_long_connection_status,
        relay::relay_status,
        relay::relay_list,
        relay::relay_detail,
        relay::relay_replay,
        relay::relay_resign,
        relay::relay_export_curl,
        relay::relay_trigger,
        relay::relay_lab,
        relay::relay_saved_settings,
        relay::relay_mark_copied,
        setup::registration_start,
        setup::registration_status,
        setup::registration_cancel,
        setup::setup_plan,
        setup::setup_apply,
        setup::setup_publish,
        setup::setup_version_state,
    ]
}
