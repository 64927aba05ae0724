//! `lark-companion-cli relay` killed with SIGKILL under load: after a restart on the same data
//! folder, every request it acknowledged is in the record and every event it acknowledged
//! reaches the upstream (at least once; the upstream de-duplicates by event id). Then SIGTERM
//! stops it cleanly.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{json, Value};

/// Bounds of the load: at most this many requests per sender.
const SENDERS: usize = 8;
const PER_SENDER: usize = 300;
/// The relay is killed once this many requests were acknowledged.
const KILL_AFTER: usize = 200;
/// How long the upstream takes per request: slow enough that the outbox (8 at a time) is well
/// behind the load when the kill comes, even on a slow machine, so there is a backlog to lose.
const UPSTREAM_DELAY: Duration = Duration::from_millis(300);

struct Relay {
    child: Child,
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
}

/// Starts the CLI relay with the simulator's secrets in the environment and reads its first
/// line (`{"event":"started","url":...}`); later lines are collected by a thread.
fn start_relay(data_dir: &std::path::Path, sim: &lark_sim::SimHandle, upstream: &str) -> Relay {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
        .args(["--data-dir"])
        .arg(data_dir)
        .args([
            "relay",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            upstream,
            "--json",
        ])
        .envs(common::sim_env(sim))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lark-companion-cli relay");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).expect("first line");
    let started: Value =
        serde_json::from_str(&first).unwrap_or_else(|_| panic!("not JSON: {first}"));
    assert_eq!(started["event"], "started", "{first}");
    let url = started["url"].as_str().unwrap().to_string();
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Relay { child, url, lines }
}

/// An upstream that verifies each request and remembers the event ids, slowly (UPSTREAM_DELAY)
/// so that the outbox has a backlog when the relay is killed.
async fn upstream(keys: (String, String), seen: Arc<Mutex<Vec<String>>>) -> String {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (seen, keys) = (seen.clone(), keys.clone());
            async move {
                tokio::time::sleep(UPSTREAM_DELAY).await;
                match common::verified_id(&keys, &headers, &body) {
                    Ok(id) => {
                        seen.lock().unwrap().extend(id);
                        axum::Json(json!({"toast": {"type": "info", "content": "ok"}}))
                    }
                    Err(e) => {
                        // Counted, and failed on below.
                        seen.lock().unwrap().push(format!("BAD: {e}"));
                        axum::Json(json!({}))
                    }
                }
            }
        }),
    );
    format!("{}/hook", common::serve(app).await)
}

/// (event id, is an event) of every request the relay acknowledged.
type Acked = Arc<Mutex<Vec<(String, bool)>>>;

