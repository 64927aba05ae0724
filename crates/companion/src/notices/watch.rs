//! The watchers: what counts as an episode worth a notice, judged from a relay's counters and
//! health or a profile's quota. Each `assess` returns, for each kind it watches, `Some(params)`
//! while the problem lasts and `None` once it is gone; [`NoticeBoard::set`](super::NoticeBoard)
//! turns that into one notice per episode.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use super::{params, NoticeKind};
use crate::quota::{MonthSummary, ThresholdCrossing};
use crate::relay::RelayCore;

/// When a relay's numbers become an episode.
#[derive(Debug, Clone, Copy)]
pub struct RelayLimits {
    /// Rates are counted over this window.
    pub window: Duration,
    /// More rejected requests than this in the window.
    pub rejections: u64,
    /// More answers past the deadline than this in the window.
    pub late_answers: u64,
    /// The upstream failing this long with no success.
    pub upstream_failing: Duration,
    /// More events waiting than this, or the oldest waiting longer than `backlog_age`.
    pub backlog_depth: u32,
    pub backlog_age: Duration,
    /// The long connection down this long.
    pub connection_lost: Duration,
}

impl Default for RelayLimits {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(5 * 60),
            rejections: 50,
            late_answers: 3,
            upstream_failing: Duration::from_secs(60),
            backlog_depth: 100,
            backlog_age: Duration::from_secs(10 * 60),
            connection_lost: Duration::from_secs(60),
        }
    }
}

/// The relay kinds, in the order `assess` reports them.
pub const RELAY_KINDS: [NoticeKind; 5] = [
    NoticeKind::RelayRejections,
    NoticeKind::RelayDeadlineMissed,
    NoticeKind::RelayUpstreamFailing,
    NoticeKind::RelayOutboxBacklog,
    NoticeKind::LongConnectionLost,
];

impl RelayLimits {
    /// The episodes of a relay taken over (`app::handover`) are not cleared for this long: its
    /// counters start afresh, and a problem that lasts (an upstream down for minutes) must not
    /// look recovered only because the new relay has not yet watched long enough to say.
    pub fn hold_after_take_over(&self) -> Duration {
        self.window
            .max(self.upstream_failing)
            .max(self.connection_lost)
    }
}

type Finding = (NoticeKind, Option<BTreeMap<String, String>>);

/// One relay's watcher: keeps the samples its rates need.
pub struct RelayWatch {
    limits: RelayLimits,
    /// (when, rejected so far, late so far), oldest first, within the window.
    samples: VecDeque<(Instant, u64, u64)>,
    /// Until then, a kind found gone is not reported (the relay was taken over: its counters
    /// started afresh and cannot yet say that an episode under way is over).
    hold_until: Option<Instant>,
}

impl RelayWatch {
    pub fn new(limits: RelayLimits) -> Self {
        Self {
            limits,
            samples: VecDeque::new(),
            hold_until: None,
        }
    }

    /// A watcher for a relay taken over at `since` (`app::handover`): for
    /// [`RelayLimits::hold_after_take_over`] it reports only what lasts.
    pub fn taken_over(limits: RelayLimits, since: Instant) -> Self {
        Self {
            hold_until: Some(since + limits.hold_after_take_over()),
            ..Self::new(limits)
        }
    }

