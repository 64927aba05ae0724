//! The built-in card handler, used when a profile has no upstream: Acknowledge and Resolve
//! clicks on our alert cards (button contract in [`crate::cards`]) are answered with the updated
//! card, so the whole loop (send a card, click, see it change) works in the sandbox.
//!
//! The relay does not know the alert behind a card unless told: whoever sends alert cards can
//! [`KnownAlerts::remember`] them; an unknown incident gets a minimal card naming its id.
//!
//! The answer card and its toast are in the profile's card language
//! ([`super::RelayProfile::card_language`]).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use lark_platform::envelope::Envelope;
use serde_json::{json, Value};

use crate::cards::{
    Alert, AlertSeverity, AlertStatus, CardKind, CardVersion, TemplateSet, ACTION_ACKNOWLEDGE,
    ACTION_RESOLVE,
};
use crate::ipc::Language;

/// Alerts whose cards were sent, by incident id, with the card schema they were sent in.
pub trait AlertBook: Send + Sync {
    fn alert(&self, incident_id: &str) -> Option<(Alert, CardVersion)>;
    /// Called after a click changed the alert's status.
    fn update(&self, alert: &Alert, version: CardVersion);
}

/// An in-memory [`AlertBook`].
#[derive(Default)]
pub struct KnownAlerts {
    alerts: Mutex<HashMap<String, (Alert, CardVersion)>>,
}

impl KnownAlerts {
    pub fn remember(&self, alert: Alert, version: CardVersion) {
        self.alerts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(alert.incident_id.clone(), (alert, version));
    }
}

impl AlertBook for KnownAlerts {
    fn alert(&self, incident_id: &str) -> Option<(Alert, CardVersion)> {
        self.alerts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(incident_id)
            .cloned()
    }

    fn update(&self, alert: &Alert, version: CardVersion) {
        self.remember(alert.clone(), version);
    }
}

/// The words of the built-in handler's answers.
struct Words {
    acknowledged: &'static str,
    resolved: &'static str,
    not_ours: &'static str,
    template_failed: &'static str,
    incident: &'static str,
}

fn words(language: Language) -> Words {
    match language {
        Language::English => Words {
            acknowledged: "Acknowledged",
            resolved: "Resolved",
            not_ours: "No upstream is configured; the relay recorded this click.",
            template_failed: "The relay's card template failed; see the log.",
            incident: "Incident",
        },
        Language::SimplifiedChinese => Words {
            acknowledged: "已认领",
            resolved: "已解决",
            not_ours: "未配置上游地址；中继已记录这次点击。",
            template_failed: "中继的卡片模板出错，请查看日志。",
            incident: "故障",
        },
    }
}

