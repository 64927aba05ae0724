//! JSON types of the long connection (endpoint discovery, pong config, response payloads) and
//! the fragment reassembly that joins a message split over several data frames.
//!
//! The key names are capitalised on the wire (`AppID`, `URL`, `ClientConfig`, ...), exactly as
//! the SDKs send and read them (lark_oapi/ws/model.py); intervals are in seconds.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::frame::{header_keys, Frame};
use crate::secret::Secret;

/// Path of endpoint discovery, relative to the Open API domain.
pub const ENDPOINT_PATH: &str = "/callback/ws/endpoint";

/// Endpoint discovery codes (docs/protocol.md, "Long connection").
pub mod endpoint_codes {
    pub const OK: i64 = 0;
    pub const SYSTEM_BUSY: i64 = 1;
    pub const FORBIDDEN: i64 = 403;
    pub const AUTH_FAILED: i64 = 514;
    pub const INTERNAL_ERROR: i64 = 1_000_040_343;
    pub const NO_CREDENTIAL: i64 = 1_000_040_344;
    pub const CONNECTION_LIMIT: i64 = 1_000_040_350;

    /// Whether a client should retry after this code (the SDKs retry only these).
    pub fn is_retryable(code: i64) -> bool {
        matches!(code, SYSTEM_BUSY | INTERNAL_ERROR)
    }
}

/// Body of `POST /callback/ws/endpoint`. The secret is serialized (it must be sent) but never
/// shown by `Debug`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndpointRequest {
    #[serde(rename = "AppID")]
    pub app_id: String,
    #[serde(rename = "AppSecret", serialize_with = "serialize_secret")]
    pub app_secret: Secret,
}

fn serialize_secret<S: serde::Serializer>(s: &Secret, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.expose())
}

/// Reply of endpoint discovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointResponse {
    pub code: i64,
    #[serde(default)]
    pub msg: String,
    #[serde(default)]
    pub data: Option<EndpointData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointData {
    /// The wss URL to connect to; carries `device_id` and `service_id` in its query. Absent in
    /// refusals, whose `data` is an empty object: the code is read first.
    #[serde(rename = "URL", default)]
    pub url: String,
    #[serde(rename = "ClientConfig", default)]
    pub client_config: Option<ClientConfig>,
}

impl EndpointData {
    /// `service_id` (used in ping frames) and `device_id` (for logs) from the URL's query.
    pub fn connection_ids(&self) -> ConnectionIds {
        let mut ids = ConnectionIds::default();
        if let Ok(u) = url::Url::parse(&self.url) {
            for (k, v) in u.query_pairs() {
                match k.as_ref() {
                    "service_id" => ids.service_id = v.parse().ok(),
                    "device_id" => ids.device_id = Some(v.into_owned()),
                    _ => {}
                }
            }
        }
        ids
    }
}

/// Identifiers carried in the wss URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionIds {
    pub service_id: Option<i32>,
    pub device_id: Option<String>,
}

/// Reconnect and ping settings, in seconds. Defaults are the SDKs' until the server says more.
/// Also the JSON a pong may carry.
///
/// The numbers are the server's: any JSON number (negative, fractional, beyond the type) is
/// read, saturated into the field's type, so that one odd value does not fail the whole
/// endpoint answer; a value that is no number at all counts as absent. The client takes them
/// [`ClientConfig::clamped`], so no Duration or time sum overflows (the simulator sends them
/// as they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientConfig {
    /// -1 = reconnect forever.
    #[serde(
        rename = "ReconnectCount",
        deserialize_with = "lenient::reconnect_count"
    )]
    pub reconnect_count: i64,
    #[serde(
        rename = "ReconnectInterval",
        deserialize_with = "lenient::reconnect_interval"
    )]
    pub reconnect_interval: u64,
    /// The first reconnect waits a random 0..nonce seconds.
    #[serde(
        rename = "ReconnectNonce",
        deserialize_with = "lenient::reconnect_nonce"
    )]
    pub reconnect_nonce: u64,
    #[serde(rename = "PingInterval", deserialize_with = "lenient::ping_interval")]
    pub ping_interval: u64,
}

