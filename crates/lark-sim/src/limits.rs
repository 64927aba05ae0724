//! Rate ceilings as exact sliding windows.
//!
//! The platform's frequency control is "N calls per window" per API, per app; message sending
//! adds a per-minute tier and 5 calls per second per receiver; card updates allow 5 per second
//! per message. Each ceiling here is a log of admitted calls: a call is admitted when fewer than
//! `limit` calls were admitted in the last `window_ms`. Rejected calls are not logged, so a client
//! that backs off for `reset` seconds is admitted again, exactly like the headers promise.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

/// The ceilings the simulator enforces. Every value is per app (there is one app).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct LimitsConfig {
    /// Calls per second for each API (each API is its own tier), default 50.
    pub api_per_second: u32,
    /// Message sends per minute, default 1000.
    pub send_per_minute: u32,
    /// Message sends per second to one chat or one user, default 5 (code 230020).
    pub per_receiver_per_second: u32,
    /// Card updates per second of one message, default 5 (code 230020).
    pub patch_per_message_per_second: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            api_per_second: 50,
            send_per_minute: 1000,
            per_receiver_per_second: 5,
            patch_per_message_per_second: 5,
        }
    }
}

/// Why a call was refused: the window's cap and how long until a call would be admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateRejection {
    /// The cap of the window that tripped (`x-ogw-ratelimit-limit`).
    pub limit: u32,
    /// Whole seconds until the window admits another call (`x-ogw-ratelimit-reset`), at least 1.
    pub reset_secs: u64,
}

/// One sliding window: the times of the calls it admitted.
#[derive(Debug, Default)]
struct Window {
    admitted: VecDeque<i64>,
}

impl Window {
    fn prune(&mut self, now_ms: i64, window_ms: i64) {
        while self
            .admitted
            .front()
            .is_some_and(|&t| t <= now_ms - window_ms)
        {
            self.admitted.pop_front();
        }
    }

    fn check(&mut self, now_ms: i64, limit: u32, window_ms: i64) -> Result<(), RateRejection> {
        self.prune(now_ms, window_ms);
        if self.admitted.len() < limit as usize {
            return Ok(());
        }
        // The call becomes possible once the oldest admitted call leaves the window.
        let oldest = self.admitted.front().copied().unwrap_or(now_ms);
        let wait_ms = (oldest + window_ms - now_ms).max(1);
        let reset_secs = u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000).max(1);
        Err(RateRejection { limit, reset_secs })
    }
}

/// A check to make: the key of a window, its cap and its length.
#[derive(Clone, Debug)]
pub struct Ceiling {
    pub key: String,
    pub limit: u32,
    pub window_ms: i64,
}

impl Ceiling {
    pub fn per_second(key: impl Into<String>, limit: u32) -> Self {
        Self {
            key: key.into(),
            limit,
            window_ms: 1_000,
        }
    }

    pub fn per_minute(key: impl Into<String>, limit: u32) -> Self {
        Self {
            key: key.into(),
            limit,
            window_ms: 60_000,
        }
    }
}

/// All windows, by key.
#[derive(Debug, Default)]
pub struct Limiter {
    windows: HashMap<String, Window>,
}

impl Limiter {
    /// Admits one call against every ceiling, or refuses it without recording anything.
    ///
    /// All-or-nothing so that a call refused by the per-minute tier does not eat a slot of the
    /// per-second tier.
    pub fn admit(
        &mut self,
        now_ms: i64,
        ceilings: &[Ceiling],
    ) -> Result<(), (usize, RateRejection)> {
        for (index, ceiling) in ceilings.iter().enumerate() {
            let window = self.windows.entry(ceiling.key.clone()).or_default();
            window
                .check(now_ms, ceiling.limit, ceiling.window_ms)
                .map_err(|rejection| (index, rejection))?;
        }
        for ceiling in ceilings {
            if let Some(window) = self.windows.get_mut(&ceiling.key) {
                window.admitted.push_back(now_ms);
            }
        }
        Ok(())
    }

    /// Forgets every admitted call (used by `/_sim/config` `reset_limits`).
    pub fn reset(&mut self) {
        self.windows.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_exactly_the_limit_within_the_window() {
        let mut limiter = Limiter::default();
        let ceilings = [Ceiling::per_second("a", 3)];
        for _ in 0..3 {
            assert!(limiter.admit(1_000, &ceilings).is_ok());
        }
        let (_, rejection) = limiter.admit(1_500, &ceilings).unwrap_err();
        assert_eq!(
            rejection,
            RateRejection {
                limit: 3,
                reset_secs: 1
            }
        );
        // The window slides: at t = 2000 the calls made at t = 1000 have left it.
        assert!(limiter.admit(2_000, &ceilings).is_ok());
    }

    #[test]
    fn refused_calls_do_not_consume_other_tiers() {
        let mut limiter = Limiter::default();
        let ceilings = [Ceiling::per_second("s", 10), Ceiling::per_minute("m", 2)];
        assert!(limiter.admit(0, &ceilings).is_ok());
        assert!(limiter.admit(0, &ceilings).is_ok());
        let (index, rejection) = limiter.admit(0, &ceilings).unwrap_err();
        assert_eq!(index, 1);
        assert_eq!(rejection.reset_secs, 60);
        assert!(limiter.admit(0, &[Ceiling::per_second("s", 3)]).is_ok());
    }
}
