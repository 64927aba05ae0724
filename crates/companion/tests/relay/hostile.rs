//! Hostile clients cannot take the relay down: while peers hold idle connections, trickle
//! headers, stall half-sent uploads and open a thousand sockets, valid signed requests keep
//! being answered within 1 s, every hostile connection is closed by the relay within its
//! deadlines, the connections stay under the cap, and the request bytes the relay buffers stay
//! under the stated bound (`RelayLoad::body_bound`: small admissions x small-body limit + large
//! admissions x max_body).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use companion::relay::ListenLimits;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::common::*;

/// What a hostile connection does once connected.
#[derive(Clone, Copy, Debug)]
enum Hostile {
    /// Sends nothing.
    Idle,
    /// Sends the request line and then one header byte every 100 ms.
    Trickle,
    /// Declares a large body, sends half of it and stops.
    HalfLarge,
    /// Declares a small body, sends half of it and stops.
    HalfSmall,
    /// Sends one whole (bad) request, reads the answer, then stays idle on keep-alive.
    IdleKeepAlive,
}

/// How long the relay may take to close a hostile connection, at most.
const CLOSE_WITHIN: Duration = Duration::from_secs(5);

async fn connect_from(ip: &str, to: SocketAddr) -> Option<TcpStream> {
    let socket = TcpSocket::new_v4().ok()?;
    socket.bind(SocketAddr::new(ip.parse().unwrap(), 0)).ok()?;
    tokio::time::timeout(Duration::from_secs(2), socket.connect(to))
        .await
        .ok()?
        .ok()
}

/// True when the peer closed (EOF or reset) before `deadline`; reads and drops anything sent.
async fn closed_by(stream: &mut TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// Runs one hostile connection; `Some(true)` when the relay closed it in time.
async fn hostile(ip: &'static str, to: SocketAddr, how: Hostile, blob: Arc<Vec<u8>>) -> bool {
    let Some(mut s) = connect_from(ip, to).await else {
        return true; // refused outright is closed too
    };
    let started = Instant::now();
    let deadline = started + CLOSE_WITHIN;
    let head = |len: usize| {
        format!(
            "POST /callback/main HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n\
             Content-Length: {len}\r\n\r\n"
        )
    };
    match how {
        Hostile::Idle => closed_by(&mut s, deadline).await,
        Hostile::Trickle => {
            let _ = s.write_all(b"POST /callback/main HTTP/1.1\r\n").await;
            while Instant::now() < deadline {
                if s.write_all(b"X").await.is_err() {
                    return true;
                }
                let tick = Instant::now() + Duration::from_millis(100);
                if closed_by(&mut s, tick).await {
                    return true;
                }
            }
            false
        }
        Hostile::HalfLarge | Hostile::HalfSmall => {
            let len = if matches!(how, Hostile::HalfLarge) {
                1_000_000
            } else {
                60_000
            };
            let _ = s.write_all(head(len).as_bytes()).await;
            // A write the relay does not read blocks once the socket buffers are full: the
            // deadline bounds it, and a closed connection fails it.
            let _ = tokio::time::timeout(CLOSE_WITHIN, s.write_all(&blob[..len / 2])).await;
            closed_by(&mut s, deadline).await
        }
        Hostile::IdleKeepAlive => {
            let _ = s.write_all(format!("{}{{}}", head(2)).as_bytes()).await;
            let mut buf = [0u8; 4096];
            let _ = tokio::time::timeout(CLOSE_WITHIN, s.read(&mut buf)).await;
            closed_by(&mut s, deadline).await
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_clients_cannot_starve_valid_requests_or_grow_memory() {
    let mut config = quick_config();
    config.limits = ListenLimits {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        max_connections: 64,
        max_connections_per_peer: 8,
        small_body_reads: 16,
        small_body_reads_per_peer: 4,
        large_body_reads: 2,
        large_body_reads_per_peer: 1,
        admission_wait: Duration::from_millis(300),
        ..ListenLimits::default()
    };
    let max_body = config.max_body;
    let limits = config.limits.clone();
    let h = start_one_with(config, None).await;
    let to = h.relay.local_addr();
    let blob = Arc::new(vec![b'A'; 1_000_000]);

    // Four peers each try twelve hostile connections of every kind (the caps let eight in);
    // a fifth opens a thousand sockets.
    let mut tasks = Vec::new();
    for ip in ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"] {
        for how in [
            Hostile::Idle,
            Hostile::Trickle,
            Hostile::HalfLarge,
            Hostile::HalfSmall,
            Hostile::IdleKeepAlive,
        ] {
            for _ in 0..3 {
                tasks.push(tokio::spawn(hostile(ip, to, how, blob.clone())));
            }
        }
    }
    let mut flood = Vec::new();
    for _ in 0..1000 {
        if let Some(s) = connect_from("127.0.0.6", to).await {
            flood.push(s);
        }
    }
    assert!(flood.len() > 900, "{} sockets opened", flood.len());
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Meanwhile the platform's signed events are answered, each within 1 s.
    for i in 0..15 {
        let started = Instant::now();
        let report = h.deliver("main", json!({"kind": "event"})).await;
        let took = started.elapsed();
        assert_eq!(report["status"], 200, "event {i}: {report}");
        assert!(took < Duration::from_secs(1), "event {i} took {took:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Every hostile connection was closed by the relay within its deadlines.
    for task in tasks {
        assert!(task.await.unwrap(), "a hostile connection stayed open");
    }
    let deadline = Instant::now() + CLOSE_WITHIN;
    for s in &mut flood {
        assert!(closed_by(s, deadline).await, "a flood socket stayed open");
    }

    let load = h.relay.load();
    eprintln!("load after the hostile run: {load:?}");
    assert!(load.peak_connections <= limits.max_connections, "{load:?}");
    assert!(load.refused_connections >= 900, "{load:?}");
    assert_eq!(load.body_bound, limits.body_bound(max_body));
    assert!(load.peak_buffered_bytes <= load.body_bound, "{load:?}");
    assert!(load.peak_buffered_bytes > 0, "bodies were read: {load:?}");
    // The relay still works for anyone afterwards.
    let report = h.deliver("main", json!({"kind": "event"})).await;
    assert_eq!(report["status"], 200);
}
