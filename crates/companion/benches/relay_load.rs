//! Relay load benchmark: an open-loop loopback load generator sends pre-sealed (encrypted and
//! signed) callbacks at a fixed rate to a relay that verifies, decrypts, records in SQLite (file,
//! WAL) and answers each one, and reports latency percentiles from send to answer. The schedule
//! is open loop (sends never wait for answers), so a stalled relay cannot hide its queue. With python3 and lark-oapi
//! installed, the same load also goes to the official Python SDK's EventDispatcherHandler
//! behind a ThreadingHTTPServer, in the same run.
//!
//! `cargo bench -p companion --bench relay_load` (LARK_BENCH_RATE, LARK_BENCH_SECS change the
//! load; LARK_BENCH_PYTHON=0 skips the SDK). Bounded: rate x seconds requests per scenario.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use companion::relay::{
    seal, trigger, ForwardMode, Relay, RelayConfig, RelayCore, RelayKeys, RelayProfile, RelayStore,
    TriggerKind, TriggerRequest, Upstream,
};

const ENCRYPT_KEY: &str = "bench-encrypt-key-0123456789";
const VERIFICATION_TOKEN: &str = "bench-verification-token-0123";
const WARMUP: usize = 200;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Prepared {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// `n` distinct sealed requests of `kind` (fresh event ids, timestamps of now).
fn prepare(kind: TriggerKind, n: usize, keys: &RelayKeys) -> Vec<Prepared> {
    let now = chrono::Utc::now();
    (0..n)
        .map(|_| {
            let request = TriggerRequest {
                kind,
                ..Default::default()
            };
            let plain = trigger::build(&request, keys, now).to_string();
            let sealed = seal::seal(
                kind.request_kind(),
                plain.as_bytes(),
                keys,
                true,
                &now.timestamp().to_string(),
                &seal::nonce(),
            );
            Prepared {
                headers: sealed.headers,
                body: sealed.body,
            }
        })
        .collect()
}

struct Outcome {
    sent: usize,
    errors: usize,
    achieved_rate: f64,
    latencies_ms: Vec<f64>,
}

/// Posts one prepared request; true when it was answered 2xx and the answer read whole.
async fn send(client: &reqwest::Client, url: &str, request: Prepared) -> bool {
    let mut builder = client.post(url).body(request.body);
    for (k, v) in &request.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    match builder.send().await {
        Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
        Err(_) => false,
    }
}

/// The relay's runtime (two workers, so the load generator does not share its threads) and the
/// generator's (one thread).
fn runtimes() -> (tokio::runtime::Runtime, tokio::runtime::Runtime) {
    let relay_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let load_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    (relay_rt, load_rt)
}

/// Sends `requests` to `url` at `rate` per second, open loop, on the current runtime.
async fn drive(url: &str, requests: Vec<Prepared>, rate: u64) -> Outcome {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let n = requests.len();
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let mut tasks = Vec::with_capacity(n);
    for (i, request) in requests.into_iter().enumerate() {
        let scheduled = start + interval * i as u32;
        tokio::time::sleep_until(scheduled).await;
        let (client, url) = (client.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            // Timed from here, not from `scheduled`: tokio's timer fires up to a millisecond
            // late, which would be the generator's delay, not the relay's. The schedule stays
            // open-loop (sends never wait for answers), so a slow relay still shows.
            let sent = Instant::now();
            let ok = send(&client, &url, request).await;
            (ok, sent.elapsed())
        }));
    }
    let mut latencies_ms = Vec::with_capacity(n);
    let mut errors = 0;
    for task in tasks {
        let (ok, latency) = task.await.unwrap();
        if !ok {
            errors += 1;
        }
        latencies_ms.push(latency.as_secs_f64() * 1000.0);
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies_ms.sort_by(f64::total_cmp);
    Outcome {
        sent: n,
        errors,
        achieved_rate: n as f64 / elapsed,
        latencies_ms,
    }
}

