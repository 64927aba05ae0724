//! The monthly API-call quota of a custom app's tenant.
//!
//! On the Basic edition the tenant gets a fixed number of counted calls per calendar month
//! (10,000 for a long time, temporarily more; hence a setting), reset on the 1st. Only successful
//! calls of counted APIs use it; token calls and failed calls are free. Once it is used up every
//! counted API answers HTTP 429 with code 99991403 until the month turns.

use chrono::Datelike;
use serde::Serialize;

/// The counter, keyed to the month it belongs to.
#[derive(Clone, Debug)]
pub struct Quota {
    /// Calls allowed per month; `None` means unlimited (paid editions).
    pub cap: Option<u64>,
    /// Counted calls so far in `month`.
    pub used: u64,
    month: (i32, u32),
}

/// What `/_sim/stats` shows.
#[derive(Clone, Debug, Serialize)]
pub struct QuotaView {
    pub cap: Option<u64>,
    pub used: u64,
    /// `YYYY-MM` of the month the counter belongs to.
    pub month: String,
}

fn month_of(now: chrono::DateTime<chrono::Utc>) -> (i32, u32) {
    (now.year(), now.month())
}

impl Quota {
    pub fn new(cap: Option<u64>, now: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            cap,
            used: 0,
            month: month_of(now),
        }
    }

    /// Starts a new count when the (simulated) month has changed.
    fn roll(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let month = month_of(now);
        if month != self.month {
            self.month = month;
            self.used = 0;
        }
    }

    /// Whether a counted call may run now.
    pub fn exhausted(&mut self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.roll(now);
        self.cap.is_some_and(|cap| self.used >= cap)
    }

    /// Records one successful counted call.
    pub fn record(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.roll(now);
        self.used = self.used.saturating_add(1);
    }

    /// Sets the counter for the current month (control surface).
    pub fn set_used(&mut self, used: u64, now: chrono::DateTime<chrono::Utc>) {
        self.roll(now);
        self.used = used;
    }

    pub fn view(&mut self, now: chrono::DateTime<chrono::Utc>) -> QuotaView {
        self.roll(now);
        QuotaView {
            cap: self.cap,
            used: self.used,
            month: format!("{:04}-{:02}", self.month.0, self.month.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn resets_on_the_first_of_the_month() {
        let end_of_month = chrono::Utc
            .with_ymd_and_hms(2026, 1, 31, 23, 59, 59)
            .unwrap();
        let mut quota = Quota::new(Some(2), end_of_month);
        quota.record(end_of_month);
        quota.record(end_of_month);
        assert!(quota.exhausted(end_of_month));
        let next = chrono::Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        assert!(!quota.exhausted(next));
        assert_eq!(quota.view(next).month, "2026-02");
    }
}
