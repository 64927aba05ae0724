//! What server software offers its operator: `GET /healthz` and `GET /metrics`, on a listen
//! address of their own (loopback unless told otherwise), apart from the callback path the
//! platform and strangers reach.
//!
//! The numbers come from the same stream of record events the inspector's live view shows
//! ([`RelayMetrics::observe`], called by `RelayCore::publish`), so a request counted is a
//! request recorded. Metrics are in the OpenMetrics text format through `prometheus-client`, the
//! Prometheus project's own Rust client. Health is a judgement over those numbers: the relay is
//! unhealthy when the upstream has failed for longer than `RelayConfig::unhealthy_after` with no
//! success in between, or its long connection has been down that long.

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use lark_platform::ws_client::ConnectionState;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::error::RelayError;
use super::model::{RecordEvent, RecordSummary};
use super::state::RelayCore;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    kind: &'static str,
    verdict: &'static str,
}

/// The relay's counters (one set per [`RelayCore`]).
pub struct RelayMetrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    answer_seconds: Histogram,
    upstream_seconds: Histogram,
    upstream_failures: Counter,
    outbox_depth: Gauge,
    outbox_oldest_seconds: Gauge<f64, AtomicU64>,
    reconnects: Counter,
    connected: Gauge,
    /// Totals the notice watchers take rates of (`notices::watch`).
    rejected: AtomicU64,
    late: AtomicU64,
    watch: Mutex<Watch>,
}

/// What health is judged on: since when things have been failing.
#[derive(Default)]
struct Watch {
    upstream_failing_since: Option<Instant>,
    /// `Some` only for a long-connection relay: since when it has been down (`None` = up).
    long_connection: Option<(String, Option<Instant>)>,
}

impl Default for RelayMetrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("lark_relay");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "Requests recorded, by kind and verdict",
            requests.clone(),
        );
        // 0.5 ms to about 8 s.
        let answer_seconds = Histogram::new(exponential_buckets(0.0005, 2.0, 15));
        registry.register(
            "answer_seconds",
            "Time from receipt to the answer",
            answer_seconds.clone(),
        );
        let upstream_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        registry.register(
            "upstream_seconds",
            "Time the upstream took to answer a forwarded request",
            upstream_seconds.clone(),
        );
        let upstream_failures = Counter::default();
        registry.register(
            "upstream_failures",
            "Forwarded requests the upstream did not accept (no answer, or not 2xx)",
            upstream_failures.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Events waiting in the outbox for delivery",
            outbox_depth.clone(),
        );
        let outbox_oldest_seconds = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "outbox_oldest_seconds",
            "Age of the oldest event waiting in the outbox",
            outbox_oldest_seconds.clone(),
        );
        let reconnects = Counter::default();
        registry.register(
            "long_connection_reconnects",
            "Times the long connection was lost and tried again",
            reconnects.clone(),
        );
        let connected = Gauge::default();
        registry.register(
            "long_connection_up",
            "1 while the long connection is connected",
            connected.clone(),
        );
        Self {
            registry,
            requests,
            answer_seconds,
            upstream_seconds,
            upstream_failures,
            outbox_depth,
            outbox_oldest_seconds,
            reconnects,
            connected,
            rejected: AtomicU64::new(0),
            late: AtomicU64::new(0),
            watch: Mutex::new(Watch::default()),
        }
    }
}

