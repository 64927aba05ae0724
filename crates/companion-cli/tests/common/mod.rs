//! What the CLI's process tests share: waiting for a child to exit, stopping it with SIGTERM, a
//! loopback test upstream, checking a signed request the way a receiver does, and asking
//! lark-sim to send a callback.
#![allow(dead_code)] // each test binary uses its own part

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use lark_platform::envelope::{self, CallbackKeys, SignatureHeaders, DEFAULT_MAX_BODY};
use lark_platform::secret::Secret;
use serde_json::{json, Value};

/// The environment that runs the CLI on the simulator's app (the `LARK_*` credentials, quiet
/// logs): `Command::envs(sim_env(&sim))`.
pub fn sim_env(sim: &lark_sim::SimHandle) -> [(&'static str, String); 5] {
    [
        ("LARK_APP_ID", sim.app.app_id.clone()),
        ("LARK_APP_SECRET", sim.app.app_secret.clone()),
        (
            "LARK_VERIFICATION_TOKEN",
            sim.app.verification_token.clone(),
        ),
        (
            "LARK_ENCRYPT_KEY",
            sim.app
                .encrypt_key
                .clone()
                .expect("the simulator's app has an Encrypt Key"),
        ),
        ("LARK_COMPANION_LOG", "error".to_string()),
    ]
}

/// Waits for `child` to exit; kills it and fails the test after `within`.
pub fn wait_exit(child: &mut Child, within: Duration) -> ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not exit within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends SIGTERM and waits for the exit that follows.
pub fn terminate(child: &mut Child, within: Duration) -> ExitStatus {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(sent.success());
    wait_exit(child, within)
}

/// Serves `app` on a free loopback port; returns `http://127.0.0.1:PORT`.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

/// Verifies a forwarded request with `(encrypt key, verification token)` as a receiver would:
/// its event id (if it has one), or why not (a panic in a handler would only drop the call).
pub fn verified_id(
    keys: &(String, String),
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<String>, String> {
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let sig = SignatureHeaders::from_pairs(pairs.iter().map(|(k, v)| (&**k, &**v)));
    let (ek, vt) = (Secret::new(keys.0.as_str()), Secret::new(keys.1.as_str()));
    let keys = CallbackKeys {
        encrypt_key: Some(&ek),
        verification_token: Some(&vt),
    };
    envelope::verify(&sig, body, &keys, DEFAULT_MAX_BODY)
        .map(|v| v.envelope.dedup_id().map(str::to_string))
        .map_err(|e| e.to_string())
}

/// Has lark-sim send a signed callback of `kind` to `url`; returns its report.
pub async fn sim_callback(http: &reqwest::Client, sim_url: &str, url: &Value, kind: &str) -> Value {
    http.post(format!("{sim_url}/_sim/callbacks"))
        .json(&json!({"url": url, "kind": kind}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Kills a relay when the test ends, however it ends.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command` (a `relay --json`) and returns it with its `started` line; later lines are
/// read and dropped (a closed pipe would stop the relay).
pub fn started(mut command: Command) -> (Running, Value) {
    use std::io::{BufRead, BufReader};
    let mut child = Running(command.spawn().expect("start lark-companion-cli relay"));
    let mut reader = BufReader::new(child.0.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).expect("first line");
    let started: Value =
        serde_json::from_str(&first).unwrap_or_else(|_| panic!("not JSON: {first:?}"));
    assert_eq!(started["event"], "started", "{first}");
    std::thread::spawn(move || for _ in reader.lines().map_while(Result::ok) {});
    (child, started)
}
