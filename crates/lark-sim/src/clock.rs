//! The simulator's notion of "now".
//!
//! Rate windows, token expiry, uuid de-duplication and the monthly quota all read this clock
//! instead of the system clock, so tests can shift it (to cross a month boundary or expire a
//! token) or freeze it (so "50 calls in one second" is exactly one second, however slow the
//! machine is).

use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// A shareable clock: system time plus an offset, optionally frozen at one instant.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    inner: Arc<Mutex<ClockState>>,
}

/// What the control surface shows and changes.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ClockState {
    /// Added to the system clock, in milliseconds (may be negative).
    pub offset_ms: i64,
    /// When set, `now` always returns this instant (ms since the Unix epoch) until advanced.
    pub frozen_at_ms: Option<i64>,
}

impl Clock {
    /// A clock that follows the system clock.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Milliseconds since the Unix epoch, as the simulated platform sees them.
    pub fn now_ms(&self) -> i64 {
        let state = *self.lock();
        match state.frozen_at_ms {
            Some(frozen) => frozen,
            None => system_ms().saturating_add(state.offset_ms),
        }
    }

    /// The current instant as a UTC date-time (for month boundaries).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }

    /// The current state (for `/_sim/config` answers).
    pub fn state(&self) -> ClockState {
        *self.lock()
    }

    /// Replaces the offset; a frozen clock keeps its instant shifted by the change.
    pub fn set_offset_ms(&self, offset_ms: i64) {
        let mut state = self.lock();
        let shift = offset_ms.saturating_sub(state.offset_ms);
        if let Some(frozen) = state.frozen_at_ms.as_mut() {
            *frozen = frozen.saturating_add(shift);
        }
        state.offset_ms = offset_ms;
    }

    /// Freezes the clock at the current instant, or lets it run again.
    pub fn set_frozen(&self, frozen: bool) {
        let mut state = self.lock();
        match (frozen, state.frozen_at_ms) {
            (true, None) => state.frozen_at_ms = Some(system_ms().saturating_add(state.offset_ms)),
            (false, Some(at)) => {
                // Keep time continuous: the running clock resumes from the frozen instant.
                state.offset_ms = at.saturating_sub(system_ms());
                state.frozen_at_ms = None;
            }
            _ => {}
        }
    }

    /// Moves time forward (or back, if negative) by `ms`, frozen or not.
    pub fn advance_ms(&self, ms: i64) {
        let mut state = self.lock();
        match state.frozen_at_ms.as_mut() {
            Some(frozen) => *frozen = frozen.saturating_add(ms),
            None => state.offset_ms = state.offset_ms.saturating_add(ms),
        }
    }
}

fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_only_moves_when_advanced() {
        let clock = Clock::new();
        clock.set_frozen(true);
        let t0 = clock.now_ms();
        assert_eq!(clock.now_ms(), t0);
        clock.advance_ms(1500);
        assert_eq!(clock.now_ms(), t0 + 1500);
        clock.set_offset_ms(clock.state().offset_ms + 100);
        assert_eq!(clock.now_ms(), t0 + 1600);
    }

    #[test]
    fn unfreezing_keeps_time_continuous() {
        let clock = Clock::new();
        clock.set_frozen(true);
        clock.advance_ms(-86_400_000);
        let frozen = clock.now_ms();
        clock.set_frozen(false);
        let running = clock.now_ms();
        assert!((running - frozen).abs() < 1_000);
    }
}