impl RelayMetrics {
    fn watch(&self) -> std::sync::MutexGuard<'_, Watch> {
        self.watch.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a record event: a new record is a request; either kind may carry an upstream
    /// attempt (a card click's answer, a late answer, an outbox delivery).
    pub fn observe(&self, event: &RecordEvent) {
        if let RecordEvent::Recorded { record } = event {
            self.requests
                .get_or_create(&RequestLabels {
                    kind: record.kind.as_str(),
                    verdict: record.verdict.as_str(),
                })
                .inc();
            self.answer_seconds.observe(record.answer_ms / 1000.0);
            if record.verdict == super::model::Verdict::Rejected {
                self.rejected
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            if record.deadline_missed {
                self.late.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        self.upstream(event.record(), Instant::now());
    }

    fn upstream(&self, record: &RecordSummary, now: Instant) {
        let Some(latency_ms) = record.upstream_latency_ms else {
            return;
        };
        self.upstream_seconds
            .observe(f64::from(latency_ms) / 1000.0);
        let ok = record
            .upstream_status
            .is_some_and(|s| (200..300).contains(&s));
        let mut watch = self.watch();
        if ok {
            watch.upstream_failing_since = None;
        } else {
            self.upstream_failures.inc();
            watch.upstream_failing_since.get_or_insert(now);
        }
    }

    /// Follows a long connection's state (reconnects, up or down since when).
    pub fn connection(&self, state: &ConnectionState, now: Instant) {
        let name = match state {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Connected { .. } => "connected",
            ConnectionState::Reconnecting { .. } => "reconnecting",
            ConnectionState::Failed { .. } => "failed",
            ConnectionState::Stopped => "stopped",
        };
        let up = matches!(state, ConnectionState::Connected { .. });
        self.connected.set(i64::from(up));
        let mut watch = self.watch();
        let was_down = watch.long_connection.as_ref().and_then(|(_, since)| *since);
        let was_reconnecting = watch
            .long_connection
            .as_ref()
            .is_some_and(|(last, _)| last == "reconnecting");
        if matches!(state, ConnectionState::Reconnecting { .. }) && !was_reconnecting {
            self.reconnects.inc();
        }
        let down_since = if up {
            None
        } else {
            Some(was_down.unwrap_or(now))
        };
        watch.long_connection = Some((name.to_owned(), down_since));
    }

    /// Rejected requests and late answers counted so far.
    pub fn totals(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.rejected.load(Relaxed), self.late.load(Relaxed))
    }

    /// The metrics in the OpenMetrics text format.
    fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// What `GET /healthz` answers (200 when healthy, 503 when not).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `ok` or `unhealthy`.
    pub status: &'static str,
    /// Why it is unhealthy: `upstream_failing`, `long_connection_down`, `storage`.
    pub reasons: Vec<&'static str>,
    pub outbox_depth: u32,
    /// Age of the oldest event waiting for delivery, in seconds.
    pub outbox_oldest_seconds: Option<f64>,
    /// The long connection's state, for a long-connection relay.
    pub long_connection: Option<String>,
    /// How long the upstream has been failing with no success in between, in seconds.
    pub upstream_failing_seconds: Option<f64>,
    /// How long the long connection has been down, in seconds.
    pub long_connection_down_seconds: Option<f64>,
}

impl RelayCore {
    /// The relay's health now (reads the outbox: blocking, run it off the async threads).
    pub fn health(&self) -> Health {
        let now = Instant::now();
        let threshold = self.config.unhealthy_after;
        let outbox = self.store.outbox_depth(&self.served);
        let mut reasons = Vec::new();
        let (depth, oldest) = match outbox {
            Ok((depth, oldest_ms)) => {
                let age =
                    oldest_ms.map(|ms| (self.config.clock.now_ms() - ms).max(0) as f64 / 1000.0);
                (depth, age)
            }
            Err(e) => {
                tracing::warn!(error = %e, "health: the outbox could not be read");
                reasons.push("storage");
                (0, None)
            }
        };
        self.metrics.outbox_depth.set(i64::from(depth));
        self.metrics
            .outbox_oldest_seconds
            .set(oldest.unwrap_or(0.0));
        let watch = self.metrics.watch();
        let failing = watch.upstream_failing_since.map(|t| now - t);
        if failing.is_some_and(|d| d >= threshold) {
            reasons.push("upstream_failing");
        }
        let down = watch
            .long_connection
            .as_ref()
            .and_then(|(_, down)| down.map(|t| now - t));
        if down.is_some_and(|d| d >= threshold) {
            reasons.push("long_connection_down");
        }
        let long_connection = watch
            .long_connection
            .as_ref()
            .map(|(state, _)| state.clone());
        Health {
            status: if reasons.is_empty() {
                "ok"
            } else {
                "unhealthy"
            },
            reasons,
            outbox_depth: depth,
            outbox_oldest_seconds: oldest,
            long_connection,
            upstream_failing_seconds: failing.as_ref().map(Duration::as_secs_f64),
            long_connection_down_seconds: down.as_ref().map(Duration::as_secs_f64),
        }
    }

    pub fn metrics(&self) -> &RelayMetrics {
        &self.metrics
    }
}

/// The `/healthz` and `/metrics` listener.
pub struct OpsServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl OpsServer {
    /// Serves `/healthz` and `/metrics` for `core` on `listen`. A taken port is an error.
    pub async fn start(listen: SocketAddr, core: Arc<RelayCore>) -> Result<Self, RelayError> {
        let (listener, addr) = super::listener::bind(listen).await?;
        let app = Router::new()
            .route("/healthz", get(healthz))
            .route("/metrics", get(metrics))
            .with_state(core.clone());
        let (stop, stopped) = watch::channel(false);
        let server = tokio::spawn(super::listener::serve(listener, app, core, stopped));
        tracing::info!(%addr, "relay health and metrics served");
        Ok(Self { addr, stop, server })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.server).await;
    }
}

async fn healthz(State(core): State<Arc<RelayCore>>) -> Response {
    let health = match tokio::task::spawn_blocking(move || core.health()).await {
        Ok(health) => health,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let status = if health.reasons.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(health)).into_response()
}

async fn metrics(State(core): State<Arc<RelayCore>>) -> Response {
    // The outbox gauges are read at scrape time (health reads them).
    let text = match tokio::task::spawn_blocking(move || {
        core.health();
        core.metrics.encode()
    })
    .await
    {
        Ok(text) => text,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// Feeds a long connection's states into `core`'s metrics until the connection's client ends.
pub(crate) fn follow(core: Arc<RelayCore>, mut states: watch::Receiver<ConnectionState>) {
    tokio::spawn(async move {
        core.metrics
            .connection(&states.borrow_and_update().clone(), Instant::now());
        while states.changed().await.is_ok() {
            let state = states.borrow_and_update().clone();
            core.metrics.connection(&state, Instant::now());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reconnecting(attempt: u32) -> ConnectionState {
        ConnectionState::Reconnecting {
            attempt,
            next_try: chrono::Utc::now(),
            last_error: None,
        }
    }

    #[test]
    fn a_lost_connection_counts_one_reconnect_however_many_attempts_it_takes() {
        let m = RelayMetrics::default();
        let t = Instant::now();
        m.connection(&ConnectionState::Connecting, t);
        m.connection(
            &ConnectionState::Connected {
                since: chrono::Utc::now(),
            },
            t,
        );
        for attempt in 1..=3 {
            m.connection(&reconnecting(attempt), t);
        }
        m.connection(
            &ConnectionState::Connected {
                since: chrono::Utc::now(),
            },
            t,
        );
        m.connection(&reconnecting(1), t);
        let text = m.encode();
        assert!(
            text.contains("lark_relay_long_connection_reconnects_total 2"),
            "{text}"
        );
        assert!(text.contains("lark_relay_long_connection_up 0"), "{text}");
    }

    #[test]
    fn down_since_is_the_first_moment_down_and_clears_when_up() {
        let m = RelayMetrics::default();
        let t0 = Instant::now();
        m.connection(&reconnecting(1), t0);
        m.connection(&reconnecting(2), t0 + Duration::from_secs(30));
        assert_eq!(m.watch().long_connection.as_ref().unwrap().1, Some(t0));
        m.connection(
            &ConnectionState::Connected {
                since: chrono::Utc::now(),
            },
            t0,
        );
        assert_eq!(m.watch().long_connection.as_ref().unwrap().1, None);
    }
}
