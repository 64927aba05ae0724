//! The alert a card shows: the common ground of Flashduty incidents, Alertmanager and Grafana
//! alerts, and hand-written JSON. Crosses the IPC boundary (the UI edits it before a preview).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ipc::Language;

/// How bad the alert is. `Ok` is for "recovered" notifications that carry no severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    Critical,
    Warning,
    Info,
    Ok,
}

impl AlertSeverity {
    pub const ALL: [AlertSeverity; 4] = [Self::Critical, Self::Warning, Self::Info, Self::Ok];

    /// The word shown on English cards.
    pub fn label(self) -> &'static str {
        self.label_in(Language::English)
    }

    /// The word shown on cards in `language`.
    pub fn label_in(self, language: Language) -> &'static str {
        match (language, self) {
            (Language::English, Self::Critical) => "Critical",
            (Language::English, Self::Warning) => "Warning",
            (Language::English, Self::Info) => "Info",
            (Language::English, Self::Ok) => "OK",
            (Language::SimplifiedChinese, Self::Critical) => "严重",
            (Language::SimplifiedChinese, Self::Warning) => "警告",
            (Language::SimplifiedChinese, Self::Info) => "提示",
            (Language::SimplifiedChinese, Self::Ok) => "正常",
        }
    }

    /// Header colour while the alert is firing: the platform's own semantic colours ("标题"
    /// page: red = error, orange = warning, green = done), blue for plain information.
    pub fn header_template(self) -> &'static str {
        match self {
            Self::Critical => "red",
            Self::Warning => "orange",
            Self::Info => "blue",
            Self::Ok => "green",
        }
    }

    /// Lower is worse; for picking the worst of a digest.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Self::Critical => 0,
            Self::Warning => 1,
            Self::Info => 2,
            Self::Ok => 3,
        }
    }
}

/// Where the incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Triggered,
    Acknowledged,
    Resolved,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 3] = [Self::Triggered, Self::Acknowledged, Self::Resolved];

    /// The word shown on English cards.
    pub fn label(self) -> &'static str {
        self.label_in(Language::English)
    }

    /// The word shown on cards in `language` (Flashduty's own words in Chinese: 认领, 解决).
    pub fn label_in(self, language: Language) -> &'static str {
        match (language, self) {
            (Language::English, Self::Triggered) => "Triggered",
            (Language::English, Self::Acknowledged) => "Acknowledged",
            (Language::English, Self::Resolved) => "Resolved",
            (Language::SimplifiedChinese, Self::Triggered) => "已触发",
            (Language::SimplifiedChinese, Self::Acknowledged) => "已认领",
            (Language::SimplifiedChinese, Self::Resolved) => "已解决",
        }
    }
}

/// A labelled link shown on the card (runbook, dashboard, alert rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertLink {
    pub label: String,
    pub url: String,
}

/// One alert or incident, as the card templates see it (see templates/cards/README.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub title: String,
    pub severity: AlertSeverity,
    pub status: AlertStatus,
    #[serde(default)]
    pub description: String,
    /// Ordered by key, so cards list labels the same way every time.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    /// People (names or emails) the incident is assigned to.
    #[serde(default)]
    pub assignees: Vec<String>,
    #[serde(default)]
    pub links: Vec<AlertLink>,
    /// The incident-management service's id; the Acknowledge/Resolve buttons carry it. Empty
    /// means unknown, and the built-in templates then leave those buttons out.
    #[serde(default)]
    pub incident_id: String,
    /// The incident's page; the "Open incident" button links to it when set.
    #[serde(default)]
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_url: Option<String>,
}
