//! The quota ledger and the month-to-date figures: what counts and what is free (checked against
//! lark-sim's own counter), the month turning on the 1st in the tenant's time zone, the
//! 99991403 stop and its resumption, the baseline and the forecast, thresholds raised once a
//! month, retention, and the rate-limit events and peaks the screen lists.

mod common;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::configure;
use companion::db::Database;
use companion::profiles::Credentials;
use companion::quota::{
    self, ledger, settings, thresholds, CeilingKind, LedgerEntry, LedgerOptions, Meter,
    QuotaSettings, WallClock,
};
use lark_platform::client::{
    ApiError, CallRecord, CallTarget, Endpoint, RateLimitHeaders, ReceiveId,
};
use lark_sim::SimHandle;
use serde_json::{json, Value};

/// System time plus an offset, like lark-sim's clock, so both can be moved together.
#[derive(Default)]
struct ShiftedClock(AtomicI64);

impl ShiftedClock {
    fn shift_to(&self, at: DateTime<Utc>) -> i64 {
        let offset = at.timestamp_millis() - Utc::now().timestamp_millis();
        self.0.store(offset, Ordering::SeqCst);
        offset
    }

    fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl WallClock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.0.load(Ordering::SeqCst))
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 time")
}

fn meter(dir: &std::path::Path, wall: Arc<dyn WallClock>) -> Meter {
    Meter::with_databases(
        Database::open(dir).unwrap(),
        Database::open(dir).unwrap(),
        LedgerOptions::default(),
        wall,
    )
}

async fn sim() -> SimHandle {
    common::sim(11).await
}

fn credentials(sim: &SimHandle) -> Credentials {
    common::credentials(sim, false)
}

fn card() -> Value {
    json!({
        "config": {"update_multi": true},
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "**CPU** high"}}]
    })
}

/// A ledger entry, as the client's observer would report it.
fn entry(app: &str, at: &str, endpoint: Endpoint, code: i64) -> LedgerEntry {
    let status = match code {
        0 => 200,
        99_991_400 | 99_991_403 | 230_020 => 429,
        _ => 400,
    };
    LedgerEntry {
        app_id: Arc::from(app),
        record: CallRecord {
            endpoint,
            http_status: Some(status),
            code: Some(code),
            latency: Duration::from_millis(40),
            counted: code == 0 && endpoint.counted(),
            error_kind: match code {
                0 => None,
                99_991_403 => Some("quota_exhausted"),
                99_991_400 | 230_020 => Some("rate_limited"),
                _ => Some("content_invalid"),
            },
            rate_limit: RateLimitHeaders {
                limit: (status == 429).then(|| "50".into()),
                reset: (status == 429).then(|| "1".into()),
                retry_after: None,
            },
            log_id: None,
            at: utc(at),
            target: None,
        },
    }
}

fn stats(sim: &SimHandle) -> Value {
    let now = sim.state.clock.now();
    let mut inner = sim.state.lock();
    let quota = inner.quota.view(now);
    json!({"endpoints": inner.stats.endpoints, "quota": quota})
}

