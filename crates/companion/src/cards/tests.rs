//! Templates: snapshots of every built-in in both schemas, validator-clean output over a matrix
//! of alerts, escaping, user overrides. Import tests live in `import_tests.rs`.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use lark_platform::card::{validate, Severity};
use serde_json::{json, Value};

use super::*;
use crate::ipc::Language;

mod import_tests;

/// The fixed alert behind the snapshots.
fn fixture() -> Alert {
    Alert {
        title: "Disk almost full on db-01".into(),
        severity: AlertSeverity::Critical,
        status: AlertStatus::Triggered,
        description: "Filesystem /var/lib/postgresql is 96% full.\nFree space or grow the volume."
            .into(),
        labels: BTreeMap::from([
            ("alertname".to_string(), "DiskAlmostFull".to_string()),
            ("instance".to_string(), "db-01:9100".to_string()),
            ("severity".to_string(), "critical".to_string()),
        ]),
        started_at: Utc.with_ymd_and_hms(2024, 5, 1, 12, 34, 56).unwrap(),
        assignees: vec!["Li Lei".into(), "han.meimei@example.com".into()],
        links: vec![
            AlertLink {
                label: "Runbook".into(),
                url: "https://runbooks.example.com/disk-full".into(),
            },
            AlertLink {
                label: "Dashboard".into(),
                url: "https://grafana.example.com/d/abc?var-host=db-01".into(),
            },
        ],
        incident_id: "inc_7f3a9c".into(),
        incident_url: Some("https://console.flashcat.cloud/incident/detail/inc_7f3a9c".into()),
    }
}

fn digest_fixture() -> Vec<Alert> {
    let base = fixture();
    vec![
        Alert {
            title: "Replica lag".into(),
            severity: AlertSeverity::Warning,
            status: AlertStatus::Acknowledged,
            incident_id: "inc_2".into(),
            incident_url: None,
            ..base.clone()
        },
        base.clone(),
        Alert {
            title: "Backup finished late".into(),
            severity: AlertSeverity::Info,
            status: AlertStatus::Resolved,
            incident_id: "inc_3".into(),
            ..base
        },
    ]
}

#[test]
fn cards_snapshots_of_every_builtin_template() {
    let set = TemplateSet::builtin();
    for language in CARD_LANGUAGES {
        for version in CardVersion::ALL {
            for kind in CardKind::ALL {
                let file = template_file_name_in(kind, version, language);
                let card = match kind {
                    CardKind::Digest => set.render_digest_in(version, language, &digest_fixture()),
                    _ => set.render_alert_in(kind, version, language, &fixture()),
                }
                .unwrap_or_else(|e| panic!("{file}: {e}"));
                // English keeps the snapshot names from before languages: `triggered.v2`.
                let name = file.replace(".json.j2", "");
                insta::assert_json_snapshot!(name, card);
            }
        }
    }
}

/// The words of a card a person reads: titles, labels, buttons (not the alert's own text).
fn card_words(card: &Value) -> String {
    let mut out = Vec::new();
    strings(card, &mut out);
    out.join("\n")
}

#[test]
fn cards_chinese_templates_say_everything_in_chinese() {
    let set = TemplateSet::builtin();
    let alert = Alert {
        title: "t".into(),
        description: String::new(),
        labels: BTreeMap::from([("k".to_string(), "v".to_string())]),
        assignees: vec!["a".into(), "b".into()],
        links: vec![],
        ..fixture()
    };
    for version in CardVersion::ALL {
        for kind in CardKind::ALL {
            let card = set
                .render_alert_in(kind, version, Language::SimplifiedChinese, &alert)
                .unwrap();
            let words = card_words(&card);
            for english in [
                "Acknowledge",
                "Resolve",
                "Open incident",
                "Severity",
                "Status",
                "Started",
                "Incident",
                "Assignees",
                "Labels",
                "Critical",
                "Triggered",
                "started",
                "alerts",
            ] {
                assert!(
                    !words.contains(english),
                    "{english} in {}: {words}",
                    template_file_name_in(kind, version, Language::SimplifiedChinese)
                );
            }
        }
        let words = card_words(
            &set.render_digest_in(version, Language::SimplifiedChinese, &digest_fixture())
                .unwrap(),
        );
        assert!(words.contains("3 条告警中 2 条未解决"), "{words}");
        for english in [
            "open of",
            "triggered",
            "Critical",
            "Warning",
            "Open incident",
        ] {
            assert!(!words.contains(english), "{english} in the digest: {words}");
        }
        let many = vec![fixture(); DIGEST_MAX_ALERTS + 2];
        let words = card_words(
            &set.render_digest_in(version, Language::SimplifiedChinese, &many)
                .unwrap(),
        );
        assert!(words.contains("另有 2 条"), "{words}");
    }
}