/// Closed loop: `connections` clients each send their next request as soon as the previous
/// answer arrives, for `secs` seconds (after `warmup` of the same); requests come from `pool`,
/// each sent once. The relay's best sustained rate, where the open loop measures latency at a
/// set rate.
async fn saturate(
    url: &str,
    pool: Vec<Prepared>,
    connections: usize,
    warmup: Duration,
    secs: Duration,
) -> Outcome {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let pool = std::sync::Arc::new(std::sync::Mutex::new(pool));
    let begin = Instant::now();
    let measure_from = begin + warmup;
    let stop_at = measure_from + secs;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (client, url, pool) = (client.clone(), url.to_string(), pool.clone());
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                loop {
                    let now = Instant::now();
                    if now >= stop_at {
                        break;
                    }
                    let Some(request) = pool.lock().unwrap().pop() else {
                        break;
                    };
                    let ok = send(&client, &url, request).await;
                    if now >= measure_from {
                        latencies.push(now.elapsed().as_secs_f64() * 1000.0);
                        errors += usize::from(!ok);
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let (mut latencies_ms, mut errors) = (Vec::new(), 0);
    for task in tasks {
        let (l, e) = task.await.unwrap();
        latencies_ms.extend(l);
        errors += e;
    }
    assert!(
        !pool.lock().unwrap().is_empty(),
        "the request pool ran out: raise LARK_BENCH_POOL"
    );
    latencies_ms.sort_by(f64::total_cmp);
    Outcome {
        sent: latencies_ms.len(),
        errors,
        achieved_rate: latencies_ms.len() as f64 / secs.as_secs_f64(),
        latencies_ms,
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn row(name: &str, o: &Outcome) {
    let l = &o.latencies_ms;
    println!(
        "| {name} | {} | {:.0}/s | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {} |",
        o.sent,
        o.achieved_rate,
        percentile(l, 50.0),
        percentile(l, 90.0),
        percentile(l, 99.0),
        l.last().copied().unwrap_or(f64::NAN),
        o.errors
    );
}

/// A relay on its own runtime (two workers), so the load generator does not share its threads.
fn start_relay(
    relay_rt: &tokio::runtime::Runtime,
    dir: &std::path::Path,
    keys: &RelayKeys,
    upstream: Option<String>,
) -> Relay {
    let upstream = upstream.map(|u| Upstream::parse(&u, ForwardMode::Transparent).unwrap());
    let config = RelayConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..RelayConfig::default()
    };
    let core = RelayCore::new(
        config,
        vec![RelayProfile::new("bench", keys.clone(), upstream)],
        RelayStore::open(dir).unwrap(),
    )
    .unwrap();
    relay_rt.block_on(Relay::start(core)).unwrap()
}

fn upstream(relay_rt: &tokio::runtime::Runtime) -> String {
    relay_rt.block_on(async {
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(|| async { axum::Json(serde_json::json!({})) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        url
    })
}

/// The SDK server, when python3 and lark-oapi are here: (child, URL).
fn python_sdk() -> Option<(std::process::Child, String)> {
    if std::env::var("LARK_BENCH_PYTHON").is_ok_and(|v| v == "0") {
        return None;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/lark_oapi_server.py");
    let mut child = Command::new("python3")
        .args([script, ENCRYPT_KEY, VERIFICATION_TOKEN])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take()?)
        .read_line(&mut line)
        .ok()?;
    match line.trim().strip_prefix("listening ") {
        Some(url) => Some((child, url.to_string())),
        None => {
            let _ = child.kill();
            None
        }
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would too; nothing to parse.
    if std::env::var("LARK_BENCH_MODE").is_ok_and(|m| m == "closed") {
        return closed_loop();
    }
    let rate = env_num("LARK_BENCH_RATE", 500).clamp(1, 5000);
    let secs = env_num("LARK_BENCH_SECS", 5).clamp(1, 60);
    let n = (rate * secs) as usize;
    let keys = RelayKeys::new(Some(ENCRYPT_KEY), Some(VERIFICATION_TOKEN));
    let (relay_rt, load_rt) = runtimes();
    println!(
        "relay load: {rate} req/s for {secs} s ({n} requests per scenario, {WARMUP} warm-up), \
         latency from send to answer"
    );
    println!("| scenario | requests | achieved | p50 | p90 | p99 | max | errors |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");

    let scenarios: [(&str, TriggerKind, bool); 3] = [
        (
            "relay: encrypted events, verified + recorded + acknowledged",
            TriggerKind::Event,
            false,
        ),
        (
            "relay: the same, plus outbox delivery to a loopback upstream",
            TriggerKind::Event,
            true,
        ),
        (
            "relay: encrypted card clicks, built-in handler renders the updated card",
            TriggerKind::CardAction,
            false,
        ),
    ];
    for (name, kind, with_upstream) in scenarios {
        let dir = tempfile::tempdir().unwrap();
        let upstream_url = with_upstream.then(|| upstream(&relay_rt));
        let relay = start_relay(&relay_rt, dir.path(), &keys, upstream_url);
        let url = relay.url("bench").unwrap();
        load_rt.block_on(drive(&url, prepare(kind, WARMUP, &keys), rate));
        let outcome = load_rt.block_on(drive(&url, prepare(kind, n, &keys), rate));
        row(name, &outcome);
        let recorded = relay.core().store().count().unwrap();
        assert_eq!(recorded as usize, n + WARMUP, "every request recorded");
        relay_rt.block_on(relay.stop());
    }

    match python_sdk() {
        Some((mut child, url)) => {
            load_rt.block_on(drive(
                &url,
                prepare(TriggerKind::Event, WARMUP, &keys),
                rate,
            ));
            let outcome =
                load_rt.block_on(drive(&url, prepare(TriggerKind::Event, n, &keys), rate));
            row("lark-oapi (Python) EventDispatcherHandler: encrypted events, verified + acknowledged, not recorded", &outcome);
            let _ = child.kill();
            let _ = child.wait();
        }
        None => {
            println!("(python3 with lark-oapi not found, or LARK_BENCH_PYTHON=0: SDK row skipped)")
        }
    }
}

/// `LARK_BENCH_MODE=closed`: the relay's and the SDK's best rate, side by side in one run.
fn closed_loop() {
    let connections = env_num("LARK_BENCH_CONNECTIONS", 32).clamp(1, 256) as usize;
    let secs = Duration::from_secs(env_num("LARK_BENCH_SECS", 10).clamp(1, 60));
    let warmup = Duration::from_secs(2);
    let pool = env_num("LARK_BENCH_POOL", 400_000).clamp(1_000, 2_000_000) as usize;
    let keys = RelayKeys::new(Some(ENCRYPT_KEY), Some(VERIFICATION_TOKEN));
    let (relay_rt, load_rt) = runtimes();
    println!(
        "closed loop: {connections} connections, {}s after {}s warm-up, distinct encrypted events",
        secs.as_secs(),
        warmup.as_secs()
    );
    println!("| receiver | answered | rate | p50 | p90 | p99 | max | errors |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(&relay_rt, dir.path(), &keys, None);
    let url = relay.url("bench").unwrap();
    let outcome = load_rt.block_on(saturate(
        &url,
        prepare(TriggerKind::Event, pool, &keys),
        connections,
        warmup,
        secs,
    ));
    row(
        "relay (release): verified + recorded + fsync'd, then acknowledged",
        &outcome,
    );
    let store = relay.core().store();
    println!(
        "(relay: {} records in {} transactions)",
        store.count().unwrap(),
        store.groups_committed()
    );
    relay_rt.block_on(relay.stop());
    if let Some((mut child, url)) = python_sdk() {
        let outcome = load_rt.block_on(saturate(
            &url,
            prepare(TriggerKind::Event, pool / 4, &keys),
            connections,
            warmup,
            secs,
        ));
        row(
            "lark-oapi (Python): verified + acknowledged, not recorded",
            &outcome,
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}
