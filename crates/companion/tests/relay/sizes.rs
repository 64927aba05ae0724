//! Sizes the relay is told and sizes it gets: a declared Content-Length is never trusted for a
//! record or an allocation, and an upstream's answer is read only as far as it is kept.

use std::time::Duration;

use companion::relay::store::NewRecord;
use companion::relay::{
    AnsweredBy, ForwardMode, OutboxState, RelayError, RelayStore, RequestKind, Verdict,
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

const QUINTILLION: &str = "1000000000000000000";

/// Sends a request head declaring `Content-Length: 10^18` and a 7-byte body, half-closes when
/// `hang_up`, and returns the status line of the answer (or "" when the relay just closed).
async fn declare_a_quintillion(h: &Harness, hang_up: bool) -> String {
    let url = url::Url::parse(&h.url("main")).unwrap();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /callback/main HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n\
         Content-Length: {QUINTILLION}\r\n\r\n{{\"a\":1}}"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    if hang_up {
        stream.shutdown().await.unwrap();
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Whatever the relay answered, the record says what came (7 bytes) and every inspector action
/// on it works: detail, curl export, the list, and replay's refusal of a rejected record.
async fn readable(h: &Harness) {
    let record = wait_for("the request recorded", || h.records().into_iter().next()).await;
    assert_eq!(record.verdict, Verdict::Rejected, "{record:?}");
    let detail = h.relay.detail(record.id).expect("the detail reads");
    assert_eq!(
        detail.body_bytes, 7,
        "the bytes that came, not the declared length"
    );
    // The size shown is what came; the declared length is only named as such.
    assert_eq!(
        detail.reject_params.get("bytes").map(String::as_str),
        Some("7")
    );
    for (key, value) in &detail.reject_params {
        assert!(
            key == "declared" || value != QUINTILLION,
            "{key}: the declared length shown as a size"
        );
    }
    let curl = h.relay.export_curl(record.id).expect("the curl export");
    assert!(curl.contains("curl -sS -X POST"), "{curl}");
    assert_eq!(h.records().len(), 1);
}

#[tokio::test]
async fn a_declared_quintillion_then_a_hang_up_leaves_a_readable_record() {
    let h = start_one(None).await;
    let status = declare_a_quintillion(&h, true).await;
    assert!(status.contains(" 413 "), "{status}");
    readable(&h).await;
    let detail = h.relay.detail(h.newest().id).unwrap();
    assert_eq!(
        detail.summary.reject_code.as_deref(),
        Some("body_declared_too_large")
    );
    assert_eq!(detail.reject_params["declared"], QUINTILLION);
    assert!(
        detail
            .reject_reason
            .as_deref()
            .unwrap()
            .contains("7 bytes came"),
        "{detail:?}"
    );
    let record = h.newest();
    let replay = h.relay.replay(record.id, None).await;
    assert!(
        matches!(replay, Err(RelayError::ReplayRejected { .. })),
        "{replay:?}"
    );
}

#[tokio::test]
async fn a_declared_quintillion_that_never_comes_leaves_a_readable_record() {
    let mut config = quick_config();
    config.limits.body_timeout = Duration::from_millis(300);
    let h = start_one_with(config, None).await;
    let status = declare_a_quintillion(&h, false).await;
    assert!(
        status.contains(" 408 ") || status.contains(" 413 "),
        "{status}"
    );
    readable(&h).await;
}

/// A record written before sizes were the bytes received may hold a declared length; it still
/// reads (its size shown as the most a `u32` holds).
#[test]
fn an_old_record_with_a_declared_size_still_reads() {
    let store = RelayStore::in_memory().unwrap();
    let record = NewRecord {
        kind: RequestKind::Unknown,
        verdict: Verdict::Rejected,
        reject_code: Some("body_too_large".into()),
        body_bytes: QUINTILLION.parse().unwrap(),
        http_status: 413,
        answer: None,
        ..a_record(None)
    };
    let id = store.insert(record, None).unwrap().id;
    assert_eq!(store.detail(id).unwrap().body_bytes, u32::MAX);
    assert_eq!(store.list(&Default::default()).unwrap().len(), 1);
}

/// What the relay keeps of an upstream's answer (`upstream::ANSWER_LIMIT`).
const ANSWER_LIMIT: usize = 64 * 1024;

/// An upstream that answers every POST with 50 MB of `x`, sent as fast as it is read, and
/// then never ends the body.
async fn fifty_megabytes_upstream() -> String {
    use axum::body::{Body, Bytes};
    use futures_util::StreamExt;
    let app = axum::Router::new().fallback(|| async {
        let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
        let chunks = futures_util::stream::iter(
            (0..800).map(move |_| Ok::<_, std::convert::Infallible>(chunk.clone())),
        )
        .chain(futures_util::stream::pending());
        Body::from_stream(chunks)
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

/// The relay reads an answer only as far as it keeps it: a card click is answered with the cut
/// answer within the budget, and an event's delivery is recorded with it, however much more
/// the upstream has to say (here: 50 MB and no end).
#[tokio::test]
async fn an_endless_upstream_answer_is_read_only_as_far_as_it_is_kept() {
    let url = fifty_megabytes_upstream().await;
    let mut config = quick_config();
    // Were the whole answer awaited, the send would end in this timeout instead.
    config.upstream_timeout = Duration::from_secs(3);
    let h = start_one_with(config, Some((url, ForwardMode::Resign))).await;

    let card = h.deliver("main", json!({"kind": "card_action"})).await;
    assert_eq!(card["status"], 200, "{card}");
    let record = h.newest();
    assert_eq!(record.answered_by, AnsweredBy::Upstream, "{record:?}");
    let detail = h.relay.detail(record.id).unwrap();
    assert_eq!(
        detail.upstream_answer.as_deref().map(str::len),
        Some(ANSWER_LIMIT)
    );
    assert_eq!(detail.upstream_error, None);

    h.deliver("main", json!({"kind": "event"})).await;
    let event = wait_for("the event delivered", || {
        let r = h.newest();
        (r.outbox.is_some() && r.outbox != Some(OutboxState::Pending)).then_some(r)
    })
    .await;
    assert_eq!(event.outbox, Some(OutboxState::Delivered), "{event:?}");
    assert_eq!(event.attempts, 1);
    let detail = h.relay.detail(event.id).unwrap();
    assert_eq!(
        detail.upstream_answer.as_deref().map(str::len),
        Some(ANSWER_LIMIT)
    );
}
