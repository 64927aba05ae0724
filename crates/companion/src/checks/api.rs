//! Checks that ask the Open API. Failures the check is about (a refused secret, a missing scope,
//! the bot in no group) fail it; failures it is not about (network, rate limit, quota, an
//! unexpected platform error) skip it, with the reason, because the setting itself may well be
//! right.

use chrono::{DateTime, Utc};
use lark_platform::client::{ApiError, Client, CredentialField, ReceiveId};
use serde_json::json;

use super::{console_link, scope_grant_link, CheckId, CheckOutcome, ConsolePage, REQUIRED_SCOPES};
use crate::ipc::Language;
use crate::profiles::Credentials;

/// For checks that cannot run because no token could be had.
pub(super) fn blocked_by_credentials(id: CheckId) -> CheckOutcome {
    CheckOutcome::skipped(
        id,
        "blockedByCredentials",
        "Not checked: the App ID and App Secret must work first.",
    )
}

/// An error the check is not about: the check is skipped, and says why.
fn inconclusive(id: CheckId, error: &ApiError) -> CheckOutcome {
    let finding = match error {
        ApiError::RateLimited { .. } => "rateLimited",
        ApiError::QuotaExhausted { .. } => "quotaExhausted",
        ApiError::Network { .. } => "unreachable",
        _ => "platformError",
    };
    let mut outcome =
        CheckOutcome::skipped(id, finding, error.to_string()).param("kind", error.kind());
    if let Some(code) = error.code() {
        outcome = outcome.param("code", code);
    }
    if let ApiError::RateLimited {
        reset_after: Some(after),
        ..
    } = error
    {
        outcome = outcome.param("seconds", after.as_secs_f64().ceil());
    }
    outcome
}

fn missing_scopes(
    id: CheckId,
    creds: &Credentials,
    scopes: &[String],
    link: Option<&str>,
    error: &ApiError,
) -> CheckOutcome {
    let scopes: Vec<&str> = if scopes.is_empty() {
        REQUIRED_SCOPES.to_vec()
    } else {
        scopes.iter().map(String::as_str).collect()
    };
    let shown = scopes.join(", ");
    let link = link
        .map(str::to_owned)
        .unwrap_or_else(|| scope_grant_link(&creds.platform, &creds.app_id, &REQUIRED_SCOPES));
    CheckOutcome::fail(id, "missingScopes", error.to_string())
        .param("scopes", scopes.join(","))
        .fix(
            format!(
                "Grant {shown} under Permissions & Scopes, then publish a new version so the grant \
                 takes effect."
            ),
            Some(link),
        )
}

pub(super) async fn credentials(client: &Client, creds: &Credentials) -> CheckOutcome {
    let link = Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::Credentials,
    ));
    match client.tenant_access_token().await {
        Ok(_) => CheckOutcome::pass(
            CheckId::Credentials,
            "tokenIssued",
            "The platform issued a tenant access token for this App ID and App Secret.",
        ),
        Err(ref error @ ApiError::InvalidCredentials { field, code }) => {
            let (finding, what) = match field {
                CredentialField::AppId => ("invalidAppId", "App ID"),
                CredentialField::AppSecret => ("invalidAppSecret", "App Secret"),
                CredentialField::Either => ("invalidAppIdOrSecret", "App ID and App Secret"),
            };
            CheckOutcome::fail(CheckId::Credentials, finding, error.to_string())
                .param("code", code)
                .fix(
                    format!(
                        "Copy the {what} again from Credentials & Basic Info (watch for a missing \
                         character or a trailing space) and save it in the profile."
                    ),
                    link,
                )
        }
        Err(ref error @ ApiError::AppUnavailable { code, .. }) => CheckOutcome::fail(
            CheckId::Credentials,
            "appUnavailable",
            error.to_string(),
        )
        .param("code", code)
        .fix(
            "Ask a tenant admin to enable the app, or publish a version and have it approved.",
            Some(console_link(
                &creds.platform,
                &creds.app_id,
                ConsolePage::Versions,
            )),
        ),
        Err(error) => inconclusive(CheckId::Credentials, &error),
    }
}

pub(super) async fn bot(client: &Client, creds: &Credentials) -> CheckOutcome {
    let link = Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::Bot,
    ));
    let fix = "Turn on Features > Bot in the developer console, then publish a new version.";
    match client.bot_info().await {
        Ok(info) if info.is_active() => CheckOutcome::pass(
            CheckId::Bot,
            "botActive",
            format!("The bot \"{}\" is enabled.", info.app_name),
        )
        .param("name", &info.app_name),
        Ok(info) => CheckOutcome::fail(
            CheckId::Bot,
            "botInactive",
            format!(
                "The bot \"{}\" is not active: {} (status {}).",
                info.app_name,
                info.activate_status_text(),
                info.activate_status
            ),
        )
        .param("name", &info.app_name)
        .param("status", info.activate_status)
        .fix(fix, link),
        Err(ref error @ ApiError::BotCapabilityDisabled { code }) => {
            CheckOutcome::fail(CheckId::Bot, "botDisabled", error.to_string())
                .param("code", code)
                .fix(fix, link)
        }
        Err(error) => inconclusive(CheckId::Bot, &error),
    }
}

