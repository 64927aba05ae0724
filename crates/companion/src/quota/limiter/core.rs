//! The limiter's arithmetic, free of async and of the system clock: every method takes `now`.
//!
//! Each ceiling is an exact sliding window: at most `limit` calls in any `span`. The platform
//! counts a call at some moment between our sending it and our reading its answer, and we
//! cannot know which. So a window counts a call from the moment it is admitted (in flight), and
//! once its answer is read, until `span` after that read. A new call then goes out only when the
//! platform's own window, wherever in that interval it put the old call, has slid past it: exact
//! against lark-sim, and never early against the real platform, at the price of one round trip
//! per window of throughput.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};
use lark_platform::client::error::codes;
use lark_platform::client::{CallRecord, Endpoint, GateCall};
use tokio::time::Instant;

use crate::quota::types::{PausedCeiling, RateLimits};

/// Slack between the platform's clock and ours (the simulator stamps calls in whole ms).
const MARGIN: Duration = Duration::from_millis(1);
/// Idle per-receiver and per-message windows are dropped every this many admissions.
const SWEEP_EVERY: u32 = 1024;

/// Which window: one per API, one for message sends per minute, one per receiver or message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum WindowKey {
    Api(Endpoint),
    ApiMinute(Endpoint),
    SendMinute,
    Target(String),
}

impl WindowKey {
    fn label(&self) -> String {
        match self {
            Self::Api(endpoint) => format!("api:{}", endpoint.name()),
            Self::ApiMinute(endpoint) => format!("api-minute:{}", endpoint.name()),
            Self::SendMinute => "send:minute".to_owned(),
            Self::Target(key) => key.clone(),
        }
    }
}

enum Wait {
    Ready,
    Until(Instant),
    /// Every slot is held by a call still in flight.
    Completion,
}

struct Window {
    limit: u32,
    span: Duration,
    in_flight: u32,
    /// When admitted calls' answers were read, ascending.
    ended: VecDeque<Instant>,
    /// Set by the platform's `x-ogw-ratelimit-reset`.
    paused_until: Option<Instant>,
}

impl Window {
    fn new(limit: u32, span: Duration) -> Self {
        Self {
            limit,
            span,
            in_flight: 0,
            ended: VecDeque::new(),
            paused_until: None,
        }
    }

    fn leaves_at(&self, ended: Instant) -> Instant {
        ended + self.span + MARGIN
    }

    fn prune(&mut self, now: Instant) {
        while self
            .ended
            .front()
            .is_some_and(|&e| self.leaves_at(e) <= now)
        {
            self.ended.pop_front();
        }
        if self.paused_until.is_some_and(|p| p <= now) {
            self.paused_until = None;
        }
    }

    fn wait(&mut self, now: Instant) -> Wait {
        self.prune(now);
        if let Some(until) = self.paused_until {
            return Wait::Until(until);
        }
        let used = self.in_flight as usize + self.ended.len();
        if used < self.limit as usize {
            return Wait::Ready;
        }
        // This many of the ended calls must leave before one more fits.
        let leaving = used + 1 - self.limit as usize;
        match self.ended.get(leaving - 1) {
            Some(&ended) => Wait::Until(self.leaves_at(ended)),
            None => Wait::Completion,
        }
    }

    fn end_one(&mut self, now: Instant) {
        self.in_flight = self.in_flight.saturating_sub(1);
        // `now` is read under the lock, so it is never earlier than the last entry; stay sorted
        // regardless.
        let at = self.ended.partition_point(|&e| e <= now);
        self.ended.insert(at, now);
    }

    fn idle(&self) -> bool {
        self.in_flight == 0 && self.ended.is_empty() && self.paused_until.is_none()
    }
}

/// The windows a call was admitted into; hand it back to [`Core::finish`].
#[derive(Debug)]
pub(crate) struct Ticket {
    keys: Vec<WindowKey>,
}

