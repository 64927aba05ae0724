use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use lark_platform::client::{CallTarget, RateLimitHeaders, ReceiveId};

use super::*;

fn t0() -> Instant {
    Instant::now()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn chat(id: &str) -> CallTarget {
    CallTarget::Receiver(ReceiveId::ChatId(id.into()))
}

fn send(target: &CallTarget) -> GateCall<'_> {
    GateCall {
        endpoint: Endpoint::MessagesCreate,
        target: Some(target),
    }
}

fn bare(endpoint: Endpoint) -> GateCall<'static> {
    GateCall {
        endpoint,
        target: None,
    }
}

fn record(endpoint: Endpoint, status: u16, code: i64, reset: Option<&str>) -> CallRecord {
    CallRecord {
        endpoint,
        http_status: Some(status),
        code: Some(code),
        latency: ms(1),
        counted: code == 0 && endpoint.counted(),
        error_kind: match code {
            0 => None,
            99_991_403 => Some("quota_exhausted"),
            _ => Some("rate_limited"),
        },
        rate_limit: RateLimitHeaders {
            limit: None,
            reset: reset.map(String::from),
            retry_after: None,
        },
        log_id: None,
        at: "2026-02-10T00:00:00Z".parse().unwrap(),
        target: None,
    }
}

fn admit(core: &mut Core, now: Instant, call: &GateCall<'_>) -> Verdict {
    let seq = core.enqueue(call);
    let verdict = core.try_admit(now, Utc::now(), call, seq);
    if !matches!(verdict, Verdict::Admit(_)) {
        core.dequeue(call, seq);
    }
    verdict
}

fn ticket(verdict: Verdict) -> Ticket {
    match verdict {
        Verdict::Admit(ticket) => ticket,
        other => panic!("expected admission, got {other:?}"),
    }
}

#[test]
fn a_window_admits_its_limit_then_waits_until_the_oldest_end_slides_out() {
    let mut core = Core::new(RateLimits::default());
    let start = t0();
    let target = chat("oc_1");
    for i in 0..5 {
        let t = ticket(admit(&mut core, start, &send(&target)));
        core.finish(start + ms(i), t, None);
    }
    match admit(&mut core, start + ms(10), &send(&target)) {
        // The first call ended at +0 ms: it leaves the window 1 s (+1 ms margin) later.
        Verdict::Wait(Some(at)) => assert_eq!(at, start + ms(1001)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        admit(&mut core, start + ms(1001), &send(&target)),
        Verdict::Admit(_)
    ));
    // Another chat has its own window.
    assert!(matches!(
        admit(&mut core, start + ms(10), &send(&chat("oc_2"))),
        Verdict::Admit(_)
    ));
}

#[test]
fn calls_in_flight_hold_their_slot_until_answered() {
    let mut core = Core::new(RateLimits::default());
    let now = t0();
    let target = chat("oc_1");
    let tickets: Vec<Ticket> = (0..5)
        .map(|_| ticket(admit(&mut core, now, &send(&target))))
        .collect();
    assert_eq!(core.in_flight(), 5);
    assert!(matches!(
        admit(&mut core, now + ms(5000), &send(&target)),
        Verdict::Wait(None)
    ));
    for t in tickets {
        core.finish(now + ms(5000), t, None);
    }
    assert!(matches!(
        admit(&mut core, now + ms(6001), &send(&target)),
        Verdict::Admit(_)
    ));
}

#[test]
fn sends_to_one_chat_go_in_the_order_they_were_asked_for() {
    let mut core = Core::new(RateLimits::default());
    let now = t0();
    let target = chat("oc_1");
    let call = send(&target);
    let first = core.enqueue(&call);
    let second = core.enqueue(&call);
    assert!(matches!(
        core.try_admit(now, Utc::now(), &call, second),
        Verdict::Wait(None)
    ));
    assert!(matches!(
        core.try_admit(now, Utc::now(), &call, first),
        Verdict::Admit(_)
    ));
    assert!(matches!(
        core.try_admit(now, Utc::now(), &call, second),
        Verdict::Admit(_)
    ));
    // A caller that gives up leaves the queue, so it blocks nobody.
    let gone = core.enqueue(&call);
    let next = core.enqueue(&call);
    core.dequeue(&call, gone);
    assert!(matches!(
        core.try_admit(now, Utc::now(), &call, next),
        Verdict::Admit(_)
    ));
}

