//! Two relays on one data folder, as separate processes: one relay per data folder and profile.
//! A second `lark-companion-cli relay` (or the app's relay, in this process) for the same
//! profile is refused with the first one's pid, program and address, and starts once the first
//! has stopped; events are delivered once although a second relay was attempted. And ten
//! processes opening a fresh data folder at once all succeed (the migrations take turns).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use companion::ids::ProfileUid;
use companion::keychain::{SecretKind, SecretStore};
use companion::paths::AppPaths;
use companion::profiles::{Platform, ProfileInput, SecretsInput};
use companion::relay::RelaySettings;
use companion::{App, Problem};
use lark_platform::secret::Secret;
use serde_json::{json, Value};

const CLI: &str = env!("CARGO_BIN_EXE_lark-companion-cli");
/// The longest any step waits.
const WAIT: Duration = Duration::from_secs(30);

/// A relay process that printed its start line.
struct Running {
    child: Child,
    listen: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a relay process ended when it did not start: its exit status and what it wrote.
#[derive(Debug)]
struct Refused {
    status: std::process::ExitStatus,
    stderr: String,
}

/// `lark-companion-cli relay` with the simulator's secrets in the environment (profile
/// `default`, served at /callback/default), on a free loopback port.
fn spawn_relay(data_dir: &Path, sim: &lark_sim::SimHandle, upstream: Option<&str>) -> Child {
    let mut command = Command::new(CLI);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(["relay", "--listen", "127.0.0.1:0", "--json"]);
    if let Some(url) = upstream {
        command.args(["--upstream", url]);
    }
    command
        .envs(common::sim_env(sim))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lark-companion-cli relay")
}

/// Starts a relay and reads its first line: `Ok` once it serves, `Err` with its exit status and
/// stderr when it ended without starting.
fn start_relay(
    data_dir: &Path,
    sim: &lark_sim::SimHandle,
    upstream: Option<&str>,
) -> Result<Running, Refused> {
    let mut child = spawn_relay(data_dir, sim, upstream);
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .expect("read the relay's output");
    if first.trim().is_empty() {
        let status = common::wait_exit(&mut child, WAIT);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        return Err(Refused { status, stderr });
    }
    let started: Value =
        serde_json::from_str(&first).unwrap_or_else(|_| panic!("not JSON: {first}"));
    assert_eq!(started["event"], "started", "{first}");
    // Keep reading so that the relay never blocks on a full pipe.
    std::thread::spawn(move || for _ in reader.lines().map_while(Result::ok) {});
    Ok(Running {
        child,
        listen: started["listen"].as_str().unwrap().to_string(),
    })
}

/// SIGTERM, and the clean exit that follows.
fn stop(mut relay: Running) {
    let exit = common::terminate(&mut relay.child, WAIT);
    assert!(exit.success(), "the relay exited with {exit}");
}

/// The refusal names the running relay: its pid, its program and where it listens.
fn assert_names(refused: &Refused, pid: u32, program: &str, listen: &str) {
    assert_eq!(
        refused.status.code(),
        Some(5),
        "refused as already running: {refused:?}"
    );
    for part in [pid.to_string().as_str(), program, listen] {
        assert!(
            refused.stderr.contains(part),
            "the refusal does not name {part:?}: {}",
            refused.stderr
        );
    }
}

async fn sim() -> lark_sim::SimHandle {
    lark_sim::Sim::start(lark_sim::SimConfig::default())
        .await
        .expect("sim starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_cli_relay_on_the_folder_is_refused_until_the_first_stops() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let first = start_relay(dir.path(), &sim, None).expect("the first relay starts");

    let refused = start_relay(dir.path(), &sim, None)
        .err()
        .expect("a second relay for the profile is refused");
    assert_names(
        &refused,
        first.child.id(),
        "lark-companion-cli relay",
        &first.listen,
    );
    assert!(
        refused.stderr.contains("default"),
        "names the profile: {}",
        refused.stderr
    );

    stop(first);
    let second = start_relay(dir.path(), &sim, None).expect("starts once the first stopped");
    stop(second);
}

/// The keychain double of this test: the app's profile secrets in memory.
#[derive(Default)]
struct MapStore(Mutex<HashMap<(ProfileUid, SecretKind), String>>);

impl SecretStore for MapStore {
    fn probe(&self) -> companion::Result<()> {
        Ok(())
    }

    fn get(&self, uid: &ProfileUid, kind: SecretKind) -> companion::Result<Option<Secret>> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(&(uid.clone(), kind))
            .map(|v| Secret::new(v.as_str())))
    }

