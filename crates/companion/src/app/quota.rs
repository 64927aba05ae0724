//! The Quota screen's view: the local ledger's report and the thresholds newly crossed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::App;
use crate::quota::{self, settings, QuotaReport, QuotaSettings, ThresholdCrossing};
use crate::Result;

/// What the Quota screen shows: the report, and the thresholds (80/90/100 % by default) this
/// refresh crossed for the first time this month. Each crossing is returned once.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuotaView {
    pub report: QuotaReport,
    pub crossings: Vec<ThresholdCrossing>,
}

impl App {
    fn app_id_of(&self, name: &str) -> Result<String> {
        quota::app_id_of_profile(self.db(), name)
    }

    pub async fn quota_view(&self, name: String) -> Result<QuotaView> {
        self.blocking(move |app| {
            let app_id = app.app_id_of(&name)?;
            // Calls made a moment ago may still be in the ledger's write batch.
            app.meter().flush();
            let now = Utc::now();
            let report = quota::report(app.db(), &app_id, now)?;
            let crossings = quota::thresholds::newly_crossed(
                app.db(),
                &report.summary,
                &report.settings.thresholds,
                now,
            )?;
            // The same notices the watcher raises: whoever reads a crossing first tells the board.
            app.quota_notices(&name, &report, &crossings);
            Ok(QuotaView { report, crossings })
        })
        .await
    }

    pub async fn quota_settings(&self, name: String) -> Result<QuotaSettings> {
        self.blocking(move |app| settings::load(app.db(), &app.app_id_of(&name)?))
            .await
    }

    /// Saves the cap, time zone, thresholds and ceilings; the live limiter follows at once.
    pub async fn save_quota_settings(
        &self,
        name: String,
        new: QuotaSettings,
    ) -> Result<QuotaSettings> {
        self.blocking(move |app| {
            app.meter()
                .save_settings(&app.app_id_of(&name)?, new, Utc::now())
        })
        .await
    }

    /// Records the month-to-date figure read in the admin console, and when (default: now).
    pub async fn set_quota_baseline(
        &self,
        name: String,
        calls: u64,
        at: Option<DateTime<Utc>>,
    ) -> Result<QuotaSettings> {
        self.blocking(move |app| {
            let now = Utc::now();
            settings::set_baseline(
                app.db(),
                &app.app_id_of(&name)?,
                calls,
                at.unwrap_or(now),
                now,
            )
        })
        .await
    }
}
