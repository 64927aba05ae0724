//! One snapshot of the app as the platform describes it: its configuration (application v6
//! get), its newest version of any status and its online version (abilities are only returned
//! per version), and its scope grants (readable without any scope, so we always know whether
//! the app may read and change itself).

use lark_platform::client::application::{AppInfo, AppVersion, ScopeGrant, VersionStatus};
use lark_platform::client::{ApiError, Client};

/// What one read found. `app` is `None` when the platform refused to show it (`app_error`).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub app: Option<AppInfo>,
    pub app_error: Option<ApiError>,
    /// The newest version, whatever its status (a draft holds changes not yet published).
    pub newest: Option<AppVersion>,
    /// The version online now.
    pub online: Option<AppVersion>,
    /// Whether versions could be read at all (`false`: abilities are unknown).
    pub versions_read: bool,
    pub grants: Option<Vec<ScopeGrant>>,
}

impl Snapshot {
    /// Whether the app holds `scope` (granted), if the grants could be read.
    pub fn granted(&self, scope: &str) -> Option<bool> {
        self.grants
            .as_ref()
            .map(|g| g.iter().any(|s| s.scope_name == scope && s.granted()))
    }

    /// The newest version is not online yet.
    pub fn newest_is_pending(&self) -> bool {
        self.newest
            .as_ref()
            .is_some_and(|v| v.status() != VersionStatus::Online)
    }
}

/// Reads the app. Only failures that say nothing about the app itself (network, rate limit,
/// quota, credentials) end the read as an error; a refused read leaves that part unknown.
pub async fn read(client: &Client) -> Result<Snapshot, ApiError> {
    let mut snapshot = Snapshot::default();
    match client.scope_grants().await {
        Ok(grants) => snapshot.grants = Some(grants),
        Err(e) if fatal(&e) => return Err(e),
        Err(e) => tracing::debug!(error = e.kind(), "scope grants not readable"),
    }
    match client.application("en_us").await {
        Ok(app) => snapshot.app = Some(app),
        Err(e) if fatal(&e) => return Err(e),
        Err(e) => snapshot.app_error = Some(e),
    }
    let online_id = snapshot
        .app
        .as_ref()
        .and_then(|a| a.online_version_id.clone());
    match client.app_versions(None).await {
        Ok(page) => {
            snapshot.versions_read = true;
            let mut items = page.items;
            // Newest first. Times are whole seconds, so versions made in one second tie: a
            // pending version is newer than any published one (it can only follow them), and
            // the app's online version is newer than older published ones.
            let rank = |v: &AppVersion| match v.status() {
                VersionStatus::NotSubmitted => 3,
                VersionStatus::UnderReview => 2,
                _ if Some(&v.version_id) == online_id.as_ref() => 1,
                _ => 0,
            };
            items.sort_by_key(|v| std::cmp::Reverse((v.created(), rank(v))));
            snapshot.online = items
                .iter()
                .find(|v| Some(&v.version_id) == online_id.as_ref())
                .or_else(|| items.iter().find(|v| v.status() == VersionStatus::Online))
                .cloned();
            snapshot.newest = items.into_iter().next();
        }
        Err(e) if fatal(&e) => return Err(e),
        Err(e) => tracing::debug!(error = e.kind(), "versions not readable"),
    }
    if let (Some(id), true) = (online_id, snapshot.versions_read) {
        if snapshot.online.as_ref().is_none_or(|v| v.version_id != id) {
            match client.app_version(&id).await {
                Ok(version) => snapshot.online = Some(version),
                Err(e) if fatal(&e) => return Err(e),
                Err(_) => {}
            }
        }
    }
    Ok(snapshot)
}

/// Errors that mean the platform could not be asked at all, or has no such API (404: make the
/// changes in the console; the error says so).
fn fatal(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Network { .. }
            | ApiError::RateLimited { .. }
            | ApiError::QuotaExhausted { .. }
            | ApiError::InvalidCredentials { .. }
            | ApiError::TokenInvalid { .. }
            | ApiError::AppUnavailable { .. }
            | ApiError::Server { .. }
            | ApiError::NotSupported
    )
}
