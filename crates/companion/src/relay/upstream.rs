//! Sending requests on to the upstream: transparent (original bytes and headers) or re-signed
//! (a fresh body sealed with the profile's keys). Loopback targets skip any configured HTTP
//! proxy; everything else honours it, like the rest of the app.

use std::time::{Duration, Instant};

use super::config::{ForwardMode, RelayKeys};
use super::error::RelayError;
use super::model::RequestKind;
use super::scrub;
use super::seal::{self, Sealed};
use super::store::UpstreamOutcome;
use crate::problem::{Problem, ProblemCode};
use crate::redact::MASK;

/// Upstream answers are read up to this many bytes and cut there (in the record and in what the
/// platform gets); the rest is not read at all.
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
                let answer = match read_answer(response).await {
                    Ok((bytes, cut)) => {
                        if cut {
                            tracing::debug!(
                                url = %display_url(url),
                                limit = ANSWER_LIMIT,
                                "the upstream's answer was cut"
                            );
                        }
                        Some(String::from_utf8_lossy(&bytes).into_owned())
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

/// At most [`ANSWER_LIMIT`] bytes of the answer, read chunk by chunk, and whether there was
/// more: the rest is never read (the connection is dropped with it), so what an upstream sends
/// costs the relay neither memory nor time beyond the limit.
async fn read_answer(mut response: reqwest::Response) -> reqwest::Result<(Vec<u8>, bool)> {
    let mut kept = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = ANSWER_LIMIT - kept.len();
        if chunk.len() > room {
            kept.extend_from_slice(&chunk[..room]);
            return Ok((kept, true));
        }
        kept.extend_from_slice(&chunk);
    }
    Ok((kept, false))
}

impl Default for Forwarder {
    fn default() -> Self {
        Self::new()
    }
}

/// A short reason for a failed send, with the URL's keys masked (see [`display_url`]).
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
    format!("{what} ({})", mask_url_in(&detail, url))
}

/// `text` with `url` (as written, or without its user info) shown as [`display_url`], and any
/// key of it left elsewhere in the text masked.
pub(crate) fn mask_url_in(text: &str, url: &url::Url) -> String {
    let shown = display_url(url);
    let mut bare = url.clone();
    let _ = bare.set_password(None);
    let _ = bare.set_username("");
    let mut text = text.replace(url.as_str(), &shown);
    if bare.as_str() != url.as_str() {
        text = text.replace(bare.as_str(), &shown);
    }
    for secret in url_secrets(url) {
        // Short values would mangle ordinary text (the same floor as the log scrubber's).
        if secret.len() >= 6 {
            text = text.replace(&secret, MASK);
        }
    }
    text
}

/// A URL typed by the admin (an upstream, a replay or trigger target). One that does not parse
/// is refused under `field`, its text shown with what could be a key masked: the user info
/// and every [`key_like`] run, as [`display_url`] masks a URL that parses.
pub(crate) fn parse_typed_url(field: &str, text: &str) -> Result<url::Url, RelayError> {
    url::Url::parse(text.trim()).map_err(|e| {
        RelayError::invalid(
            field,
            Problem::new(ProblemCode::RelayUrlInvalid)
                .param("value", mask_text(text))
                .param("detail", e),
        )
    })
}

/// `text` with user info (`//user:pass@`) and key-like runs of `[A-Za-z0-9_-]` masked.
fn mask_text(text: &str) -> String {
    let text = match (text.find("://"), text.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}{MASK}{}", &text[..scheme + 3], &text[at..])
        }
        _ => text.to_owned(),
    };
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        out.push_str(if key_like(run) { MASK } else { run });
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A path segment that looks like a key: at least [`KEY_MIN_LEN`] characters of
/// `[A-Za-z0-9_-]`, with both letters and digits (`/hook/AbC123dEf456GhI789jkl/`, a UUID), as
/// integrations put into webhook URLs. Words (`callback`) and numbers (an id) stay readable.
pub(crate) fn key_like(segment: &str) -> bool {
    segment.len() >= KEY_MIN_LEN
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && segment.bytes().any(|b| b.is_ascii_alphabetic())
        && segment.bytes().any(|b| b.is_ascii_digit())
}

/// The shortest path segment [`key_like`] takes for a key.
const KEY_MIN_LEN: usize = 16;

/// The parts of `url` that may hold a key, as written in it and decoded: the user name, the
/// password, key-like path segments, query values (and bare query words that look like keys)
/// and the fragment.
pub(crate) fn url_secrets(url: &url::Url) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut put = |raw: &str| {
        if raw.is_empty() {
            return;
        }
        secrets.push(raw.to_owned());
        if let Ok(decoded) = percent_decode(raw) {
            if decoded != raw && !decoded.is_empty() {
                secrets.push(decoded);
            }
        }
    };
    put(url.username());
    if let Some(password) = url.password() {
        put(password);
    }
    for segment in url.path_segments().into_iter().flatten() {
        if key_like(segment) {
            put(segment);
        }
    }
    for part in url.query().unwrap_or_default().split('&') {
        match part.split_once('=') {
            Some((_, value)) => put(value),
            None if key_like(part) => put(part),
            None => {}
        }
    }
    if let Some(fragment) = url.fragment() {
        put(fragment);
    }
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    secrets
}

