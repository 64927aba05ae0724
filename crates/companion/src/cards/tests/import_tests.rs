//! Payload import: realistic Alertmanager, Grafana (unified and legacy) and generic bodies, the
//! field mapping, and bad input.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use super::super::import::{detect_format, parse_severity, parse_status, parse_time};
use super::super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 2, 0, 0, 0).unwrap()
}

fn source<'a>(imported: &'a ImportedAlert, field: &str) -> Option<&'a str> {
    imported
        .mapping
        .iter()
        .find(|m| m.field == field)
        .unwrap_or_else(|| panic!("no mapping for {field}"))
        .source_path
        .as_deref()
}

#[test]
fn cards_import_alertmanager_webhook() {
    let result = import(include_str!("alertmanager.json"), now()).unwrap();
    assert_eq!(result.format, PayloadFormat::Alertmanager);
    assert_eq!(result.alerts.len(), 2);

    let first = &result.alerts[0];
    let a = &first.alert;
    assert_eq!(a.title, "CPU above 95% on api-3");
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(a.status, AlertStatus::Triggered);
    assert!(a.description.starts_with("api-3 has been above 95% CPU"));
    assert_eq!(a.labels["instance"], "api-3:9100");
    assert_eq!(a.labels.len(), 5);
    assert_eq!(a.started_at.to_rfc3339(), "2024-05-01T12:30:00.123+00:00");
    assert_eq!(a.incident_id, "c1a2b3d4e5f60718");
    assert_eq!(a.incident_url, None);
    let labels: Vec<_> = a.links.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["Source", "Runbook", "Alertmanager"]);

    assert_eq!(
        source(first, "title"),
        Some("$.alerts[0].annotations.summary")
    );
    assert_eq!(
        source(first, "severity"),
        Some("$.alerts[0].labels.severity")
    );
    assert_eq!(source(first, "status"), Some("$.alerts[0].status"));
    assert_eq!(source(first, "startedAt"), Some("$.alerts[0].startsAt"));
    assert_eq!(source(first, "incidentId"), Some("$.alerts[0].fingerprint"));
    assert_eq!(source(first, "links[2]"), Some("$.externalURL"));
    assert_eq!(source(first, "incidentUrl"), None);

    // The resolved alert has no summary: its alertname is the title.
    let second = &result.alerts[1];
    assert_eq!(second.alert.title, "HighCPUUsage");
    assert_eq!(second.alert.status, AlertStatus::Resolved);
    assert_eq!(
        source(second, "title"),
        Some("$.alerts[1].labels.alertname")
    );
}

#[test]
fn cards_import_grafana_unified_webhook() {
    let result = import(include_str!("grafana.json"), now()).unwrap();
    assert_eq!(result.format, PayloadFormat::Grafana);
    let imported = &result.alerts[0];
    let a = &imported.alert;
    assert_eq!(a.title, "p99 latency of checkout above 800 ms");
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(a.status, AlertStatus::Triggered);
    assert_eq!(
        a.started_at,
        Utc.with_ymd_and_hms(2024, 5, 1, 1, 15, 0).unwrap()
    );
    assert_eq!(a.incident_id, "57c6d9296de2ad39");
    let labels: Vec<_> = a.links.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["Source", "Dashboard", "Panel", "Silence"]);
    assert_eq!(
        source(imported, "links[1]"),
        Some("$.alerts[0].dashboardURL")
    );
    assert_eq!(a.labels["service"], "checkout");
}

#[test]
fn cards_import_grafana_legacy_webhook() {
    let result = import(include_str!("grafana_legacy.json"), now()).unwrap();
    assert_eq!(result.format, PayloadFormat::GrafanaLegacy);
    let imported = &result.alerts[0];
    let a = &imported.alert;
    assert_eq!(a.title, "[Alerting] Test notification");
    assert_eq!(a.status, AlertStatus::Triggered);
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(source(imported, "severity"), None);
    assert_eq!(a.started_at, now());
    assert_eq!(source(imported, "startedAt"), None);
    assert_eq!(a.labels["tag name"], "tag value");
    assert_eq!(a.incident_id, "0");
    assert_eq!(a.links[0].label, "Alert rule");
}

#[test]
fn cards_import_generic_json() {
    let result = import(include_str!("generic.json"), now()).unwrap();
    assert_eq!(result.format, PayloadFormat::Generic);
    let imported = &result.alerts[0];
    let a = &imported.alert;
    assert_eq!(a.title, "Payment gateway errors");
    assert_eq!(source(imported, "title"), Some("$.event.Alert_Name"));
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(source(imported, "severity"), Some("$.event.level"));
    assert_eq!(a.status, AlertStatus::Acknowledged);
    assert!(a.description.starts_with("5xx rate"));
    assert_eq!(a.labels["env"], "prod");
    assert_eq!(a.labels["service"], "payments");
    assert_eq!(a.labels["pci"], "");
    assert_eq!(a.started_at.to_rfc3339(), "2024-05-01T12:34:56+00:00");
    assert_eq!(a.incident_id, "42");
    assert_eq!(
        a.incident_url.as_deref(),
        Some("https://status.example.com/incidents/42")
    );
    assert_eq!(a.assignees, ["Wang Fang", "oncall@example.com"]);
    assert_eq!(a.links[0].label, "Runbook");
    assert_eq!(source(imported, "links[0]"), Some("$.event.runbook"));
}

