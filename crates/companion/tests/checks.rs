//! The setup checks against lark-sim over loopback HTTP: each situation an admin meets (valid
//! credentials, a wrong secret, a wrong App ID, the bot off, scopes missing, the bot in no group,
//! rate limiting) ends in the right verdict with a fix that points at the right console page.

mod common;

use common::configure;
use companion::checks::{self, CheckFinding, CheckId, CheckOutcome, Subject};
use companion::ipc::Language;
use companion::profiles::{CheckStatus, Credentials, IntegrationUrls, Platform, Secret};
use lark_sim::SimHandle;
use serde_json::json;

async fn sim() -> SimHandle {
    common::sim(7).await
}

fn credentials(sim: &SimHandle) -> Credentials {
    common::credentials(sim, true)
}

fn urls() -> IntegrationUrls {
    IntegrationUrls {
        web_config_url: Some("https://console.example.com/feishu/web".into()),
        redirect_url: Some("https://console.example.com/feishu/redirect".into()),
        card_request_url: Some("https://api.example.com/feishu/card".into()),
    }
}

async fn run(creds: &Credentials, chat: Option<&str>) -> Vec<CheckOutcome> {
    run_in(creds, chat, Language::English).await
}

async fn run_in(
    creds: &Credentials,
    chat: Option<&str>,
    card_language: Language,
) -> Vec<CheckOutcome> {
    let client = companion::platform_client::for_credentials(creds).expect("client");
    let urls = urls();
    let subject = Subject {
        credentials: creds,
        urls: &urls,
        test_chat: chat,
        message_sent_at: None,
        card_language,
    };
    let outcomes = checks::run_all(&client, &subject).await;
    assert_params_are_values(&outcomes);
    outcomes
}

/// Params go into sentences in every language the UI has, so they hold values only: a URL, a
/// count, a code, a scope, a key list; never English words (" URL, " joins, "(the ...)").
/// Only what the platform names (the bot, the groups) may hold spaces.
fn assert_params_are_values(outcomes: &[CheckOutcome]) {
    for o in outcomes {
        for (key, value) in &o.params {
            let free_text = matches!(key.as_str(), "name" | "names");
            assert!(
                free_text || !value.chars().any(char::is_whitespace),
                "{:?} param {key} = {value:?} is a phrase, not a value",
                o.id
            );
            assert!(
                !value.contains(", ") && !value.contains("(the "),
                "{:?} param {key} = {value:?} is English",
                o.id
            );
        }
    }
}

#[test]
fn unsaved_urls_are_named_by_key_not_by_english_label() {
    let creds = Credentials {
        platform: Platform::Feishu,
        app_id: "cli_a1b2c3d4e5f60718".into(),
        app_secret: Secret::new("whatever"),
        verification_token: None,
        encrypt_key: None,
    };
    let urls = IntegrationUrls {
        redirect_url: Some("https://console.example.com/feishu/redirect".into()),
        ..IntegrationUrls::default()
    };
    // Local checks only: no token, so nothing reaches the network.
    let outcomes = checks::local_outcomes(&creds, &urls);
    assert_params_are_values(&outcomes);
    let missing = outcome(&outcomes, CheckId::IntegrationUrls);
    assert_eq!(missing.params["missing"], "webConfigUrl,cardRequestUrl");
    assert!(missing
        .english()
        .contains("Web Configuration URL, Message Card Request URL"));
    let web = outcome(&outcomes, CheckId::WebApp);
    assert_eq!(web.params.get("url"), None);
    assert_eq!(web.params["field"], "webConfigUrl");
    assert!(
        web.english()
            .contains("(the Web Configuration URL, not saved yet)"),
        "{}",
        web.english()
    );
    let redirect = outcome(&outcomes, CheckId::RedirectUrl);
    assert_eq!(
        redirect.params["url"],
        "https://console.example.com/feishu/redirect"
    );
    let callback = outcome(&outcomes, CheckId::CallbackUrl);
    assert_eq!(
        callback.params["events"],
        "im.chat.disbanded_v1,im.message.receive_v1"
    );
    assert_eq!(
        callback.params["callbacks"],
        "card.action.trigger,card.action.trigger_v1"
    );
}

fn outcome(outcomes: &[CheckOutcome], id: CheckId) -> &CheckOutcome {
    outcomes
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no outcome for {id:?}"))
}

fn bot_chat(sim: &SimHandle) -> String {
    let tenant = sim.tenant();
    tenant
        .chats
        .iter()
        .find(|c| c.bot_member)
        .expect("a chat with the bot")
        .chat_id
        .clone()
}

