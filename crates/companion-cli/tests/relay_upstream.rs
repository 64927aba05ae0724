//! `lark-companion-cli relay` takes its upstream from `--upstream`, from `LARK_RELAY_UPSTREAM`
//! or from the first line of `--upstream-file`: the last two keep a key in the URL out of the
//! process list (`ps` shows the command line to every user of the machine).

mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::Uri;
use common::Running;
use serde_json::{json, Value};

const PATH_KEY: &str = "AbC123dEf456GhI789jkl";
const QUERY_KEY: &str = "qv-secret-1";

/// An upstream that answers `{}` to any POST and remembers the path and query asked for.
async fn upstream() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(uri.to_string());
            axum::Json(json!({}))
        }
    });
    let url = format!(
        "{}/hook/{PATH_KEY}?key={QUERY_KEY}",
        common::serve(app).await
    );
    (url, seen)
}

/// Starts the relay with the simulator's secrets in the environment, `configure` adding how it
/// learns the upstream, and returns it with its `started` line.
fn start_relay(
    data_dir: &std::path::Path,
    sim: &lark_sim::SimHandle,
    configure: impl FnOnce(&mut Command),
) -> (Running, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(["relay", "--listen", "127.0.0.1:0", "--json"])
        .envs(common::sim_env(sim))
        .env_remove("LARK_RELAY_UPSTREAM")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    configure(&mut command);
    common::started(command)
}

/// Sends one signed event through the relay and waits until the upstream got it.
async fn forwards(sim: &lark_sim::SimHandle, started: &Value, seen: &Mutex<Vec<String>>) {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let report = common::sim_callback(&http, &sim.base_url, &started["url"], "event").await;
    assert_eq!(report["status"], 200, "{report}");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(uri) = seen.lock().unwrap().first() {
            assert_eq!(uri, &format!("/hook/{PATH_KEY}?key={QUERY_KEY}"));
            break;
        }
        assert!(Instant::now() < deadline, "the upstream got nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Neither the started line nor the process's command line holds a key of the upstream.
fn keys_kept_out(relay: &Running, started: &Value) {
    let shown = started["upstream"]
        .as_str()
        .expect("an upstream")
        .to_string();
    assert!(shown.contains("/hook/<redacted>?key=<redacted>"), "{shown}");
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", relay.0.id())).unwrap_or_default();
    let cmdline = String::from_utf8_lossy(&cmdline);
    for key in [PATH_KEY, QUERY_KEY] {
        assert!(!shown.contains(key), "{shown}");
        assert!(!cmdline.contains(key), "ps shows {key}: {cmdline}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_comes_from_the_environment() {
    let sim = lark_sim::Sim::start(lark_sim::SimConfig::default())
        .await
        .unwrap();
    let (url, seen) = upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let (relay, started) = start_relay(dir.path(), &sim, |c| {
        c.env("LARK_RELAY_UPSTREAM", &url);
    });
    keys_kept_out(&relay, &started);
    forwards(&sim, &started, &seen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_comes_from_a_file() {
    let sim = lark_sim::Sim::start(lark_sim::SimConfig::default())
        .await
        .unwrap();
    let (url, seen) = upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upstream.txt");
    // The first line, trimmed: what `echo "$URL" > file` or an editor leaves.
    std::fs::write(&file, format!("  {url}  \r\nignored second line\n")).unwrap();
    let data = dir.path().join("data");
    let (relay, started) = start_relay(&data, &sim, |c| {
        c.arg("--upstream-file").arg(&file);
    });
    keys_kept_out(&relay, &started);
    forwards(&sim, &started, &seen).await;
}

#[test]
fn an_unreadable_or_empty_upstream_file_is_refused_and_one_source_only() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n").unwrap();
    let missing = dir.path().join("missing.txt");
    let run = |extra: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(["relay", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env("LARK_APP_ID", "cli_a1b2c3d4e5f60718")
            .env("LARK_APP_SECRET", "secret-x")
            .env("LARK_COMPANION_LOG", "error")
            .env_remove("LARK_RELAY_UPSTREAM")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    for file in [&empty, &missing] {
        let out = run(&["--upstream-file".as_ref(), file.as_os_str()]);
        assert!(!out.status.success(), "{file:?} accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("upstream"), "{stderr}");
    }
    let out = run(&[
        "--upstream".as_ref(),
        "http://127.0.0.1:1/x".as_ref(),
        "--upstream-file".as_ref(),
        empty.as_os_str(),
    ]);
    assert!(!out.status.success(), "both sources at once");
}
