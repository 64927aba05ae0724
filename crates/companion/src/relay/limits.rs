//! What a client can make the listener hold, bounded. Anyone who can reach the relay can open
//! connections, trickle headers, start uploads and stop: before these limits three trickling
//! connections stayed open 75 s and more, 300 stalled 1 MB uploads took the relay from 31 MB to
//! 490 MB, and about 20,000 idle sockets used up its file handles so that a valid signed event
//! timed out. The numbers are constants in `config` ([`ListenLimits::default`]); tests shorten
//! them.
//!
//! - Time: headers within [`ListenLimits::header_timeout`] (hyper's timer, which also closes idle
//!   keep-alive connections), the body within [`ListenLimits::body_timeout`], every connection
//!   closed after [`ListenLimits::connection_lifetime`] (`listener`, `pipeline`).
//! - Connections: at most [`ListenLimits::max_connections`], and
//!   [`ListenLimits::max_connections_per_peer`] from one IP address; beyond that a connection
//!   is closed as soon as it is accepted ([`Gate`]).
//! - Memory: a body is read only with an admission, from one of two pools by its declared size
//!   (small: every real callback; large or unknown), each with a per-peer share (a request
//!   waits up to [`ListenLimits::admission_wait`] for one, then gets 429 or 503), so stalled
//!   uploads neither grow memory nor delay the platform's small requests. A large admission is
//!   held until the request is answered; a small one only while the body is read, so a card
//!   click waiting on the upstream does not hold one. What the relay buffers is thus at most
//!   [`ListenLimits::buffered_bound`]: hyper's read buffer and one small body per connection,
//!   plus `max_body` per large admission.
//!
//! Behind a local tunnel or reverse proxy every connection comes from loopback: the per-peer
//! caps then act as a second global cap, and the tunnel's own limits apply in front.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::config::{
    ADMISSION_WAIT, BODY_TIMEOUT, CONNECTION_LIFETIME, HEADER_TIMEOUT, HTTP1_BUFFER,
    LARGE_BODY_READS, LARGE_BODY_READS_PER_PEER, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_PEER,
    SMALL_BODY_LIMIT, SMALL_BODY_READS, SMALL_BODY_READS_PER_PEER,
};

/// The listener's timeouts and caps (defaults: the constants in `config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenLimits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub connection_lifetime: Duration,
    pub max_connections: usize,
    pub max_connections_per_peer: usize,
    /// Bodies declaring at most this many bytes read on the small pool.
    pub small_body_limit: usize,
    pub small_body_reads: usize,
    pub small_body_reads_per_peer: usize,
    pub large_body_reads: usize,
    pub large_body_reads_per_peer: usize,
    pub admission_wait: Duration,
    /// hyper's read buffer per connection.
    pub http1_buffer: usize,
}

impl Default for ListenLimits {
    fn default() -> Self {
        Self {
            header_timeout: HEADER_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
            connection_lifetime: CONNECTION_LIFETIME,
            max_connections: MAX_CONNECTIONS,
            max_connections_per_peer: MAX_CONNECTIONS_PER_PEER,
            small_body_limit: SMALL_BODY_LIMIT,
            small_body_reads: SMALL_BODY_READS,
            small_body_reads_per_peer: SMALL_BODY_READS_PER_PEER,
            large_body_reads: LARGE_BODY_READS,
            large_body_reads_per_peer: LARGE_BODY_READS_PER_PEER,
            admission_wait: ADMISSION_WAIT,
            http1_buffer: HTTP1_BUFFER,
        }
    }
}

impl ListenLimits {
    /// The most request bytes the relay holds at once, whatever the clients do: hyper's read
    /// buffer for each connection, plus the bodies ([`body_bound`](Self::body_bound)). With the
    /// defaults and a 1 MiB `max_body`: 4 + 16 + 4 = 24 MiB.
    pub fn buffered_bound(&self, max_body: usize) -> usize {
        self.max_connections * self.http1_buffer + self.body_bound(max_body)
    }

    /// The part of [`buffered_bound`](Self::buffered_bound) that is request bodies: one small
    /// body per connection (a connection carries one request at a time) and `max_body` per
    /// large admission.
    pub fn body_bound(&self, max_body: usize) -> usize {
        self.max_connections * self.small_body_limit.min(max_body)
            + self.large_body_reads * max_body
    }
}

/// Why a [`Gate`] did not let a peer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Full {
    /// Everyone's share is taken.
    Global,
    /// This peer's share is taken.
    Peer,
}

