//! The client-side limiter shared by every Open API client of one app: calls wait for the
//! ceilings instead of failing, follow the platform's `x-ogw-ratelimit-reset` after a
//! 99991400, and after a 99991403 counted calls are refused at once (a typed
//! [`ApiError::QuotaExhausted`]) until the 1st of next month in the tenant's time zone.
//!
//! The arithmetic is in [`core`] and takes time as an argument. Here, waiting uses tokio's
//! clock (tests pause and advance it) and dates use an injected [`WallClock`].

mod core;

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use lark_platform::client::error::codes;
use lark_platform::client::{ApiError, CallRecord, GateCall, GateFuture, GatePass, RateGate};
use tokio::sync::Notify;
use tokio::time::Instant;

use self::core::{Core, Ticket, Verdict};
use super::month::quota_resets_at;
use super::types::{LimiterStatus, RateLimits};

/// Where the limiter reads the date (for month boundaries). Injected so tests can cross one.
pub trait WallClock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemWallClock;

impl WallClock for SystemWallClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A waiter that hears of no change re-checks this often anyway (a safety net, not a poll).
const RECHECK: Duration = Duration::from_secs(1);

struct Shared {
    app_id: String,
    core: Mutex<Core>,
    /// Woken whenever a call ends, is admitted, or a stop or setting changes.
    changed: Notify,
    tz: Mutex<Tz>,
    wall: Arc<dyn WallClock>,
    waiting: AtomicU32,
    refused: AtomicU64,
}

impl Shared {
    fn core(&self) -> MutexGuard<'_, Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn tz(&self) -> Tz {
        *self.tz.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn end(&self, ticket: Ticket, outcome: Option<&CallRecord>) {
        let exhausted_at = {
            let mut core = self.core();
            core.finish(Instant::now(), ticket, outcome)
        };
        if let Some(at) = exhausted_at {
            let until = quota_resets_at(at, self.tz());
            tracing::warn!(app_id = %self.app_id, %until, "monthly quota exhausted; counted calls stop until it resets");
            self.core().stop(at, until);
        }
        self.changed.notify_waiters();
    }
}

/// The limiter of one app. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct AppLimiter {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for AppLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppLimiter")
            .field("app_id", &self.shared.app_id)
            .finish_non_exhaustive()
    }
}

impl AppLimiter {
    pub fn new(app_id: &str, limits: RateLimits, tz: Tz, wall: Arc<dyn WallClock>) -> Self {
        Self {
            shared: Arc::new(Shared {
                app_id: app_id.to_owned(),
                core: Mutex::new(Core::new(limits)),
                changed: Notify::new(),
                tz: Mutex::new(tz),
                wall,
                waiting: AtomicU32::new(0),
                refused: AtomicU64::new(0),
            }),
        }
    }

    pub fn app_id(&self) -> &str {
        &self.shared.app_id
    }

    pub fn set_limits(&self, limits: RateLimits) {
        self.shared.core().set_limits(limits);
        self.shared.changed.notify_waiters();
    }

    pub fn set_time_zone(&self, tz: Tz) {
        *self
            .shared
            .tz
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = tz;
    }

    /// Stops counted calls from `since` until `until` (restoring a stop found in the ledger).
    pub fn stop(&self, since: DateTime<Utc>, until: DateTime<Utc>) {
        self.shared.core().stop(since, until);
    }

    /// Lifts a quota stop by hand: the tenant upgraded its edition, or the admin knows better.
    pub fn resume(&self) {
        self.shared.core().resume();
        self.shared.changed.notify_waiters();
    }

    /// Since when and until when counted calls are refused, if they are.
    pub fn stopped(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let now = self.shared.wall.now();
        self.shared.core().stopped_until(now)
    }

    pub fn status(&self) -> LimiterStatus {
        let stopped = self.stopped();
        let mut core = self.shared.core();
        LimiterStatus {
            app_id: self.shared.app_id.clone(),
            stopped_until: stopped.map(|(_, until)| until),
            waiting: self.shared.waiting.load(Ordering::Relaxed),
            in_flight: core.in_flight(),
            refused: self.shared.refused.load(Ordering::Relaxed),
            paused: core.paused(Instant::now()),
        }
    }

    /// Waits until `call` fits under every ceiling, then admits it. Fails at once with
    /// [`ApiError::QuotaExhausted`] for a counted call while the quota is stopped.
    pub async fn acquire(&self, call: GateCall<'_>) -> Result<LimiterPass, ApiError> {
        let shared = &self.shared;
        let seq = shared.core().enqueue(&call);
        shared.waiting.fetch_add(1, Ordering::Relaxed);
        let mut place = Place {
            shared,
            call,
            seq,
            admitted: false,
        };
        loop {
            let changed = shared.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let verdict = {
                let mut core = shared.core();
                core.try_admit(Instant::now(), shared.wall.now(), &call, place.seq)
            };
            let until = match verdict {
                Verdict::Admit(ticket) => {
                    place.admitted = true;
                    // The next call in this target's queue may go now.
                    shared.changed.notify_waiters();
                    return Ok(LimiterPass {
                        shared: shared.clone(),
                        ticket: Some(ticket),
                    });
                }
                Verdict::QuotaStopped => {
                    place.admitted = true;
                    shared.refused.fetch_add(1, Ordering::Relaxed);
                    return Err(ApiError::QuotaExhausted {
                        code: codes::QUOTA_EXHAUSTED,
                    });
                }
                Verdict::Wait(until) => until.unwrap_or_else(|| Instant::now() + RECHECK),
            };
            tokio::select! {
                () = tokio::time::sleep_until(until) => {}
                () = &mut changed => {}
            }
        }
    }
}

/// A call's place in its target's queue while it waits; leaving early gives the place up.
struct Place<'a, 'c> {
    shared: &'a Shared,
    call: GateCall<'c>,
    seq: u64,
    admitted: bool,
}

impl Drop for Place<'_, '_> {
    fn drop(&mut self) {
        self.shared.waiting.fetch_sub(1, Ordering::Relaxed);
        if !self.admitted {
            self.shared.core().dequeue(&self.call, self.seq);
            self.shared.changed.notify_waiters();
        }
    }
}

/// An admitted call. Finish it with the call's record; dropping it unfinished counts the call
/// as ended now.
pub struct LimiterPass {
    shared: Arc<Shared>,
    ticket: Option<Ticket>,
}

impl LimiterPass {
    fn end(&mut self, outcome: Option<&CallRecord>) {
        if let Some(ticket) = self.ticket.take() {
            self.shared.end(ticket, outcome);
        }
    }
}

impl GatePass for LimiterPass {
    fn finish(mut self: Box<Self>, call: &CallRecord) {
        self.end(Some(call));
    }
}

impl Drop for LimiterPass {
    fn drop(&mut self) {
        self.end(None);
    }
}

impl RateGate for AppLimiter {
    fn admit<'a>(&'a self, call: GateCall<'a>) -> GateFuture<'a> {
        Box::pin(async move {
            self.acquire(call)
                .await
                .map(|pass| Box::new(pass) as Box<dyn GatePass>)
        })
    }
}
