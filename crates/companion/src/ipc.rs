//! Types that cross the IPC boundary to the UI. TypeScript versions are generated from these by
//! ts-rs (see `tests/bindings.rs`); never write them by hand on the UI side.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A check's finding has a fix (its sentence is `checks.fixes.<finding>` in the catalogue), and
/// here the console page where it is made, when there is one.
#[derive(Debug, Clone, Serialize, TS, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The UI language. `None` in [`Settings`] means "follow the system".
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
pub enum Language {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

impl Language {
    /// The language chosen in the settings, else the desktop's: the first of `LANGUAGE`,
    /// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set decides (Chinese when it starts with
    /// `zh`). For what the app shows outside its window (the tray, native notifications).
    pub fn or_system(chosen: Option<Language>) -> Language {
        chosen.unwrap_or_else(|| {
            let system = ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|v| std::env::var(v).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default();
            if system.starts_with("zh") {
                Language::SimplifiedChinese
            } else {
                Language::English
            }
        })
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the operating system's light/dark preference.
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub language: Option<Language>,
    pub theme: Theme,
    /// The HTTP(S) or SOCKS5 proxy for every platform call; `None` = the system's
    /// (HTTPS_PROXY / HTTP_PROXY / NO_PROXY).
    #[serde(default)]
    pub proxy: Option<String>,
    /// What closing the window does while a relay runs; `None` until the admin has chosen
    /// (the first such close asks).
    #[serde(default)]
    pub close_action: Option<CloseAction>,
    /// The profile whose relay starts when the app is started at login (the app runs one relay
    /// at a time, so at most one profile).
    #[serde(default)]
    pub login_relay: Option<String>,
}

/// Closing the window while a relay or long connection runs: keep them running with the app in
/// the tray, or stop them and quit.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CloseAction {
    Tray,
    Quit,
}

/// Facts about this installation, shown in Settings and useful in bug reports.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub log_dir: String,
    pub database_version: u32,
}

/// This module's types exported to TypeScript, as `(file name, declaration)`; every feature
/// module has its own list, and `tests/bindings.rs` puts them together.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        ("Fix.ts", Fix::export_to_string().unwrap_or_default()),
        (
            "Language.ts",
            Language::export_to_string().unwrap_or_default(),
        ),
        ("Theme.ts", Theme::export_to_string().unwrap_or_default()),
        (
            "CloseAction.ts",
            CloseAction::export_to_string().unwrap_or_default(),
        ),
        (
            "Settings.ts",
            Settings::export_to_string().unwrap_or_default(),
        ),
        (
            "AppInfo.ts",
            AppInfo::export_to_string().unwrap_or_default(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_use_bcp47_tags() {
        assert_eq!(
            serde_json::to_string(&Language::SimplifiedChinese).unwrap(),
            "\"zh-CN\""
        );
    }
}