/// A counted resource with a global cap and a per-peer cap. The global cap is a semaphore
/// (fair when waiting); the per-peer counts live in a map that holds only peers with a pass.
#[derive(Debug)]
pub(crate) struct Gate {
    global: Arc<Semaphore>,
    max: usize,
    per_peer: usize,
    peers: Mutex<HashMap<IpAddr, usize>>,
    /// Wakes requests waiting for their peer's share.
    released: Notify,
    peak: AtomicUsize,
}

/// Held while the resource is used; gives it back when dropped.
#[derive(Debug)]
pub(crate) struct Pass {
    gate: Arc<Gate>,
    peer: Option<IpAddr>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Pass {
    fn drop(&mut self) {
        if let Some(peer) = self.peer {
            self.gate.leave_peer(peer);
        }
    }
}

impl Gate {
    pub(crate) fn new(max: usize, per_peer: usize) -> Arc<Self> {
        let max = max.max(1);
        Arc::new(Self {
            global: Arc::new(Semaphore::new(max)),
            max,
            per_peer: per_peer.max(1),
            peers: Mutex::new(HashMap::new()),
            released: Notify::new(),
            peak: AtomicUsize::new(0),
        })
    }

    fn enter_peer(&self, peer: IpAddr) -> bool {
        let mut peers = self.peers.lock().unwrap_or_else(PoisonError::into_inner);
        let count = peers.entry(peer).or_insert(0);
        if *count >= self.per_peer {
            return false;
        }
        *count += 1;
        true
    }

    fn leave_peer(&self, peer: IpAddr) {
        let mut peers = self.peers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = peers.get_mut(&peer) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                peers.remove(&peer);
            }
        }
        drop(peers);
        self.released.notify_waiters();
    }

    /// Takes a place in `peer`'s share, waiting until `deadline` for one.
    async fn wait_peer(&self, peer: IpAddr, deadline: tokio::time::Instant) -> bool {
        loop {
            let released = self.released.notified();
            tokio::pin!(released);
            released.as_mut().enable();
            if self.enter_peer(peer) {
                return true;
            }
            if tokio::time::timeout_at(deadline, released).await.is_err() {
                return false;
            }
        }
    }

    fn pass(self: &Arc<Self>, peer: Option<IpAddr>, permit: OwnedSemaphorePermit) -> Pass {
        self.peak.fetch_max(self.in_use(), Ordering::Relaxed);
        Pass {
            gate: self.clone(),
            peer,
            _permit: permit,
        }
    }

    /// A pass now, or why not.
    pub(crate) fn try_enter(self: &Arc<Self>, peer: Option<IpAddr>) -> Result<Pass, Full> {
        if let Some(peer) = peer {
            if !self.enter_peer(peer) {
                return Err(Full::Peer);
            }
        }
        match self.global.clone().try_acquire_owned() {
            Ok(permit) => Ok(self.pass(peer, permit)),
            Err(_) => {
                if let Some(peer) = peer {
                    self.leave_peer(peer);
                }
                Err(Full::Global)
            }
        }
    }

    /// A pass within `wait`, or why not.
    pub(crate) async fn enter(
        self: &Arc<Self>,
        peer: Option<IpAddr>,
        wait: Duration,
    ) -> Result<Pass, Full> {
        let deadline = tokio::time::Instant::now() + wait;
        if let Some(peer) = peer {
            if !self.wait_peer(peer, deadline).await {
                return Err(Full::Peer);
            }
        }
        match tokio::time::timeout_at(deadline, self.global.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(self.pass(peer, permit)),
            _ => {
                if let Some(peer) = peer {
                    self.leave_peer(peer);
                }
                Err(Full::Global)
            }
        }
    }

    pub(crate) fn in_use(&self) -> usize {
        self.max - self.global.available_permits()
    }

    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }
}

/// Leave to read one body (see [`Guard::admit`]).
#[derive(Debug)]
pub(crate) struct Admission {
    pass: Pass,
    large: bool,
}

impl Admission {
    /// The body is read: a small admission goes back now (one small body per connection is
    /// already in the bound), a large one is kept until the request is answered.
    pub(crate) fn body_read(self) -> Option<Pass> {
        self.large.then_some(self.pass)
    }
}

/// The relay's current and highest use of what [`ListenLimits`] bounds, for tests, logs and
/// the CLI. Counts since the relay started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RelayLoad {
    pub connections: usize,
    pub peak_connections: usize,
    /// Connections closed at once because a cap was reached.
    pub refused_connections: usize,
    /// Request bytes held in bodies being read or processed.
    pub buffered_bytes: usize,
    pub peak_buffered_bytes: usize,
    /// Requests answered 429/503 because no admission was free.
    pub refused_requests: usize,
    /// [`ListenLimits::body_bound`]: what `buffered_bytes` can never exceed.
    pub body_bound: usize,
}