fn percent_decode(raw: &str) -> Result<String, std::string::FromUtf8Error> {
    let decoded: Vec<u8> = url::form_urlencoded::parse(format!("x={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default();
    String::from_utf8(decoded)
}

/// Whether [`display_url`] masks anything in `url`: it carries a key somewhere, so it is not
/// to be stored as it is.
pub fn carries_secrets(url: &url::Url) -> bool {
    !url_secrets(url).is_empty() || url.query().is_some_and(|q| !q.is_empty())
}

/// A URL for people, records and logs, with every part that may hold a key masked: the user
/// name and password, path segments that look like keys ([`key_like`]), query values (and bare
/// query words that look like keys) and the fragment. Scheme, host, port, ordinary path
/// segments and query names stay readable: `https://<redacted>:<redacted>@host/hook/<redacted>/x?key=<redacted>`.
/// Not a URL to send to (the mask is not percent-encoded); the relay keeps the real one.
pub fn display_url(url: &url::Url) -> String {
    let mut shown = format!("{}://", url.scheme());
    if !url.username().is_empty() || url.password().is_some() {
        shown.push_str(MASK);
        if url.password().is_some() {
            shown.push(':');
            shown.push_str(MASK);
        }
        shown.push('@');
    }
    if let Some(host) = url.host_str() {
        shown.push_str(host);
    }
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    match url.path_segments() {
        Some(segments) => {
            for segment in segments {
                shown.push('/');
                shown.push_str(if key_like(segment) { MASK } else { segment });
            }
        }
        None => shown.push_str(url.path()),
    }
    if let Some(query) = url.query() {
        let parts: Vec<String> = query
            .split('&')
            .map(|part| match part.split_once('=') {
                Some((name, _)) => format!("{name}={MASK}"),
                None if key_like(part) => MASK.to_owned(),
                None => part.to_owned(),
            })
            .collect();
        shown.push('?');
        shown.push_str(&parts.join("&"));
    }
    if url.fragment().is_some() {
        shown.push('#');
        shown.push_str(MASK);
    }
    shown
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_url_that_does_not_parse_is_shown_with_its_keys_masked() {
        let refused = parse_typed_url(
            "upstream",
            "https://user:secret@[bad/hook/AbC123dEf456GhI789jkl",
        )
        .unwrap_err()
        .problem();
        let value = &refused.params["value"];
        assert_eq!(value, &format!("https://{MASK}@[bad/hook/{MASK}"));
        assert_eq!(refused.field.as_deref(), Some("upstream"));
        assert!(parse_typed_url("url", "http://127.0.0.1:9/callback").is_ok());
    }
    use super::*;

    fn shown(url: &str) -> String {
        display_url(&url::Url::parse(url).unwrap())
    }

    #[test]
    fn keys_in_the_user_info_path_and_query_are_masked() {
        let url = "https://user:pass@host.example/hook/AbC123dEf456GhI789jkl/x?key=v";
        let s = shown(url);
        assert_eq!(
            s,
            "https://<redacted>:<redacted>@host.example/hook/<redacted>/x?key=<redacted>"
        );
        for secret in ["user", "pass", "AbC123dEf456GhI789jkl", "=v"] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
        // A user name alone is masked too.
        assert_eq!(
            shown("http://someone@127.0.0.1:8080/a"),
            "http://<redacted>@127.0.0.1:8080/a"
        );
    }

    #[test]
    fn ordinary_paths_stay_readable() {
        for url in [
            "https://example.com/api/callback",
            "http://127.0.0.1:9400/hook",
            "https://events.pagerduty.com/integration/v2/enqueue",
            "https://h.example/webhooks/lark_card_callback/x",
            "https://h.example/2024/12345678901234567890",
        ] {
            assert_eq!(shown(url), url, "{url}");
        }
    }

    #[test]
    fn key_like_segments() {
        for key in [
            "AbC123dEf456GhI789jkl",
            "0123456789abcdef",
            "3f2a9c1e-7b4d-4e6a-9f1b-2c3d4e5f6a7b",
            "xoxb_1234_ABCDEFGHIJ",
        ] {
            assert!(key_like(key), "{key}");
        }
        for plain in [
            "callback",
            "v2",
            "abcdefghijklmnopqrstu",
            "12345678901234567890",
            "AbC123dEf456GhI",
            "a.b.c.1.2.3.4.5.6.7.8",
        ] {
            assert!(!key_like(plain), "{plain}");
        }
    }
}
