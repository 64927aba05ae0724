//! `lark-companion-cli relay --mode long-connection` against lark-sim sending absurd ping and
//! reconnect numbers (PingInterval i64::MAX, a reconnect interval and nonce of 10^18 s): the
//! client's task used to panic at its first ping and the command then printed "relay stopped"
//! and exited 0, as if stopped on purpose. It now stays connected and handles pushed messages,
//! and SIGTERM still stops it cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CLI: &str = env!("CARGO_BIN_EXE_lark-companion-cli");
/// The longest any step waits.
const WAIT: Duration = Duration::from_secs(30);

struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// The next stdout line that is a JSON object `pick` accepts, within [`WAIT`].
    fn line_where(&self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no line for {what}"));
            eprintln!("relay: {line}");
            if let Ok(value) = serde_json::from_str::<Value>(&line) {
                if pick(&value) {
                    return value;
                }
            }
        }
    }
}

async fn sim_post(sim: &lark_sim::SimHandle, path: &str, body: &Value) -> Value {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}{path}", sim.base_url))
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn start(data_dir: &std::path::Path, sim: &lark_sim::SimHandle) -> Running {
    let mut child = Command::new(CLI)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["relay", "--mode", "long-connection", "--json"])
        .env("LARK_PLATFORM", &sim.base_url)
        .env("LARK_APP_ID", &sim.app.app_id)
        .env("LARK_APP_SECRET", &sim.app.app_secret)
        .env("LARK_VERIFICATION_TOKEN", &sim.app.verification_token)
        .env("LARK_ENCRYPT_KEY", sim.app.encrypt_key.as_deref().unwrap())
        .env("LARK_COMPANION_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lark-companion-cli relay");
    let reader = BufReader::new(child.stdout.take().unwrap());
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Running { child, lines }
}

// Multi-threaded: the test waits for the relay's lines on this thread while the simulator serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurd_ping_and_reconnect_numbers_leave_the_long_connection_running() {
    let sim = lark_sim::Sim::start(lark_sim::SimConfig::default())
        .await
        .expect("sim starts");
    sim_post(
        &sim,
        "/_sim/config",
        &json!({"ws_client_config": {"PingInterval": i64::MAX,
            "ReconnectInterval": 1_000_000_000_000_000_000u64,
            "ReconnectNonce": 1_000_000_000_000_000_000u64, "ReconnectCount": -1}}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut relay = start(dir.path(), &sim);
    relay.line_where("the start line", |v| v["event"] == "started");
    relay.line_where("connected", |v| {
        v["event"] == "connection" && v["state"] == "connected"
    });
    // The first ping goes out at once: give it time to have gone wrong.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        relay.child.try_wait().unwrap().is_none(),
        "the relay exited"
    );
    let pushed = sim_post(&sim, "/_sim/ws/push", &json!({"kind": "event"})).await;
    assert_eq!(pushed["answered"], true, "{pushed}");
    assert_eq!(pushed["answer"]["code"], 200, "{pushed}");
    relay.line_where("the record", |v| v["event"] == "recorded");

    let status = Command::new("kill")
        .args(["-TERM", &relay.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    relay.line_where("the stop line", |v| v["event"] == "stopped");
    let deadline = Instant::now() + WAIT;
    let exit = loop {
        if let Some(exit) = relay.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the relay did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
}