/// The shortest ping interval the client honours, in seconds (0 would spin).
pub const MIN_PING_INTERVAL: u64 = 1;
/// The longest ping interval the client honours, in seconds: a silent connection is noticed
/// after three of them.
pub const MAX_PING_INTERVAL: u64 = 10 * 60;
/// The longest wait between reconnect attempts the client honours, in seconds.
pub const MAX_RECONNECT_INTERVAL: u64 = 10 * 60;
/// The longest random wait before the first reconnect, in seconds.
pub const MAX_RECONNECT_NONCE: u64 = 60;
/// The most reconnect attempts counted (more is as good as forever).
pub const MAX_RECONNECT_COUNT: i64 = u32::MAX as i64;

impl ClientConfig {
    /// The config brought into the bounds the client honours: ping every
    /// [`MIN_PING_INTERVAL`]..=[`MAX_PING_INTERVAL`] s, reconnect interval at most
    /// [`MAX_RECONNECT_INTERVAL`] s, nonce at most [`MAX_RECONNECT_NONCE`] s, any negative
    /// count -1 (forever) and at most [`MAX_RECONNECT_COUNT`].
    pub fn clamped(self) -> Self {
        Self {
            reconnect_count: if self.reconnect_count < 0 {
                -1
            } else {
                self.reconnect_count.min(MAX_RECONNECT_COUNT)
            },
            reconnect_interval: self.reconnect_interval.min(MAX_RECONNECT_INTERVAL),
            reconnect_nonce: self.reconnect_nonce.min(MAX_RECONNECT_NONCE),
            ping_interval: self
                .ping_interval
                .clamp(MIN_PING_INTERVAL, MAX_PING_INTERVAL),
        }
    }
}

/// Reading the server's numbers whatever their JSON form (see [`ClientConfig`]).
mod lenient {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    use super::ClientConfig;

    /// The number as an i128, saturated (fractions cut toward zero); `None` when it is none.
    fn number(value: &Value) -> Option<i128> {
        match value {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                // `as` saturates a float into the integer's range (NaN is 0).
                .or_else(|| n.as_f64().map(|f| f as i128)),
            Value::String(s) => {
                let s = s.trim();
                s.parse::<i128>()
                    .ok()
                    .or_else(|| s.parse::<f64>().ok().map(|f| f as i128))
            }
            _ => None,
        }
    }

    fn unsigned<'de, D: Deserializer<'de>>(d: D, default: u64) -> Result<u64, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(number(&value).map_or(default, |n| u64::try_from(n.max(0)).unwrap_or(u64::MAX)))
    }

    pub(super) fn reconnect_count<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(
            number(&value).map_or(ClientConfig::default().reconnect_count, |n| {
                i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
            }),
        )
    }

    pub(super) fn reconnect_interval<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        unsigned(d, ClientConfig::default().reconnect_interval)
    }

    pub(super) fn reconnect_nonce<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        unsigned(d, ClientConfig::default().reconnect_nonce)
    }

    pub(super) fn ping_interval<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        unsigned(d, ClientConfig::default().ping_interval)
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            reconnect_count: -1,
            reconnect_interval: 120,
            reconnect_nonce: 30,
            ping_interval: 120,
        }
    }
}

/// The payload a client puts into its response frame: `{"code":200}` or
/// `{"code":200,"data":"<base64 of the JSON answer>"}` (500 on handler error).
/// Deserialization also accepts the Go SDK's `{"code":200,"headers":null,"data":null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsePayload {
    pub code: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

impl ResponsePayload {
    pub fn ok() -> Self {
        Self {
            code: 200,
            data: None,
        }
    }

    /// Success with an answer (toast and/or card JSON), base64-encoded as the SDKs do.
    pub fn ok_with_json(answer: &[u8]) -> Self {
        Self {
            code: 200,
            data: Some(B64.encode(answer)),
        }
    }

    pub fn error() -> Self {
        Self {
            code: 500,
            data: None,
        }
    }

