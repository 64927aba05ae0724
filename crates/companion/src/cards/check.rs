//! The validator's verdict on card text, for the editor and the CLI: every finding with its JSON
//! path, and the size the platform would measure against its 30 KB limit.
//!
//! lark-platform has no ts-rs (it is protocol only), so [`CardFinding`] mirrors its
//! [`Finding`] for IPC; the `code` is the finding code's stable snake_case name.

use lark_platform::card::{self, Finding, Severity, CONTENT_LIMIT_BYTES, CONTENT_WARN_BYTES};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::CardVersion;
use crate::problem::{Problem, ProblemCode as C};
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

/// One validator finding, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardFinding {
    /// JSON path from the card's root, e.g. `$.body.elements[2].tag`.
    pub path: String,
    pub severity: FindingSeverity,
    /// Stable snake_case code (`unknown_tag`, `card_too_large`, ...); never renamed.
    pub code: String,
    /// What is wrong and what to do, in English.
    pub message: String,
    /// 1-based line of a JSON syntax error.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of a JSON syntax error.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl From<&Finding> for CardFinding {
    fn from(finding: &Finding) -> Self {
        let code = serde_json::to_value(finding.code)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        let small = |n: Option<usize>| n.and_then(|n| u32::try_from(n).ok());
        Self {
            path: finding.path.clone(),
            severity: finding.severity.into(),
            code,
            message: finding.message.clone(),
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
    use super::*;

    #[test]
    fn every_finding_code_has_an_english_and_a_chinese_sentence() {
        let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/i18n");
        for file in ["en.json", "zh-CN.json"] {
            let text = std::fs::read_to_string(ui.join(file)).unwrap();
            let strings: serde_json::Value = serde_json::from_str(&text).unwrap();
            let sentences = strings["cards"]["finding"].as_object().unwrap();
            let codes: Vec<String> = lark_platform::card::Code::ALL
                .iter()
                .map(|c| {
                    serde_json::to_value(c)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect();
            let missing: Vec<_> = codes
                .iter()
                .filter(|c| !sentences.contains_key(*c))
                .collect();
            assert!(missing.is_empty(), "{file} has no sentence for {missing:?}");
            let stale: Vec<_> = sentences.keys().filter(|k| !codes.contains(k)).collect();
            assert!(
                stale.is_empty(),
                "{file} translates codes that do not exist: {stale:?}"
            );
        }
    }

    #[test]
    fn findings_cross_ipc_with_their_snake_case_code_and_position() {
        let check = check_text("{\"schema\": \"2.0\",");
        assert_eq!(check.errors, 1);
        assert_eq!(check.findings[0].code, "json_syntax");
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
            .find(|f| f.code == "unknown_tag")
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
