//! The official Node SDK (@larksuiteoapi/node-sdk 1.74.0, pinned in `tests/sdk/node`) as a
//! second independent peer: its application clients, its long-connection client facing a
//! refusal, `registerApp` end to end (through an interceptor on its exported
//! `defaultHttpInstance`, since it builds `https://` URLs itself) and its `addons` encoding.
//!
//! `scripts/setup-debian.sh --test` installs the package (`npm ci`). Without node or the package
//! the tests print a note and pass, unless `LARK_INTEROP_REQUIRED=1`, where they fail.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use lark_sim::registration::addons::decode;
use serde_json::{json, Value};

use crate::common::{start, Harness};
use crate::sdk::Py;

fn node() -> String {
    std::env::var("LARK_INTEROP_NODE").unwrap_or_else(|_| "node".to_string())
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk/node")
}

fn probe() -> Result<(), String> {
    let package = dir().join("node_modules/@larksuiteoapi/node-sdk/package.json");
    let text = std::fs::read_to_string(&package).map_err(|_| {
        "node_modules/@larksuiteoapi/node-sdk is missing (npm ci in crates/lark-sim/tests/sdk/node)".to_string()
    })?;
    let version: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if version["version"] != "1.74.0" {
        return Err(format!(
            "node-sdk {} installed, 1.74.0 expected",
            version["version"]
        ));
    }
    let status = Command::new(node())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", node()))?;
    if !status.success() {
        return Err(format!("{} --version failed", node()));
    }
    Ok(())
}

fn node_ready(test: &str) -> bool {
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    match PROBE.get_or_init(probe) {
        Ok(()) => true,
        Err(why) if std::env::var("LARK_INTEROP_REQUIRED").as_deref() == Ok("1") => {
            panic!("{test}: LARK_INTEROP_REQUIRED=1 but the Node SDK interop cannot run: {why}")
        }
        Err(why) => {
            eprintln!("note: skipping {test}: {why}");
            false
        }
    }
}

fn spawn(name: &'static str, args: &[&str], stdin: Option<String>, budget: Duration) -> Py {
    Py::spawn_program(&node(), dir().join(name), name, args, stdin, budget)
}

#[tokio::test]
async fn node_application_clients_against_the_sim() {
    if !node_ready("node_application_clients_against_the_sim") {
        return;
    }
    let h = start().await;
    h.grant(&[
        "application:application:self_manage",
        "application:application:patch",
    ])
    .await;
    let app = h.sim.app.clone();
    let mut js = spawn(
        "application.mjs",
        &[&h.sim.base_url, &app.app_id, &app.app_secret],
        None,
        Duration::from_secs(30),
    );
    let seen = js.next_json("the client's report").await;
    let stderr = js.stderr_tail();
    let status = js.finish().await;
    assert!(
        status.success(),
        "application.mjs: {status} {seen}\n{stderr}"
    );
    assert_eq!(seen["ok"], true, "{seen}");

    let before = &seen["before"];
    assert_eq!(before["app_id"], app.app_id.as_str());
    assert_eq!(before["create_source"], "developer_console");
    assert_eq!(before["unaudit_version_id"], "");
    assert!(before["online_version_id"]
        .as_str()
        .unwrap()
        .starts_with("oav_"));
    let drafts = &seen["drafts"];
    assert_eq!(drafts["items"][0]["status"], 4);
    assert_eq!(
        drafts["items"][0]["ability"]["bot"]["card_request_url"],
        "https://hooks.example.com/node/cards"
    );
    assert_eq!(drafts["has_more"], false);
    assert_eq!(seen["published"]["version"], "1.1.0");
    assert_eq!(
        seen["published"]["version_id"],
        drafts["items"][0]["version_id"]
    );
    let version = &seen["version"];
    assert_eq!(version["status"], 1);
    assert_eq!(version["app_name"], "Node bridge");
    assert_eq!(
        version["ability"]["web_app"],
        json!({"pc_url": "https://example.com/node-pc", "mobile_url": "https://example.com/node-m"})
    );
    assert_eq!(version["remark"]["remark"], "from node-sdk");
    assert!(
        version["create_time"].is_string() && version["publish_time"].is_string(),
        "strings, as the SDK types say"
    );
    assert!(seen["scopes"].as_array().unwrap().contains(
        &json!({"scope_name": "im:chat:readonly", "grant_status": 1, "scope_type": "tenant"})
    ));
    assert_eq!(seen["apply_code"], 0);
    let after = &seen["after"];
    assert_eq!(after["online_version_id"], seen["published"]["version_id"]);
    assert_eq!(after["app_name"], "Node bridge");
    assert_eq!(
        after["event"]["request_url"],
        "https://hooks.example.com/node/events"
    );
    assert_eq!(
        after["security"]["redirect_urls"],
        json!(["https://example.com/node-oauth"])
    );
    assert_eq!(seen["refused"]["code"], 210502);
    assert!(h.sim.tenant().scopes.contains("im:chat:readonly"));
}

