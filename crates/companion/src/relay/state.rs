//! What the listener, the outbox worker and the inspector share: the profiles, the store, the
//! HTTP client, the live-view channel and the built-in handler's templates.

use crate::problem::{Problem, ProblemCode as C};
use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{broadcast, Notify};

use super::builtin::{AlertBook, KnownAlerts};
use super::config::{RelayConfig, RelayProfile};
use super::error::RelayError;
use super::limits::{Guard, RelayLoad};
use super::model::{RecordEvent, RecordSummary};
use super::rejections::RejectionBudget;
use super::seen_clicks::SeenClicks;
use super::store::{NewOutbox, NewRecord, Profiles, RelayStore};
use super::upstream::Forwarder;
use crate::cards::TemplateSet;

/// Live-view subscribers that fall this far behind get `Lagged` and should reload the list.
const EVENT_CAPACITY: usize = 4096;

/// Everything the listener, the outbox worker and the inspector share.
pub struct RelayCore {
    pub(crate) config: RelayConfig,
    pub(crate) profiles: HashMap<String, RelayProfile>,
    /// The slugs of `profiles`: whose outbox rows this relay delivers.
    pub(crate) served: Profiles,
    pub(crate) store: RelayStore,
    pub(crate) forwarder: Forwarder,
    events: broadcast::Sender<RecordEvent>,
    pub(crate) outbox_wake: Notify,
    pub(crate) templates: TemplateSet,
    pub(crate) alerts: Arc<dyn AlertBook>,
    /// How many rejected requests each peer may have recorded.
    pub(crate) rejections: RejectionBudget,
    /// The card clicks taken within the skew window (a repeat is refused as `replayed`).
    pub(crate) seen_clicks: SeenClicks,
    /// The listener's connection and body-read caps, and its counters.
    pub(crate) guard: Arc<Guard>,
    /// What `/metrics` and `/healthz` report (`ops`).
    pub(crate) metrics: super::ops::RelayMetrics,
}

impl RelayCore {
    /// Profiles must have distinct slugs (they are the URL paths).
    pub fn new(
        config: RelayConfig,
        profiles: Vec<RelayProfile>,
        store: RelayStore,
    ) -> Result<Self, RelayError> {
        let mut by_slug = HashMap::new();
        for profile in profiles {
            if let Some(other) = by_slug.insert(profile.slug.clone(), profile) {
                return Err(RelayError::invalid(
                    "profiles",
                    Problem::new(C::RelayPathTwice).param("path", &other.slug),
                ));
            }
        }
        Ok(Self {
            guard: Arc::new(Guard::new(&config.limits, config.max_body)),
            config,
            served: Profiles::new(by_slug.keys().map(String::as_str)),
            profiles: by_slug,
            store,
            forwarder: Forwarder::new(),
            events: broadcast::channel(EVENT_CAPACITY).0,
            outbox_wake: Notify::new(),
            templates: TemplateSet::builtin(),
            alerts: Arc::new(KnownAlerts::default()),
            rejections: RejectionBudget::default(),
            seen_clicks: SeenClicks::default(),
            metrics: super::ops::RelayMetrics::default(),
        })
    }

    /// Uses `alerts` to find the alert behind an Acknowledge/Resolve click (built-in handler).
    pub fn with_alerts(mut self, alerts: Arc<dyn AlertBook>) -> Self {
        self.alerts = alerts;
        self
    }

    pub fn profile(&self, slug: &str) -> Option<&RelayProfile> {
        self.profiles.get(slug)
    }

    /// By slug or by name (not case-sensitive).
    pub fn find_profile(&self, name: &str) -> Option<&RelayProfile> {
        self.profiles.get(name).or_else(|| {
            self.profiles
                .values()
                .find(|p| p.name.eq_ignore_ascii_case(name))
        })
    }

    pub fn profiles(&self) -> impl Iterator<Item = &RelayProfile> {
        self.profiles.values()
    }

    /// Connections, buffered bytes and refusals now and at their highest.
    pub fn load(&self) -> RelayLoad {
        self.guard.load()
    }

    pub fn store(&self) -> &RelayStore {
        &self.store
    }

    /// Events of the served profiles still waiting in the outbox.
    pub fn pending_events(&self) -> Result<u32, RelayError> {
        self.store.pending_count(&self.served)
    }

    /// Prunes the record to the configured retention (records and bytes, rejected records
    /// first beyond their share) and finished outbox rows older than the de-duplication window.
    /// The outbox worker runs it every 30 s. Returns how many records went.
    pub fn prune(&self) -> Result<usize, RelayError> {
        let window =
            chrono::Duration::from_std(self.config.outbox.dedup_window).unwrap_or_default();
        let before = self.config.clock.now_ms() - window.num_milliseconds();
        let removed = self.store.prune(self.config.retention, before)?;
        if removed > 0 {
            tracing::debug!(removed, "relay records pruned");
        }
        Ok(removed)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<RecordEvent> {
        self.events.subscribe()
    }

    pub(crate) fn publish(&self, event: RecordEvent) {
        self.metrics.observe(&event);
        // No subscriber is fine: the record is in SQLite either way.
        let _ = self.events.send(event);
    }

    /// Writes a record (with the requests arriving at the same time, see `commit.rs`) and tells
    /// the live view; returns once it is on disk, so that the caller answers only then. `None`:
    /// storage failed (logged); the caller answers 500, so an unrecorded request is never
    /// acknowledged and the platform retries it.
    pub(crate) async fn record(
        &self,
        record: NewRecord,
        outbox: Option<NewOutbox>,
    ) -> Option<RecordSummary> {
        match self.store.commit(record, outbox).await {
            Ok(summary) => {
                tracing::debug!(
                    id = summary.id,
                    kind = summary.kind.as_str(),
                    verdict = summary.verdict.as_str(),
                    status = summary.http_status,
                    "relay request"
                );
                self.publish(RecordEvent::Recorded {
                    record: summary.clone(),
                });
                Some(summary)
            }
            Err(e) => {
                tracing::error!(error = %e, "relay could not record a request; answering 500");
                None
            }
        }
    }
}
