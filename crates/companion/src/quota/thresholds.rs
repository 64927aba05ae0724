//! Notification thresholds (default 80 %, 90 %, 100 % of the cap), each raised once per
//! tenant-local month. The bookkeeping lives in SQLite so a restart does not raise them again;
//! showing the desktop notification is the shell's job.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::types::{MonthSummary, ThresholdCrossing};
use crate::db::Database;
use crate::Result;

/// The thresholds `summary` has reached that were not raised yet this month, ascending; each is
/// marked raised as it is returned. Unlimited editions have none.
pub fn newly_crossed(
    db: &Database,
    summary: &MonthSummary,
    thresholds: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<ThresholdCrossing>> {
    let Some(cap) = summary.cap else {
        return Ok(Vec::new());
    };
    let used_percent = summary.used_percent.unwrap_or(0.0);
    let mut sorted = thresholds.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let conn = db.conn();
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO quota_alerts (app_id, month, threshold, raised_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut crossed = Vec::new();
    for threshold in sorted {
        // Integer test, so 8,000 of 10,000 is exactly 80 %.
        let reached = u128::from(summary.used) * 100 >= u128::from(threshold) * u128::from(cap);
        if !reached {
            continue;
        }
        let inserted = insert.execute(params![
            summary.app_id,
            summary.month,
            threshold,
            now.to_rfc3339()
        ])?;
        if inserted == 1 {
            crossed.push(ThresholdCrossing {
                threshold,
                month: summary.month.clone(),
                used: summary.used,
                cap,
                used_percent,
            });
        }
    }
    Ok(crossed)
}