/// Alerts that stress the templates: every severity and status, missing optional parts, and
/// text full of JSON and markdown syntax.
fn matrix() -> Vec<Alert> {
    let mut alerts = Vec::new();
    for severity in AlertSeverity::ALL {
        for status in AlertStatus::ALL {
            alerts.push(Alert {
                severity,
                status,
                ..fixture()
            });
        }
    }
    alerts.push(Alert {
        description: String::new(),
        labels: BTreeMap::new(),
        assignees: vec![],
        links: vec![],
        incident_id: String::new(),
        incident_url: None,
        ..fixture()
    });
    alerts.push(Alert {
        title: "\"quoted\" \\ back\nslash <at id=all></at> # not a heading".into(),
        description: "# Heading?\n| a | b |\n|---|---|\n> quote\n<div>html</div>\n![x](https://e.x/a.png)\n```\ncode\n```"
            .into(),
        labels: BTreeMap::from([("we|rd*key".to_string(), "[v](u) \u{1} 告警".to_string())]),
        assignees: vec!["<b>bold</b>".into()],
        links: vec![AlertLink {
            label: "a ] b".into(),
            url: "https://e.x/p (1)?q=\"x\"".into(),
        }],
        incident_id: "id \"with\" quotes".into(),
        incident_url: Some("https://e.x/i?a=1&b=2".into()),
        ..fixture()
    });
    alerts
}

#[test]
fn cards_every_rendering_passes_the_validator() {
    let set = TemplateSet::builtin();
    let alerts = matrix();
    for language in CARD_LANGUAGES {
        for version in CardVersion::ALL {
            for kind in CardKind::ALL {
                for alert in &alerts {
                    let rendered = set
                        .render_alert_checked(kind, version, language, alert)
                        .unwrap();
                    let errors: Vec<_> = rendered
                        .findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .collect();
                    assert!(
                        errors.is_empty(),
                        "{} for {:?}: {errors:?}",
                        template_file_name_in(kind, version, language),
                        alert.title
                    );
                }
            }
            for alerts in [vec![], alerts.clone(), vec![fixture(); 100]] {
                let card = set.render_digest_in(version, language, &alerts).unwrap();
                let errors: Vec<_> = validate(&card)
                    .into_iter()
                    .filter(|f| f.is_error())
                    .collect();
                assert!(
                    errors.is_empty(),
                    "digest {version:?} {language:?}: {errors:?}"
                );
            }
        }
    }
}

#[test]
fn cards_builtins_have_no_warnings_either() {
    let set = TemplateSet::builtin();
    for language in CARD_LANGUAGES {
        for version in CardVersion::ALL {
            for kind in CardKind::ALL {
                let card = set
                    .render_alert_in(kind, version, language, &fixture())
                    .unwrap();
                assert_eq!(
                    validate(&card),
                    vec![],
                    "{}",
                    template_file_name_in(kind, version, language)
                );
            }
            let card = set
                .render_digest_in(version, language, &digest_fixture())
                .unwrap();
            assert_eq!(validate(&card), vec![]);
        }
    }
}

