//! How many rejected requests one peer (the client's IP address) may have recorded: a token
//! bucket per peer, [`REJECTED_RECORDS_BURST`] then [`REJECTED_RECORDS_PER_MINUTE`]. Beyond it
//! a peer's rejections are answered exactly the same but not recorded, and the first one of a
//! run is logged. Without it 30 forged requests added 67 MB and a flood pushed real records
//! out of the inspector.
//!
//! Behind a local tunnel or reverse proxy every connection comes from loopback, so all senders
//! share one peer's budget there; the tunnel's own limits apply in front of it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use super::config::{REJECTED_RECORDS_BURST, REJECTED_RECORDS_PER_MINUTE};

/// Peers tracked at once; beyond it, peers whose bucket is full again are forgotten first.
const MAX_TRACKED_PEERS: usize = 4096;

/// One peer's bucket: tokens left (in thousandths) when last seen, and whether a refusal
/// was logged since the bucket last had room.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    milli_tokens: u64,
    at: Instant,
    logged: bool,
}

/// Whether a peer's rejected request may be recorded now.
#[derive(Debug)]
pub(crate) struct RejectionBudget {
    burst: u64,
    per_minute: u64,
    peers: Mutex<HashMap<IpAddr, Bucket>>,
}

impl Default for RejectionBudget {
    fn default() -> Self {
        Self::new(REJECTED_RECORDS_BURST, REJECTED_RECORDS_PER_MINUTE)
    }
}

impl RejectionBudget {
    pub(crate) fn new(burst: u32, per_minute: u32) -> Self {
        Self {
            burst: u64::from(burst.max(1)),
            per_minute: u64::from(per_minute),
            peers: Mutex::new(HashMap::new()),
        }
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> u64 {
        let elapsed_ms = now.saturating_duration_since(bucket.at).as_millis();
        let added =
            u64::try_from(elapsed_ms * u128::from(self.per_minute) / 60).unwrap_or(u64::MAX);
        bucket
            .milli_tokens
            .saturating_add(added)
            .min(self.burst * 1000)
    }

    /// Takes a token for `peer`: true when its rejection may be recorded.
    pub(crate) fn allow(&self, peer: IpAddr, now: Instant) -> bool {
        let mut peers = self.peers.lock().unwrap_or_else(PoisonError::into_inner);
        if peers.len() >= MAX_TRACKED_PEERS && !peers.contains_key(&peer) {
            let full = self.burst * 1000;
            peers.retain(|_, b| self.refilled(b, now) < full);
            if peers.len() >= MAX_TRACKED_PEERS {
                // Every tracked peer is busy: forget them all rather than grow without bound.
                peers.clear();
            }
        }
        let fresh = Bucket {
            milli_tokens: self.burst * 1000,
            at: now,
            logged: false,
        };
        let bucket = peers.entry(peer).or_insert(fresh);
        bucket.milli_tokens = self.refilled(bucket, now);
        bucket.at = now;
        if bucket.milli_tokens >= 1000 {
            bucket.milli_tokens -= 1000;
            bucket.logged = false;
            return true;
        }
        if !bucket.logged {
            bucket.logged = true;
            tracing::warn!(
                %peer,
                burst = self.burst,
                per_minute = self.per_minute,
                "rejected requests from this peer come faster than they are recorded; the \
                 relay still answers them but records no more for now"
            );
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate_per_peer() {
        let budget = RejectionBudget::new(3, 60);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t = Instant::now();
        assert!((0..3).all(|_| budget.allow(a, t)));
        assert!(!budget.allow(a, t));
        assert!(budget.allow(b, t), "another peer has its own budget");
        assert!(!budget.allow(a, t + Duration::from_millis(500)));
        assert!(
            budget.allow(a, t + Duration::from_millis(1600)),
            "one a second"
        );
    }
}
