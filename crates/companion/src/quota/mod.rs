//! Quota and rate limits: a ledger of every Open API call, an exact limiter shared by every
//! client of an app, month-to-date figures against the tenant's cap with a forecast, and the
//! queries behind the Quota screen and `lark-companion-cli quota`.
//!
//! Why it is built this way:
//! - Free-edition tenants get a fixed number of counted calls a month for all their custom apps
//!   together, and no API tells how many are left. So we count our own calls ([`ledger`]), let
//!   the admin type in the console's figure ([`settings::set_baseline`]), and call the
//!   difference "other apps and services".
//! - Tripping a ceiling costs a failed alert. The [`limiter`] keeps every call under the
//!   platform's sliding windows by waiting, and learns from the platform's reset headers when
//!   something else (another app in the same group) used the budget.
//! - The screen must stay fast on a busy month: month figures read 15-minute rollups, not raw
//!   rows (see `docs/benchmarks.md`).
//!
//! Wiring, for the shell and the CLI:
//! - One [`Meter`] per process (`Meter::open(data_dir, LedgerOptions::default())`), and every
//!   Open API client built with [`crate::platform_client::for_credentials_metered`], so all of
//!   an app's calls share its [`AppLimiter`] and land in the ledger.
//! - The Quota screen: [`report()`] (or its parts [`summary()`], [`daily()`], [`endpoints()`],
//!   [`events()`], [`peaks::ceilings`]) for an App ID ([`app_id_of_profile`] from a profile name);
//!   [`thresholds::newly_crossed`] after each refresh says which notifications to raise.
//! - Settings: [`Meter::save_settings`] (applies ceilings and zone to the live limiter) and
//!   [`settings::set_baseline`]; [`Meter::status`] and [`AppLimiter::resume`] for the live stop.

mod hist;
pub mod ledger;
pub mod limiter;
mod meter;
pub mod month;
pub mod peaks;
pub mod report;
pub mod settings;
pub mod thresholds;
mod types;

use ts_rs::TS;

pub use ledger::{Ledger, LedgerEntry, LedgerObserver, LedgerOptions};
pub use limiter::{AppLimiter, LimiterPass, SystemWallClock, WallClock};
pub use meter::Meter;
pub use report::{daily, endpoints, events, quota_stop, report, summary};
pub use types::{
    Baseline, CeilingKind, CeilingPeak, DailyPoint, DailySeries, EndpointRow, Forecast,
    LimiterStatus, MonthSummary, PausedCeiling, Peak, QuotaReport, QuotaSettings, QuotaStop,
    RateLimitEvent, RateLimits, ThresholdCrossing,
};

use crate::db::Database;
use crate::{Error, Result};

/// The App ID of the profile named `name` (not case-sensitive). Reads no secret, so the quota
/// figures work without a keychain (the ledger is keyed by App ID).
pub fn app_id_of_profile(db: &Database, name: &str) -> Result<String> {
    use rusqlite::OptionalExtension;
    db.conn()
        .query_row(
            "SELECT app_id FROM profiles WHERE name = ?1 COLLATE NOCASE",
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::ProfileNotFound {
            name: name.trim().to_owned(),
        })
}

/// Every quota type exported to TypeScript.
pub fn bindings() -> Vec<(&'static str, String)> {
    fn one<T: TS + 'static>(name: &'static str) -> (&'static str, String) {
        (name, T::export_to_string().unwrap_or_default())
    }
    vec![
        one::<RateLimits>("RateLimits.ts"),
        one::<Baseline>("Baseline.ts"),
        one::<QuotaSettings>("QuotaSettings.ts"),
        one::<QuotaStop>("QuotaStop.ts"),
        one::<Forecast>("Forecast.ts"),
        one::<MonthSummary>("MonthSummary.ts"),
        one::<DailyPoint>("DailyPoint.ts"),
        one::<DailySeries>("DailySeries.ts"),
        one::<EndpointRow>("EndpointRow.ts"),
        one::<RateLimitEvent>("RateLimitEvent.ts"),
        one::<CeilingKind>("CeilingKind.ts"),
        one::<Peak>("Peak.ts"),
        one::<CeilingPeak>("CeilingPeak.ts"),
        one::<ThresholdCrossing>("ThresholdCrossing.ts"),
        one::<QuotaReport>("QuotaReport.ts"),
        one::<LimiterStatus>("LimiterStatus.ts"),
        one::<PausedCeiling>("PausedCeiling.ts"),
    ]
}
