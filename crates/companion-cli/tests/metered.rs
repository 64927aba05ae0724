//! The CLI's Open API calls go through the same metering as the app's: after a doctor run
//! against lark-sim, `quota` reports those calls from the ledger.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
}

#[test]
fn doctor_calls_show_up_in_the_quota_ledger() {
    let mut sim = cli()
        .args(["sim", "--listen", "127.0.0.1:0", "--json", "--seed", "11"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start lark-companion-cli sim");
    let mut line = String::new();
    BufReader::new(sim.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the sim's first line");
    let printed: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    let base = printed["baseUrl"].as_str().expect("baseUrl");
    let app = &printed["tenant"]["app"];
    let app_id = app["app_id"].as_str().expect("app_id");
    let data = tempfile::tempdir().expect("temp data dir");

    let doctor = cli()
        .arg("--data-dir")
        .arg(data.path())
        .args(["doctor", "--json"])
        .env("LARK_PLATFORM", base)
        .env("LARK_APP_ID", app_id)
        .env(
            "LARK_APP_SECRET",
            app["app_secret"].as_str().expect("secret"),
        )
        .output()
        .expect("run doctor");
    let report: serde_json::Value =
        serde_json::from_slice(&doctor.stdout).expect("doctor prints JSON");
    assert_eq!(report["outcomes"][0]["status"], "pass", "{report}");

    let quota = cli()
        .arg("--data-dir")
        .arg(data.path())
        .args(["quota", "--app-id", app_id, "--json"])
        .output()
        .expect("run quota");
    let _ = sim.kill();
    let _ = sim.wait();
    assert!(
        quota.status.success(),
        "{}",
        String::from_utf8_lossy(&quota.stderr)
    );
    let quota: serde_json::Value = serde_json::from_slice(&quota.stdout).expect("quota JSON");
    let summary = &quota["summary"];
    // The token call (free), bot info and the chat list (counted) at least.
    assert!(summary["ourCalls"].as_u64().unwrap_or(0) >= 3, "{summary}");
    assert!(
        summary["ourCounted"].as_u64().unwrap_or(0) >= 2,
        "{summary}"
    );
}
