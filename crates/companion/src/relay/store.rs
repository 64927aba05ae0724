//! The relay's SQLite record and event outbox (tables from migrations/0003_relay.sql).
//!
//! Two connections to the one WAL database: the listener writes on one while the inspector reads
//! on the other, so a long list query never delays an answer to the platform. Every request is
//! written, committed and synced to disk (`synchronous=FULL`) before it is answered, so an
//! acknowledged request survives a crash of the app, of the OS or of the power; requests
//! arriving together share one transaction (`commit.rs`) so that the sync is paid per group.
//!
//! Retention ([`RelayStore::prune`]) is by count and by bytes, and rejected records are pruned
//! first beyond their share: a record the relay refused is worth less than one it accepted, and
//! anyone can send the former.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde_json::Value;

use super::commit::Committer;
use super::config::{ForwardMode, Retention};
use super::error::RelayError;
use super::model::{
    AnsweredBy, HeaderPair, OutboxState, RecordDetail, RecordFilter, RecordSummary, RelayCheck,
    RequestKind, RequestSource, Verdict,
};
use crate::db::Database;

type Result<T> = std::result::Result<T, RelayError>;

/// Bodies longer than this are cut in the record (real callbacks are a few KB).
pub const STORED_BODY_LIMIT: usize = 64 * 1024;

/// A request about to be recorded.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub received_ms: i64,
    pub profile: String,
    pub source: RequestSource,
    pub kind: RequestKind,
    pub event_type: Option<String>,
    pub event_id: Option<String>,
    pub verdict: Verdict,
    pub reject_code: Option<String>,
    pub reject_reason: Option<String>,
    pub reject_fix: Option<String>,
    /// The values of the rejection's sentence (see [`RecordDetail::reject_params`]).
    pub reject_params: BTreeMap<String, String>,
    pub checks: Vec<RelayCheck>,
    pub path: String,
    pub headers: Vec<HeaderPair>,
    /// Already masked.
    pub body: String,
    pub body_bytes: usize,
    /// Already masked.
    pub plaintext: Option<Value>,
    pub http_status: u16,
    pub answer: Option<String>,
    pub answered_by: AnsweredBy,
    pub answer_us: u64,
    pub deadline_missed: bool,
    pub upstream_url: Option<String>,
    pub forward_mode: Option<ForwardMode>,
    pub upstream: Option<UpstreamOutcome>,
    pub outbox: Option<OutboxState>,
}

/// What the upstream did with a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpstreamOutcome {
    pub status: Option<u16>,
    pub answer: Option<String>,
    pub latency_ms: u32,
    pub error: Option<String>,
}

/// A failed forward as a problem (the stored error is already masked).
pub fn upstream_problem(error: String) -> crate::problem::Problem {
    crate::problem::Problem::new(crate::problem::ProblemCode::UpstreamFailed).param("detail", error)
}

impl UpstreamOutcome {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// The upstream refused the request for good: a 4xx other than 408 (Request Timeout) and
    /// 429 (Too Many Requests). Sending the same bytes again cannot change that, so the outbox
    /// gives up at once; network errors, 5xx, 408 and 429 are retried.
    pub fn refused_for_good(&self) -> bool {
        self.status
            .is_some_and(|s| (400..500).contains(&s) && s != 408 && s != 429)
    }
}

/// An event to deliver.
#[derive(Debug, Clone)]
pub struct NewOutbox {
    pub upstream_url: String,
    pub mode: ForwardMode,
    pub headers: Vec<(String, String)>,
    /// Original bytes with the Verification Token replaced by `secret_marker`.
    pub body: Vec<u8>,
    pub secret_marker: Option<String>,
}

/// One delivery attempt of an outbox row, to record.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub item: OutboxItem,
    pub outcome: UpstreamOutcome,
    pub now_ms: i64,
    /// When to try again; `None` after a success or the last allowed attempt.
    pub next_ms: Option<i64>,
}

/// A due outbox row.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: i64,
    pub request_id: Option<i64>,
    pub profile: String,
    pub event_id: String,
    pub upstream_url: String,
    pub mode: ForwardMode,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub secret_marker: Option<String>,
    pub attempts: u32,
}

