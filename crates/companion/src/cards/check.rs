//! The validator's verdict on card text, for the editor and the CLI: every finding with its JSON
//! path, and the size the platform would measure against its 30 KB limit.
//!
//! [`CardFinding`] is lark-platform's [`Finding`] for IPC; its code is lark-platform's [`CardFindingCode`]
//! (typed for TypeScript through lark-platform's `ts` feature). A finding is a code and
//! the values its sentence names; the sentences are the UI's, `cards.finding.<code>` in
//! `ui/src/i18n/en.json` and `zh-CN.json`, and the CLI prints the English one
//! ([`CardFinding::english`]).

use std::collections::BTreeMap;

use lark_platform::card::{self, Finding, Severity, CONTENT_LIMIT_BYTES, CONTENT_WARN_BYTES};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::CardVersion;
use crate::problem::{catalogue_text, Problem, ProblemCode as C};
use crate::{Error, Result};

/// How bad a finding is (the IPC twin of lark-platform's [`Severity`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// The platform rejects the card, or the part cannot work as written.
    Error,
    /// Accepted, but it renders or behaves differently than the author most likely meant.
    Warning,
}

impl From<Severity> for FindingSeverity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => Self::Error,
            Severity::Warning => Self::Warning,
        }
    }
}

/// What a card finding says: lark-platform's finding code (its variants document the params
/// each one carries), exported to TypeScript under this name. The sentence of `foo_bar` is
/// `cards.finding.foo_bar`, with a `{{name}}` placeholder for each param.
pub use lark_platform::card::Code as CardFindingCode;

/// One validator finding, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardFinding {
    /// JSON path from the card's root, e.g. `$.body.elements[2].tag`.
    pub path: String,
    pub severity: FindingSeverity,
    pub code: CardFindingCode,
    /// The values the code's sentence names (tag and field names, sizes, limits, the values
    /// allowed), by placeholder name.
    pub params: BTreeMap<String, String>,
    /// 1-based line of a JSON syntax error.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of a JSON syntax error.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl CardFinding {
    /// The finding in English, from the catalogue, with its values filled in (for the CLI).
    pub fn english(&self) -> String {
        catalogue_text(&["cards", "finding", self.code.as_str()], &self.params)
    }
}

impl From<&Finding> for CardFinding {
    fn from(finding: &Finding) -> Self {
        let small = |n: Option<usize>| n.and_then(|n| u32::try_from(n).ok());
        Self {
            path: finding.path.clone(),
            severity: finding.severity.into(),
            code: finding.code,
            params: finding.params.clone(),
            line: small(finding.line),
            column: small(finding.column),
        }
    }
}

impl From<Finding> for CardFinding {
    fn from(finding: Finding) -> Self {
        Self::from(&finding)
    }
}

/// What the validator says about one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardCheck {
    pub findings: Vec<CardFinding>,
    pub errors: u32,
    pub warnings: u32,
    /// The send request's `content` size in bytes (compact JSON, UTF-8); absent when the text
    /// is not JSON.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u32>,
    /// The platform's limit (30 KB = 30,720 bytes).
    pub limit_bytes: u32,
    /// From this size on, a warning.
    pub warn_bytes: u32,
    /// The structure the platform will read the card as; absent when the text is not a card.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<CardVersion>,
}