    pub fn to_json_bytes(&self) -> Vec<u8> {
        // Serializing a struct of a number and an optional string cannot fail.
        serde_json::to_vec(self).unwrap_or_else(|_| br#"{"code":500}"#.to_vec())
    }

    pub fn from_json_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The decoded answer, `None` when there is none, an error when `data` is not base64.
    pub fn decoded_data(&self) -> Result<Option<Vec<u8>>, base64::DecodeError> {
        self.data.as_deref().map(|d| B64.decode(d)).transpose()
    }
}

/// Why a fragment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    #[error("data frame without a message_id header")]
    MissingMessageId,
    #[error("header {0} is missing or not a number")]
    BadNumber(&'static str),
    #[error("fragment seq {seq} is outside sum {sum}")]
    SeqOutOfRange { seq: u32, sum: u32 },
    #[error("sum {sum} exceeds the limit of {max} fragments")]
    TooManyFragments { sum: u32, max: u32 },
    #[error("fragments of one message disagree on sum ({first} then {now})")]
    SumChanged { first: u32, now: u32 },
    #[error("too many unfinished messages ({0}); refusing more")]
    TooManyPending(usize),
}

struct Pending {
    started: Instant,
    parts: Vec<Option<Vec<u8>>>,
}

/// Joins data frames split into `sum` parts (`seq` 0-based) by `message_id`.
///
/// Bounded: at most `max_fragments` per message and `max_pending` unfinished messages, and
/// unfinished messages expire after `ttl` (the SDKs use 5 s). Time is passed in so tests can
/// control it.
pub struct Reassembler {
    pending: HashMap<String, Pending>,
    ttl: Duration,
    max_fragments: u32,
    max_pending: usize,
}

impl Default for Reassembler {
    fn default() -> Self {
        Self::new(Duration::from_secs(5))
    }
}

impl Reassembler {
    pub fn new(ttl: Duration) -> Self {
        Self {
            pending: HashMap::new(),
            ttl,
            max_fragments: 256,
            max_pending: 1024,
        }
    }

    /// Number of messages still waiting for fragments.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Drops unfinished messages older than the TTL; returns how many were dropped.
    pub fn expire(&mut self, now: Instant) -> usize {
        let before = self.pending.len();
        let ttl = self.ttl;
        self.pending
            .retain(|_, p| now.saturating_duration_since(p.started) < ttl);
        before - self.pending.len()
    }

    /// Adds one fragment; returns the whole payload once every part has arrived.
    /// A repeated `seq` overwrites the earlier copy (redelivery).
    pub fn push(
        &mut self,
        message_id: &str,
        sum: u32,
        seq: u32,
        payload: Vec<u8>,
        now: Instant,
    ) -> Result<Option<Vec<u8>>, FragmentError> {
        if sum > self.max_fragments {
            return Err(FragmentError::TooManyFragments {
                sum,
                max: self.max_fragments,
            });
        }
        if seq >= sum {
            return Err(FragmentError::SeqOutOfRange { seq, sum });
        }
        if sum == 1 {
            return Ok(Some(payload));
        }
        self.expire(now);
        if !self.pending.contains_key(message_id) && self.pending.len() >= self.max_pending {
            return Err(FragmentError::TooManyPending(self.pending.len()));
        }
        let entry = self
            .pending
            .entry(message_id.to_owned())
            .or_insert_with(|| Pending {
                started: now,
                parts: vec![None; sum as usize],
            });
        if entry.parts.len() != sum as usize {
            return Err(FragmentError::SumChanged {
                first: entry.parts.len() as u32,
                now: sum,
            });
        }
        entry.parts[seq as usize] = Some(payload);
        if entry.parts.iter().all(Option::is_some) {
            let done = self.pending.remove(message_id);
            let joined = done
                .map(|p| p.parts.into_iter().flatten().flatten().collect())
                .unwrap_or_default();
            return Ok(Some(joined));
        }
        Ok(None)
    }

