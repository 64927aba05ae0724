//! Sending a card to chats and people, several at once, and updating a sent card.
//!
//! Every target gets its own result: the message id, or the typed failure with its fix (the bot
//! is not in the chat, the card is too large, the app is rate limited, a scope is missing, ...),
//! so one bad target never hides the others. Platform refusals are results, not errors: only
//! input that cannot be sent at all (no target, text that is not a card) is an [`Error`].
//!
//! Targets go out one after another, in the order given. That keeps a batch inside the
//! platform's per-receiver ceiling (5 a second to one chat or person) without any pacing of our
//! own; the app-wide ceilings are the client's limiter's business (`platform_client`). A
//! rate-limited target is reported with the wait the platform asked for and is not retried
//! behind the user's back: the screen offers "send again to the failed ones".

use lark_platform::client::{ApiError, Client, ReceiveId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::console::{console_link, scope_grant_link, ConsolePage};
use crate::error::platform_problem;
use crate::problem::{FixCode as F, Problem, ProblemCode as C};
use crate::profiles::Platform;
use crate::{Error, Result};

/// How a target is named; picks the send call's `receive_id_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A group (`oc_…`); the bot must be a member.
    ChatId,
    /// A person by open_id (`ou_…`, per app).
    OpenId,
    /// A person by tenant user id.
    UserId,
    /// A person by union_id (`on_…`).
    UnionId,
    /// A person by email.
    Email,
}

impl TargetKind {
    /// The word for it in messages and the CLI.
    pub fn label(self) -> &'static str {
        match self {
            Self::ChatId => "chat",
            Self::OpenId => "open_id",
            Self::UserId => "user_id",
            Self::UnionId => "union_id",
            Self::Email => "email",
        }
    }
}

/// Where to send a card.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendTarget {
    pub kind: TargetKind,
    pub id: String,
}

impl SendTarget {
    pub fn new(kind: TargetKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }

    fn receive_id(&self) -> ReceiveId {
        let id = self.id.clone();
        match self.kind {
            TargetKind::ChatId => ReceiveId::ChatId(id),
            TargetKind::OpenId => ReceiveId::OpenId(id),
            TargetKind::UserId => ReceiveId::UserId(id),
            TargetKind::UnionId => ReceiveId::UnionId(id),
            TargetKind::Email => ReceiveId::Email(id),
        }
    }

    /// Why this id cannot be what its kind says, checked before any call.
    fn shape_problem(&self) -> Option<Problem> {
        let id = self.id.as_str();
        let starts = |prefix: &str, fix: F| {
            (!id.starts_with(prefix)).then(|| {
                Problem::new(C::TargetInvalid)
                    .param("value", id)
                    .param("prefix", prefix)
                    .fix(fix)
            })
        };
        match self.kind {
            TargetKind::ChatId => starts("oc_", F::CardTargetChat),
            TargetKind::OpenId => starts("ou_", F::CardTargetId),
            TargetKind::UnionId => starts("on_", F::CardTargetId),
            TargetKind::Email => {
                let ok = id
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
                (!ok).then(|| {
                    Problem::new(C::TargetNotEmail)
                        .param("value", id)
                        .fix(F::CardTargetEmail)
                })
            }
            TargetKind::UserId => None,
        }
    }
}

/// One target's result.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub target: SendTarget,
    /// `om_…`, set when the card was delivered; needed to update it.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The chat it landed in (a person's is their chat with the bot).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Problem>,
}

impl Delivery {
    pub fn is_sent(&self) -> bool {
        self.message_id.is_some()
    }
}

/// The result of updating a sent card.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardUpdate {
    pub message_id: String,
    pub updated: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Problem>,
}

/// Trims the ids, drops empty ones and repeats (keeping the first), and refuses an empty list.
pub fn clean_targets(targets: &[SendTarget]) -> Result<Vec<SendTarget>> {
    let mut clean: Vec<SendTarget> = Vec::with_capacity(targets.len());
    for target in targets {
        let target = SendTarget::new(target.kind, target.id.trim());
        if !target.id.is_empty() && !clean.contains(&target) {
            clean.push(target);
        }
    }
    if clean.is_empty() {
        return Err(Error::invalid("targets", C::TargetsEmpty));
    }
    Ok(clean)
}

