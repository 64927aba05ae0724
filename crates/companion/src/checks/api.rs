//! Checks that ask the Open API. Failures the check is about (a refused secret, a missing scope,
//! the bot in no group) fail it; failures it is not about (network, rate limit, quota, an
//! unexpected platform error) skip it, with the reason, because the setting itself may well be
//! right.

use chrono::{DateTime, Utc};
use lark_platform::client::{ApiError, Client, CredentialField, ReceiveId};
use serde_json::json;

use super::{
    console_link, scope_grant_link, CheckFinding, CheckId, CheckOutcome, ConsolePage,
    REQUIRED_SCOPES,
};
use crate::ipc::Language;
use crate::profiles::Credentials;

/// For checks that cannot run because no token could be had.
pub(super) fn blocked_by_credentials(id: CheckId) -> CheckOutcome {
    CheckOutcome::skipped(id, CheckFinding::BlockedByCredentials)
}

/// An error the check is not about: the check is skipped, and says why.
fn inconclusive(id: CheckId, error: &ApiError) -> CheckOutcome {
    let finding = match error {
        ApiError::RateLimited { .. } => CheckFinding::RateLimited,
        ApiError::QuotaExhausted { .. } => CheckFinding::QuotaExhausted,
        ApiError::Network { .. } => CheckFinding::Unreachable,
        _ => CheckFinding::PlatformError,
    };
    let mut outcome = CheckOutcome::skipped(id, finding).param("kind", error.kind());
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
) -> CheckOutcome {
    let scopes: Vec<&str> = if scopes.is_empty() {
        REQUIRED_SCOPES.to_vec()
    } else {
        scopes.iter().map(String::as_str).collect()
    };
    let link = link
        .map(str::to_owned)
        .unwrap_or_else(|| scope_grant_link(&creds.platform, &creds.app_id, &REQUIRED_SCOPES));
    CheckOutcome::fail(id, CheckFinding::MissingScopes)
        .param("scopes", scopes.join(","))
        .fix(Some(link))
}

pub(super) async fn credentials(client: &Client, creds: &Credentials) -> CheckOutcome {
    let link = Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::Credentials,
    ));
    match client.tenant_access_token().await {
        Ok(_) => CheckOutcome::pass(CheckId::Credentials, CheckFinding::TokenIssued),
        Err(ApiError::InvalidCredentials { field, code }) => {
            let finding = match field {
                CredentialField::AppId => CheckFinding::InvalidAppId,
                CredentialField::AppSecret => CheckFinding::InvalidAppSecret,
                CredentialField::Either => CheckFinding::InvalidAppIdOrSecret,
            };
            CheckOutcome::fail(CheckId::Credentials, finding)
                .param("code", code)
                .fix(link)
        }
        Err(ApiError::AppUnavailable { code, .. }) => {
            CheckOutcome::fail(CheckId::Credentials, CheckFinding::AppUnavailable)
                .param("code", code)
                .fix(Some(console_link(
                    &creds.platform,
                    &creds.app_id,
                    ConsolePage::Versions,
                )))
        }
        Err(error) => inconclusive(CheckId::Credentials, &error),
    }
}

pub(super) async fn bot(client: &Client, creds: &Credentials) -> CheckOutcome {
    let link = Some(console_link(
        &creds.platform,
        &creds.app_id,
        ConsolePage::Bot,
    ));
    match client.bot_info().await {
        Ok(info) if info.is_active() => {
            CheckOutcome::pass(CheckId::Bot, CheckFinding::BotActive).param("name", &info.app_name)
        }
        Ok(info) => CheckOutcome::fail(CheckId::Bot, CheckFinding::BotInactive)
            .param("name", &info.app_name)
            .param("status", info.activate_status)
            .fix(link),
        Err(ApiError::BotCapabilityDisabled { code }) => {
            CheckOutcome::fail(CheckId::Bot, CheckFinding::BotDisabled)
                .param("code", code)
                .fix(link)
        }
        Err(error) => inconclusive(CheckId::Bot, &error),
    }
}

/// The chat scope and "bot in a group" together: one listing answers both.
pub(super) async fn chats(client: &Client, creds: &Credentials) -> (CheckOutcome, CheckOutcome) {
    match client.list_all_chats(Some(100)).await {
        Ok(chats) => {
            let scope = CheckOutcome::pass(CheckId::ChatScope, CheckFinding::ChatsListed);
            let groups = if chats.is_empty() {
                CheckOutcome::fail(CheckId::BotInGroups, CheckFinding::BotNotInAnyGroup).fix(None)
            } else {
                let names: Vec<&str> = chats.iter().take(5).map(|c| c.name.as_str()).collect();
                CheckOutcome::pass(CheckId::BotInGroups, CheckFinding::BotInGroups)
                    .param("count", chats.len())
                    // Group names may hold commas: one per line.
                    .param("names", names.join("\n"))
            };
            (scope, groups)
        }
        Err(ApiError::MissingScopes {
            ref scopes,
            ref console_link,
            ..
        }) => (
            missing_scopes(CheckId::ChatScope, creds, scopes, console_link.as_deref()),
            CheckOutcome::skipped(CheckId::BotInGroups, CheckFinding::BlockedByChatScope),
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
            return CheckOutcome::pass(CheckId::MessageScope, CheckFinding::MessageSentRecently)
                .param("at", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        return CheckOutcome::unknown(CheckId::MessageScope, CheckFinding::NoTestChat);
    };
    match client
        .send_card(
            &ReceiveId::ChatId(chat.to_owned()),
            &test_card(language),
            None,
        )
        .await
    {
        Ok(sent) => CheckOutcome::pass(CheckId::MessageScope, CheckFinding::TestCardSent)
            .param("messageId", &sent.message_id),
        Err(ApiError::MissingScopes {
            ref scopes,
            ref console_link,
            ..
        }) => missing_scopes(
            CheckId::MessageScope,
            creds,
            scopes,
            console_link.as_deref(),
        ),
        Err(ApiError::BotNotInChat { code }) => {
            CheckOutcome::fail(CheckId::MessageScope, CheckFinding::BotNotInChat)
                .param("code", code)
                .fix(None)
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
        CheckOutcome::pass(CheckId::Published, CheckFinding::VersionLive).fix(link)
    } else {
        CheckOutcome::unknown(CheckId::Published, CheckFinding::VersionUnknown).fix(link)
    }
}