    /// [`Reassembler::push`] reading `message_id`, `sum`, `seq` from a data frame's headers.
    /// A frame without `sum`/`seq` is treated as unfragmented.
    pub fn push_frame(
        &mut self,
        frame: &Frame,
        now: Instant,
    ) -> Result<Option<Vec<u8>>, FragmentError> {
        let num = |k: &'static str| -> Result<Option<u32>, FragmentError> {
            frame
                .header(k)
                .map(|v| {
                    v.trim()
                        .parse::<u32>()
                        .map_err(|_| FragmentError::BadNumber(k))
                })
                .transpose()
        };
        let sum = num(header_keys::SUM)?.unwrap_or(1);
        let seq = num(header_keys::SEQ)?.unwrap_or(0);
        if sum <= 1 {
            if seq != 0 {
                return Err(FragmentError::SeqOutOfRange { seq, sum });
            }
            return Ok(Some(frame.payload_bytes().to_vec()));
        }
        let message_id = frame
            .header(header_keys::MESSAGE_ID)
            .filter(|id| !id.is_empty())
            .ok_or(FragmentError::MissingMessageId)?
            .to_owned();
        self.push(&message_id, sum, seq, frame.payload_bytes().to_vec(), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::FrameType;

    #[test]
    fn endpoint_request_wire_shape_and_redaction() {
        let r = EndpointRequest {
            app_id: "cli_a".into(),
            app_secret: Secret::new("s3cr3t"),
        };
        let v: serde_json::Value = serde_json::to_value(&r).unwrap();
        assert_eq!(v, serde_json::json!({"AppID":"cli_a","AppSecret":"s3cr3t"}));
        assert!(!format!("{r:?}").contains("s3cr3t"));
        let back: EndpointRequest = serde_json::from_value(v).unwrap();
        assert_eq!(back.app_secret.expose(), "s3cr3t");
    }

    #[test]
    fn endpoint_response_parses() {
        let body = r#"{"code":0,"msg":"ok","data":{"URL":"wss://msg-frontier.feishu.cn/ws/v2?fpid=493&aid=552564&device_id=dev123&access_key=x&service_id=33554678&ticket=t","ClientConfig":{"ReconnectCount":-1,"ReconnectInterval":120,"ReconnectNonce":30,"PingInterval":90}}}"#;
        let r: EndpointResponse = serde_json::from_str(body).unwrap();
        assert_eq!(r.code, endpoint_codes::OK);
        let data = r.data.unwrap();
        assert_eq!(data.client_config.unwrap().ping_interval, 90);
        assert_eq!(data.client_config.unwrap().reconnect_count, -1);
        let ids = data.connection_ids();
        assert_eq!(ids.service_id, Some(33554678));
        assert_eq!(ids.device_id.as_deref(), Some("dev123"));

        let err: EndpointResponse =
            serde_json::from_str(r#"{"code":514,"msg":"auth failed"}"#).unwrap();
        assert_eq!(err.code, endpoint_codes::AUTH_FAILED);
        assert!(err.data.is_none());
        assert!(endpoint_codes::is_retryable(1));
        assert!(!endpoint_codes::is_retryable(514));
    }

    #[test]
    fn partial_client_config_keeps_defaults() {
        let c: ClientConfig = serde_json::from_str(r#"{"PingInterval":5}"#).unwrap();
        assert_eq!(c.ping_interval, 5);
        assert_eq!(c.reconnect_interval, 120);
    }

    #[test]
    fn response_payload_shapes() {
        assert_eq!(ResponsePayload::ok().to_json_bytes(), br#"{"code":200}"#);
        let p = ResponsePayload::ok_with_json(br#"{"a":1}"#);
        assert_eq!(
            String::from_utf8(p.to_json_bytes()).unwrap(),
            r#"{"code":200,"data":"eyJhIjoxfQ=="}"#
        );
        let go: ResponsePayload =
            serde_json::from_str(r#"{"code":200,"headers":null,"data":null}"#).unwrap();
        assert_eq!(go, ResponsePayload::ok());
        assert_eq!(go.decoded_data().unwrap(), None);
        let bad = ResponsePayload {
            code: 200,
            data: Some("!!".into()),
        };
        assert!(bad.decoded_data().is_err());
    }

    #[test]
    fn reassembles_out_of_order() {
        let mut r = Reassembler::default();
        let t = Instant::now();
        assert_eq!(r.push("m", 3, 2, b"c".to_vec(), t).unwrap(), None);
        assert_eq!(r.push("m", 3, 0, b"a".to_vec(), t).unwrap(), None);
        assert_eq!(r.pending(), 1);
        assert_eq!(
            r.push("m", 3, 1, b"b".to_vec(), t).unwrap(),
            Some(b"abc".to_vec())
        );
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn refuses_bad_fragments_and_expires() {
        let mut r = Reassembler::new(Duration::from_secs(5));
        let t = Instant::now();
        assert_eq!(
            r.push("m", 2, 2, vec![], t),
            Err(FragmentError::SeqOutOfRange { seq: 2, sum: 2 })
        );
        assert_eq!(
            r.push("m", 0, 0, vec![], t),
            Err(FragmentError::SeqOutOfRange { seq: 0, sum: 0 })
        );
        assert!(matches!(
            r.push("m", 100_000, 0, vec![], t),
            Err(FragmentError::TooManyFragments { .. })
        ));
        r.push("m", 2, 0, b"x".to_vec(), t).unwrap();
        assert_eq!(
            r.push("m", 3, 1, vec![], t),
            Err(FragmentError::SumChanged { first: 2, now: 3 })
        );
        assert_eq!(r.expire(t + Duration::from_secs(6)), 1);
        // after expiry the second half alone does not complete the message
        assert_eq!(
            r.push("m", 2, 1, b"y".to_vec(), t + Duration::from_secs(6))
                .unwrap(),
            None
        );
    }

    #[test]
    fn client_config_reads_any_number_and_clamps() {
        let read = |json: &str| serde_json::from_str::<ClientConfig>(json).unwrap();
        let odd = read(
            r#"{"PingInterval": -3, "ReconnectInterval": 1e300, "ReconnectNonce": "7.9",
                "ReconnectCount": -1e300}"#,
        );
        assert_eq!(odd.ping_interval, 0);
        assert_eq!(odd.reconnect_interval, u64::MAX);
        assert_eq!(odd.reconnect_nonce, 7);
        assert_eq!(odd.reconnect_count, i64::MIN);
        let clamped = odd.clamped();
        assert_eq!(clamped.ping_interval, MIN_PING_INTERVAL);
        assert_eq!(clamped.reconnect_interval, MAX_RECONNECT_INTERVAL);
        assert_eq!(clamped.reconnect_nonce, 7);
        assert_eq!(clamped.reconnect_count, -1);
        let huge = read(&format!(
            r#"{{"PingInterval": {}, "ReconnectNonce": {}, "ReconnectCount": {}}}"#,
            i64::MAX,
            u64::MAX,
            i64::MAX
        ))
        .clamped();
        assert_eq!(huge.ping_interval, MAX_PING_INTERVAL);
        assert_eq!(huge.reconnect_nonce, MAX_RECONNECT_NONCE);
        assert_eq!(huge.reconnect_count, MAX_RECONNECT_COUNT);
        assert_eq!(huge.reconnect_interval, 120, "absent: the default");
        let garbage = read(r#"{"PingInterval": null, "ReconnectInterval": [1]}"#);
        assert_eq!(garbage, ClientConfig::default());
        assert_eq!(ClientConfig::default().clamped(), ClientConfig::default());
        // What the simulator sends round-trips unclamped.
        let json = serde_json::to_string(&odd).unwrap();
        assert_eq!(read(&json), odd);
    }

    #[test]
    fn push_frame_reads_headers() {
        let mut r = Reassembler::default();
        let t = Instant::now();
        let f0 = Frame::data(
            1,
            1,
            FrameType::Event,
            "mid",
            "t",
            2,
            0,
            b"{\"a\":".to_vec(),
        );
        let f1 = Frame::data(2, 1, FrameType::Event, "mid", "t", 2, 1, b"1}".to_vec());
        assert_eq!(r.push_frame(&f1, t).unwrap(), None);
        assert_eq!(r.push_frame(&f0, t).unwrap(), Some(b"{\"a\":1}".to_vec()));
        let single = Frame::data(3, 1, FrameType::Event, "m2", "t", 1, 0, b"z".to_vec());
        assert_eq!(r.push_frame(&single, t).unwrap(), Some(b"z".to_vec()));
        let mut bad = single.clone();
        bad.set_header(header_keys::SUM, "x");
        assert_eq!(r.push_frame(&bad, t), Err(FragmentError::BadNumber("sum")));
        let mut no_id = f0.clone();
        no_id.headers.retain(|h| h.key != header_keys::MESSAGE_ID);
        assert_eq!(
            r.push_frame(&no_id, t),
            Err(FragmentError::MissingMessageId)
        );
        let mut empty_id = f0.clone();
        empty_id.set_header(header_keys::MESSAGE_ID, "");
        assert_eq!(
            r.push_frame(&empty_id, t),
            Err(FragmentError::MissingMessageId)
        );
    }
}
