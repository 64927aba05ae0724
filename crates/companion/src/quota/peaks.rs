//! Recent peaks against each ceiling: the most calls in any one window (1 s, or 1 min for
//! sends) over the last hour and the last day, from raw ledger rows.
//!
//! Calls the platform refused for a rate limit are left out: they did not take a place in its
//! windows. The windows are half-open like the platform's: calls exactly one window apart are
//! not in the same one.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use lark_platform::client::Endpoint;
use rusqlite::params;

use super::types::{CeilingKind, CeilingPeak, Peak, RateLimits};
use crate::db::Database;
use crate::Result;

/// The last day's admitted calls, grouped the way each ceiling counts them (times ascending).
#[derive(Default)]
struct Groups {
    by_endpoint: Vec<(String, Vec<i64>)>,
    sends: Vec<i64>,
    by_receiver: HashMap<String, Vec<i64>>,
    by_message: HashMap<String, Vec<i64>>,
}

fn push(map: &mut HashMap<String, Vec<i64>>, key: &str, at_ms: i64) {
    match map.get_mut(key) {
        Some(times) => times.push(at_ms),
        None => {
            map.insert(key.to_owned(), vec![at_ms]);
        }
    }
}

/// The largest number of `times` (ascending) inside any window of `window_ms`, and when that
/// window's last call was made.
pub fn busiest_window(times: &[i64], window_ms: i64) -> (u32, Option<i64>) {
    let mut best = (0u32, None);
    let mut first = 0;
    for (last, &t) in times.iter().enumerate() {
        while t - times[first] >= window_ms {
            first += 1;
        }
        let n = u32::try_from(last - first + 1).unwrap_or(u32::MAX);
        if n > best.0 {
            best = (n, Some(t));
        }
    }
    best
}

/// The busiest window over groups of calls (by API, receiver or message), counting only the
/// calls after `since_ms`.
fn peak<'a>(
    groups: impl Iterator<Item = (&'a str, &'a [i64])>,
    window_ms: i64,
    since_ms: i64,
) -> Peak {
    let mut best = Peak {
        calls: 0,
        at: None,
        key: None,
    };
    for (key, times) in groups {
        let recent = &times[times.partition_point(|&t| t <= since_ms)..];
        let (calls, at) = busiest_window(recent, window_ms);
        if calls > best.calls {
            best = Peak {
                calls,
                at: at.and_then(DateTime::from_timestamp_millis),
                key: Some(key.to_owned()),
            };
        }
    }
    best
}

/// Reads the last day's calls once, grouped per ceiling.
fn load(db: &Database, app_id: &str, from_ms: i64, to_ms: i64) -> Result<Groups> {
    let send = Endpoint::MessagesCreate.name();
    let patch = Endpoint::MessagesPatch.name();
    let conn = db.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT at_ms, endpoint, target FROM quota_calls
         WHERE app_id = ?1 AND at_ms > ?2 AND at_ms <= ?3
           AND (http_status IS NULL OR http_status <> 429)
         ORDER BY at_ms",
    )?;
    let mut rows = stmt.query(params![app_id, from_ms, to_ms])?;
    let mut groups = Groups::default();
    while let Some(row) = rows.next()? {
        let at_ms: i64 = row.get(0)?;
        let endpoint = row.get_ref(1)?.as_str().unwrap_or_default();
        match groups.by_endpoint.iter_mut().find(|(e, _)| e == endpoint) {
            Some((_, times)) => times.push(at_ms),
            None => groups.by_endpoint.push((endpoint.to_owned(), vec![at_ms])),
        }
        let target = row.get_ref(2)?.as_str().ok();
        if endpoint == send {
            groups.sends.push(at_ms);
            if let Some(target) = target {
                push(&mut groups.by_receiver, target, at_ms);
            }
        } else if endpoint == patch {
            if let Some(target) = target {
                push(&mut groups.by_message, target, at_ms);
            }
        }
    }
    Ok(groups)
}

/// The four ceilings with their peaks over the last hour and the last day.
pub fn ceilings(
    db: &Database,
    app_id: &str,
    now: DateTime<Utc>,
    limits: &RateLimits,
) -> Result<Vec<CeilingPeak>> {
    let day_ms = (now - Duration::days(1)).timestamp_millis();
    let hour_ms = (now - Duration::hours(1)).timestamp_millis();
    let groups = load(db, app_id, day_ms, now.timestamp_millis())?;
    let send = Endpoint::MessagesCreate.name();
    let peak_since = |kind: CeilingKind, window_ms: i64, since_ms: i64| {
        let by_key = |map: &'_ HashMap<String, Vec<i64>>| {
            peak(
                map.iter().map(|(k, v)| (k.as_str(), v.as_slice())),
                window_ms,
                since_ms,
            )
        };
        match kind {
            CeilingKind::ApiTier => peak(
                groups
                    .by_endpoint
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_slice())),
                window_ms,
                since_ms,
            ),
            CeilingKind::SendPerMinute => peak(
                std::iter::once((send, groups.sends.as_slice())),
                window_ms,
                since_ms,
            ),
            CeilingKind::PerReceiver => by_key(&groups.by_receiver),
            CeilingKind::PerMessage => by_key(&groups.by_message),
        }
    };
    let specs: [(CeilingKind, u32, i64); 4] = [
        (CeilingKind::ApiTier, limits.api_per_second, 1_000),
        (CeilingKind::SendPerMinute, limits.send_per_minute, 60_000),
        (
            CeilingKind::PerReceiver,
            limits.per_receiver_per_second,
            1_000,
        ),
        (
            CeilingKind::PerMessage,
            limits.patch_per_message_per_second,
            1_000,
        ),
    ];
    Ok(specs
        .into_iter()
        .map(|(kind, limit, window_ms)| CeilingPeak {
            kind,
            limit,
            window_secs: u32::try_from(window_ms / 1000).unwrap_or(1),
            last_hour: peak_since(kind, window_ms, hour_ms),
            last_day: peak_since(kind, window_ms, day_ms),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_half_open_like_the_platform() {
        // Five calls in [0, 999] fill one 1-s window; the call at 1000 starts a new one.
        assert_eq!(
            busiest_window(&[0, 10, 500, 900, 999, 1000], 1000),
            (5, Some(999))
        );
        assert_eq!(busiest_window(&[0, 1000, 2000], 1000), (1, Some(0)));
        assert_eq!(busiest_window(&[], 1000), (0, None));
    }
}
