//! The official Python SDK (lark-oapi 1.7.5) against lark-sim's app registration and
//! application API: `register_app` completes (Feishu and Lark brands) or reports the denial, and
//! the SDK's v6/v7 clients get the shapes their models expect. Skips like the other SDK tests
//! unless `LARK_INTEROP_REQUIRED=1`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{start, Harness};
use crate::sdk::{interop_ready, Py};

/// Runs `register_app` against the sim until the QR link; answers the script and the link.
async fn registration(h: &Harness, addons: Option<Value>) -> (Py, String) {
    h.config(json!({"registration_interval_secs": 1})).await;
    let lark = format!("{}/_lark", h.sim.base_url);
    let addons = addons.map(|a| a.to_string());
    let mut args = vec![h.sim.base_url.as_str(), lark.as_str()];
    if let Some(addons) = &addons {
        args.push(addons);
    }
    let mut py = Py::spawn("sdk_register.py", &args, None, Duration::from_secs(35));
    let qr = py.next_json("the QR link").await;
    let link = qr["qr"].as_str().expect("a QR link").to_string();
    assert_eq!(qr["expire_in"], 600);
    (py, link)
}

/// Status lines until the outcome.
async fn outcome(py: &mut Py) -> (Value, Vec<String>) {
    let mut statuses = Vec::new();
    loop {
        let line = py.next_json("the outcome").await;
        if line.get("outcome").is_some() {
            return (line, statuses);
        }
        if let Some(status) = line["status"].as_str() {
            statuses.push(status.to_string());
        }
    }
}

#[tokio::test]
async fn sdk_register_app_creates_an_app_in_the_sim() {
    if !interop_ready("sdk_register_app_creates_an_app_in_the_sim") {
        return;
    }
    let h = start().await;
    let addons = json!({
        "scopes": {"tenant": ["im:chat:readonly", "application:application:self_manage"]},
        "events": {"items": {"tenant": ["im.chat.disbanded_v1"]}},
        "callbacks": {"items": ["card.action.trigger"]},
    });
    let (mut py, link) = registration(&h, Some(addons)).await;
    let url = url::Url::parse(&link).unwrap();
    assert_eq!(url.path(), "/app/scan");
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["from"], "sdk");
    assert_eq!(query["tp"], "sdk");
    assert_eq!(query["source"], "python-sdk/lark-sim-test");
    assert_eq!(query["name"], "SDK registered");
    assert!(query.contains_key("user_code") && query.contains_key("addons"));

    // The scan page decodes what the SDK encoded.
    let page = h
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("im:chat:readonly") && page.contains("im.chat.disbanded_v1"),
        "{page}"
    );
    let confirmed = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let (done, statuses) = outcome(&mut py).await;
    assert_eq!(done["outcome"], "success", "{done}\n{}", py.stderr_tail());
    assert!(statuses.iter().all(|s| s == "polling"), "{statuses:?}");
    let app_id = done["client_id"].as_str().unwrap();
    assert_eq!(app_id, confirmed.body["app_id"].as_str().unwrap());
    assert_eq!(done["user_info"]["tenant_brand"], "feishu");
    let tenant = h.sim.tenant();
    let app = tenant.find_app(app_id).expect("the SDK's app exists");
    assert_eq!(done["client_secret"], app.app.app_secret.as_str());
    assert_eq!(app.bot.app_name, "SDK registered");
    assert!(app.scopes.contains("im:chat:readonly"));
    let status = py.finish().await;
    assert!(status.success(), "sdk_register.py exited with {status}");
}

