//! The corpus of official documentation examples in `tests/corpus/official/`: cards copied from
//! the open.feishu.cn card pages (JSON 2.0 and 1.0; the pages' `//` comments dropped, since JSON
//! has none), each listed in `index.json` with the page it comes from. None may get an error:
//! an error on a documented example is a false error of the validator. Warnings are allowed
//! (some examples leave a button without an action, or set no `update_multi`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use lark_platform::card::{validate, Severity};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/official")
}

#[test]
fn card_official_examples_get_no_error() {
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("index.json")).unwrap()).unwrap();
    let entries = index["examples"].as_array().unwrap();
    let files: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .collect();
    let listed: BTreeSet<String> = entries
        .iter()
        .map(|e| e["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files, listed, "index.json and the files differ");

    let mut failures = Vec::new();
    let mut schemas = BTreeSet::new();
    for entry in entries {
        let file = entry["file"].as_str().unwrap();
        let source = entry["source"].as_str().unwrap();
        assert!(
            source.starts_with("https://open.feishu.cn/document/")
                || source.starts_with("https://open.larksuite.com/document/"),
            "{file}: source {source}"
        );
        let card: Value = serde_json::from_str(&std::fs::read_to_string(dir().join(file)).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        schemas.insert(lark_platform::card::detect_schema(&card).as_str());
        let errors: Vec<String> = validate(&card)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{:?} at {} {:?}", f.code, f.path, f.params))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{file} ({source}):\n  {}", errors.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(schemas.contains("1.0") && schemas.contains("2.0"));
    assert!(entries.len() >= 60, "corpus shrank: {}", entries.len());
}

/// The preview's kitchen-sink card (`ui/src/cards/kitchen-sink.card.json`, every component and
/// markdown feature the preview draws, shown in the README) is a card the platform would take:
/// the preview is only faithful for cards the validator lets through.
#[test]
fn the_previews_kitchen_sink_card_gets_no_error() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/cards/kitchen-sink.card.json");
    let card: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let errors: Vec<String> = validate(&card)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{:?} at {} {:?}", f.code, f.path, f.params))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