    fn set(&self, uid: &ProfileUid, kind: SecretKind, value: &Secret) -> companion::Result<()> {
        self.0
            .lock()
            .unwrap()
            .insert((uid.clone(), kind), value.expose().to_string());
        Ok(())
    }

    fn delete(&self, uid: &ProfileUid, kind: SecretKind) -> companion::Result<()> {
        self.0.lock().unwrap().remove(&(uid.clone(), kind));
        Ok(())
    }
}

/// The app, in this process, with profile `default` (the simulator's app): the profile the CLI
/// serves with the LARK_* environment.
async fn app_with_profile(dir: &Path, sim: &lark_sim::SimHandle) -> App {
    let app = App::with_store(
        AppPaths::under(dir.to_path_buf()),
        Arc::new(MapStore::default()),
    )
    .unwrap();
    app.add_profile(ProfileInput {
        name: "default".into(),
        platform: Platform::Custom {
            base_url: sim.base_url.clone(),
        },
        app_id: sim.app.app_id.clone(),
        urls: None,
        secrets: SecretsInput {
            app_secret: Some(Secret::new(sim.app.app_secret.as_str())),
            verification_token: Some(Secret::new(sim.app.verification_token.as_str())),
            encrypt_key: sim.app.encrypt_key.as_deref().map(Secret::new),
        },
    })
    .await
    .unwrap();
    app
}

fn any_port() -> RelaySettings {
    RelaySettings {
        port: 0,
        ..RelaySettings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_and_the_cli_exclude_each_other() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_profile(dir.path(), &sim).await;

    // The app relays first: the CLI is refused, naming this process.
    let started = app
        .relay_start("default".into(), any_port(), None)
        .await
        .expect("the app's relay starts");
    let refused = start_relay(dir.path(), &sim, None)
        .err()
        .expect("the CLI is refused while the app relays the profile");
    assert_names(
        &refused,
        std::process::id(),
        "lark-companion",
        &started.status.listen,
    );
    app.relay_stop().await;

    // The CLI relays first: the app is refused in either mode, naming the CLI.
    let cli = start_relay(dir.path(), &sim, None).expect("the CLI starts once the app stopped");
    let problem = Problem::from(
        app.relay_start("default".into(), any_port(), None)
            .await
            .err()
            .expect("the app is refused while the CLI relays the profile"),
    );
    assert_eq!(problem.code.as_str(), "relay_already_running", "{problem}");
    assert_eq!(problem.params["pid"], cli.child.id().to_string());
    assert_eq!(problem.params["program"], "lark-companion-cli relay");
    assert_eq!(problem.params["listen"], cli.listen);
    assert_eq!(problem.params["profile"], "default");
    let problem = Problem::from(
        app.relay_start_long_connection("default".into(), any_port())
            .await
            .err()
            .expect("a long connection is refused too"),
    );
    assert_eq!(problem.code.as_str(), "relay_already_running", "{problem}");
    assert_eq!(problem.params["pid"], cli.child.id().to_string());
    assert!(app.relay_status().await.unwrap().is_none());

    stop(cli);
    app.relay_start("default".into(), any_port(), None)
        .await
        .expect("the app starts once the CLI stopped");
    app.relay_stop().await;
}

#[test]
fn ten_first_opens_of_a_fresh_folder_all_succeed() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let children: Vec<Child> = (0..10)
            .map(|_| {
                Command::new(CLI)
                    .arg("--data-dir")
                    .arg(dir.path())
                    .arg("info")
                    .env("LARK_COMPANION_LOG", "error")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut versions = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let info: Value = serde_json::from_slice(&out.stdout).unwrap();
            versions.push(info["databaseVersion"].as_u64().unwrap());
        }
        let latest = u64::from(companion::db::latest_version());
        assert!(versions.iter().all(|v| *v == latest), "{versions:?}");
    }
}

