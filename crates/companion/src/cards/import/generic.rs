//! Any JSON that looks like an alert: field names matched loosely (case, `_`, `-` and spaces
//! ignored), at the top level first and then in nested labels/annotations/details/tags.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::fields::{
    assignees_from, json_kind, labels_from, looks_like_url, normalize, scalar_text, severity_from,
    status_from, time_from,
};
use super::{Builder, ImportError, ImportedAlert};
use crate::cards::alert::{Alert, AlertLink};

/// Field names a generic payload may use, compared without case, `_`, `-` or spaces.
mod names {
    pub const TITLE: &[&str] = &[
        "title",
        "name",
        "summary",
        "alertname",
        "subject",
        "headline",
        "rulename",
        "checkname",
    ];
    pub const SEVERITY: &[&str] = &[
        "severity",
        "level",
        "priority",
        "urgency",
        "sev",
        "severitylevel",
        "alertlevel",
    ];
    pub const STATUS: &[&str] = &[
        "status",
        "state",
        "alertstatus",
        "eventtype",
        "eventaction",
        "action",
    ];
    pub const DESCRIPTION: &[&str] = &[
        "description",
        "message",
        "body",
        "details",
        "detail",
        "text",
        "content",
        "msg",
    ];
    pub const LABELS: &[&str] = &["labels", "tags", "dimensions", "attributes"];
    pub const STARTED_AT: &[&str] = &[
        "startsat",
        "startat",
        "starttime",
        "startedat",
        "firedat",
        "triggeredat",
        "createdat",
        "eventtime",
        "occurredat",
        "timestamp",
        "time",
        "date",
    ];
    pub const INCIDENT_ID: &[&str] = &[
        "incidentid",
        "id",
        "alertid",
        "uuid",
        "key",
        "fingerprint",
        "dedupkey",
        "eventid",
        "incidentkey",
        "number",
    ];
    pub const INCIDENT_URL: &[&str] = &[
        "incidenturl",
        "url",
        "link",
        "htmlurl",
        "permalink",
        "weburl",
        "detailurl",
    ];
    pub const ASSIGNEES: &[&str] = &[
        "assignees",
        "assignee",
        "owner",
        "owners",
        "responders",
        "assignedto",
        "oncall",
    ];
    /// Single-URL fields turned into labelled links.
    pub const LINKS: &[(&str, &str)] = &[
        ("runbookurl", "Runbook"),
        ("runbook", "Runbook"),
        ("dashboardurl", "Dashboard"),
        ("generatorurl", "Source"),
        ("sourceurl", "Source"),
    ];
    /// Nested objects searched after the top level.
    pub const NESTED: &[&str] = &["labels", "annotations", "details", "tags"];
}

/// The alert objects of a generic payload: a list of objects, a wrapper holding a list
/// (`alerts`, `items`, `events`, `incidents`, `data`) or one object (`alert`, `incident`,
/// `event`, `data`), or the payload itself.
pub(super) fn generic_alerts(
    root: &Value,
    now: DateTime<Utc>,
) -> Result<Vec<ImportedAlert>, ImportError> {
    let objects: Vec<(String, &Map<String, Value>)> = match root {
        Value::Object(obj) => generic_targets(obj),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_object().map(|o| (format!("$[{i}]"), o)))
            .collect(),
        other => {
            return Err(ImportError::NotAnObject {
                found: json_kind(other),
            })
        }
    };
    if objects.is_empty() {
        return Err(match root {
            Value::Array(items) if items.is_empty() => ImportError::NoAlerts { format: "generic" },
            _ => ImportError::Unrecognized,
        });
    }
    objects
        .into_iter()
        .map(|(base, obj)| generic_alert(obj, &base, now))
        .collect()
}

fn generic_targets(obj: &Map<String, Value>) -> Vec<(String, &Map<String, Value>)> {
    for key in ["alerts", "items", "events", "incidents", "data"] {
        if let Some(Value::Array(items)) = obj.get(key) {
            let list: Vec<_> = items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.as_object().map(|o| (format!("$.{key}[{i}]"), o)))
                .collect();
            if !list.is_empty() {
                return list;
            }
        }
    }
    for key in ["alert", "incident", "event", "data"] {
        if let Some(Value::Object(inner)) = obj.get(key) {
            return vec![(format!("$.{key}"), inner)];
        }
    }
    vec![("$".to_string(), obj)]
}