#[tokio::test]
async fn counted_and_free_calls_are_told_apart_like_the_platform_counts_them() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let meter = meter(dir.path(), Arc::new(quota::SystemWallClock));
    let creds = credentials(&sim);
    let client = companion::platform_client::for_credentials_metered(&creds, &meter).unwrap();
    let tenant = sim.tenant();
    let member = tenant.chats.iter().find(|c| c.bot_member).unwrap();
    let outsider = tenant.chats.iter().find(|c| !c.bot_member).unwrap();

    client.bot_info().await.expect("bot info"); // + the token call, which is free
    client.list_chats(None, None).await.expect("chats");
    let refused = client
        .send_card(&ReceiveId::ChatId(outsider.chat_id.clone()), &card(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, ApiError::BotNotInChat { .. }),
        "{refused:?}"
    );
    let sent = client
        .send_card(&ReceiveId::ChatId(member.chat_id.clone()), &card(), None)
        .await
        .expect("send");
    client
        .update_card(&sent.message_id, &card())
        .await
        .expect("update");
    meter.flush();

    let db = Database::open(dir.path()).unwrap();
    let summary = quota::summary(&db, &creds.app_id, Utc::now()).unwrap();
    assert_eq!(summary.our_calls, 6);
    assert_eq!(summary.our_counted, 4);
    assert_eq!(summary.our_failed, 1);
    assert_eq!(summary.used, 4);
    assert_eq!(summary.cap, Some(10_000));
    // Exactly what the platform counted.
    assert_eq!(stats(&sim)["quota"]["used"], 4);

    let table = quota::endpoints(&db, &creds.app_id, Utc::now()).unwrap();
    let row = |name: &str| table.iter().find(|r| r.endpoint == name).unwrap().clone();
    let token = row("auth.v3.tenant_access_token.internal");
    assert_eq!((token.calls, token.counted, token.errors), (1, 0, 0));
    let sends = row("im.v1.messages.create");
    assert_eq!((sends.calls, sends.counted, sends.errors), (2, 1, 1));
    assert!(sends.p50_ms.is_some() && sends.p95_ms >= sends.p50_ms);

    // Sends and updates carry their target, for the per-receiver and per-message ceilings.
    let targets: Vec<(String, Option<String>)> = db
        .conn()
        .prepare("SELECT endpoint, target FROM quota_calls ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(targets.contains(&(
        "im.v1.messages.create".into(),
        Some(format!("chat_id:{}", member.chat_id))
    )));
    assert!(targets.contains(&(
        "im.v1.messages.patch".into(),
        Some(format!("message:{}", sent.message_id))
    )));
    assert!(targets
        .iter()
        .any(|(e, t)| e == "bot.v3.info" && t.is_none()));
}

#[test]
fn the_month_turns_on_the_first_in_the_tenant_time_zone() {
    let mut db = Database::open_in_memory().unwrap();
    let app = "cli_a1b2c3d4e5f60718";
    // 31 January 23:59 and 1 February 00:01 in China, i.e. both on 31 January in UTC.
    let entries = [
        entry(app, "2026-01-31T15:59:00Z", Endpoint::MessagesCreate, 0),
        entry(app, "2026-01-31T16:01:00Z", Endpoint::MessagesCreate, 0),
        entry(app, "2026-01-31T16:02:00Z", Endpoint::TenantAccessToken, 0),
    ];
    ledger::write(db.conn_mut(), &entries).unwrap();
    let now = utc("2026-01-31T16:30:00Z");

    let china = quota::summary(&db, app, now).unwrap();
    assert_eq!(china.month, "2026-02");
    assert_eq!(china.time_zone, "Asia/Shanghai");
    assert_eq!(china.month_start, utc("2026-01-31T16:00:00Z"));
    assert_eq!((china.our_counted, china.our_calls), (1, 2));
    let days = quota::daily(&db, app, now).unwrap();
    assert_eq!(days.days.len(), 28);
    assert_eq!(days.days[0].date, "2026-02-01");
    assert_eq!(days.days[0].counted, 1);
    assert_eq!(days.days[0].used, Some(1.0));
    assert_eq!(days.days[1].used, None);

    // The same calls for a tenant on UTC: still January, both sends in it.
    settings::save(
        &db,
        app,
        QuotaSettings {
            time_zone: "UTC".into(),
            ..QuotaSettings::default()
        },
        now,
    )
    .unwrap();
    let utc_tenant = quota::summary(&db, app, now).unwrap();
    assert_eq!(utc_tenant.month, "2026-01");
    assert_eq!(utc_tenant.our_counted, 2);
    assert_eq!(quota::daily(&db, app, now).unwrap().days.len(), 31);
}

