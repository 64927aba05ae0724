//! What the Quota screen and the CLI show, read from the ledger: month-to-date against the cap,
//! the forecast, the daily series, the per-endpoint table and the rate-limit events.
//!
//! Month-level figures come from the 15-minute rollups (a month is at most ~3,000 buckets per
//! endpoint, however many calls it had); only the sub-bucket edge of a baseline and the events
//! list touch raw rows, through the `(app_id, at_ms)` and rate-limit partial indexes.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rusqlite::params;

use super::hist::LatencyHist;
use super::ledger::{bucket_of, BUCKET_MS};
use super::month::{days_between, local_date, local_day_start, Month};
use super::settings;
use super::types::{
    DailyPoint, DailySeries, EndpointRow, Forecast, MonthSummary, QuotaReport, QuotaSettings,
    QuotaStop, RateLimitEvent,
};
use crate::db::Database;
use crate::Result;

/// How far back the forecast's daily rate looks.
const RATE_BASIS: Duration = Duration::days(7);
/// Events the screen lists.
pub const EVENT_LIMIT: u32 = 50;

/// Counts of one rollup row (no histogram: the summary never needs it).
struct Counts {
    bucket: i64,
    calls: u64,
    counted: u64,
    errors: u64,
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn rollup_counts(db: &Database, app_id: &str, from: i64, to: i64) -> Result<Vec<Counts>> {
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT bucket, calls, counted, errors FROM quota_rollup
         WHERE app_id = ?1 AND bucket BETWEEN ?2 AND ?3",
    )?;
    let rows = stmt.query_map(params![app_id, from, to], |r| {
        Ok(Counts {
            bucket: r.get(0)?,
            calls: count(r.get(1)?),
            counted: count(r.get(2)?),
            errors: count(r.get(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Counted calls in `[from_ms, to_ms)` from raw rows (for less than one bucket).
fn raw_counted(db: &Database, app_id: &str, from_ms: i64, to_ms: i64) -> Result<u64> {
    let n: i64 = db
        .conn()
        .prepare_cached(
            "SELECT COALESCE(SUM(counted), 0) FROM quota_calls
         WHERE app_id = ?1 AND at_ms >= ?2 AND at_ms < ?3",
        )?
        .query_row(params![app_id, from_ms, to_ms], |r| r.get(0))?;
    Ok(count(n))
}

/// Everything the summary and the daily series share, read once.
struct MonthData {
    settings: QuotaSettings,
    tz: Tz,
    month: Month,
    now: DateTime<Utc>,
    /// Rollups of this month, up to now.
    rows: Vec<Counts>,
    summary: MonthSummary,
    /// Other apps' counted calls at the baseline, and the baseline's time.
    other: Option<(f64, DateTime<Utc>)>,
}

impl MonthData {
    fn load(db: &Database, app_id: &str, now: DateTime<Utc>) -> Result<Self> {
        let settings = settings::load(db, app_id)?;
        let tz = settings.tz();
        let month = Month::containing(now, tz);
        let now_ms = now.timestamp_millis();
        let month_b = bucket_of(month.start.timestamp_millis());
        let basis_from = now - RATE_BASIS;
        let basis_b = bucket_of(basis_from.timestamp_millis());
        let all = rollup_counts(db, app_id, month_b.min(basis_b), bucket_of(now_ms))?;

        // The recent rate: counted calls over the last 7 days, or since the ledger began.
        let first_b: Option<i64> = db
            .conn()
            .prepare_cached("SELECT MIN(bucket) FROM quota_rollup WHERE app_id = ?1")?
            .query_row([app_id], |r| r.get(0))?;
        let basis_days = match first_b.map(|first| (basis_b.max(first)) * BUCKET_MS) {
            Some(start_ms) if start_ms < now_ms => (now_ms - start_ms) as f64 / 86_400_000.0,
            _ => 0.0,
        };
        let basis_counted: u64 = all
            .iter()
            .filter(|c| c.bucket >= basis_b)
            .map(|c| c.counted)
            .sum();
        // Under an hour of history says little about a day; treat it as an hour.
        let our_daily_rate = if basis_days > 0.0 {
            basis_counted as f64 / basis_days.max(1.0 / 24.0)
        } else {
            0.0
        };

        let rows: Vec<Counts> = all.into_iter().filter(|c| c.bucket >= month_b).collect();
        let our_calls = rows.iter().map(|c| c.calls).sum();
        let our_counted: u64 = rows.iter().map(|c| c.counted).sum();
        let our_failed = rows.iter().map(|c| c.errors).sum();

        let baseline = settings
            .baseline
            .filter(|b| b.at >= month.start && b.at < month.end && b.at <= now);
        let mut other = None;
        let mut other_daily_rate = 0.0;
        let (used, ours_since_baseline, other_apps) = match baseline {
            Some(b) => {
                let at_ms = b.at.timestamp_millis();
                let edge = bucket_of(at_ms);
                let before: u64 = rows
                    .iter()
                    .filter(|c| c.bucket < edge)
                    .map(|c| c.counted)
                    .sum::<u64>()
                    + raw_counted(db, app_id, edge * BUCKET_MS, at_ms)?;
                let since = our_counted.saturating_sub(before);
                let others = b.calls.saturating_sub(before);
                let elapsed = days_between(month.start, b.at).max(1.0 / 24.0);
                other_daily_rate = others as f64 / elapsed;
                other = Some((others as f64, b.at));
                (b.calls + since, Some(since), Some(others))
            }
            None => (our_counted, None, None),
        };
        let stop = quota_stop(db, app_id, now, tz)?;
        let cap = settings.cap;
        let total_rate = our_daily_rate + other_daily_rate;
        let month_end = used as f64 + total_rate * days_between(now, month.end).max(0.0);
        let cap_reached_on = cap.and_then(|cap| {
            if used >= cap {
                let at = stop.as_ref().map_or(now, |s| s.since);
                Some(local_date(at, tz))
            } else if total_rate > 0.0 {
                let days = (cap - used) as f64 / total_rate;
                let at = now + Duration::milliseconds((days * 86_400_000.0) as i64);
                (at < month.end).then(|| local_date(at, tz))
            } else {
                None
            }
        });
        let summary = MonthSummary {
            app_id: app_id.to_owned(),
            month: month.label(),
            time_zone: tz.name().to_owned(),
            month_start: month.start,
            month_end: month.end,
            as_of: now,
            cap,
            our_calls,
            our_counted,
            our_failed,
            baseline,
            ours_since_baseline,
            other_apps,
            used,
            used_percent: cap.map(|c| percent(used, c)),
            remaining: cap.map(|c| c.saturating_sub(used)),
            forecast: Forecast {
                our_daily_rate,
                other_daily_rate,
                basis_days,
                month_end,
                cap_reached_on: cap_reached_on.map(|d| d.to_string()),
                exceeds_cap: cap.is_some_and(|c| month_end >= c as f64),
            },
            stop,
        };
        Ok(Self {
            settings,
            tz,
            month,
            now,
            rows,
            summary,
            other,
        })
    }

    /// Others' counted calls by `t`: spread evenly up to the baseline, flat after it.
    fn others_at(&self, t: DateTime<Utc>) -> f64 {
        match self.other {
            Some((others, at)) if t < at && at > self.month.start => {
                let share = days_between(self.month.start, t) / days_between(self.month.start, at);
                others * share.clamp(0.0, 1.0)
            }
            Some((others, _)) => others,
            None => 0.0,
        }
    }

    fn daily(&self) -> DailySeries {
        let days: Vec<_> = self.month.days().collect();
        let starts: Vec<i64> = days
            .iter()
            .map(|d| local_day_start(*d, self.tz).timestamp_millis())
            .collect();
        let mut per_day = vec![(0u64, 0u64, 0u64); days.len()];
        for row in &self.rows {
            let at = row.bucket * BUCKET_MS;
            let index = starts.partition_point(|&s| s <= at).saturating_sub(1);
            let day = &mut per_day[index];
            day.0 += row.calls;
            day.1 += row.counted;
            day.2 += row.errors;
        }
        let s = &self.summary;
        let total_rate = s.forecast.our_daily_rate + s.forecast.other_daily_rate;
        let mut ours_cum = 0u64;
        let points = days
            .iter()
            .enumerate()
            .map(|(i, date)| {
                let (calls, counted, errors) = per_day[i];
                ours_cum += counted;
                let start = DateTime::from_timestamp_millis(starts[i]).unwrap_or(self.month.start);
                let end = starts
                    .get(i + 1)
                    .and_then(|&ms| DateTime::from_timestamp_millis(ms))
                    .unwrap_or(self.month.end);
                let upto = end.min(self.now);
                let used = (start <= self.now).then(|| ours_cum as f64 + self.others_at(upto));
                let forecast = (end > self.now)
                    .then(|| s.used as f64 + total_rate * days_between(self.now, end));
                DailyPoint {
                    date: date.to_string(),
                    calls,
                    counted,
                    errors,
                    used,
                    forecast,
                }
            })
            .collect();
        DailySeries {
            month: self.month.label(),
            cap: self.settings.cap,
            days: points,
        }
    }
}

fn percent(used: u64, cap: u64) -> f64 {
    if cap == 0 {
        100.0
    } else {
        used as f64 * 100.0 / cap as f64
    }
}

/// Month-to-date against the cap, with the forecast and any quota stop.
pub fn summary(db: &Database, app_id: &str, now: DateTime<Utc>) -> Result<MonthSummary> {
    Ok(MonthData::load(db, app_id, now)?.summary)
}

/// Counted calls per local day of this month, the estimated running total, the forecast line
/// and the cap.
pub fn daily(db: &Database, app_id: &str, now: DateTime<Utc>) -> Result<DailySeries> {
    Ok(MonthData::load(db, app_id, now)?.daily())
}

/// Each API this month: calls, counted, errors, rate-limited, p50/p95 latency. Busiest first.
pub fn endpoints(db: &Database, app_id: &str, now: DateTime<Utc>) -> Result<Vec<EndpointRow>> {
    let tz = settings::load(db, app_id)?.tz();
    let month = Month::containing(now, tz);
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT endpoint, calls, counted, errors, rate_limited, latency_hist FROM quota_rollup
         WHERE app_id = ?1 AND bucket BETWEEN ?2 AND ?3",
    )?;
    // A handful of endpoints: a linear scan beats hashing, and no row allocates.
    let mut table: Vec<(EndpointRow, LatencyHist)> = Vec::new();
    let mut rows = stmt.query(params![
        app_id,
        bucket_of(month.start.timestamp_millis()),
        bucket_of(now.timestamp_millis())
    ])?;
    while let Some(r) = rows.next()? {
        let endpoint = r.get_ref(0)?.as_str().unwrap_or_default();
        let index = match table.iter().position(|(row, _)| row.endpoint == endpoint) {
            Some(index) => index,
            None => {
                table.push((
                    EndpointRow {
                        endpoint: endpoint.to_owned(),
                        calls: 0,
                        counted: 0,
                        errors: 0,
                        rate_limited: 0,
                        p50_ms: None,
                        p95_ms: None,
                    },
                    LatencyHist::default(),
                ));
                table.len() - 1
            }
        };
        let (row, hist) = &mut table[index];
        row.calls += count(r.get(1)?);
        row.counted += count(r.get(2)?);
        row.errors += count(r.get(3)?);
        row.rate_limited += count(r.get(4)?);
        hist.add_blob(r.get_ref(5)?.as_blob().unwrap_or_default());
    }
    let mut list: Vec<EndpointRow> = table
        .into_iter()
        .map(|(mut row, hist)| {
            row.p50_ms = hist.quantile_ms(0.5);
            row.p95_ms = hist.quantile_ms(0.95);
            row
        })
        .collect();
    list.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.endpoint.cmp(&b.endpoint)));
    Ok(list)
}

/// The latest calls refused for a ceiling or the quota, newest first.
pub fn events(db: &Database, app_id: &str, limit: u32) -> Result<Vec<RateLimitEvent>> {
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT at_ms, endpoint, http_status, code, error_kind, target, rl_limit, rl_reset,
                retry_after, log_id
         FROM quota_calls
         WHERE app_id = ?1 AND error_kind IN ('rate_limited', 'quota_exhausted')
         ORDER BY at_ms DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![app_id, limit], |r| {
        let reset: Option<String> = r.get(7)?;
        let retry_after: Option<String> = r.get(8)?;
        Ok(RateLimitEvent {
            at: DateTime::from_timestamp_millis(r.get(0)?).unwrap_or_default(),
            endpoint: r.get(1)?,
            http_status: r.get(2)?,
            code: r.get(3)?,
            kind: r.get(4)?,
            target: r.get(5)?,
            limit: r.get(6)?,
            reset_secs: [reset, retry_after]
                .into_iter()
                .flatten()
                .find_map(|v| v.trim().parse::<f64>().ok()),
            log_id: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The quota stop in force at `now`: a 99991403 this (tenant-local) month with no counted call
/// succeeding after it. Computed from the ledger so the CLI and a restarted app see it too.
pub fn quota_stop(
    db: &Database,
    app_id: &str,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Option<QuotaStop>> {
    let month = Month::containing(now, tz);
    let conn = db.conn();
    let last: Option<i64> = conn
        .prepare_cached(
            "SELECT MAX(at_ms) FROM quota_calls
             WHERE app_id = ?1 AND error_kind IN ('rate_limited', 'quota_exhausted')
               AND error_kind = 'quota_exhausted' AND at_ms >= ?2 AND at_ms <= ?3",
        )?
        .query_row(
            params![
                app_id,
                month.start.timestamp_millis(),
                now.timestamp_millis()
            ],
            |r| r.get(0),
        )?;
    let Some(since_ms) = last else {
        return Ok(None);
    };
    let resumed: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM quota_calls
                            WHERE app_id = ?1 AND at_ms > ?2 AND counted = 1)",
        )?
        .query_row(params![app_id, since_ms], |r| r.get(0))?;
    if resumed {
        return Ok(None);
    }
    let since = DateTime::from_timestamp_millis(since_ms).unwrap_or(now);
    Ok(Some(stop_view(since, month.end, tz)))
}

/// "Quota exhausted until <date>", for a stop from `since` until `until`.
pub fn stop_view(since: DateTime<Utc>, until: DateTime<Utc>, tz: Tz) -> QuotaStop {
    let date = local_date(until, tz);
    QuotaStop {
        since,
        until,
        until_date: date.to_string(),
        message: format!(
            "Monthly API quota exhausted until {date} ({}). Calls that count are refused \
             until then; upgrade the tenant's edition or wait for the 1st.",
            tz.name()
        ),
    }
}

/// Everything the Quota screen shows, read in one go.
pub fn report(db: &Database, app_id: &str, now: DateTime<Utc>) -> Result<QuotaReport> {
    let data = MonthData::load(db, app_id, now)?;
    let daily = data.daily();
    Ok(QuotaReport {
        daily,
        endpoints: endpoints(db, app_id, now)?,
        events: events(db, app_id, EVENT_LIMIT)?,
        ceilings: super::peaks::ceilings(db, app_id, now, &data.settings.limits)?,
        settings: data.settings,
        summary: data.summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_ledger_reads_as_nothing_used() {
        let db = Database::open_in_memory().unwrap();
        let now = "2026-03-10T16:00:00Z".parse().unwrap();
        let all = report(&db, "cli_a1b2c3d4e5f60718", now).unwrap();
        let s = &all.summary;
        assert_eq!((s.used, s.our_calls, s.remaining), (0, 0, Some(10_000)));
        assert_eq!(s.forecast.our_daily_rate, 0.0);
        assert_eq!(s.forecast.cap_reached_on, None);
        assert!(all.endpoints.is_empty() && all.events.is_empty());
        assert!(all.ceilings.iter().all(|c| c.last_day.calls == 0));
        assert_eq!(all.daily.days.len(), 31);
    }
}
