//! `lark_platform::client` against a real lark-sim over loopback HTTP: token caching, refresh
//! and single flight, every call, the error taxonomy, and the observer's records.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use lark_platform::client::{
    ApiError, CallRecord, Client, Clock, CredentialField, Endpoint, ReceiveId,
};
use lark_platform::secret::Secret;
use serde_json::{json, Value};

use crate::common::{card, start, start_with, Harness};

/// Keeps every record the client reports.
#[derive(Default)]
struct Recorder(Mutex<Vec<CallRecord>>);

impl Recorder {
    fn records(&self) -> Vec<CallRecord> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl lark_platform::client::CallObserver for Recorder {
    fn observe(&self, call: &CallRecord) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(call.clone());
    }
}

/// The system clock plus an offset the test moves forward.
struct ManualClock {
    offset: Mutex<Duration>,
}

impl ManualClock {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            offset: Mutex::new(Duration::ZERO),
        })
    }

    fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }

    fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        Instant::now() + self.offset()
    }

    fn utc(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::from_std(self.offset()).unwrap_or_default()
    }
}

fn builder(h: &Harness) -> lark_platform::client::ClientBuilder {
    Client::builder(
        h.sim.base_url.clone(),
        h.sim.app.app_id.clone(),
        Secret::new(h.sim.app.app_secret.clone()),
    )
}

fn client(h: &Harness) -> Client {
    builder(h).build().expect("client")
}

fn observed(h: &Harness) -> (Client, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let client = builder(h)
        .observer(recorder.clone())
        .build()
        .expect("client");
    (client, recorder)
}

async fn stats(h: &Harness) -> Value {
    h.get("/_sim/stats", None).await.body
}

fn count(stats: &Value, endpoint: &str, field: &str) -> u64 {
    stats["endpoints"][endpoint][field].as_u64().unwrap_or(0)
}

fn card_json() -> Value {
    serde_json::from_str(&card()).expect("card JSON")
}