#[tokio::test]
async fn a_complete_setup_passes_every_check_the_api_can_see() {
    let sim = sim().await;
    let creds = credentials(&sim);
    let chat = bot_chat(&sim);
    let outcomes = run(&creds, Some(&chat)).await;
    assert_eq!(outcomes.len(), CheckId::ALL.len());
    let order: Vec<CheckId> = outcomes.iter().map(|o| o.id).collect();
    assert_eq!(order, CheckId::ALL.to_vec(), "checks come in setup order");
    for id in [
        CheckId::Credentials,
        CheckId::CallbackSecrets,
        CheckId::IntegrationUrls,
        CheckId::Bot,
        CheckId::ChatScope,
        CheckId::BotInGroups,
        CheckId::MessageScope,
        CheckId::Published,
    ] {
        let o = outcome(&outcomes, id);
        assert_eq!(o.status, CheckStatus::Pass, "{id:?}: {}", o.english());
    }
    for id in [
        CheckId::WebApp,
        CheckId::RedirectUrl,
        CheckId::CallbackUrl,
        CheckId::Availability,
    ] {
        let o = outcome(&outcomes, id);
        assert_eq!(
            o.status,
            CheckStatus::Unknown,
            "{id:?} is not visible to the API"
        );
        assert!(
            o.fix.as_ref().and_then(|f| f.link.as_ref()).is_some(),
            "{id:?} links the console page"
        );
    }
    // The test card really arrived in the group.
    let delivered = sim
        .state
        .lock()
        .messages
        .iter()
        .filter(|m| m.chat_id == chat)
        .count();
    assert_eq!(delivered, 1);
}

#[tokio::test]
async fn the_test_card_speaks_the_profiles_card_language() {
    let sim = sim().await;
    let chat = bot_chat(&sim);
    let outcomes = run_in(&credentials(&sim), Some(&chat), Language::SimplifiedChinese).await;
    assert_eq!(
        outcome(&outcomes, CheckId::MessageScope).status,
        CheckStatus::Pass
    );
    let content = sim
        .state
        .lock()
        .messages
        .iter()
        .find(|m| m.chat_id == chat)
        .map(|m| m.content.clone())
        .expect("the test card arrived");
    assert!(content.contains("测试卡片"), "{content}");
    assert!(!content.contains("No action is needed"), "{content}");
}

#[tokio::test]
async fn a_wrong_secret_and_a_wrong_app_id_are_told_apart() {
    let sim = sim().await;
    let mut creds = credentials(&sim);
    creds.app_secret = Secret::new("not-the-secret");
    let outcomes = run(&creds, None).await;
    let check = outcome(&outcomes, CheckId::Credentials);
    assert_eq!(check.status, CheckStatus::Fail);
    assert_eq!(check.finding, CheckFinding::InvalidAppSecret);
    assert!(check.english_fix().unwrap().contains("App Secret"));
    assert!(
        !check.english().contains("not-the-secret")
            && !serde_json::to_string(check)
                .unwrap()
                .contains("not-the-secret"),
        "the reason never echoes the secret"
    );
    // Everything behind the token says it was skipped, instead of failing again.
    let bot = outcome(&outcomes, CheckId::Bot);
    assert_eq!(
        (bot.status, bot.finding.as_str()),
        (CheckStatus::Skipped, "blockedByCredentials")
    );

    let mut creds = credentials(&sim);
    creds.app_id = "cli_0000000000000000".into();
    let outcomes = run(&creds, None).await;
    let check = outcome(&outcomes, CheckId::Credentials);
    assert_eq!(
        (check.status, check.finding.as_str()),
        (CheckStatus::Fail, "invalidAppId")
    );
    assert!(check
        .fix
        .as_ref()
        .unwrap()
        .link
        .as_ref()
        .unwrap()
        .ends_with("/baseinfo"));
}

#[tokio::test]
async fn a_disabled_bot_fails_with_the_bot_page_where_the_sandbox_console_fixes_it() {
    let sim = sim().await;
    configure(&sim, json!({ "bot_enabled": false }));
    let outcomes = run(&credentials(&sim), None).await;
    let bot = outcome(&outcomes, CheckId::Bot);
    assert_eq!(bot.status, CheckStatus::Fail, "{}", bot.english());
    assert!(bot
        .fix
        .as_ref()
        .unwrap()
        .link
        .as_ref()
        .unwrap()
        .ends_with("/bot"));
    assert_eq!(
        outcome(&outcomes, CheckId::Published).status,
        CheckStatus::Unknown
    );

    // On the sandbox the link leads to the simulated console; saving its form is the fix.
    let link = bot.fix.as_ref().unwrap().link.clone().unwrap();
    let saved = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("enabled=on")
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{link}");
    let outcomes = run(&credentials(&sim), None).await;
    let bot = outcome(&outcomes, CheckId::Bot);
    assert_eq!(bot.status, CheckStatus::Pass, "{}", bot.english());
}

