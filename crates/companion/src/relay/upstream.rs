//! Sending requests on to the upstream: transparent (original bytes and headers) or re-signed
//! (a fresh body sealed with the profile's keys). Loopback targets skip any configured HTTP
//! proxy; everything else honours it, like the rest of the app.

use std::time::{Duration, Instant};

use super::config::{ForwardMode, RelayKeys};
use super::model::RequestKind;
use super::scrub;
use super::seal::{self, Sealed};
use super::store::UpstreamOutcome;

/// Upstream answers longer than this are cut in the record.
const ANSWER_LIMIT: usize = 64 * 1024;

/// Headers never passed on: hop-by-hop ones, those reqwest sets itself, and credentials.
fn passes(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !matches!(
        n.as_str(),
        "host"
            | "content-length"
            | "connection"
            | "keep-alive"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "proxy-connection"
            | "accept-encoding"
    ) && !scrub::credential_header(&n)
}

/// The headers transparent forwarding sends.
pub fn forwarded_headers(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(name, _)| passes(name))
        .cloned()
        .collect()
}

/// A request as it goes out.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Outgoing {
    /// The original request, for transparent mode.
    pub fn transparent(headers: &[(String, String)], body: &[u8]) -> Self {
        Self {
            headers: forwarded_headers(headers),
            body: body.to_vec(),
        }
    }

    /// A fresh request sealed with `keys` (new timestamp and nonce).
    pub fn resigned(kind: RequestKind, plaintext: &[u8], keys: &RelayKeys, now_secs: i64) -> Self {
        let Sealed { headers, body } = seal::seal(
            kind,
            plaintext,
            keys,
            true,
            &now_secs.to_string(),
            &seal::nonce(),
        );
        Self { headers, body }
    }

    /// Whichever `mode` asks for.
    pub fn for_mode(
        mode: ForwardMode,
        kind: RequestKind,
        headers: &[(String, String)],
        raw: &[u8],
        plaintext: &[u8],
        keys: &RelayKeys,
        now_secs: i64,
    ) -> Self {
        match mode {
            ForwardMode::Transparent => Self::transparent(headers, raw),
            ForwardMode::Resign => Self::resigned(kind, plaintext, keys, now_secs),
        }
    }
}

/// Two HTTP clients: a direct one for loopback targets and one that honours proxy settings.
#[derive(Clone, Debug)]
pub struct Forwarder {
    direct: reqwest::Client,
    proxied: reqwest::Client,
}

impl Forwarder {
    pub fn new() -> Self {
        let builder = || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(Duration::from_secs(5))
                .pool_max_idle_per_host(32)
                .user_agent(concat!("lark-companion-relay/", env!("CARGO_PKG_VERSION")))
        };
        let direct = builder().no_proxy().build().unwrap_or_default();
        let proxied = builder().build().unwrap_or_default();
        Self { direct, proxied }
    }

    fn client(&self, url: &url::Url) -> &reqwest::Client {
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        if loopback {
            &self.direct
        } else {
            &self.proxied
        }
    }

    /// POSTs `outgoing` and reports what came back. Never fails: errors are in the outcome.
    pub async fn send(
        &self,
        url: &url::Url,
        outgoing: &Outgoing,
        timeout: Duration,
    ) -> UpstreamOutcome {
        let started = Instant::now();
        let mut request = self
            .client(url)
            .post(url.clone())
            .timeout(timeout)
            .body(outgoing.body.clone());
        for (name, value) in &outgoing.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let result = request.send().await;
        let outcome = match result {
            Ok(response) => {
                let status = response.status().as_u16();
                let answer = match response.bytes().await {
                    Ok(bytes) => {
                        let end = bytes.len().min(ANSWER_LIMIT);
                        Some(String::from_utf8_lossy(&bytes[..end]).into_owned())
                    }
                    Err(_) => None,
                };
                UpstreamOutcome {
                    status: Some(status),
                    answer,
                    latency_ms: 0,
                    error: None,
                }
            }
            Err(e) => UpstreamOutcome {
                status: None,
                answer: None,
                latency_ms: 0,
                error: Some(describe(&e, url)),
            },
        };
        UpstreamOutcome {
            latency_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
            ..outcome
        }
    }
}

impl Default for Forwarder {
    fn default() -> Self {
        Self::new()
    }
}

/// A short reason for a failed send, with the URL's query masked (it may carry a key).
fn describe(e: &reqwest::Error, url: &url::Url) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut detail = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        detail = format!("{detail}: {source}");
    }
    format!(
        "{what} ({})",
        detail.replace(url.as_str(), &display_url(url))
    )
}

/// A URL for records and logs: query values masked, since integrations put keys there
/// (e.g. `?integration_key=...`).
pub fn display_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, _)| (k.into_owned(), crate::redact::MASK.to_string()))
            .collect();
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let _ = shown.set_password(None);
    shown.to_string()
}
