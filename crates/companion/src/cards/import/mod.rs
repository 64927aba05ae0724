//! Alert payloads in, [`Alert`]s out: an Alertmanager webhook (version 4), a Grafana alert
//! webhook (unified alerting, and the legacy one), or any JSON that looks like an alert, with
//! the format detected from the payload's shape. Each alert comes with a field mapping that says
//! where every field came from (a JSON path, or none when a default was used), so the UI can show
//! it and let the user correct it.
//!
//! Best effort by design, but never a panic: input that is not JSON, or JSON with nothing
//! alert-like in it, is an [`ImportError`] with a message for people.

mod fields;
mod generic;
mod webhook;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::alert::Alert;
use fields::scalar_text;
pub use fields::{parse_severity, parse_status, parse_time};

/// Which kind of payload was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PayloadFormat {
    Alertmanager,
    Grafana,
    /// Grafana's legacy (pre-unified) alerting webhook: one rule per body.
    GrafanaLegacy,
    Generic,
}

impl PayloadFormat {
    fn label(self) -> &'static str {
        match self {
            Self::Alertmanager => "Alertmanager",
            Self::Grafana => "Grafana",
            Self::GrafanaLegacy => "Grafana (legacy)",
            Self::Generic => "generic",
        }
    }
}

/// Where one alert field came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldMapping {
    /// The [`Alert`] field, as the UI names it (`title`, `startedAt`, `links[0]`, ...).
    pub field: String,
    /// JSON path in the payload; absent when the value is a default.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
    /// The value taken, as text.
    pub value: String,
}

/// One imported alert and its mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedAlert {
    pub alert: Alert,
    pub mapping: Vec<FieldMapping>,
}

/// The result of [`import`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PayloadImport {
    pub format: PayloadFormat,
    pub alerts: Vec<ImportedAlert>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("The payload is empty. Paste the JSON body your alerting tool sends.")]
    Empty,
    #[error("The payload is not valid JSON (line {line}, column {column}): {message}.")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("The payload is a JSON {found}; an alert payload is an object (or a list of them).")]
    NotAnObject { found: &'static str },
    #[error("The {format} payload has an empty alerts list, so there is nothing to show.")]
    NoAlerts { format: &'static str },
    #[error(
        "No field in the payload looks like an alert: expected at least one of title/name/summary, \
         severity/level/priority, status/state or description/message."
    )]
    Unrecognized,
}

/// Alert fields longer than this are cut in the mapping's `value` (not in the alert).
const MAPPING_VALUE_CHARS: usize = 200;

/// Parses `body`, detects its format and returns its alerts. `now` is the start time of alerts
/// whose payload has none.
pub fn import(body: &str, now: DateTime<Utc>) -> Result<PayloadImport, ImportError> {
    if body.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let root: Value = serde_json::from_str(body).map_err(|e| ImportError::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let format = detect_format(&root);
    let alerts = match format {
        PayloadFormat::Alertmanager | PayloadFormat::Grafana => {
            webhook::webhook_alerts(&root, format, now)?
        }
        PayloadFormat::GrafanaLegacy => vec![webhook::grafana_legacy(&root, now)],
        PayloadFormat::Generic => generic::generic_alerts(&root, now)?,
    };
    Ok(PayloadImport { format, alerts })
}

/// Which format `root` is, from its shape alone.
pub fn detect_format(root: &Value) -> PayloadFormat {
    let Some(obj) = root.as_object() else {
        return PayloadFormat::Generic;
    };
    if let Some(alerts) = obj.get("alerts").and_then(Value::as_array) {
        let grafana_alert = alerts.iter().any(|a| {
            [
                "dashboardURL",
                "panelURL",
                "silenceURL",
                "valueString",
                "values",
            ]
            .iter()
            .any(|k| a.get(k).is_some())
        });
        if obj.contains_key("orgId") || grafana_alert {
            return PayloadFormat::Grafana;
        }
        let alertmanager_alert = alerts
            .iter()
            .any(|a| a.get("startsAt").is_some() || a.get("generatorURL").is_some());
        if ["groupKey", "receiver", "version"]
            .iter()
            .any(|k| obj.contains_key(*k))
            || alertmanager_alert
        {
            return PayloadFormat::Alertmanager;
        }
    }
    let legacy_key = ["ruleName", "ruleId", "ruleUrl", "evalMatches"]
        .iter()
        .any(|k| obj.contains_key(*k));
    if legacy_key && obj.contains_key("state") {
        return PayloadFormat::GrafanaLegacy;
    }
    PayloadFormat::Generic
}

/// Collects one alert's fields and where each came from.
struct Builder {
    mapping: Vec<FieldMapping>,
}

impl Builder {
    fn new() -> Self {
        Self {
            mapping: Vec::new(),
        }
    }

    fn note(&mut self, field: &str, source: Option<&str>, value: &str) {
        let mut shown: String = value.chars().take(MAPPING_VALUE_CHARS).collect();
        if shown.len() < value.len() {
            shown.push('…');
        }
        self.mapping.push(FieldMapping {
            field: field.to_string(),
            source_path: source.map(str::to_string),
            value: shown,
        });
    }

    /// The first of `candidates` (path, value) that holds a non-empty text.
    fn text(&mut self, field: &str, candidates: &[(String, Option<&Value>)]) -> Option<String> {
        for (path, value) in candidates {
            if let Some(text) = value.and_then(scalar_text).filter(|t| !t.trim().is_empty()) {
                self.note(field, Some(path), &text);
                return Some(text);
            }
        }
        None
    }
}

/// A payload that could not be read, as a problem.
impl From<ImportError> for crate::Error {
    fn from(error: ImportError) -> Self {
        use crate::problem::{Problem, ProblemCode as C};
        let problem = match error {
            ImportError::Empty => Problem::new(C::PayloadEmpty),
            ImportError::InvalidJson {
                line,
                column,
                message,
            } => Problem::new(C::PayloadNotJson)
                .param("line", line)
                .param("column", column)
                .param("detail", message),
            ImportError::NotAnObject { found } => {
                Problem::new(C::PayloadNotObject).param("found", found)
            }
            ImportError::NoAlerts { format } => {
                Problem::new(C::PayloadNoAlerts).param("format", format)
            }
            ImportError::Unrecognized => Problem::new(C::PayloadUnrecognized),
        };
        problem.field("payload").into()
    }
}