/// What to do with a call now.
#[derive(Debug)]
pub(crate) enum Verdict {
    Admit(Ticket),
    /// Try again at this instant, or sooner if a call ends (`None`: only when a call ends).
    Wait(Option<Instant>),
    /// Counted calls are stopped until the quota resets.
    QuotaStopped,
}

/// All windows of one app, the quota stop, and the per-target queues that keep sends to one
/// chat (and updates of one card) in the order they were asked for.
pub(crate) struct Core {
    limits: RateLimits,
    windows: HashMap<WindowKey, Window>,
    queues: HashMap<String, VecDeque<u64>>,
    next_seq: u64,
    stop: Option<(DateTime<Utc>, DateTime<Utc>)>,
    in_flight: u32,
    admissions: u32,
}

impl Core {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            windows: HashMap::new(),
            queues: HashMap::new(),
            next_seq: 0,
            stop: None,
            in_flight: 0,
            admissions: 0,
        }
    }

    pub fn set_limits(&mut self, limits: RateLimits) {
        self.limits = limits;
    }

    /// The ceilings `call` must fit in: `(window, limit, span)`; a limit of 0 is no ceiling.
    fn ceilings(&self, call: &GateCall<'_>) -> Vec<(WindowKey, u32, Duration)> {
        let second = Duration::from_secs(1);
        let l = &self.limits;
        let mut list = vec![(WindowKey::Api(call.endpoint), l.api_per_second, second)];
        if let Some(limit) = call.endpoint.per_minute_ceiling() {
            list.push((WindowKey::ApiMinute(call.endpoint), limit, 60 * second));
        }
        let per_target = match call.endpoint {
            Endpoint::MessagesCreate => {
                list.push((WindowKey::SendMinute, l.send_per_minute, 60 * second));
                Some(l.per_receiver_per_second)
            }
            Endpoint::MessagesPatch => Some(l.patch_per_message_per_second),
            _ => None,
        };
        if let (Some(limit), Some(target)) = (per_target, call.target) {
            list.push((WindowKey::Target(target.key()), limit, second));
        }
        list.retain(|(_, limit, _)| *limit > 0);
        list
    }

    /// Takes a place in the queue of `call`'s target (if it has one).
    pub fn enqueue(&mut self, call: &GateCall<'_>) -> u64 {
        self.next_seq += 1;
        if let Some(target) = call.target {
            self.queues
                .entry(target.key())
                .or_default()
                .push_back(self.next_seq);
        }
        self.next_seq
    }

    /// Leaves the queue without being admitted (the caller gave up waiting).
    pub fn dequeue(&mut self, call: &GateCall<'_>, seq: u64) {
        if let Some(target) = call.target {
            let key = target.key();
            if let Some(queue) = self.queues.get_mut(&key) {
                queue.retain(|&s| s != seq);
                if queue.is_empty() {
                    self.queues.remove(&key);
                }
            }
        }
    }

    pub fn try_admit(
        &mut self,
        now: Instant,
        now_utc: DateTime<Utc>,
        call: &GateCall<'_>,
        seq: u64,
    ) -> Verdict {
        if call.endpoint.counted() && self.stopped_until(now_utc).is_some() {
            self.dequeue(call, seq);
            return Verdict::QuotaStopped;
        }
        let target_key = call.target.map(|t| t.key());
        if let Some(key) = &target_key {
            if self.queues.get(key).and_then(|q| q.front()) != Some(&seq) {
                return Verdict::Wait(None);
            }
        }
        let ceilings = self.ceilings(call);
        let mut until: Option<Instant> = None;
        let mut blocked = false;
        for (key, limit, span) in &ceilings {
            let window = self
                .windows
                .entry(key.clone())
                .or_insert_with(|| Window::new(*limit, *span));
            window.limit = *limit;
            window.span = *span;
            match window.wait(now) {
                Wait::Ready => {}
                Wait::Until(t) => {
                    blocked = true;
                    until = until.max(Some(t));
                }
                Wait::Completion => blocked = true,
            }
        }
        if blocked {
            return Verdict::Wait(until);
        }
        let keys: Vec<WindowKey> = ceilings.into_iter().map(|(key, ..)| key).collect();
        for key in &keys {
            if let Some(window) = self.windows.get_mut(key) {
                window.in_flight += 1;
            }
        }
        if let Some(key) = target_key {
            if let Some(queue) = self.queues.get_mut(&key) {
                queue.pop_front();
                if queue.is_empty() {
                    self.queues.remove(&key);
                }
            }
        }
        self.in_flight += 1;
        self.admissions = self.admissions.wrapping_add(1);
        if self.admissions.is_multiple_of(SWEEP_EVERY) {
            self.sweep(now);
        }
        Verdict::Admit(Ticket { keys })
    }

    /// The call of `ticket` ended at `now`. Returns the time of a 99991403 answer, if it was one,
    /// so the caller can stop counted calls until the quota resets.
    pub fn finish(
        &mut self,
        now: Instant,
        ticket: Ticket,
        outcome: Option<&CallRecord>,
    ) -> Option<DateTime<Utc>> {
        self.in_flight = self.in_flight.saturating_sub(1);
        for key in &ticket.keys {
            if let Some(window) = self.windows.get_mut(key) {
                window.end_one(now);
            }
        }
        let record = outcome?;
        if record.code == Some(codes::QUOTA_EXHAUSTED) {
            return Some(record.at);
        }
        if record.error_kind == Some("rate_limited") {
            self.pause(now, &ticket, record);
        }
        None
    }

    /// Honours `x-ogw-ratelimit-reset`: no call goes through the tripped windows before it.
    /// A chat's or message's code (230020, 11233) pauses that target; anything else the API's
    /// tier and, for sends, the per-minute window (the answer does not say which one tripped).
    fn pause(&mut self, now: Instant, ticket: &Ticket, record: &CallRecord) {
        let reset = record
            .rate_limit
            .reset_after()
            .unwrap_or(Duration::from_secs(1));
        let until = now + reset;
        let per_target = matches!(record.code, Some(230_020 | 11_233));
        for key in &ticket.keys {
            let hit = matches!(key, WindowKey::Target(_)) == per_target;
            if let (true, Some(window)) = (hit, self.windows.get_mut(key)) {
                window.paused_until = window.paused_until.max(Some(until));
            }
        }
        tracing::info!(
            endpoint = record.endpoint.name(),
            code = record.code,
            reset_ms = u64::try_from(reset.as_millis()).unwrap_or(u64::MAX),
            "rate limited by the platform; pausing that ceiling"
        );
    }

    pub fn stop(&mut self, since: DateTime<Utc>, until: DateTime<Utc>) {
        self.stop = Some((since, until));
    }

    pub fn resume(&mut self) {
        self.stop = None;
    }

    /// The stop in force at `now_utc` (a stop whose date has passed is lifted).
    pub fn stopped_until(
        &mut self,
        now_utc: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if self.stop.is_some_and(|(_, until)| until <= now_utc) {
            self.stop = None;
        }
        self.stop
    }

    pub fn in_flight(&self) -> u32 {
        self.in_flight
    }

    pub fn paused(&mut self, now: Instant) -> Vec<PausedCeiling> {
        let mut list: Vec<PausedCeiling> = self
            .windows
            .iter_mut()
            .filter_map(|(key, window)| {
                window.prune(now);
                window.paused_until.map(|until| PausedCeiling {
                    ceiling: key.label(),
                    resumes_in_ms: u32::try_from(until.duration_since(now).as_millis())
                        .unwrap_or(u32::MAX),
                })
            })
            .collect();
        list.sort_by(|a, b| a.ceiling.cmp(&b.ceiling));
        list
    }

    fn sweep(&mut self, now: Instant) {
        self.windows.retain(|key, window| {
            window.prune(now);
            !(matches!(key, WindowKey::Target(_)) && window.idle())
        });
    }

    #[cfg(test)]
    pub fn window_count(&self) -> usize {
        self.windows.len()
    }
}

#[cfg(test)]
mod tests;