#[test]
fn the_minute_window_holds_sends_across_chats() {
    let limits = RateLimits {
        send_per_minute: 3,
        ..RateLimits::default()
    };
    let mut core = Core::new(limits);
    let now = t0();
    let targets: Vec<CallTarget> = (0..4).map(|i| chat(&format!("oc_{i}"))).collect();
    for target in &targets[..3] {
        let t = ticket(admit(&mut core, now, &send(target)));
        core.finish(now + ms(2), t, None);
    }
    match admit(&mut core, now + ms(3), &send(&targets[3])) {
        Verdict::Wait(Some(at)) => assert_eq!(at, now + ms(60_003)),
        other => panic!("{other:?}"),
    }
    // Other APIs are not sends.
    assert!(matches!(
        admit(&mut core, now + ms(3), &bare(Endpoint::BotInfo)),
        Verdict::Admit(_)
    ));
}

#[test]
fn a_platform_reset_pauses_the_tier_or_the_target_that_tripped() {
    let mut core = Core::new(RateLimits::default());
    let now = t0();
    let t = ticket(admit(&mut core, now, &bare(Endpoint::BotInfo)));
    let limited = record(Endpoint::BotInfo, 429, 99_991_400, Some("3"));
    assert_eq!(core.finish(now, t, Some(&limited)), None);
    match admit(&mut core, now + ms(1), &bare(Endpoint::BotInfo)) {
        Verdict::Wait(Some(at)) => assert_eq!(at, now + ms(3000)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        admit(&mut core, now + ms(1), &bare(Endpoint::ChatsList)),
        Verdict::Admit(_)
    ));
    assert_eq!(core.paused(now + ms(1))[0].ceiling, "api:bot.v3.info");
    assert!(matches!(
        admit(&mut core, now + ms(3000), &bare(Endpoint::BotInfo)),
        Verdict::Admit(_)
    ));

    // 230020 is one chat's ceiling: the chat waits, the API tier does not.
    let target = chat("oc_1");
    let t = ticket(admit(&mut core, now, &send(&target)));
    let chat_limited = record(Endpoint::MessagesCreate, 429, 230_020, Some("1"));
    core.finish(now, t, Some(&chat_limited));
    assert!(matches!(
        admit(&mut core, now + ms(1), &send(&target)),
        Verdict::Wait(Some(_))
    ));
    assert!(matches!(
        admit(&mut core, now + ms(1), &send(&chat("oc_2"))),
        Verdict::Admit(_)
    ));
}

#[test]
fn a_quota_stop_refuses_counted_calls_only_until_it_lifts() {
    let mut core = Core::new(RateLimits::default());
    let now = t0();
    let t = ticket(admit(&mut core, now, &bare(Endpoint::BotInfo)));
    let exhausted = record(Endpoint::BotInfo, 429, 99_991_403, None);
    let at = core
        .finish(now, t, Some(&exhausted))
        .expect("a 99991403 is reported");
    let until = at + chrono::Duration::days(20);
    core.stop(at, until);
    let call = bare(Endpoint::BotInfo);
    let seq = core.enqueue(&call);
    assert!(matches!(
        core.try_admit(now, at, &call, seq),
        Verdict::QuotaStopped
    ));
    let token = bare(Endpoint::TenantAccessToken);
    let seq = core.enqueue(&token);
    assert!(matches!(
        core.try_admit(now, at, &token, seq),
        Verdict::Admit(_)
    ));
    let seq = core.enqueue(&call);
    assert!(matches!(
        core.try_admit(now + ms(1), until, &call, seq),
        Verdict::Admit(_)
    ));
    assert_eq!(core.stopped_until(until), None);
}

#[test]
fn idle_receiver_windows_are_swept() {
    // Only the per-receiver ceiling, so a thousand sends at one instant are admitted.
    let mut core = Core::new(RateLimits {
        api_per_second: 0,
        send_per_minute: 0,
        ..RateLimits::default()
    });
    let start = t0();
    for i in 0..(SWEEP_EVERY - 1) {
        let target = chat(&format!("oc_{i}"));
        let t = ticket(admit(&mut core, start, &send(&target)));
        core.finish(start, t, None);
    }
    assert!(core.window_count() > 1000);
    let last = chat("oc_last");
    let later = start + ms(5000);
    let t = ticket(admit(&mut core, later, &send(&last)));
    core.finish(later, t, None);
    assert!(core.window_count() < 10, "{}", core.window_count());
}

