//! The corpus of broken cards in `tests/cards/`: each file holds a card (or `card_text`, for
//! syntax errors) and the exact findings it must produce, as `code` + `path`, the `params` its
//! sentence names (when it has any), and `line`/`column` when given. Exact means no other
//! finding may appear, so each file pins one rule.

use std::path::PathBuf;

use lark_platform::card::{validate_str, Finding};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cards")
}

fn summary(f: &Finding) -> Value {
    let mut v = serde_json::json!({"code": f.code, "path": f.path});
    if !f.params.is_empty() {
        v["params"] = serde_json::json!(f.params);
    }
    if let (Some(line), Some(column)) = (f.line, f.column) {
        v["line"] = line.into();
        v["column"] = column.into();
    }
    v
}

#[test]
fn card_corpus_each_broken_card_yields_its_finding() {
    let mut entries: Vec<_> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    assert!(
        entries.len() >= 40,
        "corpus went missing: {}",
        entries.len()
    );

    let mut failures = Vec::new();
    for path in &entries {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = match (&doc.get("card_text"), &doc.get("card")) {
            (Some(Value::String(text)), _) => text.clone(),
            (_, Some(card)) => serde_json::to_string_pretty(card).unwrap(),
            _ => panic!("{}: needs card or card_text", path.display()),
        };
        let got: Vec<Value> = validate_str(&text).iter().map(summary).collect();
        let want = doc["expect"].as_array().unwrap();
        if &got != want {
            failures.push(format!(
                "{}\n  want {}\n  got  {}",
                path.file_name().unwrap().to_string_lossy(),
                Value::Array(want.clone()),
                Value::Array(got)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