/// A loopback "platform" whose endpoint refuses without `data` (what lark-sim answered before).
async fn refusal_without_data() -> String {
    let app = axum::Router::new().route(
        "/callback/ws/endpoint",
        axum::routing::post(|| async { axum::Json(json!({"code": 514, "msg": "auth failed"})) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

#[tokio::test]
async fn node_ws_client_reports_the_endpoints_refusals() {
    if !node_ready("node_ws_client_reports_the_endpoints_refusals") {
        return;
    }
    let h = start().await;
    let app = h.sim.app.clone();
    let mut js = spawn(
        "ws_refusal.mjs",
        &[&h.sim.base_url, &app.app_id, "wrong-secret"],
        None,
        Duration::from_secs(20),
    );
    let seen = js.next_json("the refusal").await;
    assert_eq!(seen["outcome"], "error", "{seen}\n{}", js.stderr_tail());
    let message = seen["message"].as_str().unwrap();
    assert!(message.contains("code=514"), "{message}");
    assert!(js.finish().await.success());

    h.config(json!({"ws_max_connections": 0})).await;
    let mut js = spawn(
        "ws_refusal.mjs",
        &[&h.sim.base_url, &app.app_id, &app.app_secret],
        None,
        Duration::from_secs(20),
    );
    let seen = js.next_json("the refusal").await;
    assert_eq!(seen["outcome"], "error", "{seen}");
    assert!(
        seen["message"]
            .as_str()
            .unwrap()
            .contains("code=1000040350"),
        "{seen}"
    );
    assert!(js.finish().await.success());

    // Why `data` matters: the same refusal without it never reaches onError.
    let bare = refusal_without_data().await;
    let mut js = spawn(
        "ws_refusal.mjs",
        &[&bare, &app.app_id, "wrong-secret", "4"],
        None,
        Duration::from_secs(15),
    );
    let seen = js.next_json("the watchdog").await;
    assert_eq!(seen["outcome"], "watchdog", "{seen}");
    assert_eq!(js.finish().await.code(), Some(3));
}

async fn register(h: &Harness, addons: Option<Value>) -> (Py, String) {
    h.config(json!({"registration_interval_secs": 1})).await;
    let addons = addons.map(|a| a.to_string());
    let mut args = vec![h.sim.base_url.as_str()];
    if let Some(addons) = &addons {
        args.push(addons);
    }
    let mut js = spawn("register.mjs", &args, None, Duration::from_secs(35));
    let qr = js.next_json("the QR link").await;
    let link = qr["qr"].as_str().expect("a QR link").to_string();
    (js, link)
}

async fn outcome(js: &mut Py) -> (Value, Vec<String>) {
    let mut statuses = Vec::new();
    loop {
        let line = js.next_json("the outcome").await;
        if line.get("outcome").is_some() {
            return (line, statuses);
        }
        if let Some(status) = line["status"].as_str() {
            statuses.push(status.to_string());
        }
    }
}

#[tokio::test]
async fn node_register_app_end_to_end() {
    if !node_ready("node_register_app_end_to_end") {
        return;
    }
    let h = start().await;
    let (mut js, link) = register(
        &h,
        Some(json!({"scopes": {"tenant": ["im:chat:readonly"]}})),
    )
    .await;
    let query: std::collections::HashMap<String, String> = url::Url::parse(&link)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(query["source"], "node-sdk/lark-sim-test");
    assert_eq!(query["name"], "Node registered");
    let confirmed = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let (done, _) = outcome(&mut js).await;
    assert_eq!(done["outcome"], "success", "{done}\n{}", js.stderr_tail());
    assert_eq!(done["client_id"], confirmed.body["app_id"]);
    assert_eq!(done["user_info"]["tenant_brand"], "feishu");
    let app_id = done["client_id"].as_str().unwrap();
    let tenant = h.sim.tenant();
    let app = tenant.find_app(app_id).unwrap();
    assert_eq!(done["client_secret"], app.app.app_secret.as_str());
    assert!(app.scopes.contains("im:chat:readonly"));
    assert!(js.finish().await.success());

    // Lark: the SDK switches hosts once and gets the credentials there.
    let (mut js, link) = register(&h, None).await;
    h.post(
        "/_sim/registration/confirm",
        None,
        &json!({"url": link, "brand": "lark"}),
    )
    .await;
    let (done, statuses) = outcome(&mut js).await;
    assert_eq!(done["outcome"], "success", "{done}");
    assert!(
        statuses.contains(&"domain_switched".to_string()),
        "{statuses:?}"
    );
    assert_eq!(done["user_info"]["tenant_brand"], "lark");
    assert!(js.finish().await.success());

    // Denied: the SDK reports access_denied.
    let (mut js, link) = register(&h, None).await;
    h.post("/_sim/registration/deny", None, &json!({"url": link}))
        .await;
    let (done, _) = outcome(&mut js).await;
    assert_eq!(
        (done["outcome"].as_str(), done["code"].as_str()),
        (Some("error"), Some("access_denied")),
        "{done}"
    );
    assert!(js.finish().await.success());
}

#[tokio::test]
async fn node_addons_encoding_is_what_the_sim_decodes() {
    if !node_ready("node_addons_encoding_is_what_the_sim_decodes") {
        return;
    }
    let input = json!({
        "scopes": {"tenant": ["im:message", "im:chat:readonly"], "user": ["contact:user.base:readonly"]},
        "events": {"items": {"tenant": ["im.message.receive_v1"]}},
        "callbacks": {"items": ["card.action.trigger"]},
    });
    let mut js = spawn(
        "addons.mjs",
        &[],
        Some(input.to_string()),
        Duration::from_secs(20),
    );
    let encoded = js.next_line("the encoded addons").await;
    let status = js.finish().await;
    assert!(status.success(), "addons.mjs exited with {status}");
    assert!(
        encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{encoded}"
    );
    let decoded = decode(&encoded).expect("lark-sim decodes the Node SDK's encoding");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), input);
    // The product's own encoder says the same as the SDK's for the same input (gzip headers
    // differ between implementations, so both are decoded and compared).
    let ours: lark_platform::registration::Addons = serde_json::from_value(input.clone()).unwrap();
    let ours = ours
        .encode()
        .expect("our encoder accepts what the Node SDK accepts");
    let theirs = lark_platform::registration::Addons::decode(&encoded)
        .expect("we decode the Node SDK's encoding");
    assert_eq!(
        lark_platform::registration::Addons::decode(&ours).unwrap(),
        theirs
    );
    assert_eq!(serde_json::to_value(&theirs).unwrap(), input);
    let invalid = spawn(
        "addons.mjs",
        &[],
        Some("{}".to_string()),
        Duration::from_secs(20),
    );
    assert_eq!(invalid.finish().await.code(), Some(2));
}
