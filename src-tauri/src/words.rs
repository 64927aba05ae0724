//! The few sentences the shell shows outside the window (the tray's tooltip and menu), read
//! from the UI's own catalogues (`ui/src/i18n/*.json`, section `tray`) through the core's
//! catalogue, so they are translated and checked with everything else.

use std::collections::BTreeMap;

use companion::ipc::Language;

/// The sentence at `key` (a dotted path), its `{{name}}`s filled from `params`; the English
/// one when the language lacks it, the key itself when neither has it.
pub fn word(language: Language, key: &str, params: &[(&str, &str)]) -> String {
    let path: Vec<&str> = key.split('.').collect();
    let params: BTreeMap<String, String> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    companion::problem::catalogue_text_in(language, &path, &params)
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