    /// Every relay kind, lasting or gone. Reads the outbox: blocking, off the async threads.
    pub fn assess(&mut self, core: &RelayCore, now: Instant) -> Vec<Finding> {
        let l = self.limits;
        let (rejected, late) = core.metrics().totals();
        self.samples.push_back((now, rejected, late));
        while self
            .samples
            .front()
            .is_some_and(|(t, _, _)| now.duration_since(*t) > l.window)
        {
            self.samples.pop_front();
        }
        let (_, first_rejected, first_late) = self.samples[0];
        let minutes = (l.window.as_secs() / 60).max(1).to_string();
        let over = |count: u64, limit: u64| {
            (count > limit)
                .then(|| params([("count", count.to_string()), ("minutes", minutes.clone())]))
        };
        let health = core.health();
        let failing = health
            .upstream_failing_seconds
            .filter(|s| *s >= l.upstream_failing.as_secs_f64())
            .map(|s| params([("seconds", whole(s))]));
        let age = health.outbox_oldest_seconds.unwrap_or(0.0);
        let backlog = (health.outbox_depth > l.backlog_depth
            || (health.outbox_depth > 0 && age >= l.backlog_age.as_secs_f64()))
        .then(|| {
            params([
                ("depth", health.outbox_depth.to_string()),
                ("minutes", whole(age / 60.0)),
            ])
        });
        let lost = health
            .long_connection_down_seconds
            .filter(|s| *s >= l.connection_lost.as_secs_f64())
            .map(|s| params([("seconds", whole(s))]));
        let holding = self.hold_until.is_some_and(|until| now < until);
        vec![
            (
                NoticeKind::RelayRejections,
                over(rejected - first_rejected, l.rejections),
            ),
            (
                NoticeKind::RelayDeadlineMissed,
                over(late - first_late, l.late_answers),
            ),
            (NoticeKind::RelayUpstreamFailing, failing),
            (NoticeKind::RelayOutboxBacklog, backlog),
            (NoticeKind::LongConnectionLost, lost),
        ]
        .into_iter()
        .filter(|(_, finding)| !holding || finding.is_some())
        .collect()
    }
}

/// The quota kinds for one month's summary: the highest threshold newly crossed (`crossed`,
/// each raised once a month by `quota::thresholds`), and the month's stop after a 99991403.
/// A threshold's episode lasts until the month turns (the usage drops below every threshold).
pub fn quota(
    summary: &MonthSummary,
    crossed: &[ThresholdCrossing],
    lowest: Option<u8>,
) -> Vec<Finding> {
    let threshold = crossed.iter().max_by_key(|c| c.threshold).map(|c| {
        params([
            ("threshold", c.threshold.to_string()),
            ("used", c.used.to_string()),
            ("cap", c.cap.to_string()),
        ])
    });
    let below_all = match (summary.cap, lowest) {
        (Some(cap), Some(lowest)) => {
            u128::from(summary.used) * 100 < u128::from(lowest) * u128::from(cap)
        }
        _ => true,
    };
    let mut findings = Vec::new();
    match threshold {
        Some(p) => findings.push((NoticeKind::QuotaThreshold, Some(p))),
        None if below_all => findings.push((NoticeKind::QuotaThreshold, None)),
        None => {}
    }
    findings.push((
        NoticeKind::QuotaExhausted,
        summary.stop.as_ref().map(|_| BTreeMap::new()),
    ));
    findings
}

/// The headless relay's watcher: the same episodes as the app's, as log lines (a warning when
/// one starts, an info line when it is over). Runs until the runtime stops or the handle is
/// aborted.
pub fn log_episodes(
    core: std::sync::Arc<RelayCore>,
    every: Duration,
    limits: RelayLimits,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let board = std::sync::Arc::new(super::NoticeBoard::default());
        let profile: String = core
            .profiles()
            .next()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let mut watch = Some(RelayWatch::new(limits));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let (core, board, profile) = (core.clone(), board.clone(), profile.clone());
            let Some(mut w) = watch.take() else { return };
            let done = tokio::task::spawn_blocking(move || {
                for (kind, finding) in w.assess(&core, Instant::now()) {
                    match board.set(&profile, kind, finding, chrono::Utc::now()) {
                        Some(super::NoticeEvent::Raised { notice }) => {
                            tracing::warn!(profile = %notice.profile, kind = kind.as_str(), "{}", notice.english());
                        }
                        Some(super::NoticeEvent::Cleared { notice }) => {
                            tracing::info!(profile = %notice.profile, kind = kind.as_str(), "recovered: {}", notice.english());
                        }
                        None => {}
                    }
                }
                w
            })
            .await;
            watch = done.ok();
        }
    })
}
/// A duration for a sentence, rounded up to a whole number and at least 1 ("for 0 s" reads
/// as if nothing happened).
fn whole(value: f64) -> String {
    format!("{:.0}", value.ceil().max(1.0))
}