impl CardCheck {
    fn new(findings: &[Finding], card: Option<&Value>) -> Self {
        let count = |severity| {
            let n = findings.iter().filter(|f| f.severity == severity).count();
            u32::try_from(n).unwrap_or(u32::MAX)
        };
        let version = card
            .filter(|c| c.is_object())
            .map(|c| match card::detect_schema(c) {
                card::CardSchema::V1 => CardVersion::V1,
                card::CardSchema::V2 => CardVersion::V2,
            });
        Self {
            findings: findings.iter().map(CardFinding::from).collect(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            size_bytes: card.map(|c| u32::try_from(card::content_size(c)).unwrap_or(u32::MAX)),
            limit_bytes: limit(CONTENT_LIMIT_BYTES),
            warn_bytes: limit(CONTENT_WARN_BYTES),
            version,
        }
    }

    /// Whether the validator found an error (the platform would refuse the card).
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

fn limit(bytes: usize) -> u32 {
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

/// Checks card text: JSON syntax (with line and column), then the card itself.
pub fn check_text(text: &str) -> CardCheck {
    let findings = card::validate_str(text);
    let parsed = parse_card(text).ok();
    CardCheck::new(&findings, parsed.as_ref())
}

/// Checks a card that is already parsed.
pub fn check_value(card: &Value) -> CardCheck {
    CardCheck::new(&card::validate(card), Some(card))
}

/// Parses card text the way [`card::validate_str`] reads it: a JSON object, or a JSON string
/// holding one (the send request's `content`, pasted as is).
pub fn parse_card(text: &str) -> Result<Value> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Problem::invalid("card", C::CardNotJson)
            .param("line", e.line())
            .param("column", e.column())
            .param("detail", e)
    })?;
    let card = match value {
        Value::String(inner) => serde_json::from_str::<Value>(&inner).unwrap_or(Value::Null),
        other => other,
    };
    if !card.is_object() {
        return Err(Error::invalid("card", C::CardNotObject));
    }
    Ok(card)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    use crate::problem::testing::{catalogues, placeholders};

