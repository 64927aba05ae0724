//! Rate ceilings and the monthly quota, on a frozen clock so counts are exact.

use serde_json::json;

use crate::common::{start, Harness};

async fn frozen() -> (Harness, String) {
    let h = start().await;
    h.config(json!({"clock_frozen": true})).await;
    let token = h.token().await;
    (h, token)
}

#[tokio::test]
async fn fifty_calls_a_second_then_429_with_headers() {
    let (h, token) = frozen().await;
    for i in 0..50 {
        let ok = h.get("/open-apis/bot/v3/info", Some(&token)).await;
        assert_eq!(ok.code(), 0, "call {i}: {}", ok.body);
    }
    let limited = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.code(), 99991400);
    assert_eq!(
        limited.header("x-ogw-ratelimit-limit").as_deref(),
        Some("50")
    );
    assert_eq!(
        limited.header("x-ogw-ratelimit-reset").as_deref(),
        Some("1")
    );
    // Each API is its own tier.
    assert_eq!(
        h.get("/open-apis/im/v1/chats", Some(&token)).await.code(),
        0
    );
    // 999 ms later the window still holds the 50 calls; at 1000 ms it has slid past them.
    h.config(json!({"advance_ms": 999})).await;
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.status,
        429
    );
    h.config(json!({"advance_ms": 1})).await;
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.code(),
        0
    );
    let stats = h.get("/_sim/stats", None).await;
    assert_eq!(
        stats.body["endpoints"]["bot_info"]["rejected"]["99991400"],
        2
    );
    assert_eq!(stats.body["endpoints"]["bot_info"]["ok"], 51);
}

#[tokio::test]
async fn five_sends_a_second_per_receiver_then_230020() {
    let (h, token) = frozen().await;
    let tenant = h.sim.tenant();
    let chats: Vec<_> = tenant.chats.iter().filter(|c| c.bot_member).collect();
    for _ in 0..5 {
        assert_eq!(
            h.send_card(&token, "chat_id", &chats[0].chat_id)
                .await
                .code(),
            0
        );
    }
    let limited = h.send_card(&token, "chat_id", &chats[0].chat_id).await;
    assert_eq!((limited.status, limited.code()), (429, 230020));
    assert_eq!(
        limited.header("x-ogw-ratelimit-limit").as_deref(),
        Some("5")
    );
    assert_eq!(
        limited.header("x-ogw-ratelimit-reset").as_deref(),
        Some("1")
    );
    // Another chat has its own budget; so does a user.
    assert_eq!(
        h.send_card(&token, "chat_id", &chats[1].chat_id)
            .await
            .code(),
        0
    );
    assert_eq!(
        h.send_card(&token, "email", &tenant.users[0].email)
            .await
            .code(),
        0
    );
    h.config(json!({"advance_ms": 1000})).await;
    assert_eq!(
        h.send_card(&token, "chat_id", &chats[0].chat_id)
            .await
            .code(),
        0
    );
}

#[tokio::test]
async fn five_updates_a_second_per_message() {
    let (h, token) = frozen().await;
    let (chat, _) = h.chats();
    let sent = h.send_card(&token, "chat_id", &chat).await;
    let id = sent.body["data"]["message_id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/open-apis/im/v1/messages/{id}");
    for _ in 0..5 {
        let ok = h
            .patch(
                &path,
                Some(&token),
                &json!({"content": crate::common::card()}),
            )
            .await;
        assert_eq!(ok.code(), 0);
    }
    let limited = h
        .patch(
            &path,
            Some(&token),
            &json!({"content": crate::common::card()}),
        )
        .await;
    assert_eq!((limited.status, limited.code()), (429, 230020));
}

#[tokio::test]
async fn a_thousand_sends_a_minute() {
    let (h, token) = frozen().await;
    // Lift the per-receiver ceiling so only the per-second and per-minute tiers apply.
    h.config(json!({"limits": {"per_receiver_per_second": 10_000}}))
        .await;
    let (chat, _) = h.chats();
    for round in 0..20 {
        for i in 0..50 {
            let ok = h.send_card(&token, "chat_id", &chat).await;
            assert_eq!(ok.code(), 0, "round {round} call {i}: {}", ok.body);
        }
        let per_second = h.send_card(&token, "chat_id", &chat).await;
        assert_eq!(
            per_second.header("x-ogw-ratelimit-limit").as_deref(),
            Some("50")
        );
        h.config(json!({"advance_ms": 1000})).await;
    }
    // 1000 sends in the last 20 s: the per-minute tier refuses until the first ones age out.
    let limited = h.send_card(&token, "chat_id", &chat).await;
    assert_eq!((limited.status, limited.code()), (429, 99991400));
    assert_eq!(
        limited.header("x-ogw-ratelimit-limit").as_deref(),
        Some("1000")
    );
    assert_eq!(
        limited.header("x-ogw-ratelimit-reset").as_deref(),
        Some("40")
    );
    h.config(json!({"advance_ms": 40_000})).await;
    assert_eq!(h.send_card(&token, "chat_id", &chat).await.code(), 0);
}

#[tokio::test]
async fn monthly_quota_counts_successes_only_and_resets_next_month() {
    let (h, token) = frozen().await;
    let (chat, outside) = h.chats();
    h.config(json!({"quota_cap": 3, "quota_used": 0})).await;
    assert_eq!(
        h.send_card(&token, "chat_id", &outside).await.code(),
        230002
    );
    assert_eq!(h.send_card(&token, "chat_id", &chat).await.code(), 0);
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.code(),
        0
    );
    assert_eq!(
        h.get("/open-apis/im/v1/chats", Some(&token)).await.code(),
        0
    );
    let over = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!((over.status, over.code()), (429, 99991403));
    assert_eq!(h.send_card(&token, "chat_id", &chat).await.code(), 99991403);
    // Token calls are free and keep working.
    assert!(h.token().await.starts_with("t-"));
    let stats = h.get("/_sim/stats", None).await;
    assert_eq!(stats.body["quota"]["used"], 3);
    assert_eq!(stats.body["quota"]["cap"], 3);
    let month = stats.body["quota"]["month"].as_str().unwrap().to_string();

    // Jump to the 1st of next month (at most 32 days ahead).
    h.config(json!({"advance_ms": 32_i64 * 86_400_000})).await;
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.code(),
        99991663,
        "the token expired meanwhile"
    );
    let token = h.token().await;
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.code(),
        0
    );
    let stats = h.get("/_sim/stats", None).await;
    assert_ne!(stats.body["quota"]["month"], month.as_str());
    assert_eq!(stats.body["quota"]["used"], 1);

    h.config(json!({"quota_cap": null})).await;
    let stats = h.get("/_sim/stats", None).await;
    assert!(stats.body["quota"]["cap"].is_null());
}