/// The `uuid` that makes a send idempotent for an hour: one per target of a request, so a
/// repeated request (a retry after a timeout) does not post twice. The platform allows 50
/// characters.
fn send_uuid(request_id: Option<&str>, index: usize) -> Option<String> {
    let id: String = request_id?
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    (!id.is_empty()).then(|| format!("{id}-{index}"))
}

/// Sends `card` to every target, one after another, and reports each. `request_id` (any short
/// text, new for each user action) makes a repeat of the same request harmless.
pub async fn send_to_targets(
    client: &Client,
    platform: &Platform,
    card: &Value,
    targets: &[SendTarget],
    request_id: Option<&str>,
) -> Result<Vec<Delivery>> {
    let targets = clean_targets(targets)?;
    let mut deliveries = Vec::with_capacity(targets.len());
    for (index, target) in targets.into_iter().enumerate() {
        if let Some(problem) = target.shape_problem() {
            deliveries.push(Delivery {
                failure: Some(problem),
                target,
                message_id: None,
                chat_id: None,
            });
            continue;
        }
        let uuid = send_uuid(request_id, index);
        let result = client
            .send_card(&target.receive_id(), card, uuid.as_deref())
            .await;
        deliveries.push(match result {
            Ok(sent) => {
                tracing::info!(target = target.kind.label(), message_id = %sent.message_id, "card sent");
                Delivery {
                    target,
                    message_id: Some(sent.message_id),
                    chat_id: Some(sent.chat_id).filter(|c| !c.is_empty()),
                    failure: None,
                }
            }
            Err(error) => {
                tracing::info!(target = target.kind.label(), kind = error.kind(), "card not sent");
                Delivery {
                    failure: Some(failure(
                        &error,
                        platform,
                        client.app_id(),
                        Operation::Send(target.kind),
                    )),
                    target,
                    message_id: None,
                    chat_id: None,
                }
            }
        });
    }
    Ok(deliveries)
}

/// Replaces the content of a card the app sent (for example with its acknowledged version).
pub async fn update_sent_card(
    client: &Client,
    platform: &Platform,
    message_id: &str,
    card: &Value,
) -> Result<CardUpdate> {
    let message_id = message_id.trim();
    if message_id.is_empty() {
        return Err(Error::invalid("messageId", C::MessageIdMissing));
    }
    let failure = match client.update_card(message_id, card).await {
        Ok(()) => None,
        Err(error) => Some(failure(
            &error,
            platform,
            client.app_id(),
            Operation::Update,
        )),
    };
    Ok(CardUpdate {
        message_id: message_id.to_string(),
        updated: failure.is_none(),
        failure,
    })
}

/// What was being done when the platform refused; the fix differs.
#[derive(Clone, Copy)]
enum Operation {
    Send(TargetKind),
    Update,
}