/// The profiles (slugs) whose outbox rows a relay delivers: the ones it serves, and so holds
/// (`claim`). Another relay's rows are not its business: it neither sends nor postpones them.
#[derive(Debug, Clone)]
pub struct Profiles(String);

impl Profiles {
    pub fn new<'a>(slugs: impl IntoIterator<Item = &'a str>) -> Self {
        let slugs: Vec<&str> = slugs.into_iter().collect();
        Self(serde_json::to_string(&slugs).unwrap_or_else(|_| "[]".into()))
    }
}

/// The relay's tables, over their own connections.
#[derive(Clone)]
pub struct RelayStore {
    write: Arc<Mutex<Database>>,
    read: Arc<Mutex<Database>>,
    /// The data folder, where a relay claims its profiles (`claim`); `None` in memory.
    dir: Option<PathBuf>,
    /// Writes the request path's records in groups (`commit`).
    committer: Committer,
}

pub(super) fn lock(db: &Mutex<Database>) -> MutexGuard<'_, Database> {
    db.lock().unwrap_or_else(PoisonError::into_inner)
}

const SUMMARY_COLUMNS: &str = "id, received_ms, profile, source, kind, event_type, event_id, \
     verdict, reject_code, http_status, answered_by, answer_us, deadline_missed, \
     upstream_status, upstream_latency_ms, outbox_state, attempts";

const DETAIL_COLUMNS: &str = "reject_reason, reject_fix, checks, duplicate_of, path, headers, \
     body, body_bytes, plaintext, answer, upstream_url, forward_mode, upstream_answer, \
     upstream_error, reject_params";

impl RelayStore {
    /// Opens the app's database in `data_dir` (creating and migrating it if needed).
    ///
    /// The writer does not checkpoint the WAL itself: a checkpoint syncs the database file, and
    /// doing that inside a commit would stall the request that happened to cross the threshold
    /// (p99 spikes of tens of ms). [`RelayStore::checkpoint`] does it off the request path.
    ///
    /// The writer syncs the WAL at every commit (`synchronous=FULL`): an answered request
    /// survives a power cut, not only a crash of the app. Group commit (`commit`) keeps that
    /// affordable.
    pub fn open(data_dir: &Path) -> crate::Result<Self> {
        let write = Database::open(data_dir)?;
        write
            .conn()
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(crate::Error::from)?;
        write
            .conn()
            .pragma_update(None, "synchronous", "FULL")
            .map_err(crate::Error::from)?;
        let write = Arc::new(Mutex::new(write));
        Ok(Self {
            committer: start_committer(&write)?,
            write,
            read: Arc::new(Mutex::new(Database::open(data_dir)?)),
            dir: Some(data_dir.to_path_buf()),
        })
    }

    /// How the writer syncs: `2` (FULL) for a file-backed store.
    pub fn synchronous(&self) -> Result<i64> {
        let db = lock(&self.write);
        let level = db
            .conn()
            .query_row("PRAGMA synchronous", [], |row| row.get(0))?;
        Ok(level)
    }

    /// Transactions the request path has committed (each one sync of the WAL); with requests
    /// arriving together, fewer than the requests.
    pub fn groups_committed(&self) -> u64 {
        self.committer.groups()
    }

