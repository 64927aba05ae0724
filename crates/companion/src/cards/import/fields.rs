//! Field values: the word tables for severity and status, time formats, labels, links and
//! people, each recorded in the mapping with where it came from.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

use super::Builder;
use crate::cards::alert::{AlertLink, AlertSeverity, AlertStatus};

/// The severity from the first candidate that names one; Warning when none does (a firing
/// alert with no stated severity is worth attention, not a page).
pub(super) fn severity_from(
    b: &mut Builder,
    candidates: &[(String, Option<&Value>)],
) -> AlertSeverity {
    for (path, value) in candidates {
        if let Some(severity) = value.and_then(parse_severity) {
            b.note("severity", Some(path), severity.label());
            return severity;
        }
    }
    b.note("severity", None, AlertSeverity::Warning.label());
    AlertSeverity::Warning
}

/// Words and numbers alerting tools use for severity. Numbers follow the P0–P5 / SEV convention:
/// 0–1 critical, 2–3 warning, 4–5 info.
pub fn parse_severity(value: &Value) -> Option<AlertSeverity> {
    if let Some(n) = value.as_i64() {
        return severity_number(n);
    }
    let text = scalar_text(value)?;
    let word = normalize(text.trim());
    let level = word
        .strip_prefix("sev")
        .or_else(|| word.strip_prefix('p'))
        .or_else(|| word.strip_prefix('s'))
        .and_then(|rest| rest.parse::<i64>().ok());
    if let Some(n) = level {
        return severity_number(n);
    }
    if let Ok(n) = word.parse::<i64>() {
        return severity_number(n);
    }
    match word.as_str() {
        "critical" | "crit" | "fatal" | "emergency" | "emerg" | "alert" | "page" | "disaster"
        | "high" | "error" | "err" | "severe" | "urgent" => Some(AlertSeverity::Critical),
        "warning" | "warn" | "major" | "minor" | "medium" | "moderate" | "average" => {
            Some(AlertSeverity::Warning)
        }
        "info" | "information" | "informational" | "notice" | "low" | "debug" | "none" => {
            Some(AlertSeverity::Info)
        }
        "ok" | "normal" | "success" | "resolved" | "clear" | "cleared" | "recovery" => {
            Some(AlertSeverity::Ok)
        }
        _ => None,
    }
}

fn severity_number(n: i64) -> Option<AlertSeverity> {
    match n {
        0 | 1 => Some(AlertSeverity::Critical),
        2 | 3 => Some(AlertSeverity::Warning),
        4 | 5 => Some(AlertSeverity::Info),
        _ => None,
    }
}

pub(super) fn status_from(b: &mut Builder, candidates: &[(String, Option<&Value>)]) -> AlertStatus {
    for (path, value) in candidates {
        if let Some(status) = value
            .and_then(scalar_text)
            .as_deref()
            .and_then(parse_status)
        {
            b.note("status", Some(path), status.label());
            return status;
        }
    }
    b.note("status", None, AlertStatus::Triggered.label());
    AlertStatus::Triggered
}

/// Status words of Alertmanager (firing/resolved), Grafana (alerting/ok/no_data/pending) and
/// incident tools (triggered/acknowledged/resolved, open/closed, problem/ok).
pub fn parse_status(text: &str) -> Option<AlertStatus> {
    match normalize(text.trim()).as_str() {
        "firing" | "alerting" | "triggered" | "trigger" | "open" | "active" | "problem"
        | "nodata" | "pending" | "new" | "raised" | "fired" => Some(AlertStatus::Triggered),
        "acknowledged" | "acknowledge" | "ack" | "acked" | "inprogress" | "investigating" => {
            Some(AlertStatus::Acknowledged)
        }
        "resolved" | "resolve" | "ok" | "closed" | "recovered" | "recovery" | "normal"
        | "inactive" | "cleared" | "clear" | "solved" => Some(AlertStatus::Resolved),
        _ => None,
    }
}