#[tokio::test]
async fn missing_scopes_are_named_with_the_grant_link() {
    let sim = sim().await;
    configure(&sim, json!({ "scopes": ["contact:user.id:readonly"] }));
    let chat = bot_chat(&sim);
    let outcomes = run(&credentials(&sim), Some(&chat)).await;
    let chats = outcome(&outcomes, CheckId::ChatScope);
    assert_eq!(
        (chats.status, chats.finding.as_str()),
        (CheckStatus::Fail, "missingScopes")
    );
    assert!(
        chats.params["scopes"].contains("im:chat"),
        "{:?}",
        chats.params
    );
    let link = chats.fix.as_ref().unwrap().link.as_ref().unwrap();
    assert!(link.contains("/auth"), "{link}");
    assert_eq!(
        outcome(&outcomes, CheckId::BotInGroups).status,
        CheckStatus::Skipped,
        "it could not run: the listing needs im:chat"
    );
    let send = outcome(&outcomes, CheckId::MessageScope);
    assert_eq!(
        (send.status, send.finding.as_str()),
        (CheckStatus::Fail, "missingScopes")
    );
    assert!(
        send.params["scopes"].contains("im:message"),
        "{:?}",
        send.params
    );
}

#[tokio::test]
async fn a_bot_in_no_group_says_how_to_add_it() {
    let sim = sim().await;
    let memberships: serde_json::Map<String, serde_json::Value> = sim
        .tenant()
        .chats
        .iter()
        .map(|c| (c.chat_id.clone(), json!(false)))
        .collect();
    configure(&sim, json!({ "bot_chats": memberships }));
    let outcomes = run(&credentials(&sim), None).await;
    assert_eq!(
        outcome(&outcomes, CheckId::ChatScope).status,
        CheckStatus::Pass
    );
    let groups = outcome(&outcomes, CheckId::BotInGroups);
    assert_eq!(
        (groups.status, groups.finding.as_str()),
        (CheckStatus::Fail, "botNotInAnyGroup")
    );
    assert!(groups.english_fix().unwrap().contains("Add Bot"));
}

#[tokio::test]
async fn rate_limiting_skips_a_check_with_the_wait() {
    let sim = sim().await;
    configure(
        &sim,
        json!({ "fail": [{ "endpoint": "bot_info", "code": 99991400, "http_status": 429, "count": 1 }] }),
    );
    let outcomes = run(&credentials(&sim), None).await;
    let bot = outcome(&outcomes, CheckId::Bot);
    assert_eq!(
        (bot.status, bot.finding),
        (CheckStatus::Skipped, CheckFinding::RateLimited),
        "{}",
        bot.english()
    );
    assert_eq!(bot.params.get("code").map(String::as_str), Some("99991400"));
    // The other checks still ran and passed.
    assert_eq!(
        outcome(&outcomes, CheckId::ChatScope).status,
        CheckStatus::Pass
    );
}

#[tokio::test]
async fn an_unreachable_platform_skips_the_check_instead_of_failing_it() {
    // A loopback port with nothing listening: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let creds = Credentials {
        platform: Platform::Custom {
            base_url: format!("http://127.0.0.1:{port}"),
        },
        app_id: "cli_a1b2c3d4e5f60718".into(),
        app_secret: Secret::new("whatever"),
        verification_token: None,
        encrypt_key: None,
    };
    let outcomes = run(&creds, None).await;
    let check = outcome(&outcomes, CheckId::Credentials);
    assert_eq!(
        (check.status, check.finding.as_str()),
        (CheckStatus::Skipped, "unreachable")
    );
    assert_eq!(
        outcome(&outcomes, CheckId::Bot).status,
        CheckStatus::Skipped,
        "behind the token"
    );
    // What the API can never see stays unknown: skipped is only for "could not run".
    assert_eq!(
        outcome(&outcomes, CheckId::WebApp).status,
        CheckStatus::Unknown
    );
    let secrets = outcome(&outcomes, CheckId::CallbackSecrets);
    assert_eq!(
        (secrets.status, secrets.finding.as_str()),
        (CheckStatus::Fail, "verificationTokenMissing")
    );
}