/// A deterministic, full-scale run of the two bursts against lark-sim's own window arithmetic
/// (`lark_sim::limits::Limiter`, the code that answers 99991400 / 230020), in virtual time, with
/// each call reaching the platform and answering after a random delay.
mod against_lark_sim {
    use lark_sim::limits::{Ceiling, Limiter};

    use super::*;

    struct Rng(u64);

    impl Rng {
        fn delay(&mut self, min_us: u64, max_us: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            min_us + (self.0 >> 33) % (max_us - min_us + 1)
        }
    }

    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Event {
        Arrive(usize),
        End(usize),
    }

    pub struct Run {
        pub rejections: u32,
        /// Simulated ms at which the platform admitted each call.
        pub admitted_ms: Vec<i64>,
    }

    /// Sends one card per entry of `receivers` (all asked for at t = 0), through `Core`.
    pub fn burst(receivers: &[String], latency_us: (u64, u64)) -> Run {
        let limits = RateLimits::default();
        let mut core = Core::new(limits);
        let mut oracle = Limiter::default();
        let mut rng = Rng(42);
        let start = Instant::now();
        let targets: Vec<CallTarget> = receivers.iter().map(|r| chat(r)).collect();
        let seqs: Vec<u64> = targets.iter().map(|t| core.enqueue(&send(t))).collect();
        // Waiting calls: index -> retry time in µs (None = when some call ends).
        let mut waiting: BTreeMap<usize, Option<u64>> =
            (0..targets.len()).map(|i| (i, Some(0))).collect();
        let mut tickets: Vec<Option<Ticket>> = (0..targets.len()).map(|_| None).collect();
        let mut events: BinaryHeap<Reverse<(u64, Event)>> = BinaryHeap::new();
        let mut run = Run {
            rejections: 0,
            admitted_ms: Vec::new(),
        };
        let mut now_us = 0u64;
        let mut ended = true;
        loop {
            let now = start + Duration::from_micros(now_us);
            // Try every call that is due, in the order they were asked for.
            let due: Vec<usize> = waiting
                .iter()
                .filter(|(_, at)| at.map_or(ended, |t| t <= now_us))
                .map(|(i, _)| *i)
                .collect();
            ended = false;
            for i in due {
                match core.try_admit(now, Utc::now(), &send(&targets[i]), seqs[i]) {
                    Verdict::Admit(ticket) => {
                        tickets[i] = Some(ticket);
                        waiting.remove(&i);
                        let arrive = now_us + rng.delay(latency_us.0, latency_us.1);
                        events.push(Reverse((arrive, Event::Arrive(i))));
                    }
                    Verdict::Wait(Some(at)) => {
                        let at_us = u64::try_from(at.duration_since(start).as_micros()).unwrap();
                        waiting.insert(i, Some(at_us));
                    }
                    Verdict::Wait(None) => {
                        waiting.insert(i, None);
                    }
                    Verdict::QuotaStopped => unreachable!(),
                }
            }
            let next_retry = waiting.values().flatten().min().copied();
            let next_event = events.peek().map(|Reverse((t, _))| *t);
            now_us = match (next_retry, next_event) {
                (None, None) => break,
                (a, b) => a.into_iter().chain(b).min().unwrap_or(now_us),
            };
            while events.peek().is_some_and(|Reverse((t, _))| *t <= now_us) {
                let Some(Reverse((t, event))) = events.pop() else {
                    break;
                };
                match event {
                    Event::Arrive(i) => {
                        // The platform stamps calls in whole ms of its own clock.
                        let server_ms = i64::try_from(t / 1000).unwrap();
                        if platform_admits(&mut oracle, server_ms, &receivers[i]) {
                            run.admitted_ms.push(server_ms);
                        } else {
                            run.rejections += 1;
                        }
                        let end = t + rng.delay(latency_us.0, latency_us.1);
                        events.push(Reverse((end, Event::End(i))));
                    }
                    Event::End(i) => {
                        let ticket = tickets[i].take().unwrap();
                        core.finish(start + Duration::from_micros(t), ticket, None);
                        ended = true;
                    }
                }
            }
        }
        run
    }

