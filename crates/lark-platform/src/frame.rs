//! The long-connection frame: protobuf `pbbp2.Frame` (proto2), the only message format on the
//! WebSocket that Feishu's long connection uses.
//!
//! Schema (docs/protocol.md, "Long connection", verified from the SDKs' generated code):
//! `Frame { 1 SeqID uint64 required; 2 LogID uint64 required; 3 service int32 required;
//! 4 method int32 required; 5 headers repeated Header; 6 payload_encoding string;
//! 7 payload_type string; 8 payload bytes; 9 LogIDNew string }`,
//! `Header { 1 key string required; 2 value string required }`.
//!
//! The structs are written by hand with `prost` derives (no build script, no protoc): proto2
//! `required` fields are plain values that prost always encodes, so a frame we send is accepted
//! by a strict proto2 parser on the other side, and `optional` fields are `Option`s so that
//! "absent" and "empty" stay distinguishable when a frame is echoed back as a response.

use prost::Message;

use crate::ws_types::ResponsePayload;

/// `method` of control frames (ping, pong).
pub const METHOD_CONTROL: i32 = 0;
/// `method` of data frames (events, card callbacks).
pub const METHOD_DATA: i32 = 1;

/// Header keys used on the long connection (lark_oapi/ws/const.py).
pub mod header_keys {
    pub const TYPE: &str = "type";
    pub const MESSAGE_ID: &str = "message_id";
    pub const SUM: &str = "sum";
    pub const SEQ: &str = "seq";
    pub const TRACE_ID: &str = "trace_id";
    pub const BIZ_RT: &str = "biz_rt";
    pub const TIMESTAMP: &str = "timestamp";
    pub const INSTANCE_ID: &str = "instance_id";
}

/// One key/value header of a frame.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Header {
    #[prost(string, required, tag = "1")]
    pub key: String,
    #[prost(string, required, tag = "2")]
    pub value: String,
}

/// A `pbbp2.Frame`. Field names follow Rust style; the comments give the proto names.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Frame {
    /// `SeqID`
    #[prost(uint64, required, tag = "1")]
    pub seq_id: u64,
    /// `LogID`
    #[prost(uint64, required, tag = "2")]
    pub log_id: u64,
    /// `service`: for pings, the `service_id` query parameter of the wss URL.
    #[prost(int32, required, tag = "3")]
    pub service: i32,
    /// `method`: [`METHOD_CONTROL`] or [`METHOD_DATA`].
    #[prost(int32, required, tag = "4")]
    pub method: i32,
    #[prost(message, repeated, tag = "5")]
    pub headers: Vec<Header>,
    #[prost(string, optional, tag = "6")]
    pub payload_encoding: Option<String>,
    #[prost(string, optional, tag = "7")]
    pub payload_type: Option<String>,
    #[prost(bytes = "vec", optional, tag = "8")]
    pub payload: Option<Vec<u8>>,
    /// `LogIDNew`
    #[prost(string, optional, tag = "9")]
    pub log_id_new: Option<String>,
}

/// The `type` header: what a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameType {
    Ping,
    Pong,
    /// A schema 2.0 event, including the new card callback `card.action.trigger`.
    Event,
    /// A legacy card callback; both official SDKs drop these, we surface them.
    Card,
}

impl FrameType {
    pub fn as_str(self) -> &'static str {
        match self {
            FrameType::Ping => "ping",
            FrameType::Pong => "pong",
            FrameType::Event => "event",
            FrameType::Card => "card",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ping" => Some(FrameType::Ping),
            "pong" => Some(FrameType::Pong),
            "event" => Some(FrameType::Event),
            "card" => Some(FrameType::Card),
            _ => None,
        }
    }

    /// The `method` a frame of this type uses.
    pub fn method(self) -> i32 {
        match self {
            FrameType::Ping | FrameType::Pong => METHOD_CONTROL,
            FrameType::Event | FrameType::Card => METHOD_DATA,
        }
    }
}

/// A frame that could not be decoded (truncated or not protobuf, or a required field missing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid long-connection frame: {0}")]
pub struct FrameError(pub String);

impl Frame {
    /// Decodes a binary WebSocket message. Truncated or malformed protobuf is an error; a
    /// missing proto2 `required` field is not (prost reads it as 0), which is harmless here
    /// because every consumer dispatches on `method` and the `type` header anyway.
    pub fn decode_bytes(bytes: &[u8]) -> Result<Self, FrameError> {
        Frame::decode(bytes).map_err(|e| FrameError(e.to_string()))
    }

    /// Encodes for a binary WebSocket message.
    pub fn encode_bytes(&self) -> Vec<u8> {
        self.encode_to_vec()
    }