/// Every string in a rendered card, for escaping checks.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn cards_values_are_escaped_for_json_and_markdown() {
    let set = TemplateSet::builtin();
    let nasty = matrix().pop().unwrap();
    for version in CardVersion::ALL {
        let card = set
            .render_alert(CardKind::Triggered, version, &nasty)
            .unwrap();
        let title = card["header"]["title"]["content"].as_str().unwrap();
        // plain_text titles show the title exactly (with a severity prefix in 1.0).
        assert!(title.ends_with(&nasty.title), "{title}");
        // Everything in the body is read as markdown: no raw tag may survive.
        let body = match version {
            CardVersion::V2 => &card["body"],
            CardVersion::V1 => &card["elements"],
        };
        let mut all = Vec::new();
        strings(body, &mut all);
        assert!(all.iter().any(|s| s.contains("&#60;div&#62;html")));
        for text in all {
            for raw in ["<at", "<div", "<b>", "](u)"] {
                assert!(!text.contains(raw), "{raw} not escaped in {text}");
            }
        }
    }
}

#[test]
fn cards_buttons_follow_the_contract() {
    let set = TemplateSet::builtin();
    let alert = fixture();
    let v2 = set
        .render_alert(CardKind::Triggered, CardVersion::V2, &alert)
        .unwrap();
    let text = v2.to_string();
    assert!(text.contains(r#""value":{"action":"acknowledge","incident_id":"inc_7f3a9c"}"#));
    assert!(text.contains(r#""value":{"action":"resolve","incident_id":"inc_7f3a9c"}"#));
    assert!(text
        .contains(r#""default_url":"https://console.flashcat.cloud/incident/detail/inc_7f3a9c""#));
    let v1 = set
        .render_alert(CardKind::Acknowledged, CardVersion::V1, &alert)
        .unwrap();
    let actions = &v1["elements"].as_array().unwrap().last().unwrap()["actions"];
    assert_eq!(
        actions[0]["value"],
        json!({"action": "resolve", "incident_id": "inc_7f3a9c"})
    );
    assert_eq!(
        actions[1]["url"],
        json!("https://console.flashcat.cloud/incident/detail/inc_7f3a9c")
    );
    assert_eq!(actions.as_array().unwrap().len(), 2);
    // No id: no Acknowledge/Resolve; no url: no Open incident; nothing left: no button row.
    let bare = Alert {
        incident_id: String::new(),
        incident_url: None,
        ..alert
    };
    for version in CardVersion::ALL {
        let card = set
            .render_alert(CardKind::Triggered, version, &bare)
            .unwrap();
        assert!(!card.to_string().contains("\"button\""), "{version:?}");
    }
}

#[test]
fn cards_header_colours_by_state() {
    let set = TemplateSet::builtin();
    let colour = |kind, severity| {
        let alert = Alert {
            severity,
            ..fixture()
        };
        set.render_alert(kind, CardVersion::V2, &alert).unwrap()["header"]["template"].clone()
    };
    assert_eq!(colour(CardKind::Triggered, AlertSeverity::Critical), "red");
    assert_eq!(
        colour(CardKind::Triggered, AlertSeverity::Warning),
        "orange"
    );
    assert_eq!(colour(CardKind::Triggered, AlertSeverity::Info), "blue");
    assert_eq!(colour(CardKind::Triggered, AlertSeverity::Ok), "green");
    assert_eq!(
        colour(CardKind::Acknowledged, AlertSeverity::Critical),
        "yellow"
    );
    assert_eq!(colour(CardKind::Resolved, AlertSeverity::Critical), "green");

    let digest = set
        .render_digest(CardVersion::V2, &digest_fixture())
        .unwrap();
    assert_eq!(digest["header"]["template"], "red");
    let resolved: Vec<Alert> = digest_fixture()
        .into_iter()
        .map(|a| Alert {
            status: AlertStatus::Resolved,
            ..a
        })
        .collect();
    let digest = set.render_digest(CardVersion::V1, &resolved).unwrap();
    assert_eq!(digest["header"]["template"], "green");
}

#[test]
fn cards_digest_caps_the_list() {
    let set = TemplateSet::builtin();
    let many = vec![fixture(); DIGEST_MAX_ALERTS + 5];
    let card = set.render_digest(CardVersion::V2, &many).unwrap();
    let elements = card["body"]["elements"].as_array().unwrap();
    // summary line + the alerts shown + the "and N more" line
    assert_eq!(elements.len(), 1 + DIGEST_MAX_ALERTS + 1);
    assert_eq!(elements.last().unwrap()["content"], "…and 5 more.");
}

#[test]
fn cards_user_folder_overrides_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let name = template_file_name(CardKind::Resolved, CardVersion::V2);
    std::fs::write(
        dir.path().join(&name),
        r#"{"schema":"2.0","header":{"title":{"tag":"plain_text","content":"Fixed: {{ alert.title }}"}},"body":{"elements":[]}}"#,
    )
    .unwrap();
    let set = TemplateSet::load(dir.path()).unwrap();
    let card = set
        .render_alert(CardKind::Resolved, CardVersion::V2, &fixture())
        .unwrap();
    assert_eq!(
        card["header"]["title"]["content"],
        "Fixed: Disk almost full on db-01"
    );
    let info = set
        .templates()
        .iter()
        .find(|t| t.file_name == name)
        .unwrap();
    assert!(matches!(info.origin, TemplateOrigin::User { .. }));
    let others = set
        .templates()
        .iter()
        .filter(|t| t.origin == TemplateOrigin::Builtin)
        .count();
    assert_eq!(
        others, 15,
        "the other English templates and all Chinese ones"
    );
    // A folder that does not exist means "no user templates".
    assert!(TemplateSet::load(&dir.path().join("missing")).is_ok());
}

#[test]
fn cards_export_builtins_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let first = export_builtins(dir.path()).unwrap();
    assert_eq!(first.len(), 17, "sixteen templates and the README");
    assert!(first.contains(&"triggered.v2.zh-CN.json.j2".to_string()));
    assert!(first.contains(&"README.md".to_string()));
    let mine = dir.path().join("digest.v1.json.j2");
    std::fs::write(&mine, "mine").unwrap();
    assert!(export_builtins(dir.path()).unwrap().is_empty());
    assert_eq!(std::fs::read_to_string(mine).unwrap(), "mine");
    // The exported copies load and render like the built-ins.
    std::fs::remove_file(dir.path().join("digest.v1.json.j2")).unwrap();
    let set = TemplateSet::load(dir.path()).unwrap();
    assert_eq!(
        set.render_alert(CardKind::Triggered, CardVersion::V2, &fixture())
            .unwrap(),
        TemplateSet::builtin()
            .render_alert(CardKind::Triggered, CardVersion::V2, &fixture())
            .unwrap()
    );
}

#[test]
fn cards_broken_user_templates_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let name = template_file_name(CardKind::Triggered, CardVersion::V1);
    std::fs::write(dir.path().join(&name), "{\n{% if alert.title %}\n}").unwrap();
    let err = TemplateSet::load(dir.path()).err().unwrap().to_string();
    assert!(err.starts_with("triggered.v1.json.j2, line "), "{err}");

    std::fs::write(dir.path().join(&name), "{\"a\": {{ alert.titel }}}").unwrap();
    let set = TemplateSet::load(dir.path()).unwrap();
    let err = set
        .render_alert(CardKind::Triggered, CardVersion::V1, &fixture())
        .unwrap_err();
    assert!(
        matches!(&err, TemplateError::Template { line: Some(1), .. }),
        "{err}"
    );

    std::fs::write(dir.path().join(&name), "{\"a\": {{ alert.title }}}").unwrap();
    let set = TemplateSet::load(dir.path()).unwrap();
    let err = set
        .render_alert(CardKind::Triggered, CardVersion::V1, &fixture())
        .unwrap_err();
    assert!(
        matches!(&err, TemplateError::InvalidJson { line: 1, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("Disk almost full"), "{err}");
}

#[test]
fn cards_types_cross_ipc_in_camel_case() {
    let value = serde_json::to_value(fixture()).unwrap();
    assert_eq!(value["startedAt"], "2024-05-01T12:34:56Z");
    assert_eq!(value["incidentId"], "inc_7f3a9c");
    assert_eq!(value["severity"], "critical");
    assert_eq!(serde_json::to_value(CardVersion::V2).unwrap(), "2.0");
    let back: Alert = serde_json::from_value(value).unwrap();
    assert_eq!(back, fixture());
}
