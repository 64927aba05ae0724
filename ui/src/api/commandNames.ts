// Every Tauri command the UI may call, as registered in src-tauri/src/commands/mod.rs
// (`handler()`); commandNames.test.ts fails when the two lists differ. `call` only takes these
// names, and the test helpers type mocked commands against them.
export const COMMAND_NAMES = [
  // Settings
  "get_settings",
  "set_language",
  "set_theme",
  "set_proxy",
  "app_info",
  "ui_painted",
  "keychain_status",
  "copy_text",
  "copy_profile_secret",
  // Profiles
  "list_profiles",
  "get_profile",
  "add_profile",
  "rename_profile",
  "delete_profile",
  "set_profile_secrets",
  "set_profile_app_id",
  "set_profile_urls",
  "set_profile_card_language",
  "export_profiles",
  "import_profiles",
  "get_wizard_progress",
  "set_wizard_progress",
  // Checks
  "setup_guide",
  "run_checks",
  "run_doctor",
  "doctor_history",
  "list_bot_chats",
  "sandbox_status",
  // Cards
  "list_card_templates",
  "export_card_templates",
  "render_card",
  "validate_card",
  "import_alert_payload",
  "send_card",
  "update_card",
  // Quota
  "quota_report",
  "quota_settings",
  "save_quota_settings",
  "set_quota_baseline",
  // Relay
  "relay_start",
  "relay_stop",
  "relay_start_long_connection",
  "relay_long_connection_status",
  "relay_status",
  "relay_saved_settings",
  "relay_mark_copied",
  "relay_list",
  "relay_detail",
  "relay_replay",
  "relay_resign",
  "relay_export_curl",
  "relay_trigger",
  "relay_lab",
  // Setup by API
  "registration_start",
  "registration_status",
  "registration_cancel",
  "setup_plan",
  "setup_apply",
  "setup_publish",
  "setup_version_state",
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
