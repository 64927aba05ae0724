//! The notice board of the app and its watchers (see `crate::notices`): started once by the
//! window's shell, they run whether or not the window is open, over the relays the app runs and
//! every profile's quota.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::App;
use crate::notices::watch::{self, RelayLimits, RelayWatch};
use crate::notices::{self, Notice, NoticeBoard, NoticeKind, NoticeSetting};
use crate::relay::RelayCore;
use crate::Result;

/// How often the relays are looked at.
pub const RELAY_EVERY: Duration = Duration::from_secs(5);
/// How often the quota is looked at (it changes slowly and reading it costs a query per profile).
pub const QUOTA_EVERY: Duration = Duration::from_secs(60);

/// The intervals and limits of the watchers (tests shorten them).
#[derive(Debug, Clone, Copy)]
pub struct WatchTiming {
    pub relay_every: Duration,
    pub quota_every: Duration,
    pub limits: RelayLimits,
}

impl WatchTiming {
    /// The defaults, with `LARK_COMPANION_WATCH_MS` (tests of the real window) shortening every
    /// interval and duration to that many milliseconds.
    pub fn from_env() -> Self {
        let Some(ms) = std::env::var("LARK_COMPANION_WATCH_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return Self::default();
        };
        let d = Duration::from_millis(ms.clamp(50, 60_000));
        Self {
            relay_every: d,
            quota_every: d,
            limits: RelayLimits {
                upstream_failing: d,
                connection_lost: d,
                ..RelayLimits::default()
            },
        }
    }
}

impl Default for WatchTiming {
    fn default() -> Self {
        Self {
            relay_every: RELAY_EVERY,
            quota_every: QUOTA_EVERY,
            limits: RelayLimits::default(),
        }
    }
}

impl App {
    pub fn notices(&self) -> &NoticeBoard {
        &self.inner.notices
    }

    /// The last 200 notices, newest first.
    pub async fn notice_list(&self) -> Vec<Notice> {
        self.notices().list()
    }

    pub async fn notice_settings(&self) -> Vec<NoticeSetting> {
        self.notices().settings()
    }

    /// Turns a kind of notice on or off, and remembers it.
    pub async fn set_notice_enabled(
        &self,
        kind: NoticeKind,
        enabled: bool,
    ) -> Result<Vec<NoticeSetting>> {
        self.notices().set_enabled(kind, enabled);
        let off = self.notices().off();
        self.blocking(move |app| notices::save_off(app.db(), &off))
            .await?;
        Ok(self.notices().settings())
    }

    /// Starts the watchers on the current tokio runtime; they stop with the runtime.
    pub fn start_watchers(&self, timing: WatchTiming) {
        let app = self.clone();
        tokio::spawn(async move {
            let mut relay_tick = tokio::time::interval(timing.relay_every);
            let mut quota_tick = tokio::time::interval(timing.quota_every);
            relay_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            quota_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // One watcher per running relay, new when the relay is (its counters start afresh).
            let mut watched: Option<(Arc<RelayCore>, RelayWatch)> = None;
            loop {
                tokio::select! {
                    _ = relay_tick.tick() => {
                        let core = app.running_core().await;
                        watched = match (watched.take(), core) {
                            (Some((old, w)), Some(core)) if Arc::ptr_eq(&old, &core) => Some((old, w)),
                            (_, Some(core)) => {
                                let watch = match app.take_relay_hold(&profile_of(&core)) {
                                    Some(since) => RelayWatch::taken_over(timing.limits, since),
                                    None => RelayWatch::new(timing.limits),
                                };
                                Some((core, watch))
                            }
                            (previous, None) => {
                                if let Some((old, _)) = previous {
                                    app.clear_relay_notices(&old);
                                }
                                None
                            }
                        };
                        if let Some((core, w)) = watched.take() {
                            let board_app = app.clone();
                            let result = tokio::task::spawn_blocking(move || {
                                let mut w = w;
                                let findings = w.assess(&core, Instant::now());
                                board_app.apply(&profile_of(&core), findings);
                                (core, w)
                            })
                            .await;
                            watched = result.ok();
                        }
                    }
                    _ = quota_tick.tick() => {
                        let app = app.clone();
                        let _ = tokio::task::spawn_blocking(move || app.watch_quota()).await;
                    }
                }
            }
        });
    }

    /// The core of the relay the app runs (either mode), if one runs.
    async fn running_core(&self) -> Option<Arc<RelayCore>> {
        if let Some(relay) = self.relays_http_core().await {
            return Some(relay);
        }
        self.relays_long_core().await
    }

    fn apply(
        &self,
        profile: &str,
        findings: Vec<(
            NoticeKind,
            Option<std::collections::BTreeMap<String, String>>,
        )>,
    ) {
        let now = Utc::now();
        for (kind, finding) in findings {
            self.notices().set(profile, kind, finding, now);
        }
    }

    /// A stopped relay's episodes are over.
    fn clear_relay_notices(&self, core: &RelayCore) {
        let profile = profile_of(core);
        for kind in watch::RELAY_KINDS {
            self.notices().clear(&profile, kind, Utc::now());
        }
    }

    /// Every profile's quota: thresholds newly crossed this month, and the month's stop.
    fn watch_quota(&self) {
        let names = match crate::profiles::names(self.db()) {
            Ok(list) => list,
            Err(e) => {
                tracing::warn!(error = %e, "quota watcher: no profiles");
                return;
            }
        };
        self.meter().flush();
        let now = Utc::now();
        for name in names {
            let Ok(app_id) = crate::quota::app_id_of_profile(self.db(), &name) else {
                continue;
            };
            let done = crate::quota::report(self.db(), &app_id, now).and_then(|report| {
                let crossed = crate::quota::thresholds::newly_crossed(
                    self.db(),
                    &report.summary,
                    &report.settings.thresholds,
                    now,
                )?;
                self.quota_notices(&name, &report, &crossed);
                Ok(())
            });
            if let Err(e) = done {
                tracing::warn!(profile = %name, error = %e, "quota watcher");
            }
        }
    }

    /// Raises and clears `name`'s quota notices from its month (`crossed`: the thresholds
    /// newly crossed, whoever read them first: this watcher or the Quota screen).
    pub(super) fn quota_notices(
        &self,
        name: &str,
        report: &crate::quota::QuotaReport,
        crossed: &[crate::quota::ThresholdCrossing],
    ) {
        let now = Utc::now();
        let lowest = report.settings.thresholds.iter().min().copied();
        for (kind, finding) in watch::quota(&report.summary, crossed, lowest) {
            if kind == NoticeKind::QuotaThreshold && finding.is_some() {
                // A higher threshold is a new episode, not the lower one lasting.
                self.notices().clear(name, kind, now);
            }
            self.notices().set(name, kind, finding, now);
        }
    }

    /// A relay that could not listen: its port is taken (`None` when it started).
    pub(super) fn port_taken(&self, profile: &str, addr: Option<String>) {
        let finding = addr.map(|addr| notices::params([("addr", addr)]));
        self.notices()
            .set(profile, NoticeKind::RelayPortTaken, finding, Utc::now());
    }
}

/// The profile a relay serves (the app runs one per relay), by name.
fn profile_of(core: &RelayCore) -> String {
    core.profiles()
        .next()
        .map(|p| p.name.clone())
        .unwrap_or_default()
}