/// An upstream that answers with `status` and, when it answers 200, remembers the event id (the
/// request verified with the app's keys).
async fn upstream(
    sim: &lark_sim::SimHandle,
    status: Arc<AtomicU16>,
    delivered: Arc<Mutex<Vec<String>>>,
) -> String {
    let keys = (
        sim.app.encrypt_key.clone().unwrap(),
        sim.app.verification_token.clone(),
    );
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (status, delivered, keys) = (status.clone(), delivered.clone(), keys.clone());
            async move {
                let code = status.load(Ordering::SeqCst);
                if code == 200 {
                    let id = match common::verified_id(&keys, &headers, &body) {
                        Ok(id) => id.unwrap_or_else(|| "no id".to_string()),
                        Err(e) => format!("BAD: {e}"),
                    };
                    delivered.lock().unwrap().push(id);
                }
                (StatusCode::from_u16(code).unwrap(), axum::Json(json!({})))
            }
        }),
    );
    format!("{}/hook", common::serve(app).await)
}

fn outbox_states(data_dir: &Path) -> Vec<(String, i64)> {
    let db = companion::db::Database::open(data_dir).unwrap();
    let conn = db.conn();
    let mut stmt = conn
        .prepare("SELECT state, attempts FROM relay_outbox ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// Before: the second relay started beside the first and both outboxes delivered the same rows
/// (five events arrived ten times).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_delivered_once_when_a_second_relay_was_attempted() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let status = Arc::new(AtomicU16::new(503));
    let delivered: Arc<Mutex<Vec<String>>> = Arc::default();
    let url = upstream(&sim, status.clone(), delivered.clone()).await;
    let first = start_relay(dir.path(), &sim, Some(&url)).expect("the first relay starts");

    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(WAIT)
        .build()
        .unwrap();
    let relay_url = format!("http://{}/callback/default", first.listen);
    let mut sent = Vec::new();
    for _ in 0..5 {
        let report = common::sim_callback(&http, &sim.base_url, &json!(relay_url), "event").await;
        assert_eq!(report["status"], 200, "{report}");
        sent.push(
            report["sent"]["plaintext"]["header"]["event_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // Each event waits in the outbox after a refused attempt.
    let deadline = Instant::now() + WAIT;
    loop {
        let rows = outbox_states(dir.path());
        if rows.len() == 5 && rows.iter().all(|(s, a)| s == "pending" && *a >= 1) {
            break;
        }
        assert!(Instant::now() < deadline, "no refused attempts: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A second relay with the same upstream is attempted while they wait.
    let second = start_relay(dir.path(), &sim, Some(&url));

    // The upstream comes back: each event arrives once.
    status.store(200, Ordering::SeqCst);
    let deadline = Instant::now() + WAIT;
    loop {
        let rows = outbox_states(dir.path());
        if rows.iter().all(|(s, _)| s == "delivered") {
            break;
        }
        assert!(Instant::now() < deadline, "not delivered: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Anything a second outbox would have sent has had time to arrive.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut got = delivered.lock().unwrap().clone();
    got.sort();
    sent.sort();
    assert_eq!(got, sent, "each event delivered once");
    let refused = second.as_ref().err().expect("the second relay was refused");
    assert_names(
        refused,
        first.child.id(),
        "lark-companion-cli relay",
        &first.listen,
    );
    stop(first);
}
