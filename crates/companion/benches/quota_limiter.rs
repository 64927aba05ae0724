//! The limiter at full scale against lark-sim at the platform's own ceilings (50 calls/s per
//! API, 1000 sends/min, 5 sends/s per chat, 5 updates/s per card), over loopback HTTP: every
//! burst must finish with zero rejections, and the achieved rates must be at least 95 % of the
//! ceilings. Takes about four minutes (the ceilings are real-time).
//!
//! `cargo bench -p companion --bench quota_limiter` prints a Markdown table for
//! docs/benchmarks.md.

use std::sync::Arc;
use std::time::Instant;

use companion::db::Database;
use companion::profiles::{Credentials, Platform, Secret};
use companion::quota::{peaks, LedgerOptions, Meter, SystemWallClock};
use lark_platform::client::{Client, ReceiveId};
use lark_sim::{Sim, SimConfig, SimHandle};
use serde_json::json;

struct Run {
    sim: SimHandle,
    meter: Meter,
    client: Client,
    app_id: String,
    dir: tempfile::TempDir,
}

async fn start() -> Run {
    let sim = Sim::start(SimConfig {
        seed: Some(3),
        quota_cap: None,
        ..SimConfig::default()
    })
    .await
    .expect("start lark-sim");
    let creds = Credentials {
        platform: Platform::Custom {
            base_url: sim.base_url.clone(),
        },
        app_id: sim.app.app_id.clone(),
        app_secret: Secret::new(sim.app.app_secret.clone()),
        verification_token: None,
        encrypt_key: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let meter = Meter::with_databases(
        Database::open(dir.path()).unwrap(),
        Database::open(dir.path()).unwrap(),
        LedgerOptions::default(),
        Arc::new(SystemWallClock),
    );
    let client = companion::platform_client::for_credentials_metered(&creds, &meter).unwrap();
    client.tenant_access_token().await.expect("token");
    Run {
        sim,
        meter,
        client,
        app_id: creds.app_id,
        dir,
    }
}

fn card() -> serde_json::Value {
    json!({
        "config": {"update_multi": true},
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "**CPU** high"}}]
    })
}

