//! `lark-companion-cli sim` as a user runs it: it prints where it listens and the app's
//! credentials, serves the Open API there, and stops cleanly on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn sim_serves_the_printed_tenant_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--json",
            "--app-secret",
            "s3cret-for-test",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start lark-companion-cli sim");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the first line");
    let printed: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    let base = printed["baseUrl"].as_str().expect("baseUrl").to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let app_id = printed["tenant"]["app"]["app_id"].as_str().expect("app_id");
    assert_eq!(printed["tenant"]["app"]["app_secret"], "s3cret-for-test");

    let client = reqwest::Client::new();
    let token: serde_json::Value = client
        .post(format!(
            "{base}/open-apis/auth/v3/tenant_access_token/internal"
        ))
        .json(&serde_json::json!({ "app_id": app_id, "app_secret": "s3cret-for-test" }))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("token call")
        .json()
        .await
        .expect("token JSON");
    assert_eq!(token["code"], 0, "{token}");
    assert!(token["tenant_access_token"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));

    let exit = common::terminate(&mut child, Duration::from_secs(10));
    assert!(exit.success(), "sim exited with {exit}");
}
