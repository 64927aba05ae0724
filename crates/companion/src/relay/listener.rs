//! The accept loop. `axum::serve` gives hyper no timer, so hyper's header timeout never applied
//! and nothing capped connections; here each connection is served by hyper's HTTP/1 builder with
//! a tokio timer (`header_read_timeout`, which also ends idle keep-alive connections), a small
//! read buffer, a pass from the connection [`Gate`](super::limits::Gate) (global and per-peer
//! caps: over either, the socket is closed as soon as it is accepted) and a lifetime after which
//! it is closed gracefully. The peer's address goes into each request as axum's `ConnectInfo`.
//!
//! HTTP/1.1 only: the platform posts callbacks over HTTP/1.1, and one request at a time per
//! connection keeps every per-connection bound simple.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::state::RelayCore;

/// After its lifetime (or a stop) a connection finishes its current request; a client that
/// does not read the answer within this long is cut off.
const CLOSE_GRACE: Duration = Duration::from_secs(5);
/// A failed accept (out of file handles, say) is retried after this pause, not in a hot loop.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// Refused connections are logged once per this many, not each.
const LOG_REFUSED_EVERY: usize = 1000;

/// Binds `listen` and says which address it got (port 0 picks one); a taken port is
/// [`RelayError::Bind`], never a panic.
pub(crate) async fn bind(
    listen: std::net::SocketAddr,
) -> Result<(TcpListener, std::net::SocketAddr), super::error::RelayError> {
    let bind_error = |source| super::error::RelayError::Bind {
        addr: listen,
        source,
    };
    let listener = TcpListener::bind(listen).await.map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    Ok((listener, addr))
}

/// Serves on a socket that already listens: the one a relay handed over
/// ([`Relay::hand_over`](super::Relay::hand_over)), in this process or, across `exec`, in the
/// app's previous image. Connections that arrived meanwhile wait in its queue and are served.
pub(crate) fn adopt(
    listener: std::net::TcpListener,
) -> Result<(TcpListener, std::net::SocketAddr), super::error::RelayError> {
    let addr = listener
        .local_addr()
        .unwrap_or_else(|_| std::net::SocketAddr::from(([0, 0, 0, 0], 0)));
    let adopt_error = |source| super::error::RelayError::Bind { addr, source };
    listener.set_nonblocking(true).map_err(adopt_error)?;
    let listener = TcpListener::from_std(listener).map_err(adopt_error)?;
    Ok((listener, addr))
}

/// A second handle on `listener`'s socket, kept by the relay so that stopping it to hand over
/// leaves the socket listening (`None` where the platform has no such thing).
pub(crate) fn twin(listener: &TcpListener) -> Option<std::net::TcpListener> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        match listener.as_fd().try_clone_to_owned() {
            Ok(fd) => Some(std::net::TcpListener::from(fd)),
            Err(e) => {
                tracing::warn!(error = %e, "the relay's socket cannot be kept for a hand-over");
                None
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = listener;
        None
    }
}

/// Serves `app` on `listener` until `stop` turns true, then lets open connections finish their
/// current request (the caller bounds the wait).
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    core: Arc<RelayCore>,
    mut stop: watch::Receiver<bool>,
) {
    let limits = core.config.limits.clone();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.http1_buffer.max(8192))
        .keep_alive(true);
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    if !is_connection_error(&e) {
                        tracing::warn!(error = %e, "relay could not accept a connection");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                    continue;
                }
            },
            () = stopped(&mut stop) => break,
        };
        while connections.try_join_next().is_some() {}
        let pass = match core.guard.connections.try_enter(Some(peer.ip())) {
            Ok(pass) => pass,
            Err(full) => {
                let refused = core.guard.refused_connection();
                if refused % LOG_REFUSED_EVERY == 1 {
                    tracing::warn!(peer = %peer.ip(), ?full, refused,
                        "relay connection cap reached; closing new connections at once");
                }
                continue; // dropping the stream closes it
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let app = app.clone();
            async move { Ok::<_, Infallible>(app.oneshot(request).await.unwrap_or_else(|e| match e {})) }
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let stop = stop.clone();
        let lifetime = limits.connection_lifetime;
        connections.spawn(async move {
            let _pass = pass;
            run(connection, stop, lifetime).await;
        });
    }
    while connections.join_next().await.is_some() {}
}

/// Resolves once `stop` is true (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Drives one connection until it ends, closing it gracefully at its lifetime or on stop.
async fn run<C>(connection: C, mut stop: watch::Receiver<bool>, lifetime: Duration)
where
    C: GracefulConnection,
{
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        () = stopped(&mut stop) => {}
        () = tokio::time::sleep(lifetime) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(CLOSE_GRACE, connection).await;
}

/// A hyper connection future that can be asked to close after its current request.
trait GracefulConnection: std::future::Future {
    fn graceful_shutdown(self: std::pin::Pin<&mut Self>);
}

impl<I, S> GracefulConnection for http1::Connection<I, S>
where
    S: hyper::service::HttpService<Incoming>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    S::ResBody: 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn graceful_shutdown(self: std::pin::Pin<&mut Self>) {
        http1::Connection::graceful_shutdown(self);
    }
}

/// Errors of one connection that failed before it was accepted: nothing to wait for.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
