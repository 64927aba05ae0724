//! The call ledger: every Open API exchange, written to SQLite off the calling task.
//!
//! The client's observer runs inline on the task that made the call, so [`LedgerObserver`] only
//! does a non-blocking send into a bounded queue; a writer thread owns its own database
//! connection and flushes every [`LedgerOptions::batch_size`] records or
//! [`LedgerOptions::flush_after`], whichever comes first, in one transaction that also updates
//! the 15-minute rollups the screen reads. If the writer ever falls a whole channel behind,
//! records are dropped and counted ([`Ledger::dropped`]) rather than slowing calls down.
//!
//! The queue is bounded by a count of queued records, not by a preallocated channel: a
//! `sync_channel` of [`LedgerOptions::capacity`] slots would allocate and touch all of them up
//! front (about 14 MiB for 65 536 records), in every process, whether or not a call is ever made
//! (docs/benchmarks.md, "Memory in the tray").

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use lark_platform::client::{CallObserver, CallRecord};
use rusqlite::{params, Connection, OptionalExtension};

use super::hist::LatencyHist;
use crate::db::Database;
use crate::Result;

/// Rollup bucket length: 15 minutes, the finest step of any time zone's UTC offset.
pub const BUCKET_MS: i64 = 15 * 60 * 1000;
/// Rollups outlive raw rows: enough for a year of daily charts.
pub const ROLLUP_RETENTION: Duration = Duration::from_secs(400 * 86_400);

pub fn bucket_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(BUCKET_MS)
}

/// How the writer batches and how long raw rows are kept.
#[derive(Clone, Debug)]
pub struct LedgerOptions {
    pub batch_size: usize,
    pub flush_after: Duration,
    /// Records the channel holds before new ones are dropped.
    pub capacity: usize,
    /// Raw rows older than this are pruned (the rollups are kept for [`ROLLUP_RETENTION`]).
    pub retention: Duration,
    /// How often the writer prunes.
    pub prune_every: Duration,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        Self {
            batch_size: 256,
            flush_after: Duration::from_millis(250),
            capacity: 65_536,
            retention: Duration::from_secs(90 * 86_400),
            prune_every: Duration::from_secs(3600),
        }
    }
}

/// One call of one app.
#[derive(Clone, Debug)]
pub struct LedgerEntry {
    pub app_id: Arc<str>,
    pub record: CallRecord,
}

enum Message {
    Call(LedgerEntry),
    Flush(mpsc::Sender<()>),
}

/// The writer thread's handle. Dropping it flushes what is queued and stops the thread once
/// every observer is gone too.
pub struct Ledger {
    tx: Sender<Message>,
    queue: Arc<Queue>,
    thread: Option<JoinHandle<()>>,
}

impl Ledger {
    /// Starts the writer on `db` (its own connection: the writer never shares a lock with the
    /// screen's reads, and WAL lets both proceed).
    pub fn start(db: Database, options: LedgerOptions) -> Self {
        let (tx, rx) = mpsc::channel();
        let queue = Arc::new(Queue {
            capacity: options.capacity.max(1),
            queued: AtomicUsize::new(0),
            dropped: AtomicU64::new(0),
        });
        let writer_queue = queue.clone();
        // Like std::thread::spawn, this only fails when the OS cannot make a thread at all.
        let thread = std::thread::Builder::new()
            .name("quota-ledger".into())
            .spawn(move || writer(db, rx, &writer_queue, options))
            .expect("start the quota ledger thread");
        Self {
            tx,
            queue,
            thread: Some(thread),
        }
    }

    /// The observer to give the clients of `app_id`.
    pub fn observer(&self, app_id: &str) -> LedgerObserver {
        LedgerObserver {
            app_id: Arc::from(app_id),
            tx: self.tx.clone(),
            queue: self.queue.clone(),
        }
    }

    /// Waits (up to 5 s) until everything queued before this call is written.
    pub fn flush(&self) {
        let (ack, done) = mpsc::channel();
        if self.tx.send(Message::Flush(ack)).is_ok() {
            let _ = done.recv_timeout(Duration::from_secs(5));
        }
    }

