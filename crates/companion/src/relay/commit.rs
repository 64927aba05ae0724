//! Group commit: the relay's durability at the throughput of its answers.
//!
//! Every request is on disk (the WAL fsync'd, `synchronous=FULL`) before its answer leaves. An
//! fsync per request would cap the relay at the disk's flush rate, so requests that arrive
//! together are written by one thread in one transaction, committed with one fsync, and only
//! then answered, each with its own result (a record that fails to write is rolled back to its
//! savepoint and fails alone). Under light load a group is one request and nothing waits; under
//! heavy load the groups grow with the queue, up to [`MAX_GROUP`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, Weak};

use rusqlite::TransactionBehavior;
use tokio::sync::oneshot;

use super::error::RelayError;
use super::model::RecordSummary;
use super::store::{insert_in, lock, NewOutbox, NewRecord};
use crate::db::Database;

/// At most this many requests share one transaction (bounds the time one group holds the lock).
pub const MAX_GROUP: usize = 256;

type Answer = Result<RecordSummary, RelayError>;

struct Job {
    record: NewRecord,
    outbox: Option<NewOutbox>,
    done: oneshot::Sender<Answer>,
}

/// The handle the request path holds; the writer thread ends when the last handle is dropped.
#[derive(Clone)]
pub(crate) struct Committer {
    jobs: Sender<Job>,
    groups: Arc<AtomicU64>,
}

impl Committer {
    /// The thread holds the connection weakly: it closes when the store is dropped, not
    /// whenever the thread gets round to ending.
    pub(crate) fn start(write: &Arc<Mutex<Database>>) -> std::io::Result<Self> {
        let write = Arc::downgrade(write);
        let (jobs, queue) = mpsc::channel();
        let groups = Arc::new(AtomicU64::new(0));
        let counted = groups.clone();
        std::thread::Builder::new()
            .name("relay-commit".into())
            .spawn(move || run(&write, &queue, &counted))?;
        Ok(Self { jobs, groups })
    }

    /// Writes the record with the next group and returns once that group is committed.
    pub(crate) async fn commit(&self, record: NewRecord, outbox: Option<NewOutbox>) -> Answer {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                record,
                outbox,
                done,
            })
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Transactions committed so far (each one fsync).
    pub(crate) fn groups(&self) -> u64 {
        self.groups.load(Ordering::Relaxed)
    }
}

fn run(write: &Weak<Mutex<Database>>, queue: &Receiver<Job>, groups: &AtomicU64) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let answered = match write.upgrade() {
            Some(write) => write_group(&write, group),
            None => group
                .into_iter()
                .map(|job| (job.done, Err(stopped())))
                .collect(),
        };
        groups.fetch_add(1, Ordering::Relaxed);
        // Answered only now, after the commit (or its failure).
        for (done, answer) in answered {
            let _ = done.send(answer);
        }
    }
}

fn write_group(write: &Mutex<Database>, group: Vec<Job>) -> Vec<(oneshot::Sender<Answer>, Answer)> {
    let mut db = lock(write);
    let mut tx = match db
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
    {
        Ok(tx) => tx,
        Err(e) => {
            return group
                .into_iter()
                .map(|job| (job.done, Err(failed(&e))))
                .collect()
        }
    };
    let mut answered = Vec::with_capacity(group.len());
    for job in group {
        let answer = match tx.savepoint() {
            Ok(mut sp) => match insert_in(&sp, job.record, job.outbox) {
                Ok(summary) => sp.commit().map(|()| summary).map_err(RelayError::from),
                Err(e) => {
                    let _ = sp.rollback();
                    Err(e)
                }
            },
            Err(e) => Err(RelayError::from(e)),
        };
        answered.push((job.done, answer));
    }
    if let Err(e) = tx.commit() {
        tracing::error!(error = %e, requests = answered.len(), "relay commit failed");
        return answered
            .into_iter()
            .map(|(done, _)| (done, Err(failed(&e))))
            .collect();
    }
    answered
}

/// The writer thread is gone (it only ends with the store, or by a panic, which is logged).
fn stopped() -> RelayError {
    RelayError::Storage(crate::Error::Internal {
        detail: "the relay's writer thread stopped".into(),
    })
}

/// One failed transaction, told to every request of its group (rusqlite errors do not clone).
fn failed(e: &rusqlite::Error) -> RelayError {
    RelayError::Storage(crate::Error::Problem(
        crate::problem::Problem::new(crate::problem::ProblemCode::Database)
            .param("detail", e.to_string()),
    ))
}
