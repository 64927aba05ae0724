//! Sending alert cards against lark-sim over loopback HTTP: to a chat, to people by email and
//! open_id, to several targets at once, updating a sent card to "acknowledged", and each refusal
//! an admin meets (the bot not in the chat, a card over 30 KB, the rate ceiling, a missing scope,
//! a person outside the availability range) reported per target with the fix to apply.

mod common;

use chrono::{TimeZone, Utc};
use common::{configure, platform};
use companion::cards::{
    check_value, send_to_targets, update_sent_card, Alert, AlertSeverity, AlertStatus,
    CardFindingCode, CardKind, CardVersion, Delivery, SendTarget, TargetKind, TemplateSet,
};
use lark_platform::client::Client;
use lark_sim::SimHandle;
use serde_json::{json, Value};

async fn sim() -> SimHandle {
    common::sim(11).await
}

fn client(sim: &SimHandle) -> Client {
    companion::platform_client::for_credentials(&common::credentials(sim, false)).expect("client")
}

fn alert() -> Alert {
    Alert {
        title: "Disk almost full on db-01".into(),
        severity: AlertSeverity::Critical,
        status: AlertStatus::Triggered,
        description: "Filesystem /var/lib/postgresql is 96% full.".into(),
        labels: [("instance".to_string(), "db-01:9100".to_string())].into(),
        started_at: Utc.with_ymd_and_hms(2024, 5, 1, 12, 34, 56).unwrap(),
        assignees: vec!["Li Lei".into()],
        links: vec![],
        incident_id: "inc_7f3a9c".into(),
        incident_url: Some("https://console.example.com/incident/inc_7f3a9c".into()),
    }
}

fn card(kind: CardKind) -> Value {
    TemplateSet::builtin()
        .render_alert(kind, CardVersion::V2, &alert())
        .expect("built-in renders")
}

/// (chat with the bot, another chat with the bot, chat without the bot)
fn chats(sim: &SimHandle) -> (String, String, String) {
    let tenant = sim.tenant();
    let with_bot: Vec<_> = tenant.chats.iter().filter(|c| c.bot_member).collect();
    let without = tenant
        .chats
        .iter()
        .find(|c| !c.bot_member)
        .expect("a chat without the bot");
    (
        with_bot[0].chat_id.clone(),
        with_bot[1].chat_id.clone(),
        without.chat_id.clone(),
    )
}

fn delivered_content(sim: &SimHandle, message_id: &str) -> Value {
    let inner = sim.state.lock();
    let record = inner
        .messages
        .iter()
        .find(|m| m.message_id == message_id)
        .expect("lark-sim holds the message");
    serde_json::from_str(&record.content).expect("card JSON")
}

/// The fix in English, as the CLI prints it and the window's English says it.
fn fix_text(problem: &companion::Problem) -> String {
    problem.english_fix().expect("a fix")
}

fn fix_link(problem: &companion::Problem) -> Option<&str> {
    problem.fix.as_ref().and_then(|fix| fix.link.as_deref())
}

fn failure_of(delivery: &Delivery) -> &companion::Problem {
    delivery
        .failure
        .as_ref()
        .unwrap_or_else(|| panic!("expected a failure for {:?}", delivery.target))
}

#[tokio::test]
async fn a_card_reaches_a_chat_with_its_message_id() {
    let sim = sim().await;
    let (chat, _, _) = chats(&sim);
    let card = card(CardKind::Triggered);
    let results = send_to_targets(
        &client(&sim),
        &platform(&sim),
        &card,
        &[SendTarget::new(TargetKind::ChatId, &chat)],
        Some("req-1"),
    )
    .await
    .expect("sent");
    assert_eq!(results.len(), 1);
    let sent = &results[0];
    let message_id = sent.message_id.as_deref().expect("message id");
    assert!(message_id.starts_with("om_"), "{message_id}");
    assert_eq!(sent.chat_id.as_deref(), Some(chat.as_str()));
    assert!(sent.failure.is_none());
    assert_eq!(delivered_content(&sim, message_id), card);
}

