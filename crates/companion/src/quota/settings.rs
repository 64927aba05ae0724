//! Per-app quota settings: the tenant's cap (it has changed over time, and paid editions have
//! none), its time zone, the notification thresholds, the ceilings and the console baseline.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{params, OptionalExtension};

use super::month::{parse_time_zone, DEFAULT_TIME_ZONE};
use super::types::{Baseline, QuotaSettings, RateLimits};
use crate::db::Database;
use crate::problem::ProblemCode as C;
use crate::{Error, Result};

/// The Basic (free) edition's monthly cap.
pub const DEFAULT_CAP: u64 = 10_000;
pub const DEFAULT_THRESHOLDS: [u8; 3] = [80, 90, 100];

impl Default for QuotaSettings {
    fn default() -> Self {
        Self {
            cap: Some(DEFAULT_CAP),
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            thresholds: DEFAULT_THRESHOLDS.to_vec(),
            limits: RateLimits::default(),
            baseline: None,
        }
    }
}

impl QuotaSettings {
    /// The parsed zone (validated on save; a bad stored value falls back to the default).
    pub fn tz(&self) -> Tz {
        parse_time_zone(&self.time_zone).unwrap_or(chrono_tz::Asia::Shanghai)
    }

    /// Checks and normalises settings typed by a person.
    pub fn validated(mut self) -> Result<Self> {
        self.time_zone = parse_time_zone(&self.time_zone)?.name().to_owned();
        if self.thresholds.iter().any(|t| *t == 0 || *t > 100) {
            return Err(Error::invalid("thresholds", C::ThresholdRange));
        }
        self.thresholds.sort_unstable();
        self.thresholds.dedup();
        Ok(self)
    }
}

/// The settings of `app_id`, or the defaults.
pub fn load(db: &Database, app_id: &str) -> Result<QuotaSettings> {
    let row = db
        .conn()
        .query_row(
            "SELECT cap, time_zone, thresholds, limits, baseline_calls, baseline_at
             FROM quota_settings WHERE app_id = ?1",
            [app_id],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((cap, time_zone, thresholds, limits, calls, at)) = row else {
        return Ok(QuotaSettings::default());
    };
    let defaults = QuotaSettings::default();
    let baseline = match (calls, at.and_then(|a| a.parse::<DateTime<Utc>>().ok())) {
        (Some(calls), Some(at)) => Some(Baseline {
            calls: u64::try_from(calls).unwrap_or(0),
            at,
        }),
        _ => None,
    };
    // A value this build cannot read falls back to the default rather than failing the screen.
    Ok(QuotaSettings {
        cap: cap.map(|c| u64::try_from(c).unwrap_or(0)),
        time_zone,
        thresholds: serde_json::from_str(&thresholds).unwrap_or(defaults.thresholds),
        limits: serde_json::from_str(&limits).unwrap_or(defaults.limits),
        baseline,
    })
}

/// Saves the settings of `app_id` after checking them; returns what was stored.
pub fn save(
    db: &Database,
    app_id: &str,
    settings: QuotaSettings,
    now: DateTime<Utc>,
) -> Result<QuotaSettings> {
    let settings = settings.validated()?;
    let to_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    db.conn().execute(
        "INSERT INTO quota_settings
             (app_id, cap, time_zone, thresholds, limits, baseline_calls, baseline_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(app_id) DO UPDATE SET
             cap = excluded.cap, time_zone = excluded.time_zone,
             thresholds = excluded.thresholds, limits = excluded.limits,
             baseline_calls = excluded.baseline_calls, baseline_at = excluded.baseline_at,
             updated_at = excluded.updated_at",
        params![
            app_id,
            settings.cap.map(to_i64),
            settings.time_zone,
            serde_json::to_string(&settings.thresholds).expect("thresholds serialize"),
            serde_json::to_string(&settings.limits).expect("limits serialize"),
            settings.baseline.map(|b| to_i64(b.calls)),
            settings.baseline.map(|b| b.at.to_rfc3339()),
            now.to_rfc3339(),
        ],
    )?;
    Ok(settings)
}

/// Records the figure the admin console shows now (or showed at `at`). A baseline from the
/// future is refused: it would make "other apps" negative for the rest of the month.
pub fn set_baseline(
    db: &Database,
    app_id: &str,
    calls: u64,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<QuotaSettings> {
    if at > now + chrono::Duration::minutes(5) {
        return Err(Error::invalid("baselineAt", C::BaselineFuture));
    }
    let mut settings = load(db, app_id)?;
    settings.baseline = Some(Baseline { calls, at });
    save(db, app_id, settings, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_until_saved_then_round_trip() {
        let db = Database::open_in_memory().unwrap();
        let conn = &db;
        assert_eq!(load(conn, "cli_a").unwrap(), QuotaSettings::default());
        let now = Utc::now();
        let saved = save(
            conn,
            "cli_a",
            QuotaSettings {
                cap: None,
                time_zone: "Asia/Singapore".into(),
                thresholds: vec![100, 50, 50],
                ..QuotaSettings::default()
            },
            now,
        )
        .unwrap();
        assert_eq!(saved.thresholds, vec![50, 100]);
        assert_eq!(load(conn, "cli_a").unwrap(), saved);
        let with_baseline = set_baseline(conn, "cli_a", 1234, now, now).unwrap();
        assert_eq!(with_baseline.baseline.unwrap().calls, 1234);
        assert_eq!(load(conn, "cli_a").unwrap().cap, None);
    }

    #[test]
    fn bad_values_are_refused_with_the_field() {
        let db = Database::open_in_memory().unwrap();
        let bad_zone = QuotaSettings {
            time_zone: "Beijing".into(),
            ..QuotaSettings::default()
        };
        assert!(save(&db, "cli_a", bad_zone, Utc::now()).is_err());
        let bad_threshold = QuotaSettings {
            thresholds: vec![0],
            ..QuotaSettings::default()
        };
        assert!(save(&db, "cli_a", bad_threshold, Utc::now()).is_err());
        let now = Utc::now();
        let future = now + chrono::Duration::days(1);
        assert!(set_baseline(&db, "cli_a", 1, future, now).is_err());
    }
}
