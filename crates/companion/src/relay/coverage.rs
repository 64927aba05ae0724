//! Which kinds of callback a profile's secrets can verify. `envelope::verify` skips a check
//! whose secret is not configured (it says so in its list of checks); the relay must not take
//! such a request as genuine: with only an Encrypt Key, an unsigned legacy card click ("resolve
//! INC-42") would pass every check that ran. So a request from the listener is accepted only
//! when a signature or the Verification Token was actually checked, and the relay says at start
//! which kinds it refuses for want of a secret (docs/protocol.md, "Signatures"):
//!
//! | kind | verified by |
//! | --- | --- |
//! | events, `card.action.trigger` | SHA-256 signature (Encrypt Key), or the body's Verification Token |
//! | legacy card callback | SHA-1 signature (Verification Token); its `token` is a card-update token |
//! | url_verification | the body's Verification Token (never signed) |
//!
//! Decrypting is not verifying: AES-CBC without a MAC lets anyone who saw one ciphertext
//! choose the first block of its plaintext. The long connection needs none of this: the
//! WebSocket itself is opened with the App ID and App Secret.

use lark_platform::envelope::Check;

use super::config::RelayKeys;
use super::model::RequestKind;

/// Every kind a listener may receive, in the order reports list them.
const KINDS: [RequestKind; 5] = [
    RequestKind::UrlVerification,
    RequestKind::EventV2,
    RequestKind::EventV1,
    RequestKind::CardAction,
    RequestKind::LegacyCardAction,
];

/// Whether `keys` hold a secret that verifies `kind`.
pub(crate) fn can_verify(keys: &RelayKeys, kind: RequestKind) -> bool {
    let ek = keys.encrypt_key().is_some();
    let vt = keys.verification_token().is_some();
    match kind {
        RequestKind::EventV2 | RequestKind::EventV1 | RequestKind::CardAction => ek || vt,
        RequestKind::LegacyCardAction | RequestKind::UrlVerification => vt,
        RequestKind::Unknown => false,
    }
}

/// The kinds `keys` cannot verify (and the relay refuses).
pub(crate) fn unverifiable(keys: &RelayKeys) -> Vec<RequestKind> {
    KINDS
        .into_iter()
        .filter(|k| !can_verify(keys, *k))
        .collect()
}

/// Whether a check that authenticates the sender ran and passed.
pub(crate) fn authenticated(checks: &[Check]) -> bool {
    checks
        .iter()
        .any(|c| matches!(c, Check::Signature(_) | Check::Token(_)))
}

/// The secret that would verify `kind`, as the console names it.
pub(crate) fn missing_secret(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::LegacyCardAction | RequestKind::UrlVerification => "Verification Token",
        _ => "Encrypt Key or Verification Token",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_secret_covers_its_kinds() {
        let both = RelayKeys::new(Some("ek-1234"), Some("vt-1234"));
        assert!(unverifiable(&both).is_empty());
        assert_eq!(
            unverifiable(&RelayKeys::new(Some("ek-1234"), None)),
            vec![RequestKind::UrlVerification, RequestKind::LegacyCardAction]
        );
        assert!(unverifiable(&RelayKeys::new(None, Some("vt-1234"))).is_empty());
        assert_eq!(unverifiable(&RelayKeys::default()).len(), KINDS.len());
        let refusal =
            super::super::rejection::Rejection::unverifiable(RequestKind::LegacyCardAction);
        assert!(
            refusal.reason().contains("Verification Token"),
            "{}",
            refusal.reason()
        );
    }
}