#[tokio::test]
async fn quota_exhausted_stops_counted_calls_until_the_first_then_they_resume() {
    let sim = sim().await;
    let wall = Arc::new(ShiftedClock::default());
    // Three minutes before the month turns (in UTC, the zone lark-sim's quota uses).
    let offset = wall.shift_to(utc("2026-03-31T23:57:00Z"));
    configure(&sim, json!({"quota_cap": 3, "clock_offset_ms": offset}));
    let dir = tempfile::tempdir().unwrap();
    let creds = credentials(&sim);
    {
        let db = Database::open(dir.path()).unwrap();
        let utc_zone = QuotaSettings {
            time_zone: "UTC".into(),
            cap: Some(3),
            ..QuotaSettings::default()
        };
        settings::save(&db, &creds.app_id, utc_zone, Utc::now()).unwrap();
    }
    let meter = meter(dir.path(), wall.clone());
    let client = companion::platform_client::for_credentials_metered(&creds, &meter).unwrap();
    for _ in 0..3 {
        client.bot_info().await.expect("within the quota");
    }
    let exhausted = client.bot_info().await.unwrap_err();
    assert_eq!(exhausted, ApiError::QuotaExhausted { code: 99_991_403 });
    let calls_before = stats(&sim)["endpoints"]["bot_info"]["calls"].clone();

    // Now refused at once, without a call: the platform would only say 99991403 again.
    let started = std::time::Instant::now();
    let refused = client.bot_info().await.unwrap_err();
    assert_eq!(refused, ApiError::QuotaExhausted { code: 99_991_403 });
    // At once, not after waiting for the month to turn (a loose bound: CI machines stall).
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(stats(&sim)["endpoints"]["bot_info"]["calls"], calls_before);
    let limiter = meter.limiter(&creds.app_id).unwrap();
    let (_, until) = limiter.stopped().expect("a stop");
    assert_eq!(until, utc("2026-04-01T00:00:00Z"));
    assert_eq!(meter.status(&creds.app_id).unwrap().refused, 1);
    // Free calls still go.
    assert!(client.tenant_access_token().await.is_ok());

    // The screen and the CLI see the stop, from the ledger.
    meter.flush();
    let db = Database::open(dir.path()).unwrap();
    let summary = quota::summary(&db, &creds.app_id, wall.now()).unwrap();
    let stop = summary.stop.expect("the summary shows the stop");
    assert_eq!(stop.until_date, "2026-04-01");
    assert!(
        stop.message.contains("exhausted until 2026-04-01 (UTC)"),
        "{}",
        stop.message
    );
    assert_eq!(summary.used, 3);
    assert_eq!(summary.used_percent, Some(100.0));
    assert_eq!(
        summary.forecast.cap_reached_on.as_deref(),
        Some("2026-03-31")
    );
    // So does a restarted app.
    drop(client);
    drop(meter);
    let meter = self::meter(dir.path(), wall.clone());
    assert!(meter.limiter(&creds.app_id).unwrap().stopped().is_some());
    let client = companion::platform_client::for_credentials_metered(&creds, &meter).unwrap();
    assert!(matches!(
        client.bot_info().await,
        Err(ApiError::QuotaExhausted { .. })
    ));

    // The 1st of April: counted calls resume, and the platform agrees.
    configure(&sim, json!({"advance_ms": 4 * 60_000}));
    wall.advance(4 * 60_000);
    client.bot_info().await.expect("a new month");
    assert!(meter.limiter(&creds.app_id).unwrap().stopped().is_none());
    meter.flush();
    let april = quota::summary(&db, &creds.app_id, wall.now()).unwrap();
    assert_eq!(april.month, "2026-04");
    assert_eq!(april.our_counted, 1);
    assert!(april.stop.is_none());
}

/// Ten days of 100 counted calls a day, at noon China time, in March 2026.
fn ten_busy_days(db: &mut Database, app: &str) {
    let mut entries = Vec::new();
    for day in 1..=10 {
        for minute in 0..100 {
            let at = format!("2026-03-{day:02}T04:{:02}:{:02}Z", minute / 60, minute % 60);
            entries.push(entry(app, &at, Endpoint::MessagesCreate, 0));
        }
    }
    ledger::write(db.conn_mut(), &entries).unwrap();
}