/// The failure for an Open API error: the platform's problem with a fix written for cards.
/// The `seconds` and `scopes` params tell the window how long to wait and what to grant.
fn failure(error: &ApiError, platform: &Platform, app_id: &str, operation: Operation) -> Problem {
    let problem = platform_problem(error);
    let link = |page| Some(console_link(platform, app_id, page));
    let (fix, link) = match error {
        ApiError::BotNotInChat { .. } => (F::CardAddBot, None),
        ApiError::ContentTooLarge { .. } => (F::CardTooLarge, None),
        ApiError::RateLimited { reset_after, .. } => {
            let secs = reset_after.map_or(1, |d| d.as_secs_f64().ceil().max(1.0) as u32);
            let problem = Problem::new(C::RateLimited).param("seconds", secs);
            return match error.code() {
                Some(code) => problem.param("code", code),
                None => problem,
            }
            .fix(F::CardWaitAndResend);
        }
        ApiError::MissingScopes {
            scopes: needed,
            console_link: given,
            ..
        } => {
            let wanted: Vec<&str> = if needed.is_empty() {
                vec!["im:message"]
            } else {
                needed.iter().map(String::as_str).collect()
            };
            let link = given
                .clone()
                .or_else(|| Some(scope_grant_link(platform, app_id, &wanted)));
            return problem
                .param("scopes", wanted.join(", "))
                .fix(F::GrantScopes)
                .link(link.filter(|l| l.starts_with("http")));
        }
        ApiError::ReceiverUnavailable { .. } => (F::CardAvailability, link(ConsolePage::Versions)),
        ApiError::BotCapabilityDisabled { .. } => (F::EnableBot, link(ConsolePage::Bot)),
        ApiError::QuotaExhausted { .. } => (F::QuotaReset, None),
        ApiError::AppUnavailable { .. } => (F::EnableApp, link(ConsolePage::Versions)),
        ApiError::InvalidCredentials { .. } => {
            (F::CardCopyCredentials, link(ConsolePage::Credentials))
        }
        ApiError::TokenInvalid { .. } => (F::TokenClock, None),
        ApiError::ContentInvalid { .. } => match operation {
            Operation::Update => (F::CardUpdateRules, None),
            Operation::Send(TargetKind::ChatId) => (F::CardCheckChat, None),
            Operation::Send(_) => (F::CardCheckPerson, None),
        },
        ApiError::Network { .. } => (F::CheckNetwork, None),
        // Configuration-API refusals; sends never get them, but the match stays exhaustive.
        ApiError::Server { .. }
        | ApiError::Decode { .. }
        | ApiError::Platform { .. }
        | ApiError::UnderReview { .. }
        | ApiError::NotConsoleApp { .. }
        | ApiError::NotSupported => (F::CardTryAgain, None),
    };
    problem
        .fix(fix)
        .link(link.filter(|l| l.starts_with("http")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_trimmed_deduplicated_and_required() {
        let targets = [
            SendTarget::new(TargetKind::ChatId, " oc_1 "),
            SendTarget::new(TargetKind::ChatId, "oc_1"),
            SendTarget::new(TargetKind::Email, ""),
            SendTarget::new(TargetKind::Email, "a@example.com"),
        ];
        let clean = clean_targets(&targets).unwrap();
        assert_eq!(
            clean,
            vec![
                SendTarget::new(TargetKind::ChatId, "oc_1"),
                SendTarget::new(TargetKind::Email, "a@example.com"),
            ]
        );
        assert!(matches!(
            clean_targets(&[SendTarget::new(TargetKind::OpenId, "  ")]),
            Err(e) if e.field().as_deref() == Some("targets")
        ));
    }

    #[test]
    fn ids_of_the_wrong_shape_are_caught_before_any_call() {
        assert!(SendTarget::new(TargetKind::ChatId, "ou_x")
            .shape_problem()
            .is_some());
        assert!(SendTarget::new(TargetKind::Email, "nobody")
            .shape_problem()
            .is_some());
        assert!(SendTarget::new(TargetKind::Email, "a@example.com")
            .shape_problem()
            .is_none());
        assert!(SendTarget::new(TargetKind::UserId, "5d9a1b2c")
            .shape_problem()
            .is_none());
    }

    #[test]
    fn send_uuids_are_short_per_target_and_only_with_a_request_id() {
        assert_eq!(send_uuid(None, 0), None);
        assert_eq!(send_uuid(Some("req 1/2"), 3).as_deref(), Some("req12-3"));
        let long = "a".repeat(80);
        assert!(send_uuid(Some(&long), 12).unwrap().len() <= 50);
    }

    #[test]
    fn the_fix_is_written_for_cards_and_links_the_console() {
        let platform = Platform::Feishu;
        let f = failure(
            &ApiError::MissingScopes {
                code: 99991672,
                scopes: vec![],
                console_link: None,
            },
            &platform,
            "cli_a1",
            Operation::Send(TargetKind::ChatId),
        );
        assert_eq!(f.code, C::MissingScopes);
        assert_eq!(f.params["scopes"], "im:message");
        assert_eq!(
            f.fix.as_ref().and_then(|f| f.link.as_deref()),
            Some("https://open.feishu.cn/app/cli_a1/auth?q=im:message")
        );
        let f = failure(
            &ApiError::RateLimited {
                reset_after: Some(std::time::Duration::from_millis(1500)),
                limit: Some("5".into()),
                code: Some(230020),
            },
            &platform,
            "cli_a1",
            Operation::Send(TargetKind::ChatId),
        );
        assert_eq!(f.params["seconds"], "2");
        assert!(f.english_fix().unwrap().contains("Wait 2 s"), "{f:?}");
        assert!(!f.params.contains_key("scopes"));
    }
}