    /// Records lost because the writer fell a whole channel behind.
    pub fn dropped(&self) -> u64 {
        self.queue.dropped.load(Ordering::Relaxed)
    }
}

/// How many records wait for the writer, against the capacity.
struct Queue {
    capacity: usize,
    queued: AtomicUsize,
    dropped: AtomicU64,
}

impl Drop for Ledger {
    fn drop(&mut self) {
        self.flush();
        // The thread ends when the last observer's sender is gone too; don't wait for clients
        // that may outlive us.
        drop(self.thread.take());
    }
}

/// Hands call records to the writer without ever blocking the calling task.
#[derive(Clone)]
pub struct LedgerObserver {
    app_id: Arc<str>,
    tx: Sender<Message>,
    queue: Arc<Queue>,
}

impl CallObserver for LedgerObserver {
    fn observe(&self, call: &CallRecord) {
        // A whole queue behind: drop the record and count it.
        if self.queue.queued.fetch_add(1, Ordering::AcqRel) >= self.queue.capacity {
            self.queue.queued.fetch_sub(1, Ordering::AcqRel);
            self.queue.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let entry = LedgerEntry {
            app_id: self.app_id.clone(),
            record: call.clone(),
        };
        if self.tx.send(Message::Call(entry)).is_err() {
            // The writer is gone (the ledger was dropped): nothing waits for the record.
            self.queue.queued.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

fn writer(mut db: Database, rx: Receiver<Message>, queue: &Queue, options: LedgerOptions) {
    let mut batch: Vec<LedgerEntry> = Vec::with_capacity(options.batch_size);
    let mut deadline = Instant::now();
    let mut next_prune = Instant::now();
    loop {
        let message = if batch.is_empty() {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        };
        match message {
            Ok(Message::Call(entry)) => {
                queue.queued.fetch_sub(1, Ordering::AcqRel);
                if batch.is_empty() {
                    deadline = Instant::now() + options.flush_after;
                }
                batch.push(entry);
                if batch.len() >= options.batch_size {
                    flush(&mut db, &mut batch);
                }
            }
            Ok(Message::Flush(ack)) => {
                // Take whatever else is already queued, so the flush covers it.
                while let Ok(Message::Call(entry)) = rx.try_recv() {
                    queue.queued.fetch_sub(1, Ordering::AcqRel);
                    batch.push(entry);
                }
                flush(&mut db, &mut batch);
                let _ = ack.send(());
            }
            Err(RecvTimeoutError::Timeout) => flush(&mut db, &mut batch),
            Err(RecvTimeoutError::Disconnected) => {
                flush(&mut db, &mut batch);
                return;
            }
        }
        if Instant::now() >= next_prune {
            next_prune = Instant::now() + options.prune_every;
            if let Err(error) = prune(&db.conn(), Utc::now(), options.retention) {
                tracing::warn!(%error, "quota ledger: pruning failed");
            }
        }
    }
}

fn flush(db: &mut Database, batch: &mut Vec<LedgerEntry>) {
    if batch.is_empty() {
        return;
    }
    if let Err(error) = write(db.conn_mut(), batch) {
        // Losing a batch of ledger rows beats failing or stalling the calls they describe.
        tracing::warn!(%error, records = batch.len(), "quota ledger: a batch was not written");
    }
    batch.clear();
}

#[derive(Default)]
struct Rollup {
    calls: i64,
    counted: i64,
    errors: i64,
    rate_limited: i64,
    hist: LatencyHist,
}

/// Writes `entries` and folds them into the rollups, in one transaction.
pub fn write(conn: &mut Connection, entries: &[LedgerEntry]) -> Result<()> {
    let tx = conn.transaction()?;
    let mut rollups: HashMap<(&str, i64, &'static str), Rollup> = HashMap::new();
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO quota_calls (app_id, at_ms, endpoint, http_status, code, latency_us,
                 counted, error_kind, target, rl_limit, rl_reset, retry_after, log_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for entry in entries {
            let r = &entry.record;
            let at_ms = r.at.timestamp_millis();
            let latency_us = u64::try_from(r.latency.as_micros()).unwrap_or(u64::MAX);
            insert.execute(params![
                &*entry.app_id,
                at_ms,
                r.endpoint.name(),
                r.http_status,
                r.code,
                i64::try_from(latency_us).unwrap_or(i64::MAX),
                r.counted,
                r.error_kind,
                r.target.as_ref().map(|t| t.key()),
                r.rate_limit.limit,
                r.rate_limit.reset,
                r.rate_limit.retry_after,
                r.log_id,
            ])?;
            let rollup = rollups
                .entry((&*entry.app_id, bucket_of(at_ms), r.endpoint.name()))
                .or_default();
            rollup.calls += 1;
            rollup.counted += i64::from(r.counted);
            rollup.errors += i64::from(r.error_kind.is_some());
            rollup.rate_limited += i64::from(r.error_kind == Some("rate_limited"));
            rollup.hist.add(latency_us);
        }
        let mut read = tx.prepare_cached(
            "SELECT calls, counted, errors, rate_limited, latency_hist FROM quota_rollup
             WHERE app_id = ?1 AND bucket = ?2 AND endpoint = ?3",
        )?;
        let mut upsert = tx.prepare_cached(
            "INSERT OR REPLACE INTO quota_rollup
                 (app_id, bucket, endpoint, calls, counted, errors, rate_limited, latency_hist)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for ((app_id, bucket, endpoint), mut rollup) in rollups {
            let old = read
                .query_row(params![app_id, bucket, endpoint], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, Vec<u8>>(4)?,
                    ))
                })
                .optional()?;
            if let Some((calls, counted, errors, limited, hist)) = old {
                rollup.calls += calls;
                rollup.counted += counted;
                rollup.errors += errors;
                rollup.rate_limited += limited;
                rollup.hist.merge(&LatencyHist::from_blob(&hist));
            }
            upsert.execute(params![
                app_id,
                bucket,
                endpoint,
                rollup.calls,
                rollup.counted,
                rollup.errors,
                rollup.rate_limited,
                rollup.hist.to_blob(),
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// When `app_id` last sent a message successfully (`im.v1.messages.create` answered 2xx with
/// code 0) at or after `since`: proof the app holds im:message, whoever made the call (a test
/// card, the Cards screen, the CLI). Reads the raw rows, so it looks back at most as far as the
/// ledger's retention.
pub fn last_successful_send(
    conn: &Connection,
    app_id: &str,
    since: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let at_ms: Option<i64> = conn.query_row(
        "SELECT max(at_ms) FROM quota_calls
         WHERE app_id = ?1 AND at_ms >= ?2 AND endpoint = ?3
           AND http_status BETWEEN 200 AND 299 AND coalesce(code, 0) = 0 AND error_kind IS NULL",
        params![
            app_id,
            since.timestamp_millis(),
            lark_platform::client::Endpoint::MessagesCreate.name()
        ],
        |r| r.get(0),
    )?;
    Ok(at_ms.and_then(DateTime::from_timestamp_millis))
}

/// Deletes raw rows older than `retention` and rollups older than [`ROLLUP_RETENTION`];
/// returns how many raw rows went.
pub fn prune(conn: &Connection, now: DateTime<Utc>, retention: Duration) -> Result<usize> {
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let now_ms = now.timestamp_millis();
    let apps: Vec<String> = conn
        .prepare("SELECT DISTINCT app_id FROM quota_rollup")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut raw = 0;
    // Per app, so each delete is a range of the (app_id, at_ms) index, not a table scan.
    for app_id in apps {
        raw += conn.execute(
            "DELETE FROM quota_calls WHERE app_id = ?1 AND at_ms < ?2",
            params![app_id, now_ms.saturating_sub(ms(retention))],
        )?;
    }
    conn.execute(
        "DELETE FROM quota_rollup WHERE bucket < ?1",
        [bucket_of(now_ms.saturating_sub(ms(ROLLUP_RETENTION)))],
    )?;
    Ok(raw)
}