/// The listener's gates and counters, shared through `RelayCore`.
#[derive(Debug)]
pub(crate) struct Guard {
    pub(crate) connections: Arc<Gate>,
    small: Arc<Gate>,
    large: Arc<Gate>,
    small_body_limit: usize,
    buffered: AtomicUsize,
    peak_buffered: AtomicUsize,
    refused_connections: AtomicUsize,
    refused_requests: AtomicUsize,
    body_bound: usize,
}

/// Bytes of one request counted in the buffered total until dropped.
#[derive(Debug)]
pub(crate) struct Held {
    guard: Arc<Guard>,
    bytes: usize,
}

impl Held {
    pub(crate) fn add(&mut self, bytes: usize) {
        self.bytes += bytes;
        let now = self.guard.buffered.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.guard.peak_buffered.fetch_max(now, Ordering::Relaxed);
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.guard.buffered.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

impl Guard {
    pub(crate) fn new(limits: &ListenLimits, max_body: usize) -> Self {
        Self {
            connections: Gate::new(limits.max_connections, limits.max_connections_per_peer),
            small: Gate::new(limits.small_body_reads, limits.small_body_reads_per_peer),
            large: Gate::new(limits.large_body_reads, limits.large_body_reads_per_peer),
            small_body_limit: limits.small_body_limit.min(max_body),
            buffered: AtomicUsize::new(0),
            peak_buffered: AtomicUsize::new(0),
            refused_connections: AtomicUsize::new(0),
            refused_requests: AtomicUsize::new(0),
            body_bound: limits.body_bound(max_body),
        }
    }

    /// An admission to read a body that declares `declared` bytes (`None`: unknown length),
    /// from the small or the large pool.
    pub(crate) async fn admit(
        &self,
        peer: Option<IpAddr>,
        declared: Option<usize>,
        wait: Duration,
    ) -> Result<Admission, Full> {
        let large = declared.is_none_or(|len| len > self.small_body_limit);
        let gate = if large { &self.large } else { &self.small };
        match gate.enter(peer, wait).await {
            Ok(pass) => Ok(Admission { pass, large }),
            Err(full) => {
                self.refused_requests.fetch_add(1, Ordering::Relaxed);
                Err(full)
            }
        }
    }

    pub(crate) fn held(self: &Arc<Self>) -> Held {
        Held {
            guard: self.clone(),
            bytes: 0,
        }
    }

    pub(crate) fn refused_connection(&self) -> usize {
        self.refused_connections.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn load(&self) -> RelayLoad {
        RelayLoad {
            connections: self.connections.in_use(),
            peak_connections: self.connections.peak(),
            refused_connections: self.refused_connections.load(Ordering::Relaxed),
            buffered_bytes: self.buffered.load(Ordering::Relaxed),
            peak_buffered_bytes: self.peak_buffered.load(Ordering::Relaxed),
            refused_requests: self.refused_requests.load(Ordering::Relaxed),
            body_bound: self.body_bound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_caps_everyone_and_each_peer() {
        let gate = Gate::new(3, 2);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let a1 = gate.try_enter(Some(a)).unwrap();
        let _a2 = gate.try_enter(Some(a)).unwrap();
        assert_eq!(gate.try_enter(Some(a)).unwrap_err(), Full::Peer);
        let _b1 = gate.try_enter(Some(b)).unwrap();
        assert_eq!(gate.try_enter(Some(b)).unwrap_err(), Full::Global);
        assert_eq!(gate.in_use(), 3);
        drop(a1);
        assert_eq!(gate.in_use(), 2);
        assert!(
            gate.try_enter(Some(b)).is_ok(),
            "a's pass went back to everyone"
        );
        assert_eq!(gate.peak(), 3);
    }

    #[test]
    fn the_default_bound_is_twenty_four_mib() {
        let limits = ListenLimits::default();
        assert_eq!(limits.buffered_bound(1024 * 1024), 24 * 1024 * 1024);
    }

    #[tokio::test]
    async fn a_request_waits_for_its_peers_share_then_gives_up() {
        let gate = Gate::new(10, 1);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let first = gate.try_enter(Some(a)).unwrap();
        let waiting = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.enter(Some(a), Duration::from_secs(5)).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(first);
        assert!(waiting.await.unwrap().is_ok(), "let in once the first left");
        let _held = gate.try_enter(Some(a));
        let refused = gate.enter(Some(a), Duration::from_millis(50)).await;
        assert_eq!(refused.unwrap_err(), Full::Peer);
    }
}