#[tokio::test]
async fn token_is_fetched_once_and_reused() {
    let h = start().await;
    let client = client(&h);
    let tenant = h.sim.tenant();
    for _ in 0..10 {
        let bot = client.bot_info().await.expect("bot info");
        assert_eq!(bot.app_name, tenant.bot.app_name);
        assert_eq!(bot.open_id, tenant.bot.open_id);
        assert!(bot.is_active(), "{}", bot.activate_status_text());
    }
    let stats = stats(&h).await;
    assert_eq!(count(&stats, "tenant_access_token", "calls"), 1);
    assert_eq!(count(&stats, "bot_info", "ok"), 10);
    assert_eq!(
        stats["quota"]["used"], 10,
        "bot info counts, the token call does not"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_token_request() {
    let h = start().await;
    let client = client(&h);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        tasks.spawn(async move { client.bot_info().await });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("bot info");
    }
    let stats = stats(&h).await;
    assert_eq!(count(&stats, "tenant_access_token", "calls"), 1);
    assert_eq!(count(&stats, "bot_info", "ok"), 20);
}

#[tokio::test]
async fn token_is_refreshed_ten_minutes_before_expiry() {
    let h = start().await;
    let clock = ManualClock::new();
    let client = builder(&h).clock(clock.clone()).build().expect("client");
    let first = client.tenant_access_token().await.expect("token");
    client.bot_info().await.expect("bot info");
    // 6599 s into a 7200 s token: still fresh.
    clock.advance(Duration::from_secs(6599));
    h.config(json!({"advance_ms": 6_599_000})).await;
    assert_eq!(client.tenant_access_token().await.expect("token"), first);
    // At 6600 s (10 minutes left) the client refreshes; with under 30 minutes left the
    // platform hands out a new token.
    clock.advance(Duration::from_secs(1));
    h.config(json!({"advance_ms": 1_000})).await;
    client.bot_info().await.expect("bot info");
    let second = client.tenant_access_token().await.expect("token");
    assert_ne!(second, first);
    let stats = stats(&h).await;
    assert_eq!(count(&stats, "tenant_access_token", "calls"), 2);
    assert!(stats["endpoints"]["bot_info"]["rejected"]
        .as_object()
        .is_none_or(|r| r.is_empty()));
}

#[tokio::test]
async fn a_short_token_lifetime_is_still_reused_and_refreshed_in_time() {
    let h = start_with(lark_sim::SimConfig {
        seed: Some(42),
        token_expire_secs: 60,
        ..lark_sim::SimConfig::default()
    })
    .await;
    h.config(json!({"clock_frozen": true})).await;
    let clock = ManualClock::new();
    let client = builder(&h).clock(clock.clone()).build().expect("client");
    let step = |secs: u64| {
        let clock = clock.clone();
        let h = &h;
        async move {
            clock.advance(Duration::from_secs(secs));
            h.config(json!({"advance_ms": secs * 1000})).await;
        }
    };
    // t=0: the first token, refreshed after half its 60 s life (10 minutes early would be
    // before it was issued).
    client.bot_info().await.expect("bot info");
    step(29).await;
    client.bot_info().await.expect("bot info");
    // t=30: refresh. The platform re-issues the same token with 30 s left, so the client plans
    // the next refresh at t=45.
    step(1).await;
    client.bot_info().await.expect("bot info");
    // t=46: refresh; with under a quarter of its life left the platform hands out a new token.
    step(16).await;
    client.bot_info().await.expect("bot info");
    // t=66: the first token has expired, but the client moved on before it did.
    step(20).await;
    client.bot_info().await.expect("bot info");
    let stats = stats(&h).await;
    assert_eq!(count(&stats, "tenant_access_token", "calls"), 3);
    assert_eq!(count(&stats, "bot_info", "ok"), 5);
    assert_eq!(count(&stats, "bot_info", "calls"), 5, "no call was refused");
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_call_retried_once() {
    let h = start().await;
    let (client, recorder) = observed(&h);
    client.bot_info().await.expect("bot info");
    // The platform forgets every token (as after an app secret reset).
    h.config(json!({"revoke_tokens": true})).await;
    client.bot_info().await.expect("bot info after refresh");
    // The platform's clock passes the expiry while the client's does not.
    h.config(json!({"advance_ms": 7_201_000})).await;
    client.bot_info().await.expect("bot info after expiry");
    let stats = stats(&h).await;
    assert_eq!(count(&stats, "tenant_access_token", "calls"), 3);
    assert_eq!(count(&stats, "bot_info", "ok"), 3);
    assert_eq!(stats["endpoints"]["bot_info"]["rejected"]["99991663"], 2);
    let sequence: Vec<_> = recorder
        .records()
        .iter()
        .map(|r| (r.endpoint, r.code))
        .collect();
    assert_eq!(
        &sequence[2..6],
        &[
            (Endpoint::BotInfo, Some(99991663)),
            (Endpoint::TenantAccessToken, Some(0)),
            (Endpoint::BotInfo, Some(0)),
            (Endpoint::BotInfo, Some(99991663)),
        ]
    );

    // A token refused twice in a row: one refresh, one retry, then the error.
    h.config(json!({"fail": [{"endpoint": "bot_info", "code": 99991663, "count": 2}]}))
        .await;
    let error = client.bot_info().await.unwrap_err();
    assert!(
        matches!(error, ApiError::TokenInvalid { code: 99991663, .. }),
        "{error:?}"
    );
    let after = self::stats(&h).await;
    assert_eq!(
        count(&after, "bot_info", "calls"),
        count(&stats, "bot_info", "calls") + 2
    );
    assert_eq!(
        count(&after, "tenant_access_token", "calls"),
        count(&stats, "tenant_access_token", "calls") + 1
    );
}

#[tokio::test]
async fn chats_are_listed_page_by_page_and_all_at_once() {
    let h = start().await;
    let client = client(&h);
    let first = client.list_chats(Some(2), None).await.expect("page");
    assert_eq!(first.items.len(), 2);
    assert!(first.has_more);
    let token = first.page_token.clone().expect("page token");
    let second = client
        .list_chats(Some(2), Some(&token))
        .await
        .expect("page");
    assert_eq!(second.items.len(), 1);
    assert!(!second.has_more);
    assert_eq!(second.page_token, None);

    let all = client.list_all_chats(Some(1)).await.expect("all chats");
    let expected: Vec<_> = h
        .sim
        .tenant()
        .chats
        .into_iter()
        .filter(|c| c.bot_member)
        .map(|c| (c.chat_id, c.name))
        .collect();
    let got: Vec<_> = all
        .iter()
        .map(|c| (c.chat_id.clone(), c.name.clone()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(count(&stats(&h).await, "chats_list", "ok"), 2 + 3);

    // The documented "empty group list": not an error.
    let membership: serde_json::Map<_, _> = h
        .sim
        .tenant()
        .chats
        .into_iter()
        .map(|c| (c.chat_id, json!(false)))
        .collect();
    h.config(json!({"bot_chats": membership})).await;
    assert!(client.list_all_chats(None).await.expect("empty").is_empty());

    let error = client.list_chats(Some(0), None).await.unwrap_err();
    assert!(
        matches!(&error, ApiError::Platform { code: 99992402, msg, .. } if msg.contains("page_size")),
        "{error:?}"
    );
}

#[tokio::test]
async fn cards_are_sent_to_chats_and_people_and_updated() {
    let h = start().await;
    let client = client(&h);
    let (chat, _) = h.chats();
    let user = h.sim.tenant().users[0].clone();
    let sent = client
        .send_card(&ReceiveId::ChatId(chat.clone()), &card_json(), None)
        .await
        .expect("send to chat");
    assert!(sent.message_id.starts_with("om_"));
    assert_eq!(sent.chat_id, chat);
    assert_eq!(sent.msg_type, "interactive");
    for to in [
        ReceiveId::OpenId(user.open_id.clone()),
        ReceiveId::Email(user.email.clone()),
        ReceiveId::UnionId(user.union_id.clone()),
        ReceiveId::UserId(user.user_id.clone()),
    ] {
        let to_user = client.send_card(&to, &card_json(), None).await;
        assert!(to_user.is_ok(), "{to:?}: {to_user:?}");
    }

    let mut updated = card_json();
    updated["header"]["template"] = json!("green");
    client
        .update_card(&sent.message_id, &updated)
        .await
        .expect("update");
    let recorded = h.get(&format!("/_sim/messages?chat_id={chat}"), None).await;
    let messages = recorded.body["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["card"]["header"]["template"], "green");
    assert_eq!(messages[0]["updates"].as_array().map(Vec::len), Some(1));

    // A uuid makes a retried send idempotent.
    let to = ReceiveId::ChatId(chat.clone());
    let once = client
        .send_card(&to, &card_json(), Some("alert-7"))
        .await
        .expect("send");
    let again = client
        .send_card(&to, &card_json(), Some("alert-7"))
        .await
        .expect("send");
    assert_eq!(once.message_id, again.message_id);

    let missing = client
        .update_card("om_nope", &card_json())
        .await
        .unwrap_err();
    assert!(
        matches!(missing, ApiError::ContentInvalid { code: 230001, .. }),
        "{missing:?}"
    );
}

#[tokio::test]
async fn delivery_problems_are_named() {
    let h = start().await;
    let client = client(&h);
    let (_, outside) = h.chats();
    let error = client
        .send_card(&ReceiveId::ChatId(outside), &card_json(), None)
        .await
        .unwrap_err();
    assert_eq!(error, ApiError::BotNotInChat { code: 230002 });
    assert!(error.to_string().contains("Add the bot"));

    let unavailable = h
        .sim
        .tenant()
        .users
        .into_iter()
        .find(|u| !u.available)
        .expect("a user outside the availability");
    let error = client
        .send_card(&ReceiveId::OpenId(unavailable.open_id), &card_json(), None)
        .await
        .unwrap_err();
    assert_eq!(error, ApiError::ReceiverUnavailable { code: 230013 });

    let (chat, _) = h.chats();
    let big = json!({"elements": [{"tag": "markdown", "content": "x".repeat(31 * 1024)}]});
    let error = client
        .send_card(&ReceiveId::ChatId(chat), &big, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::ContentTooLarge { code: 230025, .. }),
        "{error:?}"
    );

    h.config(json!({"bot_enabled": false})).await;
    let error = client.bot_info().await.unwrap_err();
    assert_eq!(error, ApiError::BotCapabilityDisabled { code: 230006 });
}

#[tokio::test]
async fn wrong_credentials_say_which_one() {
    let h = start().await;
    let recorder = Arc::new(Recorder::default());
    let wrong_secret = Client::builder(
        h.sim.base_url.clone(),
        h.sim.app.app_id.clone(),
        Secret::new("not-the-secret-hunter2"),
    )
    .observer(recorder.clone())
    .build()
    .expect("client");
    let error = wrong_secret.bot_info().await.unwrap_err();
    assert_eq!(
        error,
        ApiError::InvalidCredentials {
            field: CredentialField::AppSecret,
            code: 10014
        }
    );
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{wrong_secret:?}"),
    ] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(&h.sim.app.app_secret), "{shown}");
    }
    let records = recorder.records();
    assert_eq!(records.len(), 1, "no API call without a token");
    assert_eq!(records[0].endpoint, Endpoint::TenantAccessToken);
    assert_eq!(records[0].code, Some(10014));
    assert_eq!(records[0].http_status, Some(200));
    assert!(!records[0].counted);

    let wrong_id = Client::builder(
        h.sim.base_url.clone(),
        "cli_0000000000000000",
        Secret::new(h.sim.app.app_secret.clone()),
    )
    .build()
    .expect("client");
    let error = wrong_id.list_chats(None, None).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::InvalidCredentials {
            field: CredentialField::AppId,
            code: 10003
        }
    );
    assert!(error.to_string().contains("App ID"));
}