#[tokio::test]
async fn a_card_reaches_people_by_email_and_by_open_id() {
    let sim = sim().await;
    let tenant = sim.tenant();
    let alice = &tenant.users[0];
    let bob = &tenant.users[1];
    let results = send_to_targets(
        &client(&sim),
        &platform(&sim),
        &card(CardKind::Triggered),
        &[
            SendTarget::new(TargetKind::Email, &alice.email),
            SendTarget::new(TargetKind::OpenId, &bob.open_id),
        ],
        None,
    )
    .await
    .expect("sent");
    assert!(results.iter().all(Delivery::is_sent), "{results:?}");
    let inner = sim.state.lock();
    let types: Vec<_> = inner
        .messages
        .iter()
        .map(|m| (m.receive_id_type.as_str(), m.receive_id.as_str()))
        .collect();
    assert_eq!(
        types,
        vec![
            ("email", alice.email.as_str()),
            ("open_id", bob.open_id.as_str())
        ]
    );
}

#[tokio::test]
async fn several_targets_at_once_each_get_their_own_result() {
    let sim = sim().await;
    let (chat_a, chat_b, no_bot) = chats(&sim);
    let tenant = sim.tenant();
    let carol = tenant.users.iter().find(|u| !u.available).expect("Carol");
    let targets = [
        SendTarget::new(TargetKind::ChatId, &chat_a),
        SendTarget::new(TargetKind::ChatId, &no_bot),
        SendTarget::new(TargetKind::ChatId, format!(" {chat_a} ")), // a repeat: sent once
        SendTarget::new(TargetKind::ChatId, &chat_b),
        SendTarget::new(TargetKind::Email, &carol.email),
        SendTarget::new(TargetKind::ChatId, "ou_not_a_chat"),
    ];
    let results = send_to_targets(
        &client(&sim),
        &platform(&sim),
        &card(CardKind::Triggered),
        &targets,
        Some("batch-7"),
    )
    .await
    .expect("sent");
    let summary: Vec<(&str, Option<&str>)> = results
        .iter()
        .map(|d| {
            (
                d.target.id.as_str(),
                d.failure.as_ref().map(|f| f.code.as_str()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (chat_a.as_str(), None),
            (no_bot.as_str(), Some("bot_not_in_chat")),
            (chat_b.as_str(), None),
            (carol.email.as_str(), Some("receiver_unavailable")),
            ("ou_not_a_chat", Some("target_invalid")),
        ]
    );
    let not_in_chat = failure_of(&results[1]);
    assert_eq!(not_in_chat.params["code"], "230002");
    assert!(
        fix_text(not_in_chat).contains("Add the bot to this group"),
        "{not_in_chat:?}"
    );
    let unavailable = failure_of(&results[3]);
    assert!(unavailable.english().contains("availability range"));
    assert!(fix_text(unavailable).contains("Availability"));
    assert!(
        fix_link(unavailable)
            .is_some_and(|l| l.ends_with(&format!("/app/{}/version", sim.app.app_id))),
        "{unavailable:?}"
    );
    assert_eq!(
        sim.state.lock().messages.len(),
        2,
        "only the two good chats got the card; the malformed id made no call"
    );
}

#[tokio::test]
async fn a_sent_card_is_updated_to_acknowledged() {
    let sim = sim().await;
    let (chat, _, _) = chats(&sim);
    let client = client(&sim);
    let results = send_to_targets(
        &client,
        &platform(&sim),
        &card(CardKind::Triggered),
        &[SendTarget::new(TargetKind::ChatId, &chat)],
        None,
    )
    .await
    .expect("sent");
    let message_id = results[0].message_id.clone().expect("sent");

    let acknowledged = card(CardKind::Acknowledged);
    assert_eq!(acknowledged["header"]["template"], "yellow");
    let update = update_sent_card(&client, &platform(&sim), &message_id, &acknowledged)
        .await
        .expect("update");
    assert!(update.updated, "{update:?}");
    assert_eq!(update.message_id, message_id);
    assert_eq!(delivered_content(&sim, &message_id), acknowledged);

    let unknown = update_sent_card(&client, &platform(&sim), "om_unknown", &acknowledged)
        .await
        .expect("a result");
    assert!(!unknown.updated);
    let failure = unknown.failure.expect("failure");
    assert_eq!(failure.code.as_str(), "content_invalid");
    assert!(fix_text(&failure).contains("14 days"), "{failure:?}");

    assert!(matches!(
        update_sent_card(&client, &platform(&sim), "  ", &acknowledged).await,
        Err(e) if e.field().as_deref() == Some("messageId")
    ));
}

#[tokio::test]
async fn a_card_over_30_kb_is_refused_with_the_size_fix() {
    let sim = sim().await;
    let (chat, _, _) = chats(&sim);
    let mut big = card(CardKind::Triggered);
    let filler: Vec<Value> = (0..400)
        .map(|i| json!({"tag": "markdown", "content": format!("line {i}: {}", "x".repeat(80))}))
        .collect();
    big["body"]["elements"]
        .as_array_mut()
        .expect("elements")
        .extend(filler);
    let check = check_value(&big);
    assert!(check.size_bytes.expect("size") > check.limit_bytes);
    assert!(check
        .findings
        .iter()
        .any(|f| f.code == CardFindingCode::CardTooLarge));

    let results = send_to_targets(
        &client(&sim),
        &platform(&sim),
        &big,
        &[SendTarget::new(TargetKind::ChatId, &chat)],
        None,
    )
    .await
    .expect("a result");
    let failure = failure_of(&results[0]);
    assert_eq!(failure.code.as_str(), "content_too_large");
    assert_eq!(failure.params["code"], "230025");
    assert!(fix_text(failure).contains("30 KB"), "{failure:?}");
}

#[tokio::test]
async fn the_rate_ceiling_is_reported_with_the_wait() {
    let sim = sim().await;
    configure(&sim, json!({"limits": {"per_receiver_per_second": 1}}));
    let (chat, _, _) = chats(&sim);
    let client = client(&sim);
    let target = [SendTarget::new(TargetKind::ChatId, &chat)];
    let card = card(CardKind::Triggered);
    let first = send_to_targets(&client, &platform(&sim), &card, &target, None)
        .await
        .expect("a result");
    assert!(first[0].is_sent());
    let second = send_to_targets(&client, &platform(&sim), &card, &target, None)
        .await
        .expect("a result");
    let failure = failure_of(&second[0]);
    assert_eq!(failure.code.as_str(), "rate_limited");
    assert_eq!(failure.params["code"], "230020");
    assert_eq!(failure.params["seconds"], "1");
    assert!(fix_text(failure).contains("Wait 1 s"), "{failure:?}");
}

#[tokio::test]
async fn a_missing_scope_names_the_scope_and_links_the_grant_page() {
    let sim = sim().await;
    configure(&sim, json!({"scopes": ["im:chat"]}));
    let (chat, _, _) = chats(&sim);
    let results = send_to_targets(
        &client(&sim),
        &platform(&sim),
        &card(CardKind::Triggered),
        &[SendTarget::new(TargetKind::ChatId, &chat)],
        None,
    )
    .await
    .expect("a result");
    let failure = failure_of(&results[0]);
    assert_eq!(failure.code.as_str(), "missing_scopes");
    assert!(
        failure.params["scopes"].contains("im:message"),
        "{failure:?}"
    );
    assert!(fix_text(failure).contains("Permissions & Scopes"));
    let link = fix_link(failure).expect("grant link");
    assert!(
        link.contains(&format!("/app/{}/auth", sim.app.app_id)),
        "{link}"
    );
}

#[tokio::test]
async fn no_target_at_all_is_an_input_error() {
    let sim = sim().await;
    let result = send_to_targets(
        &client(&sim),
        &platform(&sim),
        &card(CardKind::Triggered),
        &[SendTarget::new(TargetKind::Email, " ")],
        None,
    )
    .await;
    assert!(matches!(result, Err(e) if e.field().as_deref() == Some("targets")));
}