#[test]
fn baseline_other_apps_and_the_forecast() {
    let mut db = Database::open_in_memory().unwrap();
    let app = "cli_a1b2c3d4e5f60718";
    ten_busy_days(&mut db, app);
    // Start of 11 March in China: ten whole days of the month have passed.
    let now = utc("2026-03-10T16:00:00Z");
    // The console said 2,000 at the start of 6 March: 500 of them ours, 1,500 other apps'.
    settings::set_baseline(&db, app, 2_000, utc("2026-03-05T16:00:00Z"), now).unwrap();

    let s = quota::summary(&db, app, now).unwrap();
    assert_eq!(s.our_counted, 1_000);
    assert_eq!(s.ours_since_baseline, Some(500));
    assert_eq!(s.other_apps, Some(1_500));
    assert_eq!(s.used, 2_500);
    assert_eq!(s.remaining, Some(7_500));
    let f = &s.forecast;
    assert!((f.our_daily_rate - 100.0).abs() < 1e-9, "{f:?}");
    assert!((f.other_daily_rate - 300.0).abs() < 1e-9, "{f:?}");
    // 21 days left at 400 a day.
    assert!((f.month_end - 10_900.0).abs() < 1e-6, "{f:?}");
    assert!(f.exceeds_cap);
    // 7,500 more at 400 a day is 18.75 days: during 29 March.
    assert_eq!(f.cap_reached_on.as_deref(), Some("2026-03-29"));

    let series = quota::daily(&db, app, now).unwrap();
    assert_eq!(series.cap, Some(10_000));
    assert_eq!(series.days.len(), 31);
    let day = |n: usize| &series.days[n - 1];
    assert_eq!(day(3).counted, 100);
    // Others spread evenly up to the baseline: 3/5 of 1,500 by the end of 3 March.
    assert_eq!(day(3).used, Some(300.0 + 900.0));
    assert_eq!(day(10).used, Some(2_500.0));
    assert_eq!(day(10).forecast, None);
    assert_eq!(day(11).used, Some(2_500.0));
    assert!((day(11).forecast.unwrap() - 2_900.0).abs() < 1e-6);
    assert!((day(31).forecast.unwrap() - 10_900.0).abs() < 1e-6);

    // An unlimited edition has no cap to reach.
    let unlimited = QuotaSettings {
        cap: None,
        ..settings::load(&db, app).unwrap()
    };
    settings::save(&db, app, unlimited, now).unwrap();
    let s = quota::summary(&db, app, now).unwrap();
    assert_eq!((s.used_percent, s.remaining), (None, None));
    assert!(!s.forecast.exceeds_cap && s.forecast.cap_reached_on.is_none());
}

#[test]
fn thresholds_are_raised_once_a_month() {
    let mut db = Database::open_in_memory().unwrap();
    let app = "cli_a1b2c3d4e5f60718";
    ten_busy_days(&mut db, app);
    let now = utc("2026-03-10T16:00:00Z");
    let crossed = |db: &Database, now| {
        let summary = quota::summary(db, app, now).unwrap();
        thresholds::newly_crossed(db, &summary, &[80, 90, 100], now)
            .unwrap()
            .into_iter()
            .map(|c| c.threshold)
            .collect::<Vec<_>>()
    };
    assert!(crossed(&db, now).is_empty());
    settings::set_baseline(&db, app, 9_100, now, now).unwrap();
    assert_eq!(crossed(&db, now), vec![80, 90]);
    assert!(crossed(&db, now).is_empty(), "raised once");
    settings::set_baseline(&db, app, 10_000, now, now).unwrap();
    assert_eq!(crossed(&db, now), vec![100]);
    // April starts from nothing: no threshold carries over.
    let april = utc("2026-04-02T00:00:00Z");
    assert!(crossed(&db, april).is_empty());
}