#[test]
fn cards_import_generic_variants() {
    // A bare list of alerts, nested severity, millisecond time, string tags with spaces.
    let body = json!([
        {"name": "Queue backlog", "labels": {"severity": "warn"}, "status": "open",
         "timestamp": 1714566896000_i64, "id": "q-1"},
        {"summary": "Cert expires in 3 days", "priority": 4, "state": "closed",
         "start_time": "2024-05-01 12:34:56", "tags": {"host": "lb-1"}}
    ]);
    let result = import(&body.to_string(), now()).unwrap();
    assert_eq!(result.format, PayloadFormat::Generic);
    let [first, second] = &result.alerts[..] else {
        panic!("two alerts expected")
    };
    assert_eq!(first.alert.severity, AlertSeverity::Warning);
    assert_eq!(source(first, "severity"), Some("$[0].labels.severity"));
    assert_eq!(first.alert.status, AlertStatus::Triggered);
    assert_eq!(first.alert.started_at.timestamp(), 1_714_566_896);
    assert_eq!(second.alert.severity, AlertSeverity::Info);
    assert_eq!(second.alert.status, AlertStatus::Resolved);
    assert_eq!(
        second.alert.started_at.to_rfc3339(),
        "2024-05-01T12:34:56+00:00"
    );
    assert_eq!(second.alert.labels["host"], "lb-1");

    // A wrapper with an alerts list but no Alertmanager or Grafana markers is generic.
    let wrapped = json!({"alerts": [{"title": "A", "severity": "high"}]});
    let result = import(&wrapped.to_string(), now()).unwrap();
    assert_eq!(result.format, PayloadFormat::Generic);
    assert_eq!(result.alerts[0].alert.severity, AlertSeverity::Critical);
    assert_eq!(
        source(&result.alerts[0], "title"),
        Some("$.alerts[0].title")
    );
}

#[test]
fn cards_import_every_alert_renders_cleanly() {
    let set = TemplateSet::builtin();
    for body in [
        include_str!("alertmanager.json"),
        include_str!("grafana.json"),
        include_str!("grafana_legacy.json"),
        include_str!("generic.json"),
    ] {
        let alerts: Vec<Alert> = import(body, now())
            .unwrap()
            .alerts
            .into_iter()
            .map(|i| i.alert)
            .collect();
        for version in CardVersion::ALL {
            for alert in &alerts {
                let kind = CardKind::for_status(alert.status);
                let rendered = set
                    .render_alert_checked(kind, version, crate::ipc::Language::English, alert)
                    .unwrap();
                assert!(
                    rendered.findings.iter().all(|f| !f.is_error()),
                    "{:?}",
                    rendered.findings
                );
            }
            set.render_digest(version, &alerts).unwrap();
        }
    }
}

#[test]
fn cards_import_bad_input_is_a_typed_error() {
    assert_eq!(import("  ", now()), Err(ImportError::Empty));
    match import("{\"alerts\": [", now()) {
        Err(ImportError::InvalidJson { line: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        import("\"firing\"", now()),
        Err(ImportError::NotAnObject { found: "string" })
    );
    assert_eq!(
        import(r#"{"version":"4","groupKey":"g","alerts":[]}"#, now()),
        Err(ImportError::NoAlerts {
            format: "Alertmanager"
        })
    );
    assert_eq!(
        import(r#"{"foo": 1, "bar": [1, 2]}"#, now()),
        Err(ImportError::Unrecognized)
    );
    assert_eq!(
        import("[]", now()),
        Err(ImportError::NoAlerts { format: "generic" })
    );
    // Messages are for people.
    let message = ImportError::Unrecognized.to_string();
    assert!(message.contains("title/name/summary"), "{message}");
}

#[test]
fn cards_import_never_panics_on_odd_json() {
    for body in [
        "null",
        "0",
        "[null, 1, \"x\"]",
        r#"{"alerts": "nope"}"#,
        r#"{"alerts": [null, 3]}"#,
        r#"{"alerts": [{"status": 5, "labels": [1], "startsAt": {}}], "groupKey": 1}"#,
        r#"{"state": "alerting", "ruleName": null}"#,
        r#"{"title": {"nested": true}, "severity": []}"#,
        r#"{"title": "x", "timestamp": 99999999999999999999}"#,
    ] {
        let _ = import(body, now());
    }
}

#[test]
fn cards_import_word_tables() {
    assert_eq!(parse_severity(&json!("SEV2")), Some(AlertSeverity::Warning));
    assert_eq!(parse_severity(&json!("P0")), Some(AlertSeverity::Critical));
    assert_eq!(parse_severity(&json!(5)), Some(AlertSeverity::Info));
    assert_eq!(
        parse_severity(&json!("Disaster")),
        Some(AlertSeverity::Critical)
    );
    assert_eq!(parse_severity(&json!("whatever")), None);
    assert_eq!(parse_status("no_data"), Some(AlertStatus::Triggered));
    assert_eq!(parse_status("Acked"), Some(AlertStatus::Acknowledged));
    assert_eq!(parse_status("OK"), Some(AlertStatus::Resolved));
    assert_eq!(parse_time(&json!("0001-01-01T00:00:00Z")), None);
    assert_eq!(
        parse_time(&json!("1714566896")).map(|t| t.timestamp()),
        Some(1_714_566_896)
    );
    assert_eq!(
        detect_format(&json!({"orgId": 1, "alerts": []})),
        PayloadFormat::Grafana
    );
}
