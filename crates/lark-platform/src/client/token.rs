//! The tenant access token cache: one token per client, refreshed ahead of expiry, fetched by
//! one caller at a time however many calls need it (single flight).
//!
//! Refresh point: 10 minutes before expiry like lark-oapi (core/token/manager.py), but never
//! before half the token's life, so that a short lifetime (tests, lark-sim) is still reused.
//! The platform hands out a new token once the old one has under 30 minutes left, so refreshing
//! at 10 minutes gets a new one.

use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::ApiError;
use crate::secret::Secret;

/// How long before expiry the SDK refreshes.
const REFRESH_AHEAD: Duration = Duration::from_secs(10 * 60);

/// When a token that lives `lifetime` should be replaced, counted from when it was obtained.
pub(crate) fn refresh_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(REFRESH_AHEAD).max(lifetime / 2)
}

struct Cached {
    value: Secret,
    refresh_at: Instant,
    expires_at: Instant,
}

#[derive(Default)]
struct Slot {
    token: Option<Cached>,
    /// Completed fetches; waiters compare it to learn that a fetch ran while they queued.
    fetches: u64,
    last_error: Option<ApiError>,
}

impl Slot {
    fn fresh(&self, now: Instant) -> Option<Secret> {
        self.token
            .as_ref()
            .filter(|t| now < t.refresh_at)
            .map(|t| t.value.clone())
    }

    /// A token past its refresh point but not yet expired: usable when a refresh fails for a
    /// transient reason.
    fn still_valid(&self, now: Instant) -> Option<Secret> {
        self.token
            .as_ref()
            .filter(|t| now < t.expires_at)
            .map(|t| t.value.clone())
    }

    /// After a failed fetch: the old token if the failure was transient and it still lives.
    fn after_failure(&self, error: ApiError, now: Instant) -> Result<Secret, ApiError> {
        match self.still_valid(now) {
            Some(token) if error.is_transient() => Ok(token),
            _ => Err(error),
        }
    }
}

/// The cache. The std mutex guards the slot (never held across an await); the tokio mutex is
/// the single-flight gate, held while one fetch runs.
#[derive(Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Slot>,
    flight: tokio::sync::Mutex<()>,
}

impl TokenCache {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A usable token: the cached one while fresh, else the result of one `fetch` shared by
    /// every caller that was waiting for it (a failed fetch fails them all, instead of each one
    /// hammering the token endpoint in turn).
    ///
    /// `fetch` returns the token and its lifetime (`expire`).
    pub async fn get<F, Fut>(&self, now: impl Fn() -> Instant, fetch: F) -> Result<Secret, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Duration), ApiError>>,
    {
        let seen = {
            let slot = self.slot();
            if let Some(token) = slot.fresh(now()) {
                return Ok(token);
            }
            slot.fetches
        };
        let _flight = self.flight.lock().await;
        {
            let slot = self.slot();
            if let Some(token) = slot.fresh(now()) {
                return Ok(token);
            }
            if slot.fetches != seen {
                if let Some(error) = slot.last_error.clone() {
                    return slot.after_failure(error, now());
                }
            }
        }
        let result = fetch().await;
        let obtained = now();
        let mut slot = self.slot();
        slot.fetches += 1;
        match result {
            Ok((value, lifetime)) => {
                slot.token = Some(Cached {
                    value: value.clone(),
                    refresh_at: obtained + refresh_after(lifetime),
                    expires_at: obtained + lifetime,
                });
                slot.last_error = None;
                Ok(value)
            }
            Err(error) => {
                slot.last_error = Some(error.clone());
                slot.after_failure(error, obtained)
            }
        }
    }

    /// Forgets `rejected` after the platform refused it. A token another caller has already
    /// replaced it with stays.
    pub fn invalidate(&self, rejected: &Secret) {
        let mut slot = self.slot();
        if slot.token.as_ref().is_some_and(|t| &t.value == rejected) {
            slot.token = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn refresh_point_is_ten_minutes_early_but_not_before_half_life() {
        assert_eq!(
            refresh_after(Duration::from_secs(7200)),
            Duration::from_secs(6600)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(60)),
            Duration::from_secs(30)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(1200)),
            Duration::from_secs(600)
        );
        assert_eq!(refresh_after(Duration::ZERO), Duration::ZERO);
    }

    fn ok(token: &str, secs: u64) -> Result<(Secret, Duration), ApiError> {
        Ok((Secret::new(token), Duration::from_secs(secs)))
    }

    #[tokio::test]
    async fn caches_until_the_refresh_point() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        let at = |secs: u64| move || t0 + Duration::from_secs(secs);
        let first = cache
            .get(at(0), || async { ok("t-1", 7200) })
            .await
            .unwrap();
        assert_eq!(first.expose(), "t-1");
        let cached = cache
            .get(at(6599), || async { panic!("must not fetch") })
            .await
            .unwrap();
        assert_eq!(cached.expose(), "t-1");
        let refreshed = cache
            .get(at(6600), || async { ok("t-2", 7200) })
            .await
            .unwrap();
        assert_eq!(refreshed.expose(), "t-2");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.spawn(async move {
                cache
                    .get(Instant::now, || async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        ok("t-1", 7200)
                    })
                    .await
            });
        }
        while let Some(result) = tasks.join_next().await {
            assert_eq!(result.unwrap().unwrap().expose(), "t-1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_fetch_fails_its_waiters_without_refetching() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.spawn(async move {
                cache
                    .get(Instant::now, || async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err(ApiError::InvalidCredentials {
                            field: crate::client::CredentialField::AppSecret,
                            code: 10014,
                        })
                    })
                    .await
            });
        }
        while let Some(result) = tasks.join_next().await {
            assert!(result.unwrap().is_err());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        // A later call tries again.
        let token = cache
            .get(Instant::now, || async { ok("t-2", 60) })
            .await
            .unwrap();
        assert_eq!(token.expose(), "t-2");
    }

    #[tokio::test]
    async fn a_transient_refresh_failure_keeps_a_still_valid_token() {
        let cache = TokenCache::default();
        let t0 = Instant::now();
        cache
            .get(|| t0, || async { ok("t-1", 7200) })
            .await
            .unwrap();
        let later = t0 + Duration::from_secs(7000);
        let kept = cache
            .get(
                || later,
                || async {
                    Err(ApiError::Network {
                        timeout: true,
                        detail: "timed out".into(),
                    })
                },
            )
            .await
            .unwrap();
        assert_eq!(kept.expose(), "t-1");
        let expired = t0 + Duration::from_secs(7200);
        let error = cache
            .get(
                || expired,
                || async {
                    Err(ApiError::Network {
                        timeout: false,
                        detail: "refused".into(),
                    })
                },
            )
            .await
            .unwrap_err();
        assert_eq!(error.kind(), "network");
    }

    #[tokio::test]
    async fn invalidate_only_drops_the_rejected_token() {
        let cache = TokenCache::default();
        cache
            .get(Instant::now, || async { ok("t-1", 7200) })
            .await
            .unwrap();
        cache.invalidate(&Secret::new("t-0"));
        let same = cache
            .get(Instant::now, || async { panic!("must not fetch") })
            .await
            .unwrap();
        assert_eq!(same.expose(), "t-1");
        cache.invalidate(&Secret::new("t-1"));
        let new = cache
            .get(Instant::now, || async { ok("t-2", 7200) })
            .await
            .unwrap();
        assert_eq!(new.expose(), "t-2");
    }
}