/// The answer to a card click, in `language`: JSON body for HTTP 200.
pub fn answer(
    envelope: &Envelope,
    templates: &TemplateSet,
    alerts: &dyn AlertBook,
    language: Language,
    now: DateTime<Utc>,
) -> Value {
    let words = words(language);
    let (value, legacy) = match envelope {
        Envelope::CardActionTrigger(c) => (&c.action_value, false),
        Envelope::LegacyCardAction(c) => (c.action.get("value").unwrap_or(&Value::Null), true),
        _ => return json!({}),
    };
    let not_ours = |legacy| toast(legacy, "info", words.not_ours);
    let action = value.get("action").and_then(Value::as_str);
    let incident = value
        .get("incident_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty());
    let (status, kind, done) = match action {
        Some(ACTION_ACKNOWLEDGE) => (
            AlertStatus::Acknowledged,
            CardKind::Acknowledged,
            words.acknowledged,
        ),
        Some(ACTION_RESOLVE) => (AlertStatus::Resolved, CardKind::Resolved, words.resolved),
        _ => return not_ours(legacy),
    };
    let Some(incident) = incident else {
        return not_ours(legacy);
    };
    let (alert, known_version) = match alerts.alert(incident) {
        Some((alert, version)) => (alert, Some(version)),
        None => (placeholder(incident, words.incident, now), None),
    };
    // A legacy callback must answer with a 1.0 card; a 2.0 card cannot become a 1.0 one.
    let version = if legacy {
        CardVersion::V1
    } else {
        known_version.unwrap_or(CardVersion::V2)
    };
    let updated = Alert { status, ..alert };
    let card = match templates.render_alert_in(kind, version, language, &updated) {
        Ok(card) => card,
        Err(e) => {
            tracing::warn!(error = %e, "built-in card template failed");
            return toast(legacy, "error", words.template_failed);
        }
    };
    alerts.update(&updated, version);
    if legacy {
        card
    } else {
        json!({
            "toast": {"type": "success", "content": match language {
                Language::English => format!("{done}: {}", updated.title),
                Language::SimplifiedChinese => format!("{done}：{}", updated.title),
            }},
            "card": {"type": "raw", "data": card},
        })
    }
}

fn toast(legacy: bool, kind: &str, content: &str) -> Value {
    if legacy {
        json!({})
    } else {
        json!({"toast": {"type": kind, "content": content}})
    }
}

/// An alert the relay was not told about: titled by its incident id.
fn placeholder(incident_id: &str, incident: &str, now: DateTime<Utc>) -> Alert {
    Alert {
        title: format!("{incident} {incident_id}"),
        severity: AlertSeverity::Info,
        status: AlertStatus::Triggered,
        description: String::new(),
        labels: Default::default(),
        started_at: now,
        assignees: Vec::new(),
        links: Vec::new(),
        incident_id: incident_id.to_string(),
        incident_url: None,
    }
}

#[cfg(test)]
mod tests {
    use lark_platform::envelope::parse;

    use super::*;

    fn click(action: &str) -> Envelope {
        let body = json!({"schema":"2.0","header":{"event_id":"e","event_type":"card.action.trigger","token":"t"},
            "event":{"action":{"tag":"button","value":{"action":action,"incident_id":"INC-7"}}}});
        parse(body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn acknowledge_returns_the_acknowledged_card_and_remembers_it() {
        let templates = TemplateSet::builtin();
        let book = KnownAlerts::default();
        let answer = answer(
            &click("acknowledge"),
            &templates,
            &book,
            Language::English,
            Utc::now(),
        );
        assert_eq!(answer["card"]["type"], "raw");
        assert_eq!(answer["card"]["data"]["header"]["template"], "yellow");
        assert_eq!(
            book.alert("INC-7").unwrap().0.status,
            AlertStatus::Acknowledged
        );
        let other = super::answer(
            &click("snooze"),
            &templates,
            &book,
            Language::English,
            Utc::now(),
        );
        assert!(other.get("card").is_none());
    }

    #[test]
    fn the_answer_card_and_toast_are_in_the_profiles_card_language() {
        let templates = TemplateSet::builtin();
        let book = KnownAlerts::default();
        let zh = Language::SimplifiedChinese;
        let answer = answer(&click("acknowledge"), &templates, &book, zh, Utc::now());
        let card = answer["card"]["data"].to_string();
        assert!(card.contains("已认领"), "{card}");
        assert!(card.contains("故障 INC-7"), "{card}");
        assert!(card.contains("解决"), "the Resolve button: {card}");
        assert!(
            !card.contains("Resolve") && !card.contains("Severity"),
            "{card}"
        );
        assert_eq!(answer["toast"]["content"], "已认领：故障 INC-7");

        let resolved = super::answer(&click("resolve"), &templates, &book, zh, Utc::now());
        assert_eq!(resolved["toast"]["content"], "已解决：故障 INC-7");
        let other = super::answer(&click("snooze"), &templates, &book, zh, Utc::now());
        assert_eq!(
            other["toast"]["content"],
            "未配置上游地址；中继已记录这次点击。"
        );
    }
}
