//! A simulated Feishu/Lark Open Platform: the Open API (tokens, bot, chats, messages) with the
//! real response shapes, error codes, rate ceilings and monthly quota; callbacks it encrypts and
//! signs like the platform; the long-connection endpoint; and a `/_sim/` control surface.
//!
//! Used by tests, benchmarks and the app's sandbox mode. It depends on `lark-platform` only, so it
//! speaks exactly the wire format the product does; the official SDKs check it independently.
