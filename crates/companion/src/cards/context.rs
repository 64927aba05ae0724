//! What templates see: the [`Alert`] with snake_case names plus values worked out in Rust
//! (labels, colours, button values), so templates stay declarative. Every field here is listed
//! in templates/cards/README.md; keep the two in step.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::alert::{Alert, AlertLink, AlertSeverity, AlertStatus};
use super::{ACTION_ACKNOWLEDGE, ACTION_RESOLVE};
use crate::ipc::Language;

/// The most alerts a digest lists; the rest are counted in `digest.omitted`, which keeps a busy
/// digest under the 30 KB message limit.
pub const DIGEST_MAX_ALERTS: usize = 40;

/// Header colour of an acknowledged alert's card: "someone is on it", distinct from the
/// red/orange of firing alerts and the green of resolved ones.
pub const ACKNOWLEDGED_TEMPLATE: &str = "yellow";
/// Header colour of a resolved alert's card (the platform's colour for "done").
pub const RESOLVED_TEMPLATE: &str = "green";

/// The header colour for an alert in its current state.
pub fn header_template(severity: AlertSeverity, status: AlertStatus) -> &'static str {
    match status {
        AlertStatus::Triggered => severity.header_template(),
        AlertStatus::Acknowledged => ACKNOWLEDGED_TEMPLATE,
        AlertStatus::Resolved => RESOLVED_TEMPLATE,
    }
}

/// One alert as a template sees it (`alert` in single-alert templates, each of `alerts` in the
/// digest).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertView {
    title: String,
    severity: AlertSeverity,
    severity_label: &'static str,
    status: AlertStatus,
    status_label: &'static str,
    description: String,
    labels: BTreeMap<String, String>,
    started_at: String,
    started_at_display: String,
    started_at_ms: i64,
    assignees: Vec<String>,
    links: Vec<AlertLink>,
    incident_id: String,
    incident_url: Option<String>,
    header_template: &'static str,
    acknowledge_value: Value,
    resolve_value: Value,
}

impl AlertView {
    /// The alert with its labels in `language`.
    pub(crate) fn new(alert: &Alert, language: Language) -> Self {
        Self {
            title: alert.title.clone(),
            severity: alert.severity,
            severity_label: alert.severity.label_in(language),
            status: alert.status,
            status_label: alert.status.label_in(language),
            description: alert.description.clone(),
            labels: alert.labels.clone(),
            started_at: alert.started_at.to_rfc3339(),
            started_at_display: alert.started_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            started_at_ms: alert.started_at.timestamp_millis(),
            assignees: alert.assignees.clone(),
            links: alert.links.clone(),
            incident_id: alert.incident_id.clone(),
            incident_url: alert.incident_url.clone().filter(|u| !u.trim().is_empty()),
            header_template: header_template(alert.severity, alert.status),
            acknowledge_value: button_value(ACTION_ACKNOWLEDGE, &alert.incident_id),
            resolve_value: button_value(ACTION_RESOLVE, &alert.incident_id),
        }
    }
}

/// The callback `value` of the Acknowledge and Resolve buttons (contract in the module doc).
pub fn button_value(action: &str, incident_id: &str) -> Value {
    json!({"action": action, "incident_id": incident_id})
}

/// The digest's summary (`digest` in digest templates).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DigestView {
    title: String,
    total: usize,
    shown: usize,
    omitted: usize,
    triggered: usize,
    acknowledged: usize,
    resolved: usize,
    critical: usize,
    warning: usize,
    info: usize,
    ok: usize,
    header_template: &'static str,
}

/// The digest's title in `language`: how many alerts, how many still open.
fn digest_title(language: Language, total: usize, open: usize) -> String {
    match language {
        Language::English => match (total, open) {
            (0, _) => "No alerts".to_string(),
            (1, 1) => "1 open alert".to_string(),
            (1, 0) => "1 alert, resolved".to_string(),
            (n, 0) => format!("{n} alerts, all resolved"),
            (n, o) => format!("{o} open of {n} alerts"),
        },
        Language::SimplifiedChinese => match (total, open) {
            (0, _) => "没有告警".to_string(),
            (1, 1) => "1 条未解决的告警".to_string(),
            (1, 0) => "1 条告警，已解决".to_string(),
            (n, 0) => format!("{n} 条告警，全部已解决"),
            (n, o) => format!("{n} 条告警中 {o} 条未解决"),
        },
    }
}

/// The digest context: the summary and the alerts, worst first (triggered before acknowledged
/// before resolved, then by severity), at most [`DIGEST_MAX_ALERTS`]; labels in `language`.
pub(crate) fn digest(alerts: &[Alert], language: Language) -> (DigestView, Vec<AlertView>) {
    let count_status = |s: AlertStatus| alerts.iter().filter(|a| a.status == s).count();
    let count_severity = |s: AlertSeverity| alerts.iter().filter(|a| a.severity == s).count();
    let open: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.status != AlertStatus::Resolved)
        .collect();
    let header_template = match open.iter().map(|a| a.severity).min_by_key(|s| s.rank()) {
        Some(worst) => worst.header_template(),
        None if alerts.is_empty() => "grey",
        None => RESOLVED_TEMPLATE,
    };
    let total = alerts.len();
    let title = digest_title(language, total, open.len());

    let mut sorted: Vec<&Alert> = alerts.iter().collect();
    sorted.sort_by_key(|a| (status_rank(a.status), a.severity.rank()));
    let shown: Vec<AlertView> = sorted
        .into_iter()
        .take(DIGEST_MAX_ALERTS)
        .map(|alert| AlertView::new(alert, language))
        .collect();
    let view = DigestView {
        title,
        total,
        shown: shown.len(),
        omitted: total - shown.len(),
        triggered: count_status(AlertStatus::Triggered),
        acknowledged: count_status(AlertStatus::Acknowledged),
        resolved: count_status(AlertStatus::Resolved),
        critical: count_severity(AlertSeverity::Critical),
        warning: count_severity(AlertSeverity::Warning),
        info: count_severity(AlertSeverity::Info),
        ok: count_severity(AlertSeverity::Ok),
        header_template,
    };
    (view, shown)
}

fn status_rank(status: AlertStatus) -> u8 {
    match status {
        AlertStatus::Triggered => 0,
        AlertStatus::Acknowledged => 1,
        AlertStatus::Resolved => 2,
    }
}
