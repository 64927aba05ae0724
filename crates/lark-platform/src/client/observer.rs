//! The call hook: every HTTP exchange the client makes (token calls and retries included) is
//! reported as a [`CallRecord`], so the quota ledger sees exactly what the platform saw.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::error::RateLimitHeaders;
use super::gate::CallTarget;

/// The Open API endpoints the client calls, with stable names for ledgers and dashboards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    TenantAccessToken,
    BotInfo,
    ChatsList,
    MessagesCreate,
    MessagesPatch,
    ApplicationGet,
    AppVersionsList,
    AppVersionGet,
    ScopesList,
    ScopesApply,
    AbilityPatch,
    ConfigPatch,
    BasePatch,
    Publish,
}

impl Endpoint {
    pub const ALL: [Endpoint; 14] = [
        Self::TenantAccessToken,
        Self::BotInfo,
        Self::ChatsList,
        Self::MessagesCreate,
        Self::MessagesPatch,
        Self::ApplicationGet,
        Self::AppVersionsList,
        Self::AppVersionGet,
        Self::ScopesList,
        Self::ScopesApply,
        Self::AbilityPatch,
        Self::ConfigPatch,
        Self::BasePatch,
        Self::Publish,
    ];

    /// A dotted name that never changes, e.g. `im.v1.messages.create`.
    pub fn name(self) -> &'static str {
        match self {
            Self::TenantAccessToken => "auth.v3.tenant_access_token.internal",
            Self::BotInfo => "bot.v3.info",
            Self::ChatsList => "im.v1.chats.list",
            Self::MessagesCreate => "im.v1.messages.create",
            Self::MessagesPatch => "im.v1.messages.patch",
            Self::ApplicationGet => "application.v6.applications.get",
            Self::AppVersionsList => "application.v6.app_versions.list",
            Self::AppVersionGet => "application.v6.app_versions.get",
            Self::ScopesList => "application.v6.scopes.list",
            Self::ScopesApply => "application.v6.scopes.apply",
            Self::AbilityPatch => "application.v7.ability.patch",
            Self::ConfigPatch => "application.v7.config.patch",
            Self::BasePatch => "application.v7.base.patch",
            Self::Publish => "application.v7.publish",
        }
    }

    pub fn method(self) -> &'static str {
        match self {
            Self::TenantAccessToken | Self::MessagesCreate | Self::ScopesApply | Self::Publish => {
                "POST"
            }
            Self::BotInfo
            | Self::ChatsList
            | Self::ApplicationGet
            | Self::AppVersionsList
            | Self::AppVersionGet
            | Self::ScopesList => "GET",
            Self::MessagesPatch | Self::AbilityPatch | Self::ConfigPatch | Self::BasePatch => {
                "PATCH"
            }
        }
    }

    /// The path with ids left as placeholders, so records group by API rather than by message.
    pub fn path_template(self) -> &'static str {
        match self {
            Self::TenantAccessToken => "/open-apis/auth/v3/tenant_access_token/internal",
            Self::BotInfo => "/open-apis/bot/v3/info",
            Self::ChatsList => "/open-apis/im/v1/chats",
            Self::MessagesCreate => "/open-apis/im/v1/messages",
            Self::MessagesPatch => "/open-apis/im/v1/messages/:message_id",
            Self::ApplicationGet => "/open-apis/application/v6/applications/:app_id",
            Self::AppVersionsList => "/open-apis/application/v6/applications/:app_id/app_versions",
            Self::AppVersionGet => {
                "/open-apis/application/v6/applications/:app_id/app_versions/:version_id"
            }
            Self::ScopesList => "/open-apis/application/v6/scopes",
            Self::ScopesApply => "/open-apis/application/v6/scopes/apply",
            Self::AbilityPatch => "/open-apis/application/v7/applications/:app_id/ability",
            Self::ConfigPatch => "/open-apis/application/v7/applications/:app_id/config",
            Self::BasePatch => "/open-apis/application/v7/applications/:app_id/base",
            Self::Publish => "/open-apis/application/v7/applications/:app_id/publish",
        }
    }

    /// A per-minute ceiling of its own, on top of the per-second tier every API has: the
    /// ability PATCH 100 a minute, publishing 20 a minute (docs/protocol.md).
    pub fn per_minute_ceiling(self) -> Option<u32> {
        match self {
            Self::AbilityPatch => Some(100),
            Self::Publish => Some(20),
            _ => None,
        }
    }

    /// Whether a successful call uses the tenant's monthly quota. Token calls belong to
    /// "Authentication & Authorization", which is not counted; the IM APIs and bot info are
    /// (docs/protocol.md, "Rate limits and the monthly quota"; lark-sim counts the same set).
    pub fn counted(self) -> bool {
        !matches!(self, Self::TenantAccessToken)
    }
}

/// One HTTP exchange with the platform.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    pub endpoint: Endpoint,
    /// `None` when no answer arrived (network error or timeout).
    pub http_status: Option<u16>,
    /// The body's `code`, when the answer had one.
    pub code: Option<i64>,
    /// From sending the request to reading the whole answer.
    pub latency: Duration,
    /// Whether this call used the monthly quota: a counted endpoint that succeeded.
    pub counted: bool,
    /// [`super::ApiError::kind`] of the failure, `None` on success.
    pub error_kind: Option<&'static str>,
    /// The `x-ogw-ratelimit-*` / `Retry-After` headers, as sent.
    pub rate_limit: RateLimitHeaders,
    /// `x-tt-logid`: what the platform's support asks for.
    pub log_id: Option<String>,
    /// When the request was sent (after any wait at the [`super::RateGate`]).
    pub at: DateTime<Utc>,
    /// The receiver of a send or the message of a card update; `None` for other endpoints.
    pub target: Option<CallTarget>,
}

/// Receives a record of every call. It runs inline on the calling task, so it must be cheap
/// and must never block: hand the record to a channel or an atomic counter, not to a database.
pub trait CallObserver: Send + Sync {
    fn observe(&self, call: &CallRecord);
}

impl<F> CallObserver for F
where
    F: Fn(&CallRecord) + Send + Sync,
{
    fn observe(&self, call: &CallRecord) {
        self(call);
    }
}

/// An unbounded sender never blocks; a closed receiver just drops the records.
impl CallObserver for tokio::sync::mpsc::UnboundedSender<CallRecord> {
    fn observe(&self, call: &CallRecord) {
        let _ = self.send(call.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_only_tokens_are_free() {
        let mut names: Vec<_> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Endpoint::ALL.len());
        assert!(!Endpoint::TenantAccessToken.counted());
        assert!(Endpoint::MessagesCreate.counted());
        assert!(Endpoint::MessagesPatch.counted());
        assert!(Endpoint::ALL
            .iter()
            .all(|e| !e.path_template().contains("om_")));
    }
}