#[tokio::test]
async fn missing_scopes_are_listed_with_the_console_link() {
    let h = start().await;
    let client = client(&h);
    let app_id = h.sim.app.app_id.clone();
    h.config(json!({"scopes": ["im:message"]})).await;
    let error = client.list_chats(None, None).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::MissingScopes {
            code: 99991672,
            scopes: vec!["im:chat".into(), "im:chat:readonly".into()],
            console_link: Some(format!(
                "https://open.feishu.cn/app/{app_id}/auth?q=im:chat,im:chat:readonly&op_from=openapi&token_type=tenant"
            )),
        }
    );

    h.config(json!({"scopes": ["im:chat"]})).await;
    let (chat, _) = h.chats();
    let error = client
        .send_card(&ReceiveId::ChatId(chat), &card_json(), None)
        .await
        .unwrap_err();
    let ApiError::MissingScopes {
        scopes,
        console_link,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        scopes,
        &["im:message", "im:message:send_as_bot", "im:message:send"]
    );
    assert!(console_link
        .as_deref()
        .is_some_and(|l| l.starts_with(&format!("https://open.feishu.cn/app/{app_id}/auth?q="))));
    assert!(error.to_string().contains("im:message:send_as_bot"));
}

#[tokio::test]
async fn rate_limits_carry_the_wait_and_the_cap() {
    let h = start().await;
    h.config(json!({"clock_frozen": true, "limits": {"api_per_second": 2, "per_receiver_per_second": 1}}))
        .await;
    let (client, recorder) = observed(&h);
    client.bot_info().await.expect("first");
    client.bot_info().await.expect("second");
    let error = client.bot_info().await.unwrap_err();
    assert_eq!(
        error,
        ApiError::RateLimited {
            reset_after: Some(Duration::from_secs(1)),
            limit: Some("2".into()),
            code: Some(99991400),
        }
    );
    let last = recorder.records().pop().expect("record");
    assert_eq!(last.http_status, Some(429));
    assert_eq!(last.rate_limit.limit.as_deref(), Some("2"));
    assert_eq!(last.rate_limit.reset.as_deref(), Some("1"));
    assert!(!last.counted);
    assert_eq!(last.error_kind, Some("rate_limited"));

    // One chat's ceiling (230020) is a rate limit too.
    let (chat, _) = h.chats();
    let to = ReceiveId::ChatId(chat);
    client
        .send_card(&to, &card_json(), None)
        .await
        .expect("send");
    let error = client.send_card(&to, &card_json(), None).await.unwrap_err();
    assert!(
        matches!(
            error,
            ApiError::RateLimited {
                code: Some(230020),
                reset_after: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    // After the advertised wait, calls go through again.
    h.config(json!({"advance_ms": 1000})).await;
    client.bot_info().await.expect("after the reset");
}

#[tokio::test]
async fn a_used_up_quota_is_not_a_rate_limit() {
    let h = start().await;
    h.config(json!({"quota_cap": 1})).await;
    let client = client(&h);
    client.bot_info().await.expect("the last counted call");
    let error = client.bot_info().await.unwrap_err();
    assert_eq!(error, ApiError::QuotaExhausted { code: 99991403 });
    assert!(!error.is_transient());
    // Token calls do not count and keep working.
    assert!(client.tenant_access_token().await.is_ok());
    assert_eq!(stats(&h).await["quota"]["used"], 1);
}

#[tokio::test]
async fn a_closed_port_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let recorder = Arc::new(Recorder::default());
    let client = Client::builder(
        format!("http://{addr}"),
        "cli_0000000000000000",
        Secret::new("s"),
    )
    .connect_timeout(Duration::from_secs(2))
    .observer(recorder.clone())
    .build()
    .expect("client");
    let error = client.bot_info().await.unwrap_err();
    assert!(
        matches!(error, ApiError::Network { timeout: false, .. }),
        "{error:?}"
    );
    assert!(error.is_transient());
    let records = recorder.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].endpoint, Endpoint::TenantAccessToken);
    assert_eq!(records[0].http_status, None);
    assert_eq!(records[0].error_kind, Some("network"));
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let h = start().await;
    let client = builder(&h)
        .request_timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    client.bot_info().await.expect("fast enough");
    h.config(json!({"latency_ms": 2_000})).await;
    let started = Instant::now();
    let error = client.bot_info().await.unwrap_err();
    assert!(
        matches!(error, ApiError::Network { timeout: true, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(1_500));
    assert!(error.to_string().contains("did not answer in time"));
}

#[tokio::test]
async fn the_observer_sees_every_call_and_what_counted() {
    let h = start().await;
    let (client, recorder) = observed(&h);
    let (chat, outside) = h.chats();
    let started = Utc::now();
    client.bot_info().await.expect("bot info");
    client.list_chats(None, None).await.expect("chats");
    let sent = client
        .send_card(&ReceiveId::ChatId(chat), &card_json(), None)
        .await
        .expect("send");
    client
        .send_card(&ReceiveId::ChatId(outside), &card_json(), None)
        .await
        .unwrap_err();
    client
        .update_card(&sent.message_id, &card_json())
        .await
        .expect("update");
    let records = recorder.records();
    let summary: Vec<_> = records
        .iter()
        .map(|r| (r.endpoint.name(), r.http_status, r.code, r.counted))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "auth.v3.tenant_access_token.internal",
                Some(200),
                Some(0),
                false
            ),
            ("bot.v3.info", Some(200), Some(0), true),
            ("im.v1.chats.list", Some(200), Some(0), true),
            ("im.v1.messages.create", Some(200), Some(0), true),
            ("im.v1.messages.create", Some(400), Some(230002), false),
            ("im.v1.messages.patch", Some(200), Some(0), true),
        ]
    );
    let counted = records.iter().filter(|r| r.counted).count();
    assert_eq!(
        stats(&h).await["quota"]["used"],
        counted,
        "the ledger agrees with the platform"
    );
    let patch = records.last().expect("patch record");
    assert_eq!(patch.endpoint.method(), "PATCH");
    assert_eq!(
        patch.endpoint.path_template(),
        "/open-apis/im/v1/messages/:message_id"
    );
    for record in &records {
        assert!(record.at >= started - chrono::Duration::seconds(1) && record.at <= Utc::now());
        assert!(record.log_id.is_some(), "{record:?}");
        assert!(record.latency > Duration::ZERO);
    }
    assert_eq!(records[4].error_kind, Some("bot_not_in_chat"));
}
