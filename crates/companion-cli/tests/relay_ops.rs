//! The headless relay as server software: `/healthz` and `/metrics` on their own loopback
//! address, `--log-format json`, and a `--config` file instead of flags.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::started;
use std::time::{Duration, Instant};

use serde_json::Value;

fn relay_command(data_dir: &std::path::Path, sim: &lark_sim::SimHandle) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("relay")
        .envs(common::sim_env(sim))
        .env_remove("LARK_RELAY_UPSTREAM")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    command
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// The value of the metric line that starts with `series` (0 when absent).
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn scrape(ops: &str) -> String {
    let response = http()
        .get(format!("http://{ops}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn health(ops: &str) -> (u16, Value) {
    let response = http()
        .get(format!("http://{ops}/healthz"))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

const ACCEPTED_EVENTS: &str = r#"lark_relay_requests_total{kind="event_v2",verdict="accepted"}"#;

#[tokio::test]
async fn metrics_move_as_requests_arrive() {
    let sim = lark_sim::Sim::start(Default::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut command = relay_command(dir.path(), &sim);
    command.args([
        "--listen",
        "127.0.0.1:0",
        "--ops-listen",
        "127.0.0.1:0",
        "--json",
    ]);
    let (_relay, started) = started(command);
    let ops = started["ops"]
        .as_str()
        .expect("the ops address")
        .to_string();
    assert!(ops.starts_with("127.0.0.1:"), "{ops}");

    let before = scrape(&ops).await;
    assert_eq!(metric(&before, ACCEPTED_EVENTS), 0.0, "{before}");
    let client = http();
    for expected in 1..=3 {
        let report = common::sim_callback(&client, &sim.base_url, &started["url"], "event").await;
        assert_eq!(report["status"], 200, "{report}");
        let text = scrape(&ops).await;
        assert_eq!(
            metric(&text, ACCEPTED_EVENTS),
            f64::from(expected),
            "{text}"
        );
        assert_eq!(
            metric(&text, "lark_relay_answer_seconds_count"),
            f64::from(expected)
        );
    }
    let (status, body) = health(&ops).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["outboxDepth"], 0);
}

#[tokio::test]
async fn health_turns_unhealthy_once_the_upstream_has_failed_for_longer_than_the_threshold() {
    let sim = lark_sim::Sim::start(Default::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // An upstream nobody listens on: every delivery fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let mut command = relay_command(dir.path(), &sim);
    command
        .args([
            "--listen",
            "127.0.0.1:0",
            "--ops-listen",
            "127.0.0.1:0",
            "--json",
        ])
        .args(["--unhealthy-after-secs", "2"])
        .env("LARK_RELAY_UPSTREAM", &down)
        .env("LARK_COMPANION_LOG", "warn")
        .stderr(Stdio::piped());
    let (mut relay, started) = started(command);
    let (lines_tx, log) = std::sync::mpsc::channel::<String>();
    let stderr = BufReader::new(relay.0.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let ops = started["ops"].as_str().unwrap().to_string();
    let (status, body) = health(&ops).await;
    assert_eq!(
        (status, &body["status"]),
        (200, &Value::from("ok")),
        "{body}"
    );

    let report = common::sim_callback(&http(), &sim.base_url, &started["url"], "event").await;
    assert_eq!(report["status"], 200, "{report}");
    // Failing, but not for long enough yet: still healthy, and saying for how long.
    let deadline = Instant::now() + Duration::from_secs(10);
    let failing_since_ok = loop {
        let (status, body) = health(&ops).await;
        if body["upstreamFailingSeconds"].is_number() {
            break (status, body);
        }
        assert!(Instant::now() < deadline, "no failed delivery seen: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(failing_since_ok.0, 200, "{}", failing_since_ok.1);
    assert_eq!(failing_since_ok.1["outboxDepth"], 1);
    let text = scrape(&ops).await;
    assert!(
        metric(&text, "lark_relay_upstream_failures_total") >= 1.0,
        "{text}"
    );
    assert_eq!(metric(&text, "lark_relay_outbox_depth"), 1.0, "{text}");

    // Past the threshold: 503, with the reason.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = health(&ops).await;
        if status == 503 {
            assert_eq!(body["status"], "unhealthy");
            assert_eq!(body["reasons"], serde_json::json!(["upstream_failing"]));
            break;
        }
        assert!(Instant::now() < deadline, "still healthy: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The same episode as one warning line in the log (the watcher looks every 5 s).
    let is_warning = |line: &str| line.contains("WARN") && line.contains("The upstream is failing");
    let deadline = Instant::now() + Duration::from_secs(12);
    let mut warned = false;
    while !warned && Instant::now() < deadline {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200)) {
            warned = is_warning(&line);
        }
    }
    assert!(warned, "no warning line for the failing upstream");
    // Still failing a tick later: the same episode, no second line.
    let again = std::iter::from_fn(|| log.recv_timeout(Duration::from_secs(6)).ok())
        .any(|line| is_warning(&line));
    assert!(!again, "the episode was logged twice");
}

#[tokio::test]
async fn settings_come_from_a_config_file_and_flags_win_over_it() {
    let sim = lark_sim::Sim::start(Default::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relay.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:0\"\nops-listen = \"off\"\njson = true\nmax-skew-secs = 600\n",
    )
    .unwrap();
    let mut command = relay_command(dir.path(), &sim);
    command.arg("--config").arg(&file);
    let (relay, from_file) = started(command);
    drop(relay);
    assert!(from_file["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert_eq!(
        from_file["ops"],
        Value::Null,
        "ops-listen = off from the file"
    );

    // A flag on the command line wins over the file.
    let mut command = relay_command(dir.path(), &sim);
    command
        .arg("--config")
        .arg(&file)
        .args(["--ops-listen", "127.0.0.1:0"]);
    let (_relay, overridden) = started(command);
    assert!(overridden["ops"].as_str().is_some(), "{overridden}");
}

#[test]
fn a_config_file_with_an_unknown_setting_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relay.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nlisten-port = 8787\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["relay", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown setting `listen-port`"), "{stderr}");
    assert!(stderr.contains("relay.toml"), "{stderr}");
}

#[tokio::test]
async fn log_lines_are_json_objects_with_log_format_json() {
    let sim = lark_sim::Sim::start(Default::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut command = relay_command(dir.path(), &sim);
    command
        .args(["--listen", "127.0.0.1:0", "--ops-listen", "off", "--json"])
        .args(["--log-format", "json"])
        .env("LARK_COMPANION_LOG", "info")
        .stderr(Stdio::piped());
    let (mut relay, _started) = started(command);
    let mut stderr = relay.0.stderr.take().unwrap();
    common::terminate(&mut relay.0, Duration::from_secs(15));
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "no log lines");
    for line in lines {
        let object: Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line:?}"));
        assert!(
            object["level"].is_string() && object["fields"].is_object(),
            "{line}"
        );
    }
}

/// The systemd unit's command with the shipped settings file starts the relay (their paths
/// swapped for the test's; listen ports made free ones).
#[tokio::test]
async fn the_shipped_systemd_unit_and_settings_file_start_the_relay() {
    let sim = lark_sim::Sim::start(Default::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let deploy = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy");
    let unit = std::fs::read_to_string(format!("{deploy}/lark-relay.service")).unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/bin/lark-companion-cli"));
    let args: Vec<String> = words
        .map(|w| match w {
            "/var/lib/lark-relay" => dir.path().display().to_string(),
            "/etc/lark-relay/relay.toml" => format!("{deploy}/relay.toml"),
            other => other.to_string(),
        })
        .collect();
    let mut command = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"));
    command
        .args(&args)
        .args(["--listen", "127.0.0.1:0", "--ops-listen", "127.0.0.1:0"])
        .envs(common::sim_env(&sim))
        .env_remove("LARK_RELAY_UPSTREAM")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let (_relay, started) = started(command);
    let ops = started["ops"]
        .as_str()
        .expect("json = true in relay.toml: the ops address");
    let (status, body) = health(ops).await;
    assert_eq!(status, 200, "{body}");
}
