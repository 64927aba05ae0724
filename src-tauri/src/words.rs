//! The few sentences the shell shows outside the window (the tray's tooltip and menu), read
//! from the UI's own catalogues (`ui/src/i18n/*.json`, section `tray`), so they are translated
//! and checked with everything else.

use std::sync::OnceLock;

use companion::ipc::Language;
use serde_json::Value;

fn catalogue(language: Language) -> &'static Value {
    static EN: OnceLock<Value> = OnceLock::new();
    static ZH: OnceLock<Value> = OnceLock::new();
    match language {
        Language::English => EN.get_or_init(|| {
            serde_json::from_str(include_str!("../../ui/src/i18n/en.json")).unwrap_or_default()
        }),
        Language::SimplifiedChinese => ZH.get_or_init(|| {
            serde_json::from_str(include_str!("../../ui/src/i18n/zh-CN.json")).unwrap_or_default()
        }),
    }
}

/// The language to speak: the setting, else the system's (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`,
/// `LANG`; Chinese when the first one set starts with `zh`).
pub fn language(setting: Option<Language>) -> Language {
    setting.unwrap_or_else(|| {
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

/// The sentence at `key` (a dotted path), its `{{name}}`s filled from `params`; the English
/// one when the language lacks it, the key itself when neither has it.
pub fn word(language: Language, key: &str, params: &[(&str, &str)]) -> String {
    let find = |language| {
        key.split('.')
            .try_fold(catalogue(language), |v, part| v.get(part))
            .and_then(Value::as_str)
    };
    let mut text = find(language)
        .or_else(|| find(Language::English))
        .unwrap_or(key)
        .to_owned();
    for (name, value) in params {
        text = text.replace(&format!("{{{{{name}}}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tray_words_exist_in_both_languages_with_their_values() {
        for language in [Language::English, Language::SimplifiedChinese] {
            for key in [
                "open",
                "quit",
                "start",
                "stop",
                "inspector",
                "statusStopped",
            ] {
                let text = word(language, &format!("tray.{key}"), &[]);
                assert!(!text.starts_with("tray."), "{language:?} lacks tray.{key}");
            }
            let text = word(
                language,
                "tray.statusRunning",
                &[("profile", "Prod"), ("listen", "127.0.0.1:9400")],
            );
            assert!(
                text.contains("Prod") && text.contains("127.0.0.1:9400"),
                "{text}"
            );
            assert!(!text.contains("{{"), "{text}");
        }
        assert_eq!(
            word(Language::SimplifiedChinese, "tray.start", &[]),
            "启动中继"
        );
        assert_eq!(word(Language::English, "tray.nothing", &[]), "tray.nothing");
    }
}