    /// Every finding code has its sentence in English and in Chinese, naming the same values;
    /// no sentence is left for a code that is gone; the IPC twin names every code as
    /// lark-platform does.
    #[test]
    fn every_finding_code_has_an_english_and_a_chinese_sentence() {
        let (en, zh) = catalogues();
        let mut missing = Vec::new();
        for &code in CardFindingCode::ALL {
            let key = code.as_str();
            match (
                en["cards"]["finding"][key].as_str(),
                zh["cards"]["finding"][key].as_str(),
            ) {
                (Some(e), Some(z)) if !e.trim().is_empty() && !z.trim().is_empty() => assert_eq!(
                    placeholders(e),
                    placeholders(z),
                    "cards.finding.{key}: English and Chinese name different values"
                ),
                _ => missing.push(key),
            }
        }
        assert!(missing.is_empty(), "no sentence for {missing:?}");
        let known: BTreeSet<&str> = CardFindingCode::ALL.iter().map(|c| c.as_str()).collect();
        for catalogue in [&en, &zh] {
            let stale: Vec<&String> = catalogue["cards"]["finding"]
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| !known.contains(k.as_str()))
                .collect();
            assert!(stale.is_empty(), "sentences without a code: {stale:?}");
        }
        for code in CardFindingCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    /// Every finding of the validator's corpus (and of a few cards it lacks) fills its
    /// sentence in both languages: no placeholder left without a value, no value without a
    /// placeholder.
    #[test]
    fn every_finding_fills_its_sentence_with_all_its_values() {
        let (en, zh) = catalogues();
        let corpus =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lark-platform/tests/cards");
        let mut texts: Vec<String> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| {
                let doc: Value =
                    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
                match (&doc["card_text"], &doc["card"]) {
                    (Value::String(text), _) => text.clone(),
                    (_, card) => card.to_string(),
                }
            })
            .collect();
        assert!(texts.len() >= 40, "the corpus went missing");
        let many: Vec<Value> = (0..201).map(|_| serde_json::json!({"tag": "hr"})).collect();
        let big = "x".repeat(CONTENT_LIMIT_BYTES);
        let near = "x".repeat(CONTENT_WARN_BYTES);
        for card in [
            serde_json::json!({"schema": "2.0", "body": {"elements": many}}),
            serde_json::json!({"schema": "2.0", "body": {"elements": [
                {"tag": "markdown", "element_id": "a", "content": big}, {"tag": "hr", "element_id": "a"}]}}),
            serde_json::json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": near}]}}),
            serde_json::json!({"config": {"update_multi": true},
                "elements": [{"tag": "markdown", "content": "> quoted"}]}),
            serde_json::json!({"config": {}, "header": {"title": {"tag": "plain_text", "content": ""}}}),
        ] {
            texts.push(card.to_string());
        }
        // The last card again, as the send request's content string.
        texts.push(serde_json::to_string(&texts[texts.len() - 1]).unwrap());
        let mut seen = BTreeSet::new();
        for text in &texts {
            for finding in check_text(text).findings {
                let key = finding.code.as_str();
                seen.insert(key);
                let names: BTreeSet<String> = finding.params.keys().cloned().collect();
                for catalogue in [&en, &zh] {
                    let sentence = catalogue["cards"]["finding"][key].as_str().unwrap();
                    assert_eq!(placeholders(sentence), names, "cards.finding.{key}");
                    let filled = crate::problem::interpolate(sentence, &finding.params);
                    assert!(!filled.contains("{{"), "{filled}");
                }
            }
        }
        let untried: Vec<&str> = CardFindingCode::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|c| !seen.contains(c))
            .collect();
        assert!(untried.is_empty(), "no finding tried for {untried:?}");
    }

    /// The CLI's English comes from the catalogue with the finding's values.
    #[test]
    fn english_names_the_values() {
        let check = check_text(
            r#"{"schema":"2.0","config":{"update_multi":true},"body":{"elements":[{"tag":"text","content":"x"}]}}"#,
        );
        let unknown = &check.findings[0];
        assert_eq!(unknown.code, CardFindingCode::UnknownTag);
        assert!(
            unknown
                .english()
                .starts_with("\"text\" is not a JSON 2.0 card component."),
            "{}",
            unknown.english()
        );
    }

    #[test]
    fn findings_cross_ipc_with_their_snake_case_code_and_position() {
        let check = check_text("{\"schema\": \"2.0\",");
        assert_eq!(check.errors, 1);
        assert_eq!(check.findings[0].code, CardFindingCode::JsonSyntax);
        assert_eq!(check.findings[0].severity, FindingSeverity::Error);
        assert!(check.findings[0].line.is_some());
        assert_eq!(check.size_bytes, None);
        assert_eq!(check.version, None);

        let check = check_text(
            r#"{"schema":"2.0","config":{"update_multi":true},"body":{"elements":[{"tag":"text","content":"x"}]}}"#,
        );
        assert_eq!(check.version, Some(CardVersion::V2));
        let unknown = check
            .findings
            .iter()
            .find(|f| f.code == CardFindingCode::UnknownTag)
            .expect("unknown tag reported");
        assert_eq!(unknown.path, "$.body.elements[0].tag");
        assert_eq!(unknown.line, None);
        assert_eq!(check.limit_bytes, 30 * 1024);
        assert!(check.size_bytes.is_some_and(|s| s > 40));
        let json = serde_json::to_value(unknown).unwrap();
        assert!(
            json.get("line").is_none(),
            "no position outside syntax errors"
        );
        assert_eq!(json["code"], "unknown_tag");
        assert_eq!(
            json["params"],
            serde_json::json!({"tag": "text", "schema": "2.0"})
        );
        assert!(json.get("message").is_none(), "no English crosses IPC");
    }

    #[test]
    fn size_is_measured_compactly_whatever_the_indentation() {
        let compact = r#"{"elements":[{"tag":"markdown","content":"告警"}]}"#;
        let pretty = serde_json::to_string_pretty(&parse_card(compact).unwrap()).unwrap();
        assert_eq!(
            check_text(compact).size_bytes,
            check_text(&pretty).size_bytes
        );
        assert_eq!(
            check_text(compact).size_bytes,
            Some(u32::try_from(compact.len()).unwrap())
        );
    }

    #[test]
    fn parse_accepts_a_double_encoded_card_and_refuses_non_objects() {
        let inner = r#"{"elements":[]}"#;
        let outer = serde_json::to_string(inner).unwrap();
        assert!(parse_card(&outer).unwrap().is_object());
        assert_eq!(
            parse_card("[1]").unwrap_err().problem().code,
            C::CardNotObject
        );
        assert_eq!(parse_card("{").unwrap_err().problem().code, C::CardNotJson);
    }
}
