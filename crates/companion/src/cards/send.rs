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
use crate::ipc::Fix;
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
    fn shape_problem(&self) -> Option<String> {
        let id = self.id.as_str();
        let starts = |prefix: &str, what: &str| {
            (!id.starts_with(prefix)).then(|| {
                format!("\"{id}\" is not {what}: it starts with {prefix} (copy it again).")
            })
        };
        match self.kind {
            TargetKind::ChatId => starts("oc_", "a chat ID"),
            TargetKind::OpenId => starts("ou_", "an open_id"),
            TargetKind::UnionId => starts("on_", "a union_id"),
            TargetKind::Email => {
                let ok = id
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
                (!ok).then(|| format!("\"{id}\" is not an email address."))
            }
            TargetKind::UserId => None,
        }
    }
}

/// Why a card did not reach one target, with what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryFailure {
    /// Stable kind: lark-platform's error kinds (`bot_not_in_chat`, `content_too_large`,
    /// `rate_limited`, `missing_scopes`, `receiver_unavailable`, ...) or `invalid_target`.
    pub kind: String,
    /// The platform's code, when it gave one.
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// What happened, in English.
    pub message: String,
    pub fix: Fix,
    /// For `rate_limited`: seconds until the platform admits another call.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u32>,
    /// For `missing_scopes`: any one of these would do.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
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
    pub failure: Option<DeliveryFailure>,
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
    pub failure: Option<DeliveryFailure>,
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
        return Err(Error::invalid(
            "targets",
            "Choose at least one chat, or enter a person's email or open_id.",
        ));
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
                failure: Some(invalid_target(&target, problem)),
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
        return Err(Error::invalid(
            "messageId",
            "Give the message ID of the card to update (om_…, shown after sending).",
        ));
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

fn invalid_target(target: &SendTarget, problem: String) -> DeliveryFailure {
    let fix = match target.kind {
        TargetKind::ChatId => {
            "Pick the group from the list of chats the bot is in, or copy its chat ID (oc_…) \
             again from the group's settings."
        }
        TargetKind::Email => "Enter the person's work email address as the tenant knows it.",
        _ => "Copy the ID again; open_ids start with ou_ and union_ids with on_.",
    };
    DeliveryFailure {
        kind: "invalid_target".into(),
        code: None,
        message: problem,
        fix: Fix::text(fix),
        retry_after_secs: None,
        scopes: None,
    }
}

/// The failure for an Open API error: its kind and message, and a fix written for cards.
fn failure(
    error: &ApiError,
    platform: &Platform,
    app_id: &str,
    operation: Operation,
) -> DeliveryFailure {
    let link = |page| Some(console_link(platform, app_id, page));
    let mut retry_after_secs = None;
    let mut scopes = None;
    let (text, link): (String, Option<String>) = match error {
        ApiError::BotNotInChat { .. } => (
            "Add the bot to this group (in Feishu/Lark: the group's Settings > Bots > Add Bot, \
             then pick this app's bot), or choose a group from the list of chats the bot is in; \
             then send again."
                .into(),
            None,
        ),
        ApiError::ContentTooLarge { .. } => (
            "Make the card smaller: a card may be at most 30 KB (30,720 bytes of compact JSON). \
             The validator under the editor shows the card's size; shorten the description or \
             the labels, or send a digest, which lists at most 40 alerts."
                .into(),
            None,
        ),
        ApiError::RateLimited { reset_after, .. } => {
            let secs =
                reset_after
                    .map(|d| d.as_secs_f64().ceil())
                    .map(|s| if s < 1.0 { 1 } else { s as u32 });
            retry_after_secs = Some(secs.unwrap_or(1));
            (
                format!(
                    "Feishu/Lark limits how fast an app may send: 5 messages a second to one \
                     chat or person, 50 a second and 1,000 a minute per app. Wait {} s, then \
                     send again to the targets that failed.",
                    secs.unwrap_or(1)
                ),
                None,
            )
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
            scopes = Some(wanted.iter().map(|s| (*s).to_string()).collect());
            (
                format!(
                    "Grant {} under Permissions & Scopes in the developer console, then publish \
                     a new version so the grant takes effect.",
                    wanted.join(" or ")
                ),
                given
                    .clone()
                    .or_else(|| Some(scope_grant_link(platform, app_id, &wanted))),
            )
        }
        ApiError::ReceiverUnavailable { .. } => (
            "This person is outside the app's availability range. Add them (or All employees) \
             under Version Management & Release > Availability and publish a new version; \
             they must also open the app once to link their account."
                .into(),
            link(ConsolePage::Versions),
        ),
        ApiError::BotCapabilityDisabled { .. } => (
            "Turn on Features > Bot in the developer console, then publish a new version.".into(),
            link(ConsolePage::Bot),
        ),
        ApiError::QuotaExhausted { .. } => (
            "The tenant's monthly Open API quota is used up; sends fail until it resets on the \
             1st of next month, unless the tenant upgrades its edition."
                .into(),
            None,
        ),
        ApiError::AppUnavailable { .. } => (
            "Ask a tenant admin to enable the app, or publish a version and have it approved."
                .into(),
            link(ConsolePage::Versions),
        ),
        ApiError::InvalidCredentials { .. } => (
            "Copy the App ID and App Secret again from Credentials & Basic Info and save them \
             in the profile (Setup, step 2)."
                .into(),
            link(ConsolePage::Credentials),
        ),
        ApiError::TokenInvalid { .. } => (
            "Check the computer's clock and that a version of the app is published, then try \
             again."
                .into(),
            None,
        ),
        ApiError::ContentInvalid { .. } => match operation {
            Operation::Update => (
                "Only cards this app sent can be updated, for 14 days, and only when the card \
                 has config.update_multi = true before and after; a 2.0 card cannot be replaced \
                 by a 1.0 card. Check the message ID and the validator's findings."
                    .into(),
                None,
            ),
            Operation::Send(TargetKind::ChatId) => (
                "Check the chat ID (pick the group from the list of chats the bot is in) and fix \
                 every error the validator lists under the editor, then send again."
                    .into(),
                None,
            ),
            Operation::Send(_) => (
                "Check the person's ID or email and fix every error the validator lists under \
                 the editor, then send again."
                    .into(),
                None,
            ),
        },
        ApiError::Network { .. } => (
            "Check the network connection and any HTTP proxy (HTTPS_PROXY / HTTP_PROXY / \
             NO_PROXY), then send again."
                .into(),
            None,
        ),
        // Configuration-API refusals; sends never get them, but the match stays exhaustive.
        ApiError::Server { .. }
        | ApiError::Decode { .. }
        | ApiError::Platform { .. }
        | ApiError::UnderReview { .. }
        | ApiError::NotConsoleApp { .. }
        | ApiError::NotSupported => (
            "This is usually temporary: send again in a minute. If it keeps failing, the \
             message above has the platform's own words and code."
                .into(),
            None,
        ),
    };
    DeliveryFailure {
        kind: error.kind().to_string(),
        code: error.code(),
        message: error.to_string(),
        fix: Fix {
            text,
            link: link.filter(|l| l.starts_with("http")),
        },
        retry_after_secs,
        scopes,
    }
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
            Err(Error::Invalid { .. })
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
        assert_eq!(f.kind, "missing_scopes");
        assert_eq!(f.scopes, Some(vec!["im:message".to_string()]));
        assert_eq!(
            f.fix.link.as_deref(),
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
        assert_eq!(f.retry_after_secs, Some(2));
        assert!(f.fix.text.contains("Wait 2 s"), "{}", f.fix.text);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["code"], 230020);
        assert!(json.get("scopes").is_none());
    }
}