    /// First header with this key.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.key == key)
            .map(|h| h.value.as_str())
    }

    /// Sets a header, replacing every existing one with the same key.
    pub fn set_header(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        if let Some(pos) = self.headers.iter().position(|h| h.key == key) {
            self.headers[pos].value = value;
            let mut i = pos + 1;
            while i < self.headers.len() {
                if self.headers[i].key == key {
                    self.headers.remove(i);
                } else {
                    i += 1;
                }
            }
        } else {
            self.headers.push(Header {
                key: key.to_owned(),
                value,
            });
        }
    }

    /// The `type` header, if it is one we know.
    pub fn frame_type(&self) -> Option<FrameType> {
        self.header(header_keys::TYPE).and_then(FrameType::parse)
    }

    pub fn is_control(&self) -> bool {
        self.method == METHOD_CONTROL
    }

    /// The payload bytes, empty when absent.
    pub fn payload_bytes(&self) -> &[u8] {
        self.payload.as_deref().unwrap_or(&[])
    }

    /// A client ping: method 0, SeqID/LogID 0, `service` = the URL's `service_id`, no payload.
    pub fn ping(service_id: i32) -> Self {
        Frame {
            seq_id: 0,
            log_id: 0,
            service: service_id,
            method: METHOD_CONTROL,
            headers: vec![Header {
                key: header_keys::TYPE.into(),
                value: FrameType::Ping.as_str().into(),
            }],
            ..Default::default()
        }
    }

    /// A server pong, optionally carrying a new `ClientConfig` as JSON.
    pub fn pong(service_id: i32, client_config_json: Option<Vec<u8>>) -> Self {
        Frame {
            seq_id: 0,
            log_id: 0,
            service: service_id,
            method: METHOD_CONTROL,
            headers: vec![Header {
                key: header_keys::TYPE.into(),
                value: FrameType::Pong.as_str().into(),
            }],
            payload: client_config_json,
            ..Default::default()
        }
    }

    /// A data frame (`event` or `card`) with one fragment of a message: `sum` fragments in all,
    /// this one at 0-based index `seq`. Use `sum = 1, seq = 0` for an unfragmented message.
    #[allow(clippy::too_many_arguments)]
    pub fn data(
        seq_id: u64,
        service: i32,
        kind: FrameType,
        message_id: &str,
        trace_id: &str,
        sum: u32,
        seq: u32,
        payload: Vec<u8>,
    ) -> Self {
        let h = |k: &str, v: String| Header {
            key: k.to_owned(),
            value: v,
        };
        Frame {
            seq_id,
            log_id: 0,
            service,
            method: kind.method(),
            headers: vec![
                h(header_keys::TYPE, kind.as_str().to_owned()),
                h(header_keys::MESSAGE_ID, message_id.to_owned()),
                h(header_keys::SUM, sum.to_string()),
                h(header_keys::SEQ, seq.to_string()),
                h(header_keys::TRACE_ID, trace_id.to_owned()),
            ],
            payload: Some(payload),
            ..Default::default()
        }
    }

    /// The client's answer to a data frame: the same frame, with header `biz_rt` (handling
    /// time in ms) and the payload replaced by the JSON response payload.
    pub fn to_response(&self, response: &ResponsePayload, biz_rt_ms: u64) -> Self {
        let mut out = self.clone();
        out.set_header(header_keys::BIZ_RT, biz_rt_ms.to_string());
        out.payload = Some(response.to_json_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-written protobuf encoding helpers, independent of prost, to check the field numbers.
    fn varint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
    }
    fn key(field: u64, wire: u64, out: &mut Vec<u8>) {
        varint((field << 3) | wire, out);
    }
    fn len_delim(field: u64, bytes: &[u8], out: &mut Vec<u8>) {
        key(field, 2, out);
        varint(bytes.len() as u64, out);
        out.extend_from_slice(bytes);
    }
    fn header_bytes(k: &str, v: &str) -> Vec<u8> {
        let mut h = Vec::new();
        len_delim(1, k.as_bytes(), &mut h);
        len_delim(2, v.as_bytes(), &mut h);
        h
    }

    #[test]
    fn ping_encodes_to_hand_built_bytes() {
        let mut expected = Vec::new();
        key(1, 0, &mut expected);
        varint(0, &mut expected);
        key(2, 0, &mut expected);
        varint(0, &mut expected);
        key(3, 0, &mut expected);
        varint(42, &mut expected);
        key(4, 0, &mut expected);
        varint(0, &mut expected);
        len_delim(5, &header_bytes("type", "ping"), &mut expected);
        assert_eq!(Frame::ping(42).encode_bytes(), expected);
    }

    #[test]
    fn decodes_hand_built_data_frame() {
        let mut b = Vec::new();
        key(1, 0, &mut b);
        varint(300, &mut b);
        key(2, 0, &mut b);
        varint(7, &mut b);
        key(3, 0, &mut b);
        varint(12, &mut b);
        key(4, 0, &mut b);
        varint(1, &mut b);
        len_delim(5, &header_bytes("type", "event"), &mut b);
        len_delim(5, &header_bytes("message_id", "m1"), &mut b);
        len_delim(5, &header_bytes("sum", "1"), &mut b);
        len_delim(5, &header_bytes("seq", "0"), &mut b);
        len_delim(6, b"json", &mut b);
        len_delim(7, b"event", &mut b);
        len_delim(8, br#"{"a":1}"#, &mut b);
        len_delim(9, b"log-new", &mut b);
        let f = Frame::decode_bytes(&b).unwrap();
        assert_eq!(f.seq_id, 300);
        assert_eq!(f.log_id, 7);
        assert_eq!(f.service, 12);
        assert_eq!(f.method, METHOD_DATA);
        assert_eq!(f.frame_type(), Some(FrameType::Event));
        assert_eq!(f.header("message_id"), Some("m1"));
        assert_eq!(f.payload_encoding.as_deref(), Some("json"));
        assert_eq!(f.payload_type.as_deref(), Some("event"));
        assert_eq!(f.payload_bytes(), br#"{"a":1}"#);
        assert_eq!(f.log_id_new.as_deref(), Some("log-new"));
        // and it re-encodes to the very same bytes (fields in tag order)
        assert_eq!(f.encode_bytes(), b);
    }

    #[test]
    fn negative_service_round_trips() {
        let f = Frame::ping(-5);
        assert_eq!(Frame::decode_bytes(&f.encode_bytes()).unwrap(), f);
    }

    #[test]
    fn lenient_on_missing_required_fields_strict_on_garbage() {
        // only SeqID present: prost does not enforce proto2 `required` on decode, so the
        // absent fields read as 0 (a ping/pong with service 0); documented on `decode_bytes`.
        let mut b = Vec::new();
        key(1, 0, &mut b);
        varint(1, &mut b);
        let f = Frame::decode_bytes(&b).unwrap();
        assert_eq!((f.seq_id, f.log_id, f.service, f.method), (1, 0, 0, 0));
        // a truncated varint and a truncated length-delimited field are errors
        assert!(Frame::decode_bytes(&[0xff, 0xff, 0xff]).is_err());
        let mut t = Vec::new();
        key(8, 2, &mut t);
        varint(10, &mut t);
        t.extend_from_slice(b"abc");
        assert!(Frame::decode_bytes(&t).is_err());
    }

    #[test]
    fn data_frame_round_trip_and_response() {
        let f = Frame::data(9, 3, FrameType::Card, "mid", "tid", 2, 1, b"xyz".to_vec());
        let back = Frame::decode_bytes(&f.encode_bytes()).unwrap();
        assert_eq!(back, f);
        assert_eq!(back.frame_type(), Some(FrameType::Card));
        assert_eq!(back.header(header_keys::SUM), Some("2"));
        assert_eq!(back.header(header_keys::SEQ), Some("1"));
        assert_eq!(back.header(header_keys::TRACE_ID), Some("tid"));

        let resp = f.to_response(&ResponsePayload::ok_with_json(br#"{"toast":{}}"#), 17);
        assert_eq!(resp.seq_id, 9);
        assert_eq!(resp.header(header_keys::BIZ_RT), Some("17"));
        let parsed = ResponsePayload::from_json_bytes(resp.payload_bytes()).unwrap();
        assert_eq!(parsed.code, 200);
        assert_eq!(parsed.decoded_data().unwrap().unwrap(), br#"{"toast":{}}"#);
    }

    #[test]
    fn set_header_replaces_duplicates() {
        let mut f = Frame::ping(1);
        f.headers.push(Header {
            key: "x".into(),
            value: "1".into(),
        });
        f.headers.push(Header {
            key: "x".into(),
            value: "2".into(),
        });
        f.set_header("x", "3");
        assert_eq!(f.headers.iter().filter(|h| h.key == "x").count(), 1);
        assert_eq!(f.header("x"), Some("3"));
        f.set_header("y", "4");
        assert_eq!(f.header("y"), Some("4"));
    }

    #[test]
    fn pong_carries_config() {
        let f = Frame::pong(1, Some(br#"{"PingInterval":30}"#.to_vec()));
        assert_eq!(f.frame_type(), Some(FrameType::Pong));
        assert!(f.is_control());
        assert_eq!(FrameType::parse("nope"), None);
    }
}