/// The chat scope and "bot in a group" together: one listing answers both.
pub(super) async fn chats(client: &Client, creds: &Credentials) -> (CheckOutcome, CheckOutcome) {
    match client.list_all_chats(Some(100)).await {
        Ok(chats) => {
            let scope = CheckOutcome::pass(
                CheckId::ChatScope,
                "chatsListed",
                "The app may list its groups (im:chat is granted).",
            );
            let groups = if chats.is_empty() {
                CheckOutcome::fail(
                    CheckId::BotInGroups,
                    "botNotInAnyGroup",
                    "The bot is in no group, so the integration's group list is empty.",
                )
                .fix(
                    "In Feishu/Lark open the group that should get alerts, then Settings > Bots > \
                     Add Bot and pick this app's bot. Refresh the group list afterwards.",
                    None,
                )
            } else {
                let names: Vec<&str> = chats.iter().take(5).map(|c| c.name.as_str()).collect();
                CheckOutcome::pass(
                    CheckId::BotInGroups,
                    "botInGroups",
                    format!(
                        "The bot is in {} group(s): {}.",
                        chats.len(),
                        names.join(", ")
                    ),
                )
                .param("count", chats.len())
                // Group names may hold commas: one per line.
                .param("names", names.join("\n"))
            };
            (scope, groups)
        }
        Err(
            ref error @ ApiError::MissingScopes {
                ref scopes,
                ref console_link,
                ..
            },
        ) => (
            missing_scopes(
                CheckId::ChatScope,
                creds,
                scopes,
                console_link.as_deref(),
                error,
            ),
            CheckOutcome::skipped(
                CheckId::BotInGroups,
                "blockedByChatScope",
                "Not checked: the app may not list its groups yet (im:chat).",
            ),
        ),
        Err(error) => (
            inconclusive(CheckId::ChatScope, &error),
            inconclusive(CheckId::BotInGroups, &error),
        ),
    }
}

/// A small card that says what it is, so nobody in the group is alarmed by it; in the
/// profile's card language.
pub(crate) fn test_card(language: Language) -> serde_json::Value {
    let (title, text) = match language {
        Language::English => (
            "Lark Companion test card",
            "This card checks that the app may send messages. No action is needed.",
        ),
        Language::SimplifiedChinese => (
            "Lark Companion 测试卡片",
            "这张卡片用于检查应用能否发送消息，无需任何操作。",
        ),
    };
    json!({
        "schema": "2.0",
        "config": { "update_multi": true },
        "header": {
            "template": "blue",
            "title": { "tag": "plain_text", "content": title }
        },
        "body": { "elements": [
            { "tag": "markdown", "content": text }
        ] }
    })
}

/// With a group, a test card is sent to it. Without one, a successful send the quota ledger
/// recorded (`sent_at`, within the last 30 days) proves the scope; with neither it stays unknown.
pub(super) async fn message_scope(
    client: &Client,
    creds: &Credentials,
    chat: Option<&str>,
    sent_at: Option<DateTime<Utc>>,
    language: Language,
) -> CheckOutcome {
    let Some(chat) = chat else {
        if let Some(at) = sent_at {
            return CheckOutcome::pass(
                CheckId::MessageScope,
                "messageSentRecently",
                format!(
                    "The app sent a message on {} (recorded in the quota ledger), so im:message is \
                     granted. Choose a group to send a fresh test card.",
                    at.format("%Y-%m-%d %H:%M UTC")
                ),
            )
            .param("at", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        return CheckOutcome::unknown(
            CheckId::MessageScope,
            "noTestChat",
            "Not checked: choose a group to send a test card to (Setup > End-to-end test, or \
             --chat-id).",
        );
    };
    match client
        .send_card(
            &ReceiveId::ChatId(chat.to_owned()),
            &test_card(language),
            None,
        )
        .await
    {
        Ok(sent) => CheckOutcome::pass(
            CheckId::MessageScope,
            "testCardSent",
            format!(
                "A test card reached the group (message {}).",
                sent.message_id
            ),
        )
        .param("messageId", &sent.message_id),
        Err(
            ref error @ ApiError::MissingScopes {
                ref scopes,
                ref console_link,
                ..
            },
        ) => missing_scopes(
            CheckId::MessageScope,
            creds,
            scopes,
            console_link.as_deref(),
            error,
        ),
        Err(ref error @ ApiError::BotNotInChat { code }) => {
            CheckOutcome::fail(CheckId::MessageScope, "botNotInChat", error.to_string())
                .param("code", code)
                .fix(
                    "Add the bot to this group (group Settings > Bots > Add Bot), or pick a group \
                     the bot is in.",
                    None,
                )
        }
        Err(error) => inconclusive(CheckId::MessageScope, &error),
    }
}

/// The platform only activates a bot from a published, approved version, so an active bot is
/// the API-visible proof that a version went out. It cannot tell whether the newest changes are.
pub(super) fn published(creds: &Credentials, bot_active: bool) -> CheckOutcome {
    let link = Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::Versions,
    ));
    if bot_active {
        CheckOutcome::pass(
            CheckId::Published,
            "versionLive",
            "A published version is live (the bot is active). Changes made since then need a new \
             version.",
        )
        .fix(
            "After changing capabilities, scopes or callbacks, create and publish a new version.",
            link,
        )
    } else {
        CheckOutcome::unknown(
            CheckId::Published,
            "versionUnknown",
            "No sign of a published version yet: the bot is not active.",
        )
        .fix(
            "Create a version under Version Management & Release, submit it, and have a tenant \
             admin approve it.",
            link,
        )
    }
}
