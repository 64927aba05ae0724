//! Tenant-local months. The monthly quota resets on the 1st in the tenant's time zone (Feishu
//! tenants: China time), not in UTC and not in the admin's own zone, so every month boundary,
//! local day and "stopped until" date goes through here.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::problem::{Problem, ProblemCode as C};
use crate::{Error, Result};

/// The default tenant time zone: Feishu tenants are in China.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// An IANA time zone name (`Asia/Shanghai`, `Asia/Singapore`, `UTC`, …).
pub fn parse_time_zone(name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        Error::from(Problem::invalid("timeZone", C::TimeZone).param("value", name.trim()))
    })
}

/// The first instant of `date` in `tz`. Where midnight does not exist (a daylight-saving jump
/// at 00:00) the day starts at the first local time that does.
pub fn local_day_start(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    (0..=4)
        .find_map(|hours| {
            tz.from_local_datetime(&(midnight + Duration::minutes(30 * hours)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        // No zone skips more than two hours; fall back to the UTC reading.
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// The local calendar date of `at` in `tz`.
pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// One tenant-local calendar month: `[start, end)` in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub tz: Tz,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Month {
    /// The tenant-local month that `at` falls in.
    pub fn containing(at: DateTime<Utc>, tz: Tz) -> Self {
        let local = local_date(at, tz);
        Self::of(local.year(), local.month(), tz)
    }

    fn of(year: i32, month: u32, tz: Tz) -> Self {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let next = NaiveDate::from_ymd_opt(next_year, next_month, 1).unwrap_or(NaiveDate::MAX);
        Self {
            year,
            month,
            tz,
            start: local_day_start(first, tz),
            end: local_day_start(next, tz),
        }
    }

    pub fn next(&self) -> Self {
        Self::containing(self.end, self.tz)
    }

    /// `YYYY-MM`.
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Every local date of the month, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.first_day()
            .iter_days()
            .take_while(move |d| d.month() == self.month)
    }

    /// Length in days (fractional across a daylight-saving change).
    pub fn length_days(&self) -> f64 {
        days_between(self.start, self.end)
    }
}

/// `to - from` in (fractional) days.
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds() as f64 / 86_400_000.0
}

/// When a quota that ran out at `at` comes back: the 1st of the next tenant-local month.
pub fn quota_resets_at(at: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    Month::containing(at, tz).end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_month_turns_at_local_midnight_in_the_tenant_zone() {
        let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
        // 16:30 UTC on 31 January is already 1 February in China.
        let month = Month::containing(utc("2026-01-31T16:30:00Z"), shanghai);
        assert_eq!(month.label(), "2026-02");
        assert_eq!(month.start, utc("2026-01-31T16:00:00Z"));
        assert_eq!(month.end, utc("2026-02-28T16:00:00Z"));
        assert_eq!(month.days().count(), 28);
        // The same instant is still January in UTC.
        assert_eq!(
            Month::containing(utc("2026-01-31T16:30:00Z"), Tz::UTC).label(),
            "2026-01"
        );
        assert_eq!(
            quota_resets_at(utc("2026-12-15T00:00:00Z"), shanghai),
            utc("2026-12-31T16:00:00Z")
        );
    }

    #[test]
    fn daylight_saving_months_have_their_real_length() {
        let london: Tz = "Europe/London".parse().unwrap();
        let march = Month::containing(utc("2026-03-10T12:00:00Z"), london);
        assert_eq!(march.start, utc("2026-03-01T00:00:00Z"));
        // April starts at 00:00 BST = 23:00 UTC the day before.
        assert_eq!(march.end, utc("2026-03-31T23:00:00Z"));
        assert!((march.length_days() - (31.0 - 1.0 / 24.0)).abs() < 1e-9);
        assert_eq!(march.next().label(), "2026-04");
    }

    #[test]
    fn time_zone_names_are_checked() {
        assert!(parse_time_zone(" Asia/Singapore ").is_ok());
        let err = parse_time_zone("China").unwrap_err();
        assert!(err.to_string().contains("Asia/Shanghai"), "{err}");
    }
}