    fn ceilings(receiver: &str) -> ([Ceiling; 2], [Ceiling; 1]) {
        (
            [
                Ceiling::per_second("api:send", 50),
                Ceiling::per_minute("send:minute", 1000),
            ],
            [Ceiling::per_second(format!("r:{receiver}"), 5)],
        )
    }

    /// The platform's verdict on a call at `server_ms`, the way lark-sim decides it.
    fn platform_admits(oracle: &mut Limiter, server_ms: i64, receiver: &str) -> bool {
        let (api, per_receiver) = ceilings(receiver);
        oracle.admit(server_ms, &api).is_ok() && oracle.admit(server_ms, &per_receiver).is_ok()
    }

    /// The shortest span (first to last admission, ms) the ceilings allow for these sends, in
    /// order: each goes at the first millisecond all three windows have room.
    fn ideal_span_ms(receivers: &[String]) -> i64 {
        let mut admitted: HashMap<String, Vec<i64>> = HashMap::new();
        // Times are pushed in order, so the calls inside (t - window, t] are a suffix.
        let room = |admitted: &HashMap<String, Vec<i64>>, key: &str, limit, window: i64, t| {
            admitted.get(key).map_or(0, |times: &Vec<i64>| {
                times.len() - times.partition_point(|&a| a <= t - window)
            }) < limit
        };
        let mut t = 0i64;
        for receiver in receivers {
            let key = format!("r:{receiver}");
            while !(room(&admitted, "api", 50, 1000, t)
                && room(&admitted, "minute", 1000, 60_000, t)
                && room(&admitted, &key, 5, 1000, t))
            {
                t += 1;
            }
            for k in ["api", "minute", key.as_str()] {
                admitted.entry(k.to_owned()).or_default().push(t);
            }
        }
        t
    }

    /// How close the run came to the fastest schedule the ceilings allow.
    pub fn efficiency(run: &Run, receivers: &[String]) -> f64 {
        let first = run.admitted_ms.iter().min().copied().unwrap_or(0);
        let last = run.admitted_ms.iter().max().copied().unwrap_or(0);
        ideal_span_ms(receivers) as f64 / (last - first).max(1) as f64
    }

    #[test]
    fn six_hundred_sends_to_one_chat_are_never_refused_and_keep_the_pace() {
        let receivers = vec!["oc_one".to_string(); 600];
        let run = burst(&receivers, (100, 2_000));
        assert_eq!(run.rejections, 0);
        assert_eq!(run.admitted_ms.len(), 600);
        let efficiency = efficiency(&run, &receivers);
        eprintln!("efficiency {efficiency:.4}");
        assert!(efficiency >= 0.95, "{efficiency}");
    }

    #[test]
    fn twelve_hundred_sends_over_many_chats_are_never_refused_and_keep_the_pace() {
        let receivers: Vec<String> = (0..1200).map(|i| format!("oc_{}", i % 40)).collect();
        let run = burst(&receivers, (100, 2_000));
        assert_eq!(run.rejections, 0);
        // 1000 in the first minute, the rest once the first ones slide out of it.
        let efficiency = efficiency(&run, &receivers);
        eprintln!("efficiency {efficiency:.4}");
        assert!(efficiency >= 0.95, "{efficiency}");
    }

    #[test]
    fn slow_answers_cost_throughput_but_never_a_rejection() {
        let receivers: Vec<String> = (0..300).map(|i| format!("oc_{}", i % 3)).collect();
        let run = burst(&receivers, (5_000, 150_000));
        assert_eq!(run.rejections, 0);
    }
}

#[test]
fn publishing_has_a_minute_ceiling_of_its_own() {
    // 20 publishes a minute although the per-second tier (50) would admit more.
    let mut core = Core::new(RateLimits::default());
    let start = t0();
    for i in 0..20 {
        let t = ticket(admit(
            &mut core,
            start + ms(i * 100),
            &bare(Endpoint::Publish),
        ));
        core.finish(start + ms(i * 100), t, None);
    }
    match admit(&mut core, start + ms(2500), &bare(Endpoint::Publish)) {
        Verdict::Wait(Some(at)) => assert_eq!(at, start + ms(60_001)),
        other => panic!("{other:?}"),
    }
    // Other APIs are not held back by it.
    assert!(matches!(
        admit(&mut core, start + ms(2500), &bare(Endpoint::AbilityPatch)),
        Verdict::Admit(_)
    ));
}
