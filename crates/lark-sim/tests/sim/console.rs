//! The sandbox's stand-in developer console: the pages the checks' fix links open show the
//! simulated app, and saving the bot, scope and availability pages changes what the Open API
//! then answers, the way the real console would.

use serde_json::json;

use crate::common::{start, Harness};

/// The page's HTML (the console answers HTML, so the harness hands it over as a string).
async fn html(h: &Harness, path: &str) -> (u16, String) {
    let answer = h.get(path, None).await;
    (
        answer.status,
        answer.body.as_str().unwrap_or_default().to_string(),
    )
}

/// Posts a form the way a browser does and follows the redirect back to the page.
async fn save(h: &Harness, path: &str, form: &str) -> (u16, String) {
    let response = h
        .http
        .post(h.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_bot_page_turns_the_bot_on_and_off() {
    let h = start().await;
    let app_id = h.sim.app.app_id.clone();
    h.config(json!({"bot_enabled": false})).await;
    let (status, page) = html(&h, &format!("/app/{app_id}/bot")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="bot-state">Off<"#), "{page}");

    let (status, page) = save(&h, &format!("/app/{app_id}/bot"), "enabled=on").await;
    assert_eq!(status, 200, "the redirect leads back to the page");
    assert!(page.contains(r#"id="bot-state">On<"#));
    assert!(page.contains(r#"id="saved""#));
    assert!(h.sim.tenant().bot.enabled);

    // An unchecked box sends nothing: the bot goes off again.
    save(&h, &format!("/app/{app_id}/bot"), "").await;
    assert!(!h.sim.tenant().bot.enabled);
}

#[tokio::test]
async fn the_scope_link_marks_what_a_check_asked_for_and_saving_grants_it() {
    let h = start().await;
    let app_id = h.sim.app.app_id.clone();
    h.config(json!({"scopes": ["contact:user.id:readonly"]}))
        .await;
    let (_, page) = html(&h, &format!("/app/{app_id}/auth?q=im:chat,im:message")).await;
    assert!(
        page.contains(r#"value="im:chat" checked"#),
        "requested scopes come pre-checked"
    );
    assert!(page.contains("requested"));
    assert!(!page.contains(r#"value="im:message:send_as_bot" checked"#));

    let (status, _) = save(
        &h,
        &format!("/app/{app_id}/auth"),
        "scope=contact%3Auser.id%3Areadonly&scope=im%3Achat&scope=im%3Amessage",
    )
    .await;
    assert_eq!(status, 200);
    let granted: Vec<String> = h.sim.tenant().scopes.into_iter().collect();
    assert_eq!(
        granted,
        ["contact:user.id:readonly", "im:chat", "im:message"]
    );
}

#[tokio::test]
async fn the_version_page_sets_who_the_app_is_available_to() {
    let h = start().await;
    let app_id = h.sim.app.app_id.clone();
    let users = h.sim.tenant().users;
    let outside = users.iter().find(|u| !u.available).unwrap().open_id.clone();
    let form: Vec<String> = users
        .iter()
        .map(|u| format!("available={}", u.open_id))
        .collect();
    save(&h, &format!("/app/{app_id}/version"), &form.join("&")).await;
    let now = h.sim.tenant().users;
    assert!(
        now.iter().all(|u| u.available),
        "{outside} is available now"
    );
}

#[tokio::test]
async fn secrets_pages_show_the_sandbox_app_and_input_is_escaped() {
    let h = start().await;
    let app = h.sim.app.clone();
    let (_, page) = html(&h, &format!("/app/{}/baseinfo", app.app_id)).await;
    assert!(
        page.contains(&app.app_secret),
        "the sandbox app's secret is not a secret"
    );
    let (_, page) = html(&h, &format!("/app/{}/event", app.app_id)).await;
    assert!(page.contains(&app.verification_token));

    let (_, page) = html(
        &h,
        &format!(
            "/app/{}/auth?q=%3Cscript%3Ealert(1)%3C/script%3E",
            app.app_id
        ),
    )
    .await;
    assert!(!page.contains("<script>"), "query text is escaped");
    assert!(page.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn a_wrong_app_id_or_page_is_a_clear_404_and_nothing_changes() {
    let h = start().await;
    let (status, page) = html(&h, "/app/cli_0000000000000000/bot").await;
    assert_eq!(status, 404);
    assert!(
        page.contains(&h.sim.app.app_id),
        "names the sandbox's real App ID"
    );
    let (status, _) = html(&h, &format!("/app/{}/nope", h.sim.app.app_id)).await;
    assert_eq!(status, 404);

    let before = h.sim.tenant();
    let (status, _) = save(&h, "/app/cli_0000000000000000/bot", "").await;
    assert_eq!(status, 404);
    let (status, _) = save(&h, &format!("/app/{}/safe", h.sim.app.app_id), "x=1").await;
    assert_eq!(status, 405);
    assert_eq!(h.sim.tenant(), before);
}

#[tokio::test]
async fn apps_made_by_registration_have_their_own_pages() {
    let h = start().await;
    h.form("/oauth/v1/app/registration", &[("action", "begin")])
        .await;
    let link = {
        let list = h.get("/_sim/registration", None).await.body;
        let code = list["list"][0]["user_code"].as_str().unwrap().to_string();
        format!(
            "{}/app/scan?user_code={code}&name=Second%20app",
            h.sim.base_url
        )
    };
    let confirmed = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await;
    let second = confirmed.body["app_id"].as_str().unwrap().to_string();

    let (status, list) = html(&h, "/app").await;
    assert_eq!(status, 200);
    assert!(
        list.contains(&h.sim.app.app_id) && list.contains(&second) && list.contains("Second app")
    );
    let (status, page) = html(&h, &format!("/app/{second}/bot")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Second app") && page.contains(r#"id="bot-state">On<"#));
    save(&h, &format!("/app/{second}/bot"), "").await;
    let tenant = h.sim.tenant();
    assert!(!tenant.find_app(&second).unwrap().bot.enabled);
    assert!(tenant.bot.enabled, "the primary app's bot is untouched");
    save(&h, &format!("/app/{second}/auth"), "scope=im%3Achat").await;
    let tenant = h.sim.tenant();
    let granted: Vec<&String> = tenant.find_app(&second).unwrap().scopes.iter().collect();
    assert_eq!(granted, ["im:chat"]);
    assert!(
        tenant.scopes.contains("im:message"),
        "the primary app's scopes are untouched"
    );
    let (status, unknown) = html(&h, "/app/cli_0000000000000000/bot").await;
    assert_eq!(status, 404);
    assert!(unknown.contains(&second), "the 404 lists every app");
}

/// A web page on another site cannot drive the simulator (cross-site form posts), and a
/// rebound DNS name cannot reach it.
#[tokio::test]
async fn other_sites_and_other_host_names_are_refused() {
    let h = crate::common::start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/_sim/config", h.sim.base_url);
    let foreign = client
        .post(&url)
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({"latency_ms": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let own = client
        .post(&url)
        .header("origin", h.sim.base_url.trim_end_matches('/'))
        .json(&serde_json::json!({"latency_ms": 0}))
        .send()
        .await
        .unwrap();
    assert!(own.status().is_success(), "{}", own.status());
    let rebound = client
        .get(format!("{}/_sim/stats", h.sim.base_url))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 421);
    // The Open API itself is not a browser surface: SDKs send no Origin, and it stays open.
    let api = client
        .post(format!(
            "{}/open-apis/auth/v3/tenant_access_token/internal",
            h.sim.base_url
        ))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({"app_id": h.sim.app.app_id, "app_secret": h.sim.app.app_secret}))
        .send()
        .await
        .unwrap();
    assert!(api.status().is_success());
}
