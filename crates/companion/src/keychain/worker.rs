//! One thread that owns the keychain connection and runs every keychain call in turn, so the
//! connection (and its encrypted session) is opened once and reused, and no caller ever waits
//! longer than the deadline: a keychain daemon that stalls (gnome-keyring fsyncs every write,
//! and on a busy disk that takes seconds) turns into [`Error::KeychainTimeout`] for the callers
//! that gave up, while the worker goes on and later calls succeed again.
//!
//! A request whose caller has already given up is dropped without running, so a stalled daemon
//! does not leave a queue of stale writes behind it.

use std::sync::mpsc::{self, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lark_platform::secret::Secret;

use crate::{Error, Result};

/// How long a caller waits for one keychain call, including its retry and read-back. Well above
/// what a healthy daemon needs (milliseconds) and what a daemon fsyncing on a busy disk needs
/// (a few seconds), so only a daemon that is really stuck is reported.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// What the worker can do with the keychain. Entries are named by their user string
/// (`<profile uid>/<secret>`); the service is fixed by the backend.
pub trait Backend: Send + 'static {
    /// Succeeds when the keychain can store secrets now (connects if needed).
    fn probe(&mut self) -> Result<()>;
    fn get(&mut self, user: &str) -> Result<Option<Secret>>;
    fn set(&mut self, user: &str, value: &Secret) -> Result<()>;
    fn delete(&mut self, user: &str) -> Result<()>;
}

enum Op {
    Probe,
    Get(String),
    Set(String, Secret),
    Delete(String),
}

enum Answer {
    Done,
    Value(Option<Secret>),
}

struct Request {
    op: Op,
    give_up_at: Instant,
    reply: Sender<Result<Answer>>,
}

/// A handle on the worker thread; cheap to share (`&Worker` is `Sync`).
pub struct Worker {
    requests: Mutex<Sender<Request>>,
    deadline: Duration,
}

impl Worker {
    /// Starts the worker thread with `backend`; each call waits at most `deadline`.
    pub fn spawn(backend: impl Backend, deadline: Duration) -> Self {
        let (tx, rx) = mpsc::channel::<Request>();
        let mut backend = backend;
        let spawned = std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                for request in rx {
                    if Instant::now() >= request.give_up_at {
                        continue;
                    }
                    let answer = match request.op {
                        Op::Probe => backend.probe().map(|()| Answer::Done),
                        Op::Get(user) => backend.get(&user).map(Answer::Value),
                        Op::Set(user, value) => backend.set(&user, &value).map(|()| Answer::Done),
                        Op::Delete(user) => backend.delete(&user).map(|()| Answer::Done),
                    };
                    // The caller may have given up meanwhile; then nobody wants the answer.
                    let _ = request.reply.send(answer);
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "the keychain thread could not start");
        }
        Self {
            requests: Mutex::new(tx),
            deadline,
        }
    }

    fn call(&self, op: Op) -> Result<Answer> {
        let (reply, answer) = mpsc::channel();
        let request = Request {
            op,
            give_up_at: Instant::now() + self.deadline,
            reply,
        };
        let sent = self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(request);
        if sent.is_err() {
            return Err(Error::KeychainUnavailable {
                detail: "the keychain thread has stopped".into(),
            });
        }
        // No answer in time, or none at all (the request expired in the queue).
        answer.recv_timeout(self.deadline).unwrap_or_else(|_| {
            Err(Error::KeychainTimeout {
                seconds: self.deadline.as_secs().max(1),
            })
        })
    }

    pub fn probe(&self) -> Result<()> {
        self.call(Op::Probe).map(|_| ())
    }

    pub fn get(&self, user: &str) -> Result<Option<Secret>> {
        match self.call(Op::Get(user.to_owned()))? {
            Answer::Value(value) => Ok(value),
            Answer::Done => Ok(None),
        }
    }

    pub fn set(&self, user: &str, value: &Secret) -> Result<()> {
        self.call(Op::Set(user.to_owned(), value.clone()))
            .map(|_| ())
    }

    pub fn delete(&self, user: &str) -> Result<()> {
        self.call(Op::Delete(user.to_owned())).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    use super::*;

    /// A keychain double whose calls take as long as `stall_ms` says at the time.
    #[derive(Clone, Default)]
    struct Stalling {
        stall_ms: Arc<AtomicU64>,
        entries: Arc<Mutex<HashMap<String, Secret>>>,
    }

    impl Stalling {
        fn pause(&self) {
            std::thread::sleep(Duration::from_millis(self.stall_ms.load(Ordering::SeqCst)));
        }
    }

    impl Backend for Stalling {
        fn probe(&mut self) -> Result<()> {
            self.pause();
            Ok(())
        }
        fn get(&mut self, user: &str) -> Result<Option<Secret>> {
            self.pause();
            Ok(self.entries.lock().unwrap().get(user).cloned())
        }
        fn set(&mut self, user: &str, value: &Secret) -> Result<()> {
            self.pause();
            self.entries
                .lock()
                .unwrap()
                .insert(user.into(), value.clone());
            Ok(())
        }
        fn delete(&mut self, user: &str) -> Result<()> {
            self.pause();
            self.entries.lock().unwrap().remove(user);
            Ok(())
        }
    }

    #[test]
    fn a_keychain_that_stalls_past_the_deadline_is_reported_as_late_and_later_calls_work() {
        let double = Stalling::default();
        let worker = Worker::spawn(double.clone(), Duration::from_millis(300));
        worker.set("u/app_secret", &Secret::new("s1")).unwrap();

        double.stall_ms.store(1_500, Ordering::SeqCst);
        let err = worker.get("u/app_secret").unwrap_err();
        assert!(
            matches!(err, Error::KeychainTimeout { .. }),
            "a stalled keychain is 'did not answer in time', not 'no keychain': {err:?}"
        );
        assert_eq!(
            err.problem().kind,
            crate::problem::ProblemKind::KeychainTimeout,
            "the UI tells the two apart by code"
        );

        // The daemon recovers: the next call is answered (after the stalled one finishes).
        double.stall_ms.store(0, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(10);
        let value = loop {
            match worker.get("u/app_secret") {
                Ok(value) => break value,
                Err(Error::KeychainTimeout { .. }) if Instant::now() < deadline => continue,
                Err(other) => panic!("{other:?}"),
            }
        };
        assert_eq!(value.map(|s| s.expose().to_owned()), Some("s1".into()));
    }

    #[test]
    fn requests_whose_caller_gave_up_are_not_run_later() {
        let double = Stalling::default();
        let worker = Worker::spawn(double.clone(), Duration::from_millis(200));
        double.stall_ms.store(1_000, Ordering::SeqCst);
        // The probe occupies the worker; the write behind it expires in the queue.
        let probing = std::thread::scope(|s| {
            let probe = s.spawn(|| worker.probe());
            std::thread::sleep(Duration::from_millis(50));
            let write = worker.set("u/encrypt_key", &Secret::new("late"));
            (probe.join().unwrap(), write)
        });
        assert!(matches!(probing.1, Err(Error::KeychainTimeout { .. })));
        double.stall_ms.store(0, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(1_200));
        assert!(
            !double.entries.lock().unwrap().contains_key("u/encrypt_key"),
            "a write reported as not done must not happen behind the user's back"
        );
    }
}
