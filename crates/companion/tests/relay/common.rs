//! The harness: lark-sim as the sender (`POST /_sim/callbacks`), a relay on a loopback port with
//! a file-backed store, and an axum upstream that verifies what it gets with the same keys, the
//! way the integration behind the relay would. Every wait is bounded.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use companion::relay::store::NewRecord;
use companion::relay::{
    AnsweredBy, ForwardMode, OutboxPolicy, RecordFilter, RecordSummary, Relay, RelayConfig,
    RelayCore, RelayKeys, RelayProfile, RelayStore, RequestKind, RequestSource, Upstream, Verdict,
};
use lark_platform::envelope::{self, SignatureHeaders, DEFAULT_MAX_BODY};
use lark_sim::{Sim, SimConfig, SimHandle};
use serde_json::{json, Value};

/// The longest any test waits for something to happen.
pub const WAIT: Duration = Duration::from_secs(15);

pub fn keys_of(sim: &SimHandle) -> RelayKeys {
    RelayKeys::new(
        sim.app.encrypt_key.as_deref(),
        Some(&sim.app.verification_token),
    )
}

/// Polls `check` every 20 ms until it returns `Some`, failing after [`WAIT`].
pub async fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// The upstream

/// What the upstream received, and whether it verified with the profile's keys.
#[derive(Clone, Debug)]
pub struct Seen {
    pub kind: Option<RequestKind>,
    pub event_id: Option<String>,
    pub verify_error: Option<String>,
    pub plaintext: Option<Value>,
    pub headers: Vec<(String, String)>,
}

/// How the upstream answers.
#[derive(Clone, Debug)]
pub struct Behaviour {
    pub delay: Duration,
    pub status: u16,
    pub card_answer: Value,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            delay: Duration::ZERO,
            status: 200,
            card_answer: json!({"toast": {"type": "success", "content": "from upstream"}}),
        }
    }
}

pub struct TestUpstream {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub behaviour: Arc<Mutex<Behaviour>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestUpstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestUpstream {
    pub async fn start(keys: RelayKeys) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(listener, keys)
    }

    pub fn start_on(listener: tokio::net::TcpListener, keys: RelayKeys) -> Self {
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let behaviour: Arc<Mutex<Behaviour>> = Arc::default();
        let (log, how) = (seen.clone(), behaviour.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let (log, how, keys) = (log.clone(), how.clone(), keys.clone());
                async move { answer(&keys, &log, &how, headers, body).await }
            }),
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://{addr}/hook"),
            seen,
            behaviour,
            task,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn event_ids(&self) -> Vec<String> {
        self.seen().into_iter().filter_map(|s| s.event_id).collect()
    }

    pub fn set(&self, f: impl FnOnce(&mut Behaviour)) {
        f(&mut self.behaviour.lock().unwrap());
    }
}

async fn answer(
    keys: &RelayKeys,
    log: &Mutex<Vec<Seen>>,
    how: &Mutex<Behaviour>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let signature = SignatureHeaders::from_pairs(pairs.iter().map(|(k, v)| (&**k, &**v)));
    let verified = envelope::verify(&signature, &body, &keys.callback_keys(), DEFAULT_MAX_BODY);
    let (kind, event_id, plaintext, verify_error) = match &verified {
        Ok(v) => (
            Some(RequestKind::of(&v.envelope)),
            v.envelope.dedup_id().map(str::to_string),
            Some(v.plaintext.clone()),
            None,
        ),
        Err(e) => (None, None, None, Some(e.to_string())),
    };
    log.lock().unwrap().push(Seen {
        kind,
        event_id,
        verify_error,
        plaintext: plaintext.clone(),
        headers: pairs,
    });
    let behaviour = how.lock().unwrap().clone();
    if !behaviour.delay.is_zero() {
        tokio::time::sleep(behaviour.delay).await;
    }
    let status = StatusCode::from_u16(behaviour.status).unwrap();
    let reply = match kind {
        Some(RequestKind::UrlVerification) => {
            json!({"challenge": plaintext.as_ref().and_then(|p| p.get("challenge")).cloned()})
        }
        Some(k) if k.is_card() => behaviour.card_answer,
        _ => json!({}),
    };
    (status, axum::Json(reply)).into_response()
}

/// A port nothing listens on (yet): bound, read and released.
pub async fn free_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

// ---------------------------------------------------------------------------------------------
// The relay and the sender

pub struct Harness {
    pub sim: SimHandle,
    pub http: reqwest::Client,
    pub relay: Relay,
    pub dir: tempfile::TempDir,
}

/// A profile for the relay.
pub struct ProfileSpec {
    pub name: &'static str,
    pub keys: RelayKeys,
    pub upstream: Option<(String, ForwardMode)>,
}

pub fn quick_config() -> RelayConfig {
    RelayConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        outbox: OutboxPolicy {
            first_retry: Duration::from_millis(50),
            max_delay: Duration::from_millis(400),
            ..OutboxPolicy::default()
        },
        ..RelayConfig::default()
    }
}

