//! The 30 KB message-size rule, measured the way the platform measures it.
//!
//! Why this measure: the send and update calls (`POST /open-apis/im/v1/messages`,
//! `PATCH /open-apis/im/v1/messages/:message_id`) take the card as `content`, a *string* holding
//! the card JSON, and their documentation states the limit on that parameter ("卡片消息、富文本消息
//! 请求体最大不能超过 30 KB", in the `content` field description of im/v1 message create and
//! reply). So the count is the UTF-8 byte length of that string: the card serialized compactly
//! (what our client sends; indentation in an editor does not count) with non-ASCII text as raw
//! UTF-8 (a Chinese character is 3 bytes, as the server sees it). The escaping that wraps
//! `content` inside the outer request JSON is not part of it.
//!
//! KB is taken as 1024 bytes (30,720). Two uncertainties remain, both covered by the warning
//! band from 90% (27,648 bytes): the platform may count KB as 1000, and its own documentation
//! says style tags make the counted size larger than the input.

use serde_json::Value;

/// The limit on the `content` string of a card message, in bytes.
pub const CONTENT_LIMIT_BYTES: usize = 30 * 1024;
/// From this size on, a warning: close enough that the platform's own counting may tip it over.
pub const CONTENT_WARN_BYTES: usize = CONTENT_LIMIT_BYTES * 9 / 10;

/// The UTF-8 byte length of the card as the send request's `content` string.
pub fn content_size(card: &Value) -> usize {
    // Serializing a `Value` cannot fail (its keys are strings); 0 would only under-report.
    serde_json::to_string(card).map(|s| s.len()).unwrap_or(0)
}
