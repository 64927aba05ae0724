//! Card clicks already taken, so that a captured one sent again is refused (`replayed`). A
//! signature covers the timestamp, the nonce and the body, and `rejection::stale` refuses a
//! timestamp beyond `max_skew`; within it the same bytes verify again. Events need none of this
//! (the store makes a redelivered event id a duplicate, acknowledged and not delivered twice);
//! a card click is acted on at once (forwarded, or resolved by the built-in handler), so each
//! one must be taken once.
//!
//! What is remembered, per profile: the nonce and signature of a signed click, and the event id
//! of a `card.action.trigger` (it is in the verified body; the legacy click has none). Entries
//! last twice the skew (a timestamp up to `max_skew` ahead stays acceptable that long), and at
//! most [`SEEN_CLICKS`] are kept: beyond it the oldest go first. Only accepted clicks are
//! remembered, so only what the platform signed can fill it. Keys are hashed with the process's
//! random SipHash keys (8 bytes an entry; a collision cannot be aimed at).
//!
//! The long connection is exempt: its messages come over a WebSocket opened with the App Secret
//! and are sealed by the relay itself, and the client answers a pushed-again message from its
//! own cache.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use lark_platform::envelope::{Check, Envelope, SignatureHeaders, Verified};

use super::config::SEEN_CLICKS;

/// The clicks taken within the window, by hashed key, with when each may be forgotten.
#[derive(Debug)]
pub(crate) struct SeenClicks {
    cap: usize,
    hasher: RandomState,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Key → the time (ms) it expires.
    until: HashMap<u64, i64>,
    /// Keys in the order they were taken (expiry times only grow with it, clock permitting).
    order: VecDeque<(i64, u64)>,
    /// Whether the cap was reached since it last had room (logged once then).
    full_logged: bool,
}

impl Default for SeenClicks {
    fn default() -> Self {
        Self::new(SEEN_CLICKS)
    }
}

/// The keys a click is remembered by; empty for anything else.
pub(crate) fn keys(slug: &str, verified: &Verified, signature: &SignatureHeaders) -> Vec<String> {
    let mut keys = Vec::new();
    match &verified.envelope {
        Envelope::CardActionTrigger(c) if !c.event_id.is_empty() => {
            keys.push(format!("{slug}\0event\0{}", c.event_id));
        }
        Envelope::CardActionTrigger(_) | Envelope::LegacyCardAction(_) => {}
        _ => return keys,
    }
    let signed = verified
        .checks
        .iter()
        .any(|c| matches!(c, Check::Signature(_)));
    if let (true, Some(nonce), Some(sig)) = (
        signed,
        signature.nonce.as_deref(),
        signature.signature.as_deref(),
    ) {
        keys.push(format!("{slug}\0signed\0{nonce}\0{}", sig.trim()));
    }
    keys
}

impl SeenClicks {
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            hasher: RandomState::new(),
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a click: true when none of `keys` was taken within the window (they are now, for
    /// `max_skew` twice over from `now_ms`), false when one was: a replay.
    pub(crate) fn first_sight(&self, keys: &[String], now_ms: i64, max_skew: Duration) -> bool {
        if keys.is_empty() {
            return true;
        }
        let hashes: Vec<u64> = keys.iter().map(|k| self.hasher.hash_one(k)).collect();
        let window = i64::try_from(max_skew.as_millis().saturating_mul(2)).unwrap_or(i64::MAX);
        let until = now_ms.saturating_add(window).saturating_add(1000);
        let mut inner = self.lock();
        inner.expire(now_ms);
        if hashes
            .iter()
            .any(|h| inner.until.get(h).is_some_and(|&t| t > now_ms))
        {
            return false;
        }
        for hash in hashes {
            inner.until.insert(hash, until);
            inner.order.push_back((until, hash));
        }
        if inner.until.len() > self.cap {
            if !inner.full_logged {
                inner.full_logged = true;
                tracing::warn!(
                    cap = self.cap,
                    "the relay remembers no more card clicks: the oldest are forgotten early"
                );
            }
            while inner.until.len() > self.cap {
                let Some((until, hash)) = inner.order.pop_front() else {
                    break;
                };
                // A key forgotten and taken again has a later entry: only this one's goes.
                if inner.until.get(&hash) == Some(&until) {
                    inner.until.remove(&hash);
                }
            }
        } else {
            inner.full_logged = false;
        }
        true
    }

    /// Forgets a click that was taken but could not be recorded (answered 500): the platform
    /// may send it again, and that is not a replay.
    pub(crate) fn forget(&self, keys: &[String]) {
        let mut inner = self.lock();
        for key in keys {
            inner.until.remove(&self.hasher.hash_one(key));
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().until.len()
    }
}

impl Inner {
    /// Drops the entries whose time has passed, from the oldest.
    fn expire(&mut self, now_ms: i64) {
        while let Some(&(until, hash)) = self.order.front() {
            if until > now_ms {
                break;
            }
            self.order.pop_front();
            // A key taken again later has a later time: only this entry's own goes.
            if self.until.get(&hash).is_some_and(|&t| t <= now_ms) {
                self.until.remove(&hash);
            }
        }
        // Entries forgotten by `forget` leave their place in `order`; keep it bounded too.
        if self.order.len() > 2 * self.until.len() + 64 {
            let until = &self.until;
            self.order.retain(|(t, h)| until.get(h) == Some(t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKEW: Duration = Duration::from_secs(300);

    fn k(s: &str) -> Vec<String> {
        vec![s.to_owned()]
    }

    #[test]
    fn a_key_is_taken_once_within_the_window() {
        let seen = SeenClicks::new(100);
        let t = 1_700_000_000_000;
        assert!(seen.first_sight(&k("a"), t, SKEW));
        assert!(!seen.first_sight(&k("a"), t + 1, SKEW));
        assert!(!seen.first_sight(&["b".into(), "a".into()], t + 2, SKEW));
        assert!(seen.first_sight(&k("b"), t + 3, SKEW), "b was not taken");
        // Twice the skew later (and a second) it is forgotten.
        let later = t + 601_000;
        assert!(!seen.first_sight(&k("a"), later - 1, SKEW));
        assert!(seen.first_sight(&k("a"), later + 1, SKEW));
        assert!(seen.first_sight(&[], t, SKEW), "nothing to remember");
    }

    #[test]
    fn the_cap_bounds_the_memory_and_forgets_the_oldest() {
        let seen = SeenClicks::new(3);
        let t = 1_000;
        for key in ["a", "b", "c", "d"] {
            assert!(seen.first_sight(&k(key), t, SKEW));
        }
        assert_eq!(seen.len(), 3);
        assert!(seen.first_sight(&k("a"), t, SKEW), "the oldest went first");
        assert!(!seen.first_sight(&k("d"), t, SKEW));
        for i in 0..10_000 {
            seen.first_sight(&k(&i.to_string()), t + i, SKEW);
        }
        assert_eq!(seen.len(), 3);
        assert!(seen.lock().order.len() <= 3 + 64 + 6);
    }

    #[test]
    fn a_forgotten_click_may_come_again_and_any_skew_is_taken() {
        let seen = SeenClicks::new(10);
        assert!(seen.first_sight(&k("a"), 0, SKEW));
        seen.forget(&k("a"));
        assert!(seen.first_sight(&k("a"), 1, SKEW));
        let forever = Duration::from_secs(u64::MAX);
        assert!(seen.first_sight(&k("z"), i64::MAX - 5, forever));
        assert!(!seen.first_sight(&k("z"), i64::MAX - 4, forever));
    }
}