pub async fn sim() -> SimHandle {
    Sim::start(SimConfig {
        seed: Some(7),
        ..SimConfig::default()
    })
    .await
    .expect("sim starts")
}

/// A relay serving `profiles` (keys default to the simulator's).
pub async fn start(sim: SimHandle, config: RelayConfig, profiles: Vec<ProfileSpec>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = RelayStore::open(dir.path()).unwrap();
    let profiles = profiles
        .into_iter()
        .map(|p| {
            let upstream = p
                .upstream
                .map(|(url, mode)| Upstream::parse(&url, mode).unwrap());
            RelayProfile::new(p.name, p.keys, upstream)
        })
        .collect();
    let core = RelayCore::new(config, profiles, store).unwrap();
    let relay = Relay::start(core).await.unwrap();
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(WAIT)
        .build()
        .unwrap();
    Harness {
        sim,
        http,
        relay,
        dir,
    }
}

/// A relay with one profile `main` using the simulator's keys.
pub async fn start_one(upstream: Option<(String, ForwardMode)>) -> Harness {
    start_one_with(quick_config(), upstream).await
}

/// [`start_one`] with a config of the test's own.
pub async fn start_one_with(
    config: RelayConfig,
    upstream: Option<(String, ForwardMode)>,
) -> Harness {
    let sim = sim().await;
    let keys = keys_of(&sim);
    start(
        sim,
        config,
        vec![ProfileSpec {
            name: "main",
            keys,
            upstream,
        }],
    )
    .await
}

/// A relay with one profile `main` forwarding in `mode` to a fresh [`TestUpstream`] that checks
/// the simulator's keys.
pub async fn start_with_upstream(mode: ForwardMode) -> (Harness, TestUpstream) {
    start_with_upstream_config(quick_config(), mode).await
}

/// [`start_with_upstream`] with a config of the test's own.
pub async fn start_with_upstream_config(
    config: RelayConfig,
    mode: ForwardMode,
) -> (Harness, TestUpstream) {
    let sim = sim().await;
    let keys = keys_of(&sim);
    let upstream = TestUpstream::start(keys.clone()).await;
    let h = start(
        sim,
        config,
        vec![ProfileSpec {
            name: "main",
            keys,
            upstream: Some((upstream.url.clone(), mode)),
        }],
    )
    .await;
    (h, upstream)
}

impl Harness {
    pub fn url(&self, profile: &str) -> String {
        self.relay.url(profile).unwrap()
    }

    /// Has the simulator deliver a callback to `profile` and returns its report
    /// (`status`, `body`, `latency_ms`, `sent`).
    pub async fn deliver(&self, profile: &str, mut request: Value) -> Value {
        request["url"] = json!(self.url(profile));
        let response = self
            .http
            .post(format!("{}/_sim/callbacks", self.sim.base_url))
            .json(&request)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "sim refused {request}");
        response.json().await.unwrap()
    }

    /// POSTs raw headers and body to a profile's path.
    pub async fn post_raw(
        &self,
        profile: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut request = self.http.post(self.url(profile)).body(body);
        for (k, v) in headers {
            request = request.header(k.as_str(), v.as_str());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub fn records(&self) -> Vec<RecordSummary> {
        self.relay
            .list(&RecordFilter {
                limit: Some(1000),
                ..Default::default()
            })
            .unwrap()
    }

    pub fn newest(&self) -> RecordSummary {
        self.records().into_iter().next().expect("a record")
    }
}

/// The headers and body the simulator sent, from its report.
pub fn sent(report: &Value) -> (Vec<(String, String)>, Vec<u8>) {
    let headers = report["sent"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let body = report["sent"]["body"].as_str().unwrap().as_bytes().to_vec();
    (headers, body)
}

/// The event id inside the simulator's plaintext.
pub fn sent_event_id(report: &Value) -> String {
    report["sent"]["plaintext"]["header"]["event_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A record as the store takes it, for tests that write history directly: an accepted event of
/// profile `main` whose body is `plaintext`; a test changes what it is about.
pub fn a_record(plaintext: Option<Value>) -> NewRecord {
    let body = plaintext.as_ref().map(Value::to_string).unwrap_or_default();
    NewRecord {
        received_ms: 1_700_000_000_000,
        profile: "main".into(),
        source: RequestSource::Callback,
        kind: RequestKind::EventV2,
        event_type: None,
        event_id: None,
        verdict: Verdict::Accepted,
        reject_code: None,
        reject_reason: None,
        reject_fix: None,
        reject_params: Default::default(),
        checks: Vec::new(),
        path: "/callback/main".into(),
        headers: Vec::new(),
        body_bytes: body.len(),
        body,
        plaintext,
        http_status: 200,
        answer: Some("{}".into()),
        answered_by: AnsweredBy::Relay,
        answer_us: 100,
        deadline_missed: false,
        upstream_url: None,
        forward_mode: None,
        upstream: None,
        outbox: None,
    }
}