    /// The data folder the store is in; `None` for a store in memory.
    pub fn data_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Copies the WAL back into the database file without waiting for readers or writers
    /// (PASSIVE), on the reader's connection so that writes go on meanwhile. Blocking: run it
    /// off the async threads.
    pub fn checkpoint(&self) -> Result<()> {
        let db = lock(&self.read);
        db.conn()
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// A private in-memory store (one connection), for tests.
    pub fn in_memory() -> crate::Result<Self> {
        let db = Arc::new(Mutex::new(Database::open_in_memory()?));
        Ok(Self {
            committer: start_committer(&db)?,
            write: db.clone(),
            read: db,
            dir: None,
        })
    }

    /// Records a request, with its outbox row when it is an event to deliver, in a transaction
    /// of its own. An accepted event whose id was accepted before becomes a
    /// [`Verdict::Duplicate`] and gets no outbox row. Blocking; the request path uses
    /// [`RelayStore::commit`].
    pub fn insert(&self, record: NewRecord, outbox: Option<NewOutbox>) -> Result<RecordSummary> {
        let mut db = lock(&self.write);
        let tx = db
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let summary = insert_in(&tx, record, outbox)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Records a request like [`RelayStore::insert`], together with the requests arriving at
    /// the same time (one transaction, one sync; see `commit.rs`), and returns once it is on
    /// disk. Answer the request only after this returns.
    pub async fn commit(
        &self,
        record: NewRecord,
        outbox: Option<NewOutbox>,
    ) -> Result<RecordSummary> {
        self.committer.commit(record, outbox).await
    }

    /// Stores the upstream's late answer to a request (card callbacks past the budget,
    /// challenges forwarded in the background).
    pub fn set_upstream(&self, id: i64, outcome: &UpstreamOutcome) -> Result<RecordSummary> {
        let db = lock(&self.write);
        db.conn().execute(
            "UPDATE relay_requests SET upstream_status = ?2, upstream_answer = ?3, \
             upstream_latency_ms = ?4, upstream_error = ?5, attempts = attempts + 1 \
             WHERE id = ?1",
            params![
                id,
                outcome.status,
                outcome.answer.as_deref().map(cut),
                outcome.latency_ms,
                outcome.error
            ],
        )?;
        let conn = db.conn();
        summary_by_id(&conn, id)
    }

    /// Outbox rows due at `now_ms`, oldest first.
    /// Read on the reader's connection, so the worker never waits on the request path.
    pub fn due(&self, now_ms: i64, limit: usize, profiles: &Profiles) -> Result<Vec<OutboxItem>> {
        let db = lock(&self.read);
        let conn = db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, request_id, profile, event_id, upstream_url, forward_mode, headers, \
             body, secret_marker, attempts FROM relay_outbox \
             WHERE state = 'pending' AND next_attempt_ms <= ?1 \
             AND profile IN (SELECT value FROM json_each(?3)) \
             ORDER BY next_attempt_ms, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now_ms, limit as i64, profiles.0], |row| {
            let headers: String = row.get(6)?;
            let mode: String = row.get(5)?;
            Ok(OutboxItem {
                id: row.get(0)?,
                request_id: row.get(1)?,
                profile: row.get(2)?,
                event_id: row.get(3)?,
                upstream_url: row.get(4)?,
                mode: ForwardMode::parse(&mode).unwrap_or_default(),
                headers: serde_json::from_str(&headers).unwrap_or_default(),
                body: row.get(7)?,
                secret_marker: row.get(8)?,
                attempts: row.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves a pending row's next attempt without counting one (its profile has no upstream now).
    pub fn postpone(&self, outbox_id: i64, next_ms: i64) -> Result<()> {
        let db = lock(&self.write);
        db.conn().execute(
            "UPDATE relay_outbox SET next_attempt_ms = ?2 WHERE id = ?1",
            params![outbox_id, next_ms],
        )?;
        Ok(())
    }

    /// When the next pending row of `profiles` is due, if any.
    pub fn next_due_ms(&self, profiles: &Profiles) -> Result<Option<i64>> {
        let db = lock(&self.read);
        let value = db.conn().query_row(
            "SELECT MIN(next_attempt_ms) FROM relay_outbox WHERE state = 'pending' \
             AND profile IN (SELECT value FROM json_each(?1))",
            [&profiles.0],
            |r| r.get(0),
        )?;
        Ok(value)
    }

    /// Pending rows of `profiles`.
    /// How many events of `profiles` wait in the outbox, and since when the oldest (ms).
    pub fn outbox_depth(&self, profiles: &Profiles) -> Result<(u32, Option<i64>)> {
        let db = lock(&self.read);
        let value = db.conn().query_row(
            "SELECT COUNT(*), MIN(created_ms) FROM relay_outbox WHERE state = 'pending' \
             AND profile IN (SELECT value FROM json_each(?1))",
            [&profiles.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(value)
    }

    pub fn pending_count(&self, profiles: &Profiles) -> Result<u32> {
        let db = lock(&self.read);
        let value = db.conn().query_row(
            "SELECT COUNT(*) FROM relay_outbox WHERE state = 'pending' \
             AND profile IN (SELECT value FROM json_each(?1))",
            [&profiles.0],
            |r| r.get(0),
        )?;
        Ok(value)
    }

    /// Records delivery attempts, all in one transaction (a batch of the outbox worker): each
    /// delivered, retried at its `next_ms`, or given up. Returns the changed records.
    pub fn attempted(&self, attempts: &[Attempt]) -> Result<Vec<RecordSummary>> {
        let mut db = lock(&self.write);
        let tx = db
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changed = Vec::new();
        for a in attempts {
            let outcome = &a.outcome;
            let state = if outcome.succeeded() {
                OutboxState::Delivered
            } else if a.next_ms.is_some() {
                OutboxState::Pending
            } else {
                OutboxState::Failed
            };
            let count = a.item.attempts + 1;
            let error = outcome.error.clone().or_else(|| {
                outcome
                    .status
                    .filter(|_| !outcome.succeeded())
                    .map(|s| format!("HTTP {s}"))
            });
            tx.prepare_cached(
                "UPDATE relay_outbox SET state = ?2, attempts = ?3, next_attempt_ms = ?4, \
                 last_error = ?5, done_ms = ?6 WHERE id = ?1",
            )?
            .execute(params![
                a.item.id,
                state.as_str(),
                count,
                a.next_ms.unwrap_or(a.now_ms),
                error,
                (state != OutboxState::Pending).then_some(a.now_ms),
            ])?;
            let Some(request_id) = a.item.request_id else {
                continue;
            };
            tx.prepare_cached(
                "UPDATE relay_requests SET upstream_status = ?2, upstream_answer = ?3, \
                 upstream_latency_ms = ?4, upstream_error = ?5, outbox_state = ?6, \
                 attempts = ?7 WHERE id = ?1",
            )?
            .execute(params![
                request_id,
                outcome.status,
                outcome.answer.as_deref().map(cut),
                outcome.latency_ms,
                outcome.error,
                state.as_str(),
                count,
            ])?;
            if let Some(summary) = summary_by_id(&tx, request_id).optional_found()? {
                changed.push(summary);
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Keeps the newest records within `retention` (count and bytes), rejected records first
    /// within their share of it ([`Retention::rejected_share`]), and outbox rows finished before
    /// `outbox_before_ms` (pending rows are never pruned). Returns how many records went.
    pub fn prune(&self, retention: Retention, outbox_before_ms: i64) -> Result<usize> {
        let db = lock(&self.write);
        let conn = db.conn();
        let removed = prune_within(&conn, "verdict = 'rejected'", retention.rejected_share())?
            + prune_within(&conn, "1 = 1", retention)?;
        conn.execute(
            "DELETE FROM relay_outbox WHERE state != 'pending' AND done_ms < ?1",
            [outbox_before_ms],
        )?;
        Ok(removed)
    }

    /// The inspector's list, newest first.
    pub fn list(&self, filter: &RecordFilter) -> Result<Vec<RecordSummary>> {
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM relay_requests WHERE 1 = 1");
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(profile) = &filter.profile {
            sql.push_str(" AND profile = ?");
            args.push(SqlValue::Text(profile.clone()));
        }
        if let Some(kind) = filter.kind {
            sql.push_str(" AND kind = ?");
            args.push(SqlValue::Text(kind.as_str().into()));
        }
        if let Some(verdict) = filter.verdict {
            sql.push_str(" AND verdict = ?");
            args.push(SqlValue::Text(verdict.as_str().into()));
        }
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            sql.push_str(
                " AND (IFNULL(event_type, '') LIKE ?1x ESCAPE '\\' \
                 OR IFNULL(event_id, '') LIKE ?1x ESCAPE '\\' \
                 OR IFNULL(reject_code, '') LIKE ?1x ESCAPE '\\' \
                 OR IFNULL(reject_reason, '') LIKE ?1x ESCAPE '\\' \
                 OR IFNULL(plaintext, '') LIKE ?1x ESCAPE '\\')",
            );
            let pattern = format!("%{}%", like_escape(text));
            // One placeholder per use keeps the numbering positional.
            sql = sql.replace("?1x", "?");
            for _ in 0..5 {
                args.push(SqlValue::Text(pattern.clone()));
            }
        }
        if let Some(before) = filter.before_id {
            sql.push_str(" AND id < ?");
            args.push(SqlValue::Integer(before));
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        args.push(SqlValue::Integer(i64::from(
            filter.limit.unwrap_or(100).clamp(1, 1000),
        )));
        let db = lock(&self.read);
        let conn = db.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), summary_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything recorded about one request.
    pub fn detail(&self, id: i64) -> Result<RecordDetail> {
        let db = lock(&self.read);
        let sql =
            format!("SELECT {SUMMARY_COLUMNS}, {DETAIL_COLUMNS} FROM relay_requests WHERE id = ?1");
        let conn = db.conn();
        let detail = conn
            .query_row(&sql, [id], |row| {
                let summary = summary_row(row)?;
                let n = 17;
                let checks: String = row.get(n + 2)?;
                let headers: String = row.get(n + 5)?;
                let plaintext: Option<String> = row.get(n + 8)?;
                let mode: Option<String> = row.get(n + 11)?;
                Ok(RecordDetail {
                    summary,
                    reject_reason: row.get(n)?,
                    reject_fix: row.get(n + 1)?,
                    checks: RelayCheck::parse_stored(&checks),
                    duplicate_of: row.get(n + 3)?,
                    path: row.get(n + 4)?,
                    headers: serde_json::from_str::<Vec<(String, String)>>(&headers)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(name, value)| HeaderPair { name, value })
                        .collect(),
                    body: row.get(n + 6)?,
                    // Clamped: records from before sizes were the bytes received may hold a
                    // declared Content-Length (up to 2^64).
                    body_bytes: u32::try_from(row.get::<_, i64>(n + 7)?.max(0)).unwrap_or(u32::MAX),
                    plaintext: plaintext.and_then(|p| serde_json::from_str(&p).ok()),
                    answer: row.get(n + 9)?,
                    upstream_url: row.get(n + 10)?,
                    forward_mode: mode.as_deref().and_then(ForwardMode::parse),
                    upstream_answer: row.get(n + 12)?,
                    upstream_error: row.get(n + 13)?,
                    reject_params: row
                        .get::<_, Option<String>>(n + 14)?
                        .and_then(|json| serde_json::from_str(&json).ok())
                        .unwrap_or_default(),
                })
            })
            .optional()?
            .ok_or(RelayError::RecordNotFound(id));
        detail
    }

    /// About what the records take on disk ([`RECORD_SIZE`]), as retention counts it.
    pub fn stored_bytes(&self) -> Result<u64> {
        let db = lock(&self.read);
        let total: i64 = db.conn().query_row(
            &format!("SELECT IFNULL(SUM({RECORD_SIZE}), 0) FROM relay_requests"),
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(total).unwrap_or(0))
    }

    pub fn count(&self) -> Result<u64> {
        let db = lock(&self.read);
        let count = db
            .conn()
            .query_row("SELECT COUNT(*) FROM relay_requests", [], |r| r.get(0))?;
        Ok(count)
    }
}

/// A record's size on disk as retention counts it: its bodies, decrypted JSON, headers and
/// answers, plus 256 bytes for the rest. `octet_length` reads the sizes from the row's header,
/// not the values, so measuring the whole table stays cheap.
const RECORD_SIZE: &str = "(octet_length(body) + IFNULL(octet_length(plaintext), 0) \
     + octet_length(headers) + IFNULL(octet_length(answer), 0) \
     + IFNULL(octet_length(upstream_answer), 0) + 256)";

/// Deletes the oldest records matching `filter` (a fixed SQL condition) beyond `retention`:
/// beyond its count, and beyond its bytes counted from the newest (which is always kept).
/// Writes one request (and its outbox row) on `tx`, uncommitted: see [`RelayStore::insert`].
pub(super) fn insert_in(
    tx: &Connection,
    record: NewRecord,
    outbox: Option<NewOutbox>,
) -> Result<RecordSummary> {
    let mut record = record;
    let mut duplicate_of = None;
    let mut outbox = outbox;
    if record.verdict == Verdict::Accepted
        && record.kind.is_event()
        && record.source == RequestSource::Callback
    {
        if let Some(event_id) = record.event_id.as_deref() {
            duplicate_of = earlier_event(tx, &record.profile, event_id)?;
            if duplicate_of.is_some() {
                record.verdict = Verdict::Duplicate;
                record.outbox = None;
                outbox = None;
            }
        }
    }
    if outbox.is_some() {
        record.outbox = Some(OutboxState::Pending);
    }
    let up = record.upstream.clone().unwrap_or_default();
    tx.prepare_cached(
        "INSERT INTO relay_requests (received_ms, profile, source, kind, event_type, \
         event_id, verdict, reject_code, reject_reason, reject_fix, checks, duplicate_of, \
         path, headers, body, body_bytes, plaintext, http_status, answer, answered_by, \
         answer_us, deadline_ms, deadline_missed, upstream_url, forward_mode, \
         upstream_status, upstream_answer, upstream_latency_ms, upstream_error, \
         outbox_state, attempts, reject_params) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, \
         ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, \
         ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
    )?
    .execute(params![
        record.received_ms,
        record.profile,
        record.source.as_str(),
        record.kind.as_str(),
        record.event_type,
        record.event_id,
        record.verdict.as_str(),
        record.reject_code,
        record.reject_reason,
        record.reject_fix,
        serde_json::to_string(&record.checks).unwrap_or_else(|_| "[]".into()),
        duplicate_of,
        record.path,
        headers_json(&record.headers),
        cut(&record.body),
        record.body_bytes as i64,
        record.plaintext.as_ref().map(Value::to_string),
        record.http_status,
        record.answer.as_deref().map(cut),
        record.answered_by.as_str(),
        record.answer_us as i64,
        record.kind.deadline_ms(),
        record.deadline_missed,
        record.upstream_url,
        record.forward_mode.map(ForwardMode::as_str),
        up.status,
        up.answer.as_deref().map(cut),
        record.upstream.as_ref().map(|u| u.latency_ms),
        up.error,
        record.outbox.map(OutboxState::as_str),
        i64::from(record.upstream.is_some()),
        (!record.reject_params.is_empty())
            .then(|| serde_json::to_string(&record.reject_params).unwrap_or_default()),
    ])?;
    let id = tx.last_insert_rowid();
    if let (Some(o), Some(event_id)) = (outbox, record.event_id.as_deref()) {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO relay_outbox (request_id, profile, event_id, \
             upstream_url, forward_mode, headers, body, secret_marker, state, attempts, \
             next_attempt_ms, created_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?9, ?9)",
        )?
        .execute(params![
            id,
            record.profile,
            event_id,
            o.upstream_url,
            o.mode.as_str(),
            serde_json::to_string(&o.headers).unwrap_or_else(|_| "[]".into()),
            o.body,
            o.secret_marker,
            record.received_ms,
        ])?;
    }
    summary_by_id(tx, id)
}

fn prune_within(conn: &Connection, filter: &str, retention: Retention) -> Result<usize> {
    let oldest_kept: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT id FROM relay_requests WHERE {filter} ORDER BY id DESC LIMIT 1 OFFSET ?1"
            ),
            params![i64::from(retention.records.max(1)) - 1],
            |r| r.get(0),
        )
        .optional()?;
    let mut removed = match oldest_kept {
        Some(id) => conn.execute(
            &format!("DELETE FROM relay_requests WHERE {filter} AND id < ?1"),
            [id],
        )?,
        None => 0,
    };
    let newest_over: Option<i64> = conn.query_row(
        &format!(
            "SELECT MAX(id) FROM (SELECT id, row_number() OVER w AS n, \
             SUM({RECORD_SIZE}) OVER w AS total FROM relay_requests WHERE {filter} \
             WINDOW w AS (ORDER BY id DESC)) WHERE total > ?1 AND n > 1"
        ),
        [i64::try_from(retention.bytes).unwrap_or(i64::MAX)],
        |r| r.get(0),
    )?;
    if let Some(id) = newest_over {
        removed += conn.execute(
            &format!("DELETE FROM relay_requests WHERE {filter} AND id <= ?1"),
            [id],
        )?;
    }
    Ok(removed)
}

/// The first accepted record of this event, or its outbox row's record (which outlives
/// pruning of the record itself).
fn earlier_event(
    conn: &Connection,
    profile: &str,
    event_id: &str,
) -> rusqlite::Result<Option<i64>> {
    let record: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM relay_requests WHERE profile = ?1 AND event_id = ?2 \
             AND verdict = 'accepted' AND source = 'callback' ORDER BY id LIMIT 1",
        )?
        .query_row(params![profile, event_id], |r| r.get(0))
        .optional()?;
    if record.is_some() {
        return Ok(record);
    }
    let outbox: Option<Option<i64>> = conn
        .prepare_cached("SELECT request_id FROM relay_outbox WHERE profile = ?1 AND event_id = ?2")?
        .query_row(params![profile, event_id], |r| r.get(0))
        .optional()?;
    // A pruned first record still counts: 0 stands for "recorded once, no longer kept".
    Ok(outbox.map(|id| id.unwrap_or(0)))
}

fn summary_by_id(conn: &Connection, id: i64) -> Result<RecordSummary> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM relay_requests WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], summary_row)
        .optional()?
        .ok_or(RelayError::RecordNotFound(id))
}

trait OptionalFound<T> {
    fn optional_found(self) -> Result<Option<T>>;
}

impl<T> OptionalFound<T> for Result<T> {
    /// A record pruned meanwhile is not an error for the outbox.
    fn optional_found(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(RelayError::RecordNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn summary_row(row: &Row<'_>) -> rusqlite::Result<RecordSummary> {
    let received_ms: i64 = row.get(1)?;
    let source: String = row.get(3)?;
    let kind: String = row.get(4)?;
    let verdict: String = row.get(7)?;
    let answered_by: String = row.get(10)?;
    let answer_us: i64 = row.get(11)?;
    let outbox: Option<String> = row.get(15)?;
    let kind = RequestKind::parse(&kind);
    Ok(RecordSummary {
        id: row.get(0)?,
        received_at: rfc3339_ms(received_ms),
        profile: row.get(2)?,
        source: if source == "replay" {
            RequestSource::Replay
        } else {
            RequestSource::Callback
        },
        kind,
        event_type: row.get(5)?,
        event_id: row.get(6)?,
        verdict: Verdict::parse(&verdict),
        reject_code: row.get(8)?,
        http_status: row.get(9)?,
        answered_by: AnsweredBy::parse(&answered_by),
        answer_ms: answer_us as f64 / 1000.0,
        deadline_ms: kind.deadline_ms(),
        deadline_missed: row.get(12)?,
        upstream_status: row.get(13)?,
        upstream_latency_ms: row.get(14)?,
        outbox: outbox.as_deref().and_then(OutboxState::parse),
        attempts: row.get(16)?,
    })
}

/// Milliseconds since the epoch as RFC 3339 UTC with milliseconds.
pub fn rfc3339_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn headers_json(headers: &[HeaderPair]) -> String {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
}

/// At most [`STORED_BODY_LIMIT`] bytes, cut on a character boundary.
fn cut(text: &str) -> &str {
    if text.len() <= STORED_BODY_LIMIT {
        return text;
    }
    let mut end = STORED_BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn start_committer(write: &Arc<Mutex<Database>>) -> crate::Result<Committer> {
    Committer::start(write).map_err(|e| crate::Error::Internal {
        detail: format!("could not start the relay's writer thread: {e}"),
    })
}
