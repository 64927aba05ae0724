//! Builds a request the way the platform would send it, from a plaintext body and a profile's
//! keys: used by re-sign forwarding, replays and triggers. Rules (docs/protocol.md,
//! "Callback crypto"):
//! - legacy card callbacks: plain JSON, SHA-1 over timestamp + nonce + Verification Token + body;
//! - url_verification: encrypted when a key exists, never signed;
//! - events and `card.action.trigger`: encrypted when a key exists (and `encrypt`), SHA-256 over
//!   timestamp + nonce + Encrypt Key + the bytes actually sent.

use lark_platform::crypto;
use lark_platform::envelope::{HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use rand::Rng;

use super::config::RelayKeys;
use super::model::RequestKind;

/// A request ready to POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A fresh nonce like the platform's (16 letters and digits).
pub fn nonce() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Encrypts (where the kind allows and `encrypt` asks) and signs `plaintext`.
pub fn seal(
    kind: RequestKind,
    plaintext: &[u8],
    keys: &RelayKeys,
    encrypt: bool,
    timestamp: &str,
    nonce: &str,
) -> Sealed {
    let mut headers = vec![(
        "Content-Type".to_string(),
        "application/json; charset=utf-8".to_string(),
    )];
    let signed = |headers: &mut Vec<(String, String)>, signature: String| {
        headers.push((HEADER_TIMESTAMP.to_string(), timestamp.to_string()));
        headers.push((HEADER_NONCE.to_string(), nonce.to_string()));
        headers.push((HEADER_SIGNATURE.to_string(), signature));
    };
    if kind == RequestKind::LegacyCardAction {
        if let Some(token) = keys.verification_token() {
            let signature = crypto::legacy_card_signature(timestamp, nonce, token, plaintext);
            signed(&mut headers, signature);
        }
        return Sealed {
            headers,
            body: plaintext.to_vec(),
        };
    }
    let body = match keys.encrypt_key().filter(|_| encrypt) {
        Some(key) => serde_json::json!({ "encrypt": crypto::encrypt(key, plaintext) })
            .to_string()
            .into_bytes(),
        None => plaintext.to_vec(),
    };
    if kind != RequestKind::UrlVerification {
        if let Some(key) = keys.encrypt_key() {
            signed(
                &mut headers,
                crypto::event_signature(timestamp, nonce, key, &body),
            );
        }
    }
    Sealed { headers, body }
}

#[cfg(test)]
mod tests {
    use lark_platform::envelope::{self, Envelope, SignatureHeaders, DEFAULT_MAX_BODY};

    use super::*;

    fn check(sealed: &Sealed, keys: &RelayKeys) -> Envelope {
        let headers =
            SignatureHeaders::from_pairs(sealed.headers.iter().map(|(k, v)| (&**k, &**v)));
        envelope::verify(
            &headers,
            &sealed.body,
            &keys.callback_keys(),
            DEFAULT_MAX_BODY,
        )
        .expect("sealed requests verify")
        .envelope
    }

    #[test]
    fn every_kind_verifies_with_the_same_keys() {
        let keys = RelayKeys::new(Some("ek-for-seal"), Some("vt-for-seal"));
        let bodies = [
            (
                RequestKind::UrlVerification,
                r#"{"type":"url_verification","challenge":"c","token":"vt-for-seal"}"#,
            ),
            (
                RequestKind::EventV2,
                r#"{"schema":"2.0","header":{"event_id":"e","event_type":"im.chat.disbanded_v1","token":"vt-for-seal"},"event":{}}"#,
            ),
            (
                RequestKind::LegacyCardAction,
                r#"{"open_message_id":"om","token":"c-x","action":{"value":{}}}"#,
            ),
        ];
        for (kind, body) in bodies {
            for encrypt in [true, false] {
                let sealed = seal(
                    kind,
                    body.as_bytes(),
                    &keys,
                    encrypt,
                    "1700000000",
                    &nonce(),
                );
                assert_eq!(RequestKind::of(&check(&sealed, &keys)), kind);
            }
        }
    }
}
