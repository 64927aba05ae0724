//! How long the Quota screen's figures take on a busy month: one million recorded calls in
//! March 2026 (China time), read the way the screen and `lark-companion-cli quota` read them.
//!
//! `cargo bench -p companion --bench quota_summary`; the setup (writing the million rows through
//! the ledger writer's own code path) takes a while and prints how long, plus the query plans.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use companion::db::Database;
use companion::quota::{self, ledger, LedgerEntry};
use criterion::{criterion_group, criterion_main, Criterion};
use lark_platform::client::{CallRecord, CallTarget, Endpoint, RateLimitHeaders, ReceiveId};

const APP: &str = "cli_a1b2c3d4e5f60718";
const CALLS: u32 = 1_000_000;

/// 23:00 on 31 March in China: the whole month is behind us.
fn now() -> DateTime<Utc> {
    "2026-03-31T15:00:00Z".parse().unwrap()
}

/// A deterministic month of traffic: mostly card sends to 50 chats and updates of them, some
/// bot-info and chat-list calls, token calls, 2 % failures and a few rate-limit answers.
fn record(i: u32, start_ms: i64, span_ms: i64) -> CallRecord {
    let mix = (u64::from(i) * 2_654_435_761) % 100;
    let endpoint = match mix {
        0..=69 => Endpoint::MessagesCreate,
        70..=89 => Endpoint::MessagesPatch,
        90..=94 => Endpoint::BotInfo,
        95..=98 => Endpoint::ChatsList,
        _ => Endpoint::TenantAccessToken,
    };
    let target = match endpoint {
        Endpoint::MessagesCreate => Some(CallTarget::Receiver(ReceiveId::ChatId(format!(
            "oc_{:032x}",
            i % 50
        )))),
        Endpoint::MessagesPatch => Some(CallTarget::Message(format!("om_{:032x}", i % 5000))),
        _ => None,
    };
    let (status, code, kind) = match i % 100 {
        7 => (400, 230_002, Some("bot_not_in_chat")),
        13 if i % 1000 == 13 => (429, 99_991_400, Some("rate_limited")),
        13 => (500, 0, Some("server")),
        _ => (200, 0, None),
    };
    let at_ms = start_ms + i64::from(i) * span_ms / i64::from(CALLS);
    CallRecord {
        endpoint,
        http_status: Some(status),
        code: Some(code),
        latency: Duration::from_micros(20_000 + u64::from(i % 97) * 1_500),
        counted: kind.is_none() && endpoint.counted(),
        error_kind: kind,
        rate_limit: RateLimitHeaders {
            limit: (status == 429).then(|| "50".into()),
            reset: (status == 429).then(|| "1".into()),
            retry_after: None,
        },
        log_id: Some(format!("2026031{i:010}")),
        at: DateTime::from_timestamp_millis(at_ms).unwrap(),
        target,
    }
}

fn populate(dir: &Path) {
    let mut db = Database::open(dir).unwrap();
    let start_ms = "2026-02-28T16:00:00Z"
        .parse::<DateTime<Utc>>()
        .unwrap()
        .timestamp_millis();
    let span_ms = now().timestamp_millis() - start_ms;
    let app: Arc<str> = Arc::from(APP);
    let started = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..CALLS {
        batch.push(LedgerEntry {
            app_id: app.clone(),
            record: record(i, start_ms, span_ms),
        });
        if batch.len() == 10_000 {
            ledger::write(db.conn_mut(), &batch).unwrap();
            batch.clear();
        }
    }
    ledger::write(db.conn_mut(), &batch).unwrap();
    db.conn().execute_batch("ANALYZE").unwrap();
    eprintln!(
        "wrote {CALLS} calls through ledger::write in {:.1?} ({:.0} calls/s)",
        started.elapsed(),
        f64::from(CALLS) / started.elapsed().as_secs_f64()
    );
    let size = std::fs::metadata(dir.join(companion::db::FILE_NAME))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(dir.join(format!("{}-wal", companion::db::FILE_NAME)))
            .map(|m| m.len())
            .unwrap_or(0);
    eprintln!("database size: {:.1} MiB", size as f64 / 1_048_576.0);
}

fn plans(db: &Database) {
    let queries = [
        "SELECT bucket, calls, counted, errors FROM quota_rollup WHERE app_id = ?1 AND bucket BETWEEN ?2 AND ?3",
        "SELECT MIN(bucket) FROM quota_rollup WHERE app_id = ?1",
        "SELECT COALESCE(SUM(counted), 0) FROM quota_calls WHERE app_id = ?1 AND at_ms >= ?2 AND at_ms < ?3",
        "SELECT MAX(at_ms) FROM quota_calls WHERE app_id = ?1 AND error_kind IN ('rate_limited', 'quota_exhausted') AND error_kind = 'quota_exhausted' AND at_ms >= ?2 AND at_ms <= ?3",
        "SELECT at_ms FROM quota_calls WHERE app_id = ?1 AND error_kind IN ('rate_limited', 'quota_exhausted') ORDER BY at_ms DESC LIMIT ?2",
        "SELECT at_ms, endpoint, target FROM quota_calls WHERE app_id = ?1 AND at_ms > ?2 AND at_ms <= ?3 AND (http_status IS NULL OR http_status <> 429) ORDER BY at_ms",
    ];
    for sql in queries {
        let conn = db.conn();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let count = stmt.parameter_count();
        let params: Vec<i64> = vec![0; count];
        let mut rows = stmt
            .query(rusqlite::params_from_iter(
                std::iter::once(rusqlite::types::Value::Text(APP.into())).chain(
                    params
                        .iter()
                        .skip(1)
                        .map(|v| rusqlite::types::Value::Integer(*v)),
                ),
            ))
            .unwrap();
        let mut plan = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            plan.push(row.get::<_, String>(3).unwrap());
        }
        eprintln!("{sql}\n    -> {}", plan.join("; "));
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    populate(dir.path());
    let db = Database::open(dir.path()).unwrap();
    plans(&db);
    let summary = quota::summary(&db, APP, now()).unwrap();
    eprintln!(
        "month {}: {} calls, {} counted, forecast {:.0}",
        summary.month, summary.our_calls, summary.our_counted, summary.forecast.month_end
    );
    assert_eq!(summary.our_calls, u64::from(CALLS));

    let mut group = c.benchmark_group("quota month of 1M calls");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("summary (month-to-date + forecast)", |b| {
        b.iter(|| quota::summary(&db, APP, now()).unwrap())
    });
    group.bench_function("daily series", |b| {
        b.iter(|| quota::daily(&db, APP, now()).unwrap())
    });
    group.bench_function("endpoint table (p50/p95)", |b| {
        b.iter(|| quota::endpoints(&db, APP, now()).unwrap())
    });
    group.bench_function("ceiling peaks (last day of raw rows)", |b| {
        b.iter(|| quota::peaks::ceilings(&db, APP, now(), &quota::RateLimits::default()).unwrap())
    });
    group.bench_function("whole screen report", |b| {
        b.iter(|| quota::report(&db, APP, now()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
