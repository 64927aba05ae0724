//! App versions: what each one holds, its status (the platform's numbers), and version numbers.

use serde::{Deserialize, Serialize};

use super::Settings;

/// A version's status, serialized as the platform's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum VersionStatus {
    /// 1: approved; the newest approved version is the online one.
    Online,
    /// 2: rejected by the tenant admin.
    Rejected,
    /// 3: submitted, waiting for the tenant admin.
    UnderReview,
    /// 4: the pending draft, not submitted.
    Draft,
}

impl From<VersionStatus> for u8 {
    fn from(status: VersionStatus) -> u8 {
        match status {
            VersionStatus::Online => 1,
            VersionStatus::Rejected => 2,
            VersionStatus::UnderReview => 3,
            VersionStatus::Draft => 4,
        }
    }
}

impl TryFrom<u8> for VersionStatus {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, String> {
        Ok(match value {
            1 => Self::Online,
            2 => Self::Rejected,
            3 => Self::UnderReview,
            4 => Self::Draft,
            other => return Err(format!("unknown version status {other}")),
        })
    }
}

/// One version of an app.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AppVersion {
    /// `oav_` + 32 hex.
    pub version_id: String,
    /// `1.0.0`, `1.0.1`, … or what the publisher named it.
    pub version: String,
    pub status: VersionStatus,
    pub create_time_ms: i64,
    /// When it went online; `None` before.
    pub publish_time_ms: Option<i64>,
    pub settings: Settings,
    /// The bot's card request URL as this version shows it.
    pub card_request_url: String,
    pub remark: String,
    pub update_remark: String,
    /// Why the tenant admin rejected it.
    pub reject_reason: Option<String>,
}

/// The version number after the highest `major.minor.patch` so far (patch + 1), or `1.0.0`.
pub fn next_version(versions: &[AppVersion]) -> String {
    let parse = |v: &str| -> Option<(u64, u64, u64)> {
        let mut parts = v.trim().split('.').map(|p| p.parse::<u64>().ok());
        let triple = (parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(triple)
    };
    let highest = versions.iter().filter_map(|v| parse(&v.version)).max();
    match highest {
        Some((major, minor, patch)) => format!("{major}.{minor}.{}", patch + 1),
        None if versions.is_empty() => "1.0.0".to_string(),
        None => format!("1.0.{}", versions.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(number: &str) -> AppVersion {
        AppVersion {
            version_id: String::new(),
            version: number.to_string(),
            status: VersionStatus::Online,
            create_time_ms: 0,
            publish_time_ms: None,
            settings: Settings::default(),
            card_request_url: String::new(),
            remark: String::new(),
            update_remark: String::new(),
            reject_reason: None,
        }
    }

    #[test]
    fn the_next_number_bumps_the_highest_patch() {
        assert_eq!(next_version(&[]), "1.0.0");
        assert_eq!(next_version(&[version("1.0.0")]), "1.0.1");
        assert_eq!(
            next_version(&[version("1.2.9"), version("1.0.3")]),
            "1.2.10"
        );
        assert_eq!(next_version(&[version("beta")]), "1.0.1");
    }

    #[test]
    fn statuses_are_the_platform_numbers() {
        assert_eq!(serde_json::to_value(VersionStatus::UnderReview).unwrap(), 3);
        let back: VersionStatus = serde_json::from_value(serde_json::json!(4)).unwrap();
        assert_eq!(back, VersionStatus::Draft);
    }
}