/// Finds the first candidate name present (by candidate order) at the top level, then in the
/// nested objects; returns its path and value.
fn find<'a>(
    obj: &'a Map<String, Value>,
    base: &str,
    candidates: &[&str],
) -> Vec<(String, Option<&'a Value>)> {
    let mut found = Vec::new();
    let mut scan = |scope: &'a Map<String, Value>, scope_path: &str| {
        for candidate in candidates {
            for (key, value) in scope {
                if normalize(key) == *candidate && !value.is_null() {
                    found.push((child_path(scope_path, key), Some(value)));
                }
            }
        }
    };
    scan(obj, base);
    for nested in names::NESTED {
        for (key, value) in obj {
            if normalize(key) == *nested {
                if let Value::Object(inner) = value {
                    scan(inner, &child_path(base, key));
                }
            }
        }
    }
    found
}

fn child_path(base: &str, key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.is_empty() {
        format!("{base}.{key}")
    } else {
        format!("{base}['{}']", key.replace('\'', "\\'"))
    }
}

fn generic_alert(
    obj: &Map<String, Value>,
    base: &str,
    now: DateTime<Utc>,
) -> Result<ImportedAlert, ImportError> {
    let mut b = Builder::new();
    let title_found = find(obj, base, names::TITLE);
    let severity_found = find(obj, base, names::SEVERITY);
    let status_found = find(obj, base, names::STATUS);
    let description_found = find(obj, base, names::DESCRIPTION);
    let alert_like = [
        &title_found,
        &severity_found,
        &status_found,
        &description_found,
    ]
    .iter()
    .any(|f| f.iter().any(|(_, v)| v.and_then(scalar_text).is_some()));
    if !alert_like {
        return Err(ImportError::Unrecognized);
    }

    let title = b.text("title", &title_found).unwrap_or_else(|| {
        b.note("title", None, "Untitled alert");
        "Untitled alert".to_string()
    });
    // A summary used as the title is not repeated as the description.
    let description = b
        .text(
            "description",
            &description_found
                .into_iter()
                .filter(|(_, v)| v.and_then(scalar_text).as_deref() != Some(title.as_str()))
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default();
    let severity = severity_from(&mut b, &severity_found);
    let status = status_from(&mut b, &status_found);
    let labels_candidates = find(obj, base, names::LABELS);
    let labels = match labels_candidates.first() {
        Some((path, value)) => labels_from(&mut b, *value, path),
        None => labels_from(&mut b, None, ""),
    };
    let started_at = time_from(&mut b, &find(obj, base, names::STARTED_AT), now);
    let assignees = assignees_from(&mut b, &find(obj, base, names::ASSIGNEES));

    let mut links = Vec::new();
    if let Some((path, Some(Value::Array(items)))) = find(obj, base, &["links"]).first() {
        for (i, item) in items.iter().enumerate() {
            let url = ["url", "href", "link"]
                .iter()
                .find_map(|k| item.get(k).and_then(Value::as_str));
            let label = ["label", "name", "title", "text"]
                .iter()
                .find_map(|k| item.get(k).and_then(Value::as_str));
            match (url, item.as_str()) {
                (Some(url), _) => links.push(AlertLink {
                    label: label.unwrap_or("Link").to_string(),
                    url: url.to_string(),
                }),
                (None, Some(url)) if looks_like_url(url) => links.push(AlertLink {
                    label: "Link".to_string(),
                    url: url.to_string(),
                }),
                _ => continue,
            }
            if let Some(link) = links.last() {
                let (n, text) = (links.len() - 1, format!("{}: {}", link.label, link.url));
                b.note(&format!("links[{n}]"), Some(&format!("{path}[{i}]")), &text);
            }
        }
    }
    for (name, label) in names::LINKS {
        if let Some((path, Some(value))) = find(obj, base, &[name]).into_iter().next() {
            if let Some(url) = value.as_str().filter(|u| looks_like_url(u)) {
                if links.iter().all(|l| l.url != url) {
                    let n = links.len();
                    links.push(AlertLink {
                        label: (*label).to_string(),
                        url: url.to_string(),
                    });
                    b.note(
                        &format!("links[{n}]"),
                        Some(&path),
                        &format!("{label}: {url}"),
                    );
                }
            }
        }
    }

    let incident_id = b
        .text("incidentId", &find(obj, base, names::INCIDENT_ID))
        .unwrap_or_else(|| {
            b.note("incidentId", None, "");
            String::new()
        });
    let url_found: Vec<_> = find(obj, base, names::INCIDENT_URL)
        .into_iter()
        .filter(|(_, v)| v.and_then(Value::as_str).is_some_and(looks_like_url))
        .collect();
    let incident_url = b.text("incidentUrl", &url_found);
    if incident_url.is_none() {
        b.note("incidentUrl", None, "");
    }

    Ok(ImportedAlert {
        alert: Alert {
            title,
            severity,
            status,
            description,
            labels,
            started_at,
            assignees,
            links,
            incident_id,
            incident_url,
        },
        mapping: b.mapping,
    })
}
