//! The per-process hub of metering: one ledger writer for every app, and one limiter per app
//! shared by every client of that app (the platform's ceilings are per app, so two clients with
//! their own limiters would together exceed them).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use lark_platform::client::Clock;

use super::ledger::{Ledger, LedgerObserver, LedgerOptions};
use super::limiter::{AppLimiter, SystemWallClock, WallClock};
use super::report::quota_stop;
use super::settings;
use super::types::{LimiterStatus, QuotaSettings};
use crate::db::Database;
use crate::Result;

pub struct Meter {
    ledger: Ledger,
    /// Settings and the ledger's quota stop, read when an app's limiter is first needed.
    reader: Mutex<Database>,
    limiters: Mutex<HashMap<String, AppLimiter>>,
    wall: Arc<dyn WallClock>,
}

impl Meter {
    /// Metering on the app's database in `data_dir` (two connections: the ledger writer's and
    /// one for reads).
    pub fn open(data_dir: &Path, options: LedgerOptions) -> Result<Self> {
        Ok(Self::with_databases(
            Database::open(data_dir)?,
            Database::open(data_dir)?,
            options,
            Arc::new(SystemWallClock),
        ))
    }

    /// Metering on two connections to the same database, with an injected wall clock.
    pub fn with_databases(
        writer: Database,
        reader: Database,
        options: LedgerOptions,
        wall: Arc<dyn WallClock>,
    ) -> Self {
        Self {
            ledger: Ledger::start(writer, options),
            reader: Mutex::new(reader),
            limiters: Mutex::new(HashMap::new()),
            wall,
        }
    }

    fn reader(&self) -> MutexGuard<'_, Database> {
        self.reader.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn limiters(&self) -> MutexGuard<'_, HashMap<String, AppLimiter>> {
        self.limiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The limiter of `app_id`, made on first use from its settings and with any quota stop
    /// the ledger shows for this month.
    pub fn limiter(&self, app_id: &str) -> Result<AppLimiter> {
        let mut limiters = self.limiters();
        if let Some(limiter) = limiters.get(app_id) {
            return Ok(limiter.clone());
        }
        let (settings, stop) = {
            let db = self.reader();
            let settings = settings::load(&db, app_id)?;
            let stop = quota_stop(&db, app_id, self.wall.now(), settings.tz())?;
            (settings, stop)
        };
        let limiter = AppLimiter::new(app_id, settings.limits, settings.tz(), self.wall.clone());
        if let Some(stop) = stop {
            limiter.stop(stop.since, stop.until);
        }
        limiters.insert(app_id.to_owned(), limiter.clone());
        Ok(limiter)
    }

    /// The ledger observer for clients of `app_id`.
    pub fn observer(&self, app_id: &str) -> LedgerObserver {
        self.ledger.observer(app_id)
    }

    /// The clock metered clients stamp their calls with: the meter's wall clock, so the
    /// ledger, the limiter's quota stop and the month boundaries agree on the date.
    pub fn client_clock(&self) -> Arc<dyn Clock> {
        Arc::new(ClientClock(self.wall.clone()))
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Waits until every call observed so far is in the database (the screen and tests read
    /// right after calling).
    pub fn flush(&self) {
        self.ledger.flush();
    }

    /// Saves `app_id`'s settings and applies the ceilings and zone to its live limiter.
    pub fn save_settings(
        &self,
        app_id: &str,
        settings: QuotaSettings,
        now: DateTime<Utc>,
    ) -> Result<QuotaSettings> {
        let saved = settings::save(&self.reader(), app_id, settings, now)?;
        if let Some(limiter) = self.limiters().get(app_id) {
            limiter.set_limits(saved.limits);
            limiter.set_time_zone(saved.tz());
        }
        Ok(saved)
    }

    /// The live limiter's state, if this process has one for `app_id`.
    pub fn status(&self, app_id: &str) -> Option<LimiterStatus> {
        self.limiters().get(app_id).map(AppLimiter::status)
    }
}

/// The client's clock: monotonic time from the system, dates from the meter.
struct ClientClock(Arc<dyn WallClock>);

impl Clock for ClientClock {
    fn now(&self) -> std::time::Instant {
        std::time::Instant::now()
    }

    fn utc(&self) -> DateTime<Utc> {
        self.0.now()
    }
}
