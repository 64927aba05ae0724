//! Publishing: the pending changes become a version that is submitted; its state is then read
//! (under review, online or rejected). Whether a tenant admin must approve cannot be known
//! before publishing; the UI and the CLI say so before asking.

use lark_platform::client::application::{PublishRequest, VersionStatus};
use lark_platform::client::{ApiError, Client};
use serde::Serialize;
use ts_rs::TS;

/// A version's state, as people say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VersionState {
    /// Created, not submitted yet.
    NotSubmitted,
    /// Waiting for a tenant admin.
    UnderReview,
    Online,
    Rejected,
    Unknown,
}

impl From<VersionStatus> for VersionState {
    fn from(status: VersionStatus) -> Self {
        match status {
            VersionStatus::NotSubmitted => Self::NotSubmitted,
            VersionStatus::UnderReview => Self::UnderReview,
            VersionStatus::Online => Self::Online,
            VersionStatus::Rejected => Self::Rejected,
            VersionStatus::Unknown => Self::Unknown,
        }
    }
}

/// What publishing made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublishReport {
    pub version_id: String,
    pub version: Option<String>,
    pub state: VersionState,
    /// The reviewer's words when the platform gives them (rejections).
    pub note: Option<String>,
}

/// Publishes with a remark and a changelog.
pub async fn publish(
    client: &Client,
    remark: &str,
    changelog: &str,
) -> Result<PublishReport, ApiError> {
    let published = client
        .publish(&PublishRequest {
            remark: remark.to_owned(),
            changelog: changelog.to_owned(),
            version: None,
        })
        .await?;
    let mut report = PublishReport {
        version_id: published.version_id,
        version: published.version,
        state: VersionState::Unknown,
        note: None,
    };
    refresh(client, &mut report).await?;
    Ok(report)
}

/// Reads the version's state again.
pub async fn refresh(client: &Client, report: &mut PublishReport) -> Result<(), ApiError> {
    let version = client.app_version(&report.version_id).await?;
    report.state = version.status().into();
    if report.version.is_none() {
        report.version = version.version.clone();
    }
    if report.state == VersionState::Rejected {
        report.note = version.remark.and_then(|r| r.update_remark.or(r.remark));
    }
    Ok(())
}

/// The changelog `app publish` is pre-filled with: the plan's items waiting for this version,
/// one line each, in the English of the catalogue the window words its own with
/// (`setup.publish.api.changelogHeading`, `setup.apply.items.<id>.title`).
pub fn changelog(plan: &super::Plan) -> String {
    use crate::problem::catalogue_text;
    use std::collections::BTreeMap;
    let heading = catalogue_text(
        &["setup", "publish", "api", "changelogHeading"],
        &BTreeMap::new(),
    );
    let mut lines = vec![heading];
    for item in plan
        .items
        .iter()
        .filter(|i| i.awaiting_publish || i.action.writes())
    {
        let id = serde_json::to_value(item.id).unwrap_or_default();
        let params =
            BTreeMap::from([("scope".to_owned(), item.subject.clone().unwrap_or_default())]);
        let title = catalogue_text(
            &[
                "setup",
                "apply",
                "items",
                id.as_str().unwrap_or_default(),
                "title",
            ],
            &params,
        );
        lines.push(format!("- {title}"));
    }
    lines.join("\n")
}