#[tokio::test]
async fn sdk_register_app_follows_a_lark_confirmation_to_the_lark_host() {
    if !interop_ready("sdk_register_app_follows_a_lark_confirmation_to_the_lark_host") {
        return;
    }
    let h = start().await;
    let (mut py, link) = registration(&h, Some(json!({"preset": false}))).await;
    let confirmed = h
        .post(
            "/_sim/registration/confirm",
            None,
            &json!({"url": link, "brand": "lark"}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let (done, statuses) = outcome(&mut py).await;
    assert_eq!(done["outcome"], "success", "{done}\n{}", py.stderr_tail());
    assert!(
        statuses.contains(&"domain_switched".to_string()),
        "{statuses:?}"
    );
    assert_eq!(done["user_info"]["tenant_brand"], "lark");
    assert_eq!(done["client_id"], confirmed.body["app_id"]);
    let stats = h.get("/_sim/stats", None).await.body;
    assert_eq!(
        stats["endpoints"]["app_registration"]["rejected"].get("slow_down"),
        None,
        "the SDK never polls too fast: {stats}"
    );
    assert!(py.finish().await.success());
}

#[tokio::test]
async fn sdk_register_app_reports_a_denial() {
    if !interop_ready("sdk_register_app_reports_a_denial") {
        return;
    }
    let h = start().await;
    let (mut py, link) = registration(&h, None).await;
    let denied = h
        .post("/_sim/registration/deny", None, &json!({"url": link}))
        .await;
    assert_eq!(denied.status, 200, "{}", denied.body);
    let (done, _) = outcome(&mut py).await;
    assert_eq!(done["outcome"], "AppAccessDeniedError", "{done}");
    assert_eq!(done["code"], "access_denied");
    assert!(py.finish().await.success());
    assert!(h.sim.tenant().more_apps.is_empty());
}

#[tokio::test]
async fn sdk_application_clients_against_the_sim() {
    if !interop_ready("sdk_application_clients_against_the_sim") {
        return;
    }
    let h = start().await;
    h.grant(&[
        "application:application:self_manage",
        "application:application:patch",
    ])
    .await;
    let app = h.sim.app.clone();
    let mut py = Py::spawn(
        "sdk_application.py",
        &[&h.sim.base_url, &app.app_id, &app.app_secret],
        None,
        Duration::from_secs(30),
    );
    let seen = py.next_json("the client's report").await;
    let stderr = py.stderr_tail();
    let status = py.finish().await;
    assert!(
        status.success(),
        "sdk_application.py: {status} {seen}\n{stderr}"
    );
    assert_eq!(seen["ok"], true, "{seen}");

    let before = &seen["before"];
    assert_eq!(before["app_id"], app.app_id.as_str());
    assert_eq!(before["app_name"], "Lark Companion Sandbox");
    assert_eq!(before["status"], 1);
    assert_eq!(before["create_source"], "developer_console");
    assert_eq!(before["unaudit_version_id"], "");
    assert_eq!(before["event"]["subscription_type"], "websocket");
    assert_eq!(
        before["encryption"]["verification_token"],
        app.verification_token.as_str()
    );
    assert!(before["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["scope"] == "im:message" && s["token_types"] == json!(["tenant"])));

    let drafts = &seen["draft_list"]["items"];
    assert_eq!(drafts[0]["status"], 4, "{drafts}");
    assert_eq!(drafts[0]["version"], "1.0.1");
    assert_eq!(
        drafts[0]["web_app"],
        json!({"pc_url": "https://example.com/pc", "mobile_url": "https://example.com/m"})
    );
    assert_eq!(
        drafts[0]["card_request_url"],
        "https://hooks.example.com/lark/cards"
    );
    assert_eq!(drafts[1]["status"], 1);
    assert_eq!(seen["draft_list"]["has_more"], false);

    let published = &seen["published"];
    assert_eq!(published["version"], "1.0.1");
    assert_eq!(published["version_id"], drafts[0]["version_id"]);
    let version = &seen["version"];
    assert_eq!(version["status"], 1);
    assert_eq!(version["app_name"], "SDK bridge");
    assert!(version["scopes"]
        .as_array()
        .unwrap()
        .contains(&json!("im:chat:readonly")));
    assert_eq!(
        version["events"],
        json!(["im.chat.disbanded_v1", "im.message.receive_v1"])
    );
    assert_eq!(version["event_types"], version["events"]);
    assert_eq!(
        version["remark"],
        json!({"remark": "from lark-oapi", "update_remark": "scopes, events, web app"})
    );
    assert!(
        version["publish_time"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 0
    );

    assert!(seen["scopes"].as_array().unwrap().contains(
        &json!({"scope_name": "im:chat:readonly", "grant_status": 1, "scope_type": "tenant"})
    ));
    assert_eq!(seen["apply_code"], 0);

    let after = &seen["after"];
    assert_eq!(after["app_name"], "SDK bridge");
    assert_eq!(after["description"], "set by lark-oapi");
    assert_eq!(after["online_version_id"], published["version_id"]);
    assert_eq!(after["event"]["subscription_type"], "webhook");
    assert_eq!(
        after["event"]["request_url"],
        "https://hooks.example.com/lark/events"
    );
    assert_eq!(
        after["callback_info"]["subscribed_callbacks"],
        json!(["card.action.trigger"])
    );
    assert_eq!(after["redirect_urls"], json!(["https://example.com/oauth"]));
    assert_eq!(
        after["security_redirect_urls"],
        json!(["https://example.com/oauth"])
    );

    // lark-sim's own records agree.
    let tenant = h.sim.tenant();
    assert!(tenant.scopes.contains("im:chat:readonly"));
    assert_eq!(tenant.bot.app_name, "SDK bridge");
    let challenges = h.get("/_sim/challenges", None).await.body;
    let kinds: Vec<&str> = challenges["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["event", "card"],
        "webhook URLs saved through the SDK are challenged"
    );
}

/// `sdk_addons.py` prints the SDK's own encoding, and lark-sim decodes it to the same object.
#[tokio::test]
async fn sdk_addons_encoding_is_what_the_sim_decodes() {
    if !interop_ready("sdk_addons_encoding_is_what_the_sim_decodes") {
        return;
    }
    let input = json!({
        "preset": true,
        "scopes": {"tenant": ["im:message"], "user": ["contact:user.base:readonly"]},
        "events": {"items": {"user": ["im.message.receive_v1"]}},
        "callbacks": {"items": ["card.action.trigger"]},
    });
    let mut py = Py::spawn(
        "sdk_addons.py",
        &[],
        Some(input.to_string()),
        Duration::from_secs(20),
    );
    let encoded = py.next_line("the encoded addons").await;
    let status = py.finish().await;
    assert!(status.success(), "sdk_addons.py exited with {status}");
    let decoded = lark_sim::registration::addons::decode(&encoded).expect("lark-sim decodes it");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), input);
    // The product's own encoder says the same as the SDK's for the same input (gzip headers
    // differ between implementations, so both are decoded and compared).
    let ours: lark_platform::registration::Addons = serde_json::from_value(input.clone()).unwrap();
    let ours = ours
        .encode()
        .expect("our encoder accepts what the Python SDK accepts");
    let theirs = lark_platform::registration::Addons::decode(&encoded)
        .expect("we decode the Python SDK's encoding");
    assert_eq!(
        lark_platform::registration::Addons::decode(&ours).unwrap(),
        theirs
    );
    assert_eq!(serde_json::to_value(&theirs).unwrap(), input);
    let invalid = Py::spawn(
        "sdk_addons.py",
        &[],
        Some("{}".to_string()),
        Duration::from_secs(20),
    );
    assert_eq!(invalid.finish().await.code(), Some(2));
}