/// Send times (ms) of the successful calls of `endpoint`, from the ledger.
fn times(run: &Run, endpoint: &str) -> Vec<i64> {
    run.meter.flush();
    let db = Database::open(run.dir.path()).unwrap();
    let conn = db.conn();
    let mut stmt = conn
        .prepare(
            "SELECT at_ms FROM quota_calls WHERE app_id = ?1 AND endpoint = ?2
             AND http_status = 200 ORDER BY at_ms",
        )
        .unwrap();
    stmt.query_map([&run.app_id, endpoint], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn rejections(run: &Run) -> u64 {
    let inner = run.sim.state.lock();
    inner
        .stats
        .endpoints
        .values()
        .flat_map(|s| s.rejected.values())
        .sum()
}

/// The fastest schedule the ceilings allow for `calls` in order: each call's windows are
/// `(key, limit, window_ms)`; returns the span from the first to the last call, in ms.
fn ideal_span_ms(calls: &[Vec<(String, usize, i64)>]) -> i64 {
    let mut admitted: std::collections::HashMap<String, Vec<i64>> = Default::default();
    let mut t = 0i64;
    for windows in calls {
        let room = |t: i64, admitted: &std::collections::HashMap<String, Vec<i64>>| {
            windows.iter().all(|(key, limit, window)| {
                admitted.get(key).map_or(0, |times| {
                    times.len() - times.partition_point(|&a| a <= t - window)
                }) < *limit
            })
        };
        while !room(t, &admitted) {
            t += 1;
        }
        for (key, ..) in windows {
            admitted.entry(key.clone()).or_default().push(t);
        }
    }
    t
}

struct Row {
    scenario: &'static str,
    ceiling: &'static str,
    calls: usize,
    elapsed_s: f64,
    rejections: u64,
    achieved: String,
    percent: f64,
    peak: u32,
    efficiency: f64,
}

/// Rate of `times` under one ceiling of `limit` per `window_ms`: calls after the first window's
/// worth, over the time they took.
fn rate(times: &[i64], limit: usize, window_ms: i64) -> f64 {
    let span = (times[times.len() - 1] - times[0]).max(1) as f64;
    (times.len() - limit) as f64 / span * window_ms as f64
}

async fn sends(run: &Run, receivers: Vec<String>) -> (f64, usize) {
    let started = Instant::now();
    let tasks: Vec<_> = receivers
        .into_iter()
        .map(|chat| {
            let client = run.client.clone();
            tokio::spawn(async move {
                client
                    .send_card(&ReceiveId::ChatId(chat), &card(), None)
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        ok += usize::from(task.await.unwrap().is_ok());
    }
    (started.elapsed().as_secs_f64(), ok)
}

fn bot_chats(run: &Run) -> Vec<String> {
    run.sim
        .tenant()
        .chats
        .into_iter()
        .filter(|c| c.bot_member)
        .map(|c| c.chat_id)
        .collect()
}

/// The row of a run held to one ceiling of `limit` calls a second: `t` are the calls' times at
/// the platform, `plan` what each of the run's calls had to wait for (one entry per call).
fn steady_row(
    scenario: &'static str,
    ceiling: &'static str,
    run: &Run,
    t: &[i64],
    limit: usize,
    plan: &[Vec<(String, usize, i64)>],
    elapsed_s: f64,
) -> Row {
    let n = plan.len();
    let achieved = rate(t, limit, 1000);
    Row {
        scenario,
        ceiling,
        calls: n,
        elapsed_s,
        rejections: rejections(run),
        achieved: format!("{achieved:.2}/s"),
        percent: achieved / limit as f64 * 100.0,
        peak: peaks::busiest_window(t, 1000).0,
        efficiency: ideal_span_ms(plan) as f64 / (t[n - 1] - t[0]) as f64,
    }
}

async fn one_chat() -> Row {
    let run = start().await;
    let chat = bot_chats(&run)[0].clone();
    let n = 600;
    let (elapsed_s, ok) = sends(&run, vec![chat.clone(); n]).await;
    assert_eq!(ok, n);
    let t = times(&run, "im.v1.messages.create");
    let plan: Vec<_> = (0..n)
        .map(|_| {
            vec![
                ("api".to_string(), 50, 1000),
                ("minute".to_string(), 1000, 60_000),
                (chat.clone(), 5, 1000),
            ]
        })
        .collect();
    steady_row(
        "600 card sends to one chat",
        "5/s per chat",
        &run,
        &t,
        5,
        &plan,
        elapsed_s,
    )
}

async fn many_chats() -> Vec<Row> {
    let run = start().await;
    let mut chats = bot_chats(&run);
    chats.extend(run.sim.add_bot_chats(20));
    let n = 1200;
    let receivers: Vec<String> = (0..n).map(|i| chats[i % chats.len()].clone()).collect();
    let (elapsed_s, ok) = sends(&run, receivers.clone()).await;
    assert_eq!(ok, n);
    let t = times(&run, "im.v1.messages.create");
    let plan: Vec<_> = receivers
        .iter()
        .map(|chat| {
            vec![
                ("api".to_string(), 50, 1000),
                ("minute".to_string(), 1000, 60_000),
                (chat.clone(), 5, 1000),
            ]
        })
        .collect();
    let efficiency = ideal_span_ms(&plan) as f64 / (t[n - 1] - t[0]) as f64;
    let rejections = rejections(&run);
    // The first 1000 go at the API tier's pace; the minute then holds the rest until the
    // first ones are a minute old.
    let tier = rate(&t[..1000], 50, 1000);
    let minute_peak = peaks::busiest_window(&t, 60_000).0;
    let after = t[1000] - t[0];
    vec![
        Row {
            scenario: "1200 card sends over 23 chats",
            ceiling: "50/s per API",
            calls: n,
            elapsed_s,
            rejections,
            achieved: format!("{tier:.2}/s (first 1000)"),
            percent: tier / 50.0 * 100.0,
            peak: peaks::busiest_window(&t, 1000).0,
            efficiency,
        },
        Row {
            scenario: "(same run)",
            ceiling: "1000/min sends",
            calls: n,
            elapsed_s,
            rejections,
            achieved: format!("1000 in 60 s; #1001 at {:.3} s", after as f64 / 1000.0),
            percent: f64::from(minute_peak) / 1000.0 * 100.0 * 60_000.0 / after.max(60_000) as f64,
            peak: minute_peak,
            efficiency,
        },
    ]
}

async fn api_tier() -> Row {
    let run = start().await;
    let n = 500;
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = run.client.clone();
            tokio::spawn(async move { client.bot_info().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("bot info");
    }
    let elapsed_s = started.elapsed().as_secs_f64();
    let t = times(&run, "bot.v3.info");
    let plan: Vec<_> = (0..n)
        .map(|_| vec![("api".to_string(), 50, 1000)])
        .collect();
    steady_row(
        "500 bot-info calls",
        "50/s per API",
        &run,
        &t,
        50,
        &plan,
        elapsed_s,
    )
}

async fn one_card() -> Row {
    let run = start().await;
    let chat = bot_chats(&run)[0].clone();
    let sent = run
        .client
        .send_card(&ReceiveId::ChatId(chat), &card(), None)
        .await
        .expect("send");
    let n = 100;
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = run.client.clone();
            let id = sent.message_id.clone();
            tokio::spawn(async move { client.update_card(&id, &card()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("update");
    }
    let elapsed_s = started.elapsed().as_secs_f64();
    let t = times(&run, "im.v1.messages.patch");
    let plan: Vec<_> = (0..n)
        .map(|_| vec![("api".to_string(), 50, 1000), ("card".to_string(), 5, 1000)])
        .collect();
    steady_row(
        "100 updates of one card",
        "5/s per card",
        &run,
        &t,
        5,
        &plan,
        elapsed_s,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that matches nothing here skips the run
    // (so `cargo bench -p companion --bench quota_summary`-style filters don't start it).
    if std::env::args().skip(1).any(|a| !a.starts_with("--")) {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rows = runtime.block_on(async {
        let mut rows = vec![api_tier().await, one_card().await, one_chat().await];
        rows.extend(many_chats().await);
        rows
    });
    println!(
        "| burst | ceiling | calls | wall time | rejections | achieved | % of ceiling | busiest window | vs fastest schedule |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.1} s | {} | {} | {:.1} % | {} | {:.1} % |",
            r.scenario,
            r.ceiling,
            r.calls,
            r.elapsed_s,
            r.rejections,
            r.achieved,
            r.percent,
            r.peak,
            r.efficiency * 100.0
        );
    }
    let failed: Vec<_> = rows
        .iter()
        .filter(|r| r.rejections > 0 || r.percent < 95.0)
        .map(|r| r.scenario)
        .collect();
    assert!(failed.is_empty(), "below target: {failed:?}");
}