pub(super) fn labels_from(
    b: &mut Builder,
    value: Option<&Value>,
    path: &str,
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    match value {
        Some(Value::Object(map)) => {
            for (k, v) in map {
                if let Some(text) = scalar_text(v) {
                    labels.insert(k.clone(), text);
                }
            }
        }
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(tag) => {
                        let (k, v) = tag
                            .split_once(['=', ':'])
                            .map(|(k, v)| (k.trim(), v.trim()))
                            .unwrap_or((tag.trim(), ""));
                        if !k.is_empty() {
                            labels.insert(k.to_string(), v.to_string());
                        }
                    }
                    Value::Object(pair) => {
                        let k = pair.get("key").or_else(|| pair.get("name"));
                        let v = pair.get("value");
                        if let (Some(k), v) = (k.and_then(scalar_text), v.and_then(scalar_text)) {
                            labels.insert(k, v.unwrap_or_default());
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    let shown = labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let source = (!labels.is_empty()).then_some(path);
    b.note("labels", source, &shown);
    labels
}

pub(super) fn time_from(
    b: &mut Builder,
    candidates: &[(String, Option<&Value>)],
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    for (path, value) in candidates {
        if let Some(time) = value.and_then(parse_time) {
            b.note("startedAt", Some(path), &time.to_rfc3339());
            return time;
        }
    }
    b.note("startedAt", None, &now.to_rfc3339());
    now
}

/// RFC 3339, `YYYY-MM-DD HH:MM:SS` (read as UTC), or a Unix time in seconds, milliseconds or
/// microseconds. Alertmanager's zero time (year 1) counts as absent.
pub fn parse_time(value: &Value) -> Option<DateTime<Utc>> {
    let time = match value {
        Value::Number(n) => n.as_i64().and_then(unix_time),
        Value::String(s) => {
            let s = s.trim();
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    [
                        "%Y-%m-%d %H:%M:%S%.f",
                        "%Y-%m-%dT%H:%M:%S%.f",
                        "%Y-%m-%d %H:%M",
                    ]
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
                    .map(|naive| Utc.from_utc_datetime(&naive))
                })
                .or_else(|| s.parse::<i64>().ok().and_then(unix_time))
        }
        _ => None,
    }?;
    (time.timestamp() > 0).then_some(time)
}

fn unix_time(n: i64) -> Option<DateTime<Utc>> {
    match n {
        n if n > 100_000_000_000_000 => DateTime::from_timestamp_micros(n),
        n if n > 100_000_000_000 => DateTime::from_timestamp_millis(n),
        n => DateTime::from_timestamp(n, 0),
    }
}

pub(super) fn assignees_from(
    b: &mut Builder,
    candidates: &[(String, Option<&Value>)],
) -> Vec<String> {
    for (path, value) in candidates {
        let people: Vec<String> = match value {
            Some(Value::String(s)) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::Array(items)) => items.iter().filter_map(person_name).collect(),
            Some(v @ Value::Object(_)) => person_name(v).into_iter().collect(),
            _ => Vec::new(),
        };
        if !people.is_empty() {
            b.note("assignees", Some(path), &people.join(", "));
            return people;
        }
    }
    b.note("assignees", None, "");
    Vec::new()
}

fn person_name(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(obj) => [
            "name",
            "display_name",
            "displayName",
            "email",
            "username",
            "summary",
        ]
        .iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
        .map(str::to_string),
        _ => None,
    }
}

pub(super) fn links_from(
    b: &mut Builder,
    candidates: &[(String, Option<&Value>, &str)],
) -> Vec<AlertLink> {
    let mut links: Vec<AlertLink> = Vec::new();
    for (path, value, label) in candidates {
        let Some(url) = value.and_then(Value::as_str).map(str::trim) else {
            continue;
        };
        if !looks_like_url(url) || links.iter().any(|l| l.url == url) {
            continue;
        }
        b.note(
            &format!("links[{}]", links.len()),
            Some(path),
            &format!("{label}: {url}"),
        );
        links.push(AlertLink {
            label: (*label).to_string(),
            url: url.to_string(),
        });
    }
    links
}

pub(super) fn looks_like_url(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("https://") || t.starts_with("http://")) && t.len() > "https://".len()
}

/// Strings as they are; numbers and booleans as text; anything else is not a scalar.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A field name without case, `_`, `-` or spaces, for matching.
pub(super) fn normalize(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}