#[test]
fn rate_limit_events_and_peaks_per_ceiling() {
    let mut db = Database::open_in_memory().unwrap();
    let app = "cli_a1b2c3d4e5f60718";
    let mut entries = Vec::new();
    // Seven sends to one chat within one second, then a 230020; six card updates of one message
    // within a second; a 99991400 on bot info.
    for ms in [0, 100, 200, 300, 400, 500, 999] {
        let mut e = entry(
            app,
            &format!("2026-03-10T10:00:00.{ms:03}Z"),
            Endpoint::MessagesCreate,
            0,
        );
        e.record.target = Some(CallTarget::Receiver(ReceiveId::ChatId("oc_1".into())));
        entries.push(e);
    }
    let mut limited = entry(
        app,
        "2026-03-10T10:00:00.600Z",
        Endpoint::MessagesCreate,
        230_020,
    );
    limited.record.target = Some(CallTarget::Receiver(ReceiveId::ChatId("oc_1".into())));
    entries.push(limited);
    for ms in [0, 150, 300, 450, 600, 750] {
        let mut e = entry(
            app,
            &format!("2026-03-10T10:00:01.{ms:03}Z"),
            Endpoint::MessagesPatch,
            0,
        );
        e.record.target = Some(CallTarget::Message("om_1".into()));
        entries.push(e);
    }
    entries.push(entry(
        app,
        "2026-03-10T09:30:00Z",
        Endpoint::BotInfo,
        99_991_400,
    ));
    entries.push(entry(
        app,
        "2026-03-09T12:00:00Z",
        Endpoint::BotInfo,
        99_991_403,
    ));
    ledger::write(db.conn_mut(), &entries).unwrap();

    let events = quota::events(&db, app, 10).unwrap();
    let codes: Vec<Option<i64>> = events.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        vec![Some(230_020), Some(99_991_400), Some(99_991_403)]
    );
    assert_eq!(events[0].target.as_deref(), Some("chat_id:oc_1"));
    assert_eq!(events[0].reset_secs, Some(1.0));
    assert_eq!(events[2].kind, "quota_exhausted");

    let now = utc("2026-03-10T10:30:00Z");
    let report = quota::report(&db, app, now).unwrap();
    let ceiling = |kind| {
        report
            .ceilings
            .iter()
            .find(|c| c.kind == kind)
            .unwrap()
            .clone()
    };
    let receiver = ceiling(CeilingKind::PerReceiver);
    assert_eq!((receiver.limit, receiver.window_secs), (5, 1));
    // The refused call took no place in the platform's window.
    assert_eq!(receiver.last_hour.calls, 7);
    assert_eq!(receiver.last_hour.key.as_deref(), Some("chat_id:oc_1"));
    let message = ceiling(CeilingKind::PerMessage);
    assert_eq!(message.last_day.calls, 6);
    assert_eq!(message.last_day.key.as_deref(), Some("message:om_1"));
    let api = ceiling(CeilingKind::ApiTier);
    assert_eq!(api.last_hour.calls, 7);
    assert_eq!(api.last_hour.key.as_deref(), Some("im.v1.messages.create"));
    let minute = ceiling(CeilingKind::SendPerMinute);
    assert_eq!(
        (minute.limit, minute.window_secs, minute.last_day.calls),
        (1000, 60, 7)
    );
    assert_eq!(report.events.len(), 3);
}

#[test]
fn retention_prunes_raw_rows_and_keeps_the_month_figures() {
    let mut db = Database::open_in_memory().unwrap();
    let app = "cli_a1b2c3d4e5f60718";
    ten_busy_days(&mut db, app);
    let now = utc("2026-03-10T16:00:00Z");
    let pruned = ledger::prune(&db.conn(), now, Duration::from_secs(5 * 86_400)).unwrap();
    assert_eq!(pruned, 500);
    let left: i64 = db
        .conn()
        .query_row("SELECT COUNT(*) FROM quota_calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 500);
    assert_eq!(quota::summary(&db, app, now).unwrap().our_counted, 1_000);
}

#[test]
fn the_observer_never_waits_for_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let options = LedgerOptions {
        batch_size: 500,
        flush_after: Duration::from_millis(20),
        ..LedgerOptions::default()
    };
    let ledger = quota::Ledger::start(Database::open(dir.path()).unwrap(), options);
    let observer = ledger.observer("cli_a1b2c3d4e5f60718");
    let record = entry("x", "2026-03-10T10:00:00Z", Endpoint::BotInfo, 0).record;
    let started = std::time::Instant::now();
    for _ in 0..20_000 {
        lark_platform::client::CallObserver::observe(&observer, &record);
    }
    // Twenty thousand records are queued in far less time than writing them takes.
    let queued_in = started.elapsed();
    ledger.flush();
    let db = Database::open(dir.path()).unwrap();
    let rows: i64 = db
        .conn()
        .query_row("SELECT COUNT(*) FROM quota_calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 20_000);
    assert_eq!(ledger.dropped(), 0);
    assert!(queued_in < Duration::from_secs(1), "{queued_in:?}");
    // A profile name leads to its App ID without the keychain.
    assert!(matches!(
        quota::app_id_of_profile(&db, "nobody"),
        Err(companion::Error::ProfileNotFound { .. })
    ));
}
