//! `lark-companion-cli app ...` as an admin runs it, against lark-sim on loopback and the real
//! keychain (skipped without one unless LARK_KEYCHAIN_REQUIRED=1; run under
//! scripts/with-keyring.sh): register by QR (confirmed and denied through `/_sim/`), plan's
//! exit status before and after apply, publish, and bad URLs refused before any call.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use companion::keychain::{OsKeychain, SecretStore};
use lark_sim::{Sim, SimConfig, SimHandle};
use serde_json::{json, Value};

fn keychain_reachable() -> bool {
    match OsKeychain::new().probe() {
        Ok(()) => true,
        Err(e) if std::env::var("LARK_KEYCHAIN_REQUIRED").is_ok_and(|v| v == "1") => {
            panic!("LARK_KEYCHAIN_REQUIRED=1 but no OS keychain is reachable: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED: no OS keychain is reachable ({e})");
            false
        }
    }
}

fn command<S: AsRef<std::ffi::OsStr>>(data: &Path, args: &[S]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("LARK_COMPANION_LOG", "off")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run<S: AsRef<std::ffi::OsStr>>(data: &Path, args: &[S]) -> Output {
    command(data, args)
        .output()
        .expect("run lark-companion-cli")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Starts `app register` and returns it with the link it printed (and the lines before it).
fn start_register(data: &Path, sim: &SimHandle, profile: &str) -> (Child, String, String) {
    let mut child = command(
        data,
        &[
            "app",
            "register",
            "--platform",
            &sim.base_url,
            "--profile",
            profile,
        ],
    )
    .spawn()
    .expect("start app register");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut seen, deadline) = (String::new(), Instant::now() + Duration::from_secs(20));
    let link = loop {
        let mut line = String::new();
        let read = stdout.read_line(&mut line).unwrap_or(0);
        if line.starts_with("http") {
            break Some(line.trim().to_owned());
        }
        if read == 0 || Instant::now() > deadline {
            break None;
        }
        seen.push_str(&line);
    };
    let Some(link) = link else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("app register printed no link: {seen}");
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    (child, link, seen)
}

fn wait(mut child: Child) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("app register did not end");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn post(rt: &tokio::runtime::Runtime, sim: &SimHandle, path: &str, body: Value) {
    let url = format!("{}{path}", sim.base_url);
    let status = rt.block_on(async {
        reqwest::Client::new()
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert!(status.is_success(), "{path}: {status}");
}

#[test]
fn register_plan_apply_publish_from_the_command_line() {
    if !keychain_reachable() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt
        .block_on(Sim::start(SimConfig {
            seed: Some(7),
            ..SimConfig::default()
        }))
        .unwrap();
    post(
        &rt,
        &sim,
        "/_sim/config",
        json!({"registration_interval_secs": 1}),
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    // Denied: exit 1, no profile.
    let (child, link, _) = start_register(data, &sim, "Denied");
    assert!(link.contains("source=lark-companion"), "{link}");
    post(&rt, &sim, "/_sim/registration/deny", json!({}));
    assert_eq!(wait(child), 1);
    let list = run(data, &["profile", "list"]);
    assert!(!text(&list.stdout).contains("Denied"));

    // Confirmed: the QR code is drawn in the terminal, the profile holds the App Secret.
    let (child, link, before) = start_register(data, &sim, "Scanned");
    assert!(
        before.contains('█') || before.contains('▀') || before.contains('▄'),
        "{before}"
    );
    post(
        &rt,
        &sim,
        "/_sim/registration/confirm",
        json!({"url": link}),
    );
    assert_eq!(wait(child), 0);
    let shown = text(&run(data, &["profile", "show", "Scanned"]).stdout);
    assert!(shown.contains("cli_"), "{shown}");

    let base = &sim.base_url;
    let (web, redirect, card) = (
        format!("{base}/fd/web"),
        format!("{base}/fd/redirect"),
        format!("{base}/fd/card"),
    );
    let urls = [
        "--web-config-url",
        &web,
        "--redirect-url",
        &redirect,
        "--card-request-url",
        &card,
    ];
    let with = |cmd: &[&'static str]| -> Vec<String> {
        cmd.iter()
            .map(|s| s.to_string())
            .chain(["--profile".into(), "Scanned".into()])
            .chain(urls.iter().map(|s| s.to_string()))
            .collect()
    };

    let plan = run(data, &with(&["app", "plan"]));
    assert_eq!(plan.status.code(), Some(3), "{}", text(&plan.stderr));
    assert!(
        text(&plan.stdout).contains("[add] WebApp"),
        "{}",
        text(&plan.stdout)
    );
    // Without --yes and without a terminal, apply asks nobody and changes nothing.
    let refused = run(data, &with(&["app", "apply"]));
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("--yes"),
        "{}",
        text(&refused.stderr)
    );
    let apply = run(data, &with(&["app", "apply", "--yes"]));
    assert_eq!(
        apply.status.code(),
        Some(0),
        "{}{}",
        text(&apply.stdout),
        text(&apply.stderr)
    );
    assert!(
        text(&apply.stdout).contains("Encrypt Key"),
        "{}",
        text(&apply.stdout)
    );
    let plan = run(data, &with(&["app", "plan", "--json"]));
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stdout));
    let json: Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert!(json["items"].as_array().unwrap().len() >= 9);
    let publish = run(data, &with(&["app", "publish", "--yes"]));
    assert_eq!(publish.status.code(), Some(0), "{}", text(&publish.stderr));
    assert!(
        text(&publish.stdout).contains("is online"),
        "{}",
        text(&publish.stdout)
    );

    // The doctor reads the settings from the platform: applied and published, they pass.
    let doctor = run(data, &with(&["doctor", "--json"]));
    let report: Value = serde_json::from_slice(&doctor.stdout).unwrap_or(Value::Null);
    for id in ["webApp", "redirectUrl", "callbackUrl", "published"] {
        let outcome = report["outcomes"]
            .as_array()
            .and_then(|o| o.iter().find(|x| x["id"] == id))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(outcome["status"], "pass", "{id}: {outcome}");
    }
    // A URL that differs from the app's fails, naming both.
    let elsewhere = format!("{base}/fd/elsewhere");
    let doctor = run(
        data,
        &[
            "doctor",
            "--json",
            "--profile",
            "Scanned",
            "--redirect-url",
            &redirect,
            "--card-request-url",
            &card,
            "--web-config-url",
            &elsewhere,
        ],
    );
    assert_eq!(doctor.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let outcome = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "webApp")
        .unwrap();
    assert_eq!(outcome["status"], "fail");
    let reason = outcome["reason"].as_str().unwrap();
    assert!(
        reason.contains(&elsewhere) && reason.contains(&web),
        "{outcome}"
    );

    // A URL in the wrong field is refused before anything is asked of the platform.
    let bad = run(
        data,
        &[
            "app",
            "plan",
            "--profile",
            "Scanned",
            "--redirect-url",
            &web,
            "--web-config-url",
            &web,
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "a refused value exits 2");
    assert!(
        text(&bad.stderr).contains("redirectUrl"),
        "{}",
        text(&bad.stderr)
    );
    // A wrong App ID (the LARK_* environment) is named, nothing else is tried.
    let wrong = command(data, &["app", "plan"])
        .env("LARK_APP_ID", "cli_0000000000000000")
        .env("LARK_APP_SECRET", "not-the-secret")
        .env("LARK_PLATFORM", &sim.base_url)
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(6), "a platform refusal exits 6");
    assert!(
        text(&wrong.stderr).contains("App ID"),
        "{}",
        text(&wrong.stderr)
    );
    rt.block_on(sim.shutdown());
}
