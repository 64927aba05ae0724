//! Alertmanager (version 4) and Grafana webhooks: both use Alertmanager's alert shape (labels,
//! annotations, startsAt, generatorURL, fingerprint); Grafana adds dashboard, panel and silence
//! URLs. Also Grafana's legacy one-rule webhook.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::fields::{labels_from, links_from, severity_from, status_from, time_from};
use super::{Builder, ImportError, ImportedAlert, PayloadFormat};
use crate::cards::alert::Alert;

pub(super) fn webhook_alerts(
    root: &Value,
    format: PayloadFormat,
    now: DateTime<Utc>,
) -> Result<Vec<ImportedAlert>, ImportError> {
    let alerts = root
        .get("alerts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if alerts.is_empty() {
        return Err(ImportError::NoAlerts {
            format: format.label(),
        });
    }
    let single = alerts.len() == 1;
    Ok(alerts
        .iter()
        .enumerate()
        .map(|(i, a)| webhook_alert(root, a, &format!("$.alerts[{i}]"), format, single, now))
        .collect())
}

/// One alert of an Alertmanager or Grafana (unified) webhook; both share Alertmanager's alert
/// shape (labels, annotations, startsAt, generatorURL, fingerprint), Grafana adds URLs.
fn webhook_alert(
    root: &Value,
    alert: &Value,
    base: &str,
    format: PayloadFormat,
    single: bool,
    now: DateTime<Utc>,
) -> ImportedAlert {
    let mut b = Builder::new();
    let label = |k: &str| alert.get("labels").and_then(|l| l.get(k));
    let annotation = |k: &str| alert.get("annotations").and_then(|l| l.get(k));
    let common_label = |k: &str| root.get("commonLabels").and_then(|l| l.get(k));

    let mut title_candidates = vec![
        (format!("{base}.annotations.summary"), annotation("summary")),
        (format!("{base}.labels.alertname"), label("alertname")),
        (
            "$.commonLabels.alertname".to_string(),
            common_label("alertname"),
        ),
    ];
    if format == PayloadFormat::Grafana {
        title_candidates.push(("$.title".to_string(), root.get("title")));
    }
    let title = b.text("title", &title_candidates).unwrap_or_else(|| {
        let t = format!("{} alert", format.label());
        b.note("title", None, &t);
        t
    });

    let mut description_candidates = vec![
        (
            format!("{base}.annotations.description"),
            annotation("description"),
        ),
        (format!("{base}.annotations.message"), annotation("message")),
    ];
    if format == PayloadFormat::Grafana {
        description_candidates.push((format!("{base}.valueString"), alert.get("valueString")));
        if single {
            description_candidates.push(("$.message".to_string(), root.get("message")));
        }
    }
    let description = b
        .text("description", &description_candidates)
        .unwrap_or_default();

    let severity = severity_from(
        &mut b,
        &[
            (format!("{base}.labels.severity"), label("severity")),
            (format!("{base}.labels.priority"), label("priority")),
            (
                "$.commonLabels.severity".to_string(),
                common_label("severity"),
            ),
        ],
    );
    let status = status_from(
        &mut b,
        &[
            (format!("{base}.status"), alert.get("status")),
            ("$.status".to_string(), root.get("status")),
        ],
    );
    let labels = labels_from(&mut b, alert.get("labels"), &format!("{base}.labels"));
    let started_at = time_from(
        &mut b,
        &[(format!("{base}.startsAt"), alert.get("startsAt"))],
        now,
    );

    let mut link_candidates = vec![
        (
            format!("{base}.generatorURL"),
            alert.get("generatorURL"),
            "Source",
        ),
        (
            format!("{base}.annotations.runbook_url"),
            annotation("runbook_url"),
            "Runbook",
        ),
    ];
    match format {
        PayloadFormat::Grafana => {
            link_candidates.push((
                format!("{base}.dashboardURL"),
                alert.get("dashboardURL"),
                "Dashboard",
            ));
            link_candidates.push((format!("{base}.panelURL"), alert.get("panelURL"), "Panel"));
            link_candidates.push((
                format!("{base}.silenceURL"),
                alert.get("silenceURL"),
                "Silence",
            ));
        }
        _ => link_candidates.push((
            "$.externalURL".to_string(),
            root.get("externalURL"),
            "Alertmanager",
        )),
    }
    let links = links_from(&mut b, &link_candidates);

    let incident_id = b
        .text(
            "incidentId",
            &[
                (format!("{base}.fingerprint"), alert.get("fingerprint")),
                ("$.groupKey".to_string(), root.get("groupKey")),
            ],
        )
        .unwrap_or_else(|| {
            b.note("incidentId", None, "");
            String::new()
        });
    b.note("incidentUrl", None, "");

    ImportedAlert {
        alert: Alert {
            title,
            severity,
            status,
            description,
            labels,
            started_at,
            assignees: Vec::new(),
            links,
            incident_id,
            incident_url: None,
        },
        mapping: b.mapping,
    }
}

/// Grafana's legacy alerting webhook: `{title, ruleId, ruleName, ruleUrl, state, message,
/// tags, evalMatches}`, one rule per body and no start time.
pub(super) fn grafana_legacy(root: &Value, now: DateTime<Utc>) -> ImportedAlert {
    let mut b = Builder::new();
    let field = |k: &str| (format!("$.{k}"), root.get(k));
    let title = b
        .text("title", &[field("title"), field("ruleName")])
        .unwrap_or_else(|| {
            b.note("title", None, "Grafana alert");
            "Grafana alert".to_string()
        });
    let description = b
        .text("description", &[field("message")])
        .unwrap_or_default();
    let severity = severity_from(
        &mut b,
        &[(
            String::from("$.tags.severity"),
            root.get("tags").and_then(|t| t.get("severity")),
        )],
    );
    let status = status_from(&mut b, &[field("state")]);
    let labels = labels_from(&mut b, root.get("tags"), "$.tags");
    let started_at = time_from(&mut b, &[], now);
    let links = links_from(
        &mut b,
        &[("$.ruleUrl".to_string(), root.get("ruleUrl"), "Alert rule")],
    );
    let incident_id = b.text("incidentId", &[field("ruleId")]).unwrap_or_default();
    b.note("incidentUrl", None, "");
    ImportedAlert {
        alert: Alert {
            title,
            severity,
            status,
            description,
            labels,
            started_at,
            assignees: Vec::new(),
            links,
            incident_id,
            incident_url: None,
        },
        mapping: b.mapping,
    }
}
