//! The event outbox: events are acknowledged to the platform as soon as they are recorded, then
//! delivered from SQLite to the profile's current upstream, retried with exponential backoff
//! (network errors, 5xx, 408 and 429; any other 4xx fails the row at once).
//! Rows survive a crash (they were committed before the acknowledgement), so a restarted relay
//! delivers what an earlier one acknowledged: at least once, and the upstream de-duplicates by
//! event id like any Feishu receiver must.
//!
//! A relay delivers the rows of the profiles it serves only: it holds their locks (`claim`), so
//! no other relay on the data folder sends them too, and it leaves other profiles' rows to the
//! relay that holds those (it used to postpone them when it had no upstream of its own).

use std::sync::Arc;
use std::time::{Duration, Instant};

use lark_platform::crypto;
use lark_platform::envelope;
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::config::{ForwardMode, RelayProfile};
use super::marks::unmark;
use super::model::{RecordEvent, RequestKind};
use super::recording::peek;
use super::scrub;
use super::state::RelayCore;
use super::store::{Attempt, OutboxItem, UpstreamOutcome};
use super::upstream::Outgoing;

/// The longest the worker sleeps without looking at the table.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// How often old records and finished outbox rows are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(30);
/// How often the WAL is copied back into the database file (see `RelayStore::open`).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Runs until `stop` turns true. Deliveries in flight at that moment are abandoned; their rows
/// stay pending and go out on the next start.
pub(crate) async fn run(core: Arc<RelayCore>, mut stop: watch::Receiver<bool>) {
    let mut last_prune: Option<Instant> = None;
    let mut last_checkpoint = Instant::now();
    let mut checkpointing: Option<tokio::task::JoinHandle<()>> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
            prune(&core);
            last_prune = Some(Instant::now());
        }
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY
            && checkpointing.as_ref().is_none_or(|t| t.is_finished())
        {
            let store = core.store.clone();
            checkpointing = Some(tokio::task::spawn_blocking(move || {
                if let Err(e) = store.checkpoint() {
                    tracing::warn!(error = %e, "relay WAL checkpoint failed");
                }
            }));
            last_checkpoint = Instant::now();
        }
        let now_ms = core.config.clock.now_ms();
        let due = match core
            .store
            .due(now_ms, core.config.outbox.concurrency.max(1), &core.served)
        {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "relay outbox could not read its table");
                Vec::new()
            }
        };
        if !due.is_empty() {
            if !deliver_batch(&core, due, &mut stop).await {
                break;
            }
            continue;
        }
        let wait = match core.store.next_due_ms(&core.served) {
            Ok(Some(next)) => Duration::from_millis(u64::try_from(next - now_ms).unwrap_or(0)),
            _ => IDLE_POLL,
        }
        .min(IDLE_POLL);
        tokio::select! {
            () = core.outbox_wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}

fn prune(core: &RelayCore) {
    if let Err(e) = core.prune() {
        tracing::warn!(error = %e, "relay records could not be pruned");
    }
}

/// Delivers a batch concurrently and records the attempts in one transaction. Returns false
/// when stopped midway (attempts finished by then are still recorded).
async fn deliver_batch(
    core: &Arc<RelayCore>,
    due: Vec<OutboxItem>,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    let mut set = JoinSet::new();
    for item in due {
        let core = core.clone();
        set.spawn(async move { deliver(&core, item).await });
    }
    let mut done = Vec::new();
    let finished = loop {
        tokio::select! {
            next = set.join_next() => match next {
                Some(Ok(Some(attempt))) => done.push(attempt),
                Some(_) => {}
                None => break true,
            },
            _ = stop.changed() => {
                set.abort_all();
                break false;
            }
        }
    };
    match core.store.attempted(&done) {
        Ok(changed) => {
            for record in changed {
                core.publish(RecordEvent::Updated { record });
            }
        }
        Err(e) => tracing::error!(error = %e, "relay outbox could not record deliveries"),
    }
    finished
}

/// One delivery; `None` when the row was only postponed.
async fn deliver(core: &RelayCore, item: OutboxItem) -> Option<Attempt> {
    let now_ms = core.config.clock.now_ms();
    let upstream = core
        .profile(&item.profile)
        .and_then(|p| p.upstream.clone().map(|u| (p.clone(), u)));
    let Some((profile, upstream)) = upstream else {
        // The profile has no upstream now: wait without spending an attempt.
        let later = now_ms + core.config.outbox.max_delay.as_millis() as i64;
        if let Err(e) = core.store.postpone(item.id, later) {
            tracing::warn!(error = %e, "relay outbox could not postpone a row");
        }
        return None;
    };
    let body = unmark(&item.body, item.secret_marker.as_deref(), &profile.keys);
    let outgoing = match upstream.mode {
        ForwardMode::Transparent => Outgoing {
            headers: item.headers.clone(),
            body: body.clone(),
        },
        ForwardMode::Resign => resign(&profile, &body, core.config.clock.now().timestamp()),
    };
    let outcome = core
        .forwarder
        .send(&upstream.url, &outgoing, core.config.upstream_timeout)
        .await;
    let outcome = masked(&profile, &body, &outcome);
    let attempts = item.attempts + 1;
    // A permanent refusal (a 4xx but 408 and 429) ends the row at once: it would be refused
    // the same way up to `max_attempts` times.
    let next_ms = (!outcome.succeeded()
        && !outcome.refused_for_good()
        && attempts < core.config.outbox.max_attempts)
        .then(|| now_ms + core.config.outbox.delay_after(attempts).as_millis() as i64);
    if !outcome.succeeded() {
        tracing::warn!(
            event_id = %item.event_id,
            attempts,
            status = ?outcome.status,
            error = outcome.error.as_deref().unwrap_or(""),
            retry = next_ms.is_some(),
            "relay could not deliver an event"
        );
    }
    Some(Attempt {
        item,
        outcome,
        now_ms,
        next_ms,
    })
}

/// The upstream's answer as it is recorded: the profile's secrets and the values masked in the
/// event itself masked (an upstream may echo what it received, decrypted or not).
fn masked(profile: &RelayProfile, body: &[u8], outcome: &UpstreamOutcome) -> UpstreamOutcome {
    let secrets = profile.keys.values();
    let request_values = peek(body, &profile.keys)
        .map(|plaintext| scrub::masked_values(&plaintext, &secrets))
        .unwrap_or_default();
    scrub::outcome(outcome, &secrets, &request_values)
}

/// The stored bytes decrypted (when encrypted) and sealed afresh with the profile's keys.
fn resign(profile: &RelayProfile, body: &[u8], now_secs: i64) -> Outgoing {
    let plaintext = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| {
            let enc = v.get("encrypt")?.as_str()?.to_string();
            crypto::decrypt(profile.keys.encrypt_key()?, &enc).ok()
        })
        .unwrap_or_else(|| body.to_vec());
    let kind = envelope::parse(&plaintext)
        .map(|e| RequestKind::of(&e))
        .unwrap_or(RequestKind::EventV2);
    Outgoing::resigned(kind, &plaintext, &profile.keys, now_secs)
}