async fn load(sim_url: String, relay_url: String, acked: Acked, stop: Arc<AtomicBool>) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for sender in 0..SENDERS {
        let (http, sim_url, relay_url, acked, stop) = (
            http.clone(),
            sim_url.clone(),
            relay_url.clone(),
            acked.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for i in 0..PER_SENDER {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let card = (sender + i) % 5 == 0;
                let kind = if card { "card_action" } else { "event" };
                let Ok(response) = http
                    .post(format!("{sim_url}/_sim/callbacks"))
                    .json(&json!({"url": relay_url, "kind": kind}))
                    .send()
                    .await
                else {
                    return;
                };
                // 502: the relay is gone (connection refused or reset): not acknowledged.
                if response.status() != 200 {
                    return;
                }
                let report: Value = response.json().await.unwrap();
                if report["status"] == 200 {
                    let id = report["sent"]["plaintext"]["header"]["event_id"]
                        .as_str()
                        .unwrap();
                    acked.lock().unwrap().push((id.to_string(), !card));
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
}

fn recorded_ids(data_dir: &std::path::Path) -> HashSet<String> {
    let db = companion::db::Database::open(data_dir).unwrap();
    let conn = db.conn();
    let mut stmt = conn
        .prepare("SELECT event_id FROM relay_requests WHERE event_id IS NOT NULL AND verdict != 'rejected'")
        .unwrap();
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<HashSet<_>, _>>()
        .unwrap();
    ids
}

/// Events the relay's outbox still has to deliver (read beside the running relay: WAL).
fn pending_in_outbox(data_dir: &std::path::Path) -> i64 {
    let db = companion::db::Database::open(data_dir).unwrap();
    let pending = db
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM relay_outbox WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    pending
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_loses_no_acknowledged_request() {
    let sim = lark_sim::Sim::start(lark_sim::SimConfig::default())
        .await
        .unwrap();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let keys = (
        sim.app.encrypt_key.clone().unwrap(),
        sim.app.verification_token.clone(),
    );
    let upstream_url = upstream(keys, seen.clone()).await;
    let dir = tempfile::tempdir().unwrap();

    let mut first = start_relay(dir.path(), &sim, &upstream_url);
    let acked: Acked = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let load_task = tokio::spawn(load(
        sim.base_url.clone(),
        first.url.clone(),
        acked.clone(),
        stop.clone(),
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < KILL_AFTER {
        assert!(
            Instant::now() < deadline,
            "the load did not reach {KILL_AFTER} requests"
        );
        assert!(!load_task.is_finished(), "the load ended early");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // SIGKILL, mid-load: no chance to flush or finish anything.
    first.child.kill().unwrap();
    let _ = first.child.wait();
    stop.store(true, Ordering::Relaxed);
    load_task.await.unwrap();
    let acked = acked.lock().unwrap().clone();
    let events: HashSet<String> = acked
        .iter()
        .filter(|(_, e)| *e)
        .map(|(id, _)| id.clone())
        .collect();
    let delivered_before = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|id| events.contains(*id))
        .collect::<HashSet<_>>()
        .len();
    assert!(
        delivered_before < events.len(),
        "the kill should leave undelivered events behind ({delivered_before} of {} delivered)",
        events.len()
    );

    // Every acknowledged request is in the record, even before the restart.
    let recorded = recorded_ids(dir.path());
    let missing: Vec<_> = acked
        .iter()
        .filter(|(id, _)| !recorded.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not recorded: {missing:?}"
    );

    // Restart on the same data folder: the outbox delivers what the first run acknowledged.
    let mut second = start_relay(dir.path(), &sim, &upstream_url);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got: HashSet<String> = seen.lock().unwrap().iter().cloned().collect();
        let undelivered = events.iter().filter(|id| !got.contains(*id)).count();
        // Seen upstream is not the end: an event the first run delivered but could not mark
        // (killed first) is delivered again, and the outbox empties once that is answered.
        if undelivered == 0 && pending_in_outbox(dir.path()) == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{undelivered} acknowledged events never reached the upstream"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let all = seen.lock().unwrap().clone();
    let bad: Vec<_> = all.iter().filter(|s| s.starts_with("BAD:")).collect();
    assert!(
        bad.is_empty(),
        "requests that did not verify at the upstream: {bad:?}"
    );
    let redelivered = all.len() - all.iter().collect::<HashSet<_>>().len();
    eprintln!(
        "acknowledged {} ({} events), delivered before the kill {delivered_before}, redelivered {redelivered}",
        acked.len(),
        events.len()
    );

    // SIGTERM: a clean stop, with its last line saying nothing is left.
    let exit = common::terminate(&mut second.child, Duration::from_secs(15));
    assert!(exit.success(), "relay exited with {exit}");
    let deadline = Instant::now() + Duration::from_secs(5);
    let last = loop {
        let lines = second.lines.lock().unwrap().clone();
        if let Some(last) = lines.iter().rev().find(|l| l.contains("\"stopped\"")) {
            break last.clone();
        }
        assert!(Instant::now() < deadline, "no stop line in {lines:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let stopped: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(stopped["pendingEvents"], 0, "{last}");
    // The first run printed what it recorded as it went. Printing trails recording (and a slow
    // terminal may skip lines), so the kill can cut the tail: every printed line must name a
    // recorded request, and there must be some.
    let printed: Vec<String> = first
        .lines
        .lock()
        .unwrap()
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["event"] == "recorded")
        .filter_map(|v| v["eventId"].as_str().map(str::to_string))
        .collect();
    assert!(!printed.is_empty(), "the first run printed no records");
    let unrecorded: Vec<_> = printed
        .iter()
        .filter(|id| !recorded.contains(*id))
        .collect();
    assert!(
        unrecorded.is_empty(),
        "printed but not recorded: {unrecorded:?}"
    );
}
