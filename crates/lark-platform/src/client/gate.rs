//! The rate hook: a [`RateGate`] the client awaits before every HTTP exchange, so one shared
//! limiter can hold calls back until the platform's ceilings admit them (waiting rather than
//! failing), and refuse calls it knows are pointless (the monthly quota is used up).
//!
//! The client stays policy-free: it names the call ([`GateCall`]: the endpoint and, for the
//! ceilings that count per receiver or per message, the [`CallTarget`]), awaits the gate, and
//! hands the finished exchange's [`CallRecord`] (status, code, `x-ogw-ratelimit-*` headers) back
//! through the [`GatePass`]. That is how a limiter learns of a 99991400 with its reset time or a
//! 99991403, and when a call ended: a ceiling's window must count a call until its answer is read,
//! because the platform counted it at some moment in between.

use std::future::Future;
use std::pin::Pin;

use super::error::ApiError;
use super::messages::ReceiveId;
use super::observer::{CallRecord, Endpoint};

/// What a call is aimed at, for the ceilings that count per receiver (5/s to one chat or user)
/// or per message (5 card updates/s).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CallTarget {
    /// The receiver of a message send.
    Receiver(ReceiveId),
    /// The message a card update changes (`om_…`).
    Message(String),
}

impl CallTarget {
    /// A stable text key, e.g. `chat_id:oc_…`, `open_id:ou_…`, `message:om_…`.
    ///
    /// The platform counts a person once however they are addressed; this key cannot know that
    /// `open_id:X` and `email:Y` are the same person, so callers should address a person one way.
    pub fn key(&self) -> String {
        match self {
            Self::Receiver(to) => format!("{}:{}", to.id_type(), to.id()),
            Self::Message(id) => format!("message:{id}"),
        }
    }
}

/// The call about to be made.
#[derive(Clone, Copy, Debug)]
pub struct GateCall<'a> {
    pub endpoint: Endpoint,
    pub target: Option<&'a CallTarget>,
}

/// Proof that a call was admitted. The client calls [`GatePass::finish`] once the answer is
/// read (or the exchange failed). A pass dropped unfinished means the call was cancelled
/// mid-flight; an implementation should treat that as a call that ended at the moment of the
/// drop, since the request may have reached the platform.
pub trait GatePass: Send {
    fn finish(self: Box<Self>, call: &CallRecord);
}

/// What [`RateGate::admit`] returns.
pub type GateFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Box<dyn GatePass>, ApiError>> + Send + 'a>>;

/// Decides when each call may be sent. Shared by every client of one app (`Arc`), since the
/// platform's ceilings are per app, not per client.
pub trait RateGate: Send + Sync {
    /// Resolves once `call` may be sent, with the pass to finish afterwards; or with the error
    /// to return instead of calling (e.g. [`ApiError::QuotaExhausted`] while the month's quota is
    /// known to be used up). A refused call is never sent and never reaches the observer.
    fn admit<'a>(&'a self, call: GateCall<'a>) -> GateFuture<'a>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_id_type() {
        let chat = CallTarget::Receiver(ReceiveId::ChatId("oc_1".into()));
        assert_eq!(chat.key(), "chat_id:oc_1");
        let email = CallTarget::Receiver(ReceiveId::Email("a@example.com".into()));
        assert_eq!(email.key(), "email:a@example.com");
        assert_eq!(CallTarget::Message("om_1".into()).key(), "message:om_1");
    }
}
