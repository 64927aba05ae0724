//! Callback crypto: the AES-256-CBC envelope (`{"encrypt": "<base64>"}`) and the two signature
//! schemes Feishu/Lark use on callback requests.
//!
//! Facts (docs/protocol.md, "Callback crypto", verified against the official SDKs):
//! - key = SHA-256 of the Encrypt Key's UTF-8 bytes (32 raw bytes); the base64 blob is
//!   `IV (16 bytes) || ciphertext`, PKCS#7 padded.
//! - events and `card.action.trigger`: lowercase hex SHA-256 of
//!   `timestamp + nonce + Encrypt Key` followed by the raw body bytes;
//! - legacy card callbacks: lowercase hex SHA-1 of `timestamp + nonce + Verification Token`
//!   followed by the raw body bytes.
//!
//! Only vetted implementations (the `aes`, `cbc`, `sha2`, `sha1` crates) are used, and signature
//! comparison is constant-time so that the comparison time does not leak how many leading hex
//! digits matched. Hex is produced lowercase and compared case-insensitively because the
//! platform's own C# sample emits uppercase.

use aes::Aes256;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// AES block size, and also the IV length prefixed to every ciphertext.
const BLOCK: usize = 16;

/// Why a `{"encrypt": ...}` value could not be decrypted. Each variant names a different cause so
/// that a diagnosis can tell "the body is mangled" from "the Encrypt Key is wrong".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The value is not standard base64 (or is truncated mid-quantum).
    #[error("the encrypted value is not valid base64")]
    BadBase64,
    /// Fewer bytes than an IV plus one cipher block.
    #[error("the encrypted value is too short ({len} bytes; at least 32 are needed: a 16-byte IV and one block)")]
    TooShort { len: usize },
    /// The ciphertext after the IV is not a whole number of 16-byte blocks.
    #[error("the ciphertext is {len} bytes, not a multiple of the 16-byte AES block")]
    NotBlockMultiple { len: usize },
    /// PKCS#7 padding is invalid after decryption: almost always a wrong Encrypt Key.
    #[error("decryption produced invalid padding: the Encrypt Key is most likely wrong")]
    BadPadding,
    /// The plaintext is not UTF-8 (only from [`decrypt_to_string`]).
    #[error("the decrypted body is not UTF-8 text")]
    NotUtf8,
}

/// The AES-256 key: SHA-256 of the Encrypt Key's UTF-8 bytes.
fn derive_key(encrypt_key: &str) -> [u8; 32] {
    Sha256::digest(encrypt_key.as_bytes()).into()
}

/// Encrypts `plaintext` the way the platform does, with a fresh random IV.
/// Returns `base64(IV || ciphertext)`, the value of the `encrypt` field.
pub fn encrypt(encrypt_key: &str, plaintext: &[u8]) -> String {
    let iv: [u8; BLOCK] = rand::random();
    encrypt_with_iv(encrypt_key, iv, plaintext)
}

/// Like [`encrypt`] but with a caller-chosen IV, for deterministic test vectors and simulators.
pub fn encrypt_with_iv(encrypt_key: &str, iv: [u8; BLOCK], plaintext: &[u8]) -> String {
    let key = derive_key(encrypt_key);
    let ct = cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into())
        .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
    let mut blob = Vec::with_capacity(BLOCK + ct.len());
    blob.extend_from_slice(&iv);
    blob.extend_from_slice(&ct);
    B64.encode(blob)
}

/// Decrypts the value of an `encrypt` field. Surrounding whitespace is ignored.
///
/// A wrong key is reported as [`CryptoError::BadPadding`] in about 255 cases out of 256; in the
/// rest the padding happens to look valid and garbage comes out, which the JSON parse that
/// follows then rejects.
pub fn decrypt(encrypt_key: &str, encrypted_b64: &str) -> Result<Vec<u8>, CryptoError> {
    let blob = B64
        .decode(encrypted_b64.trim().as_bytes())
        .map_err(|_| CryptoError::BadBase64)?;
    if blob.len() < 2 * BLOCK {
        return Err(CryptoError::TooShort { len: blob.len() });
    }
    let (iv, ct) = blob.split_at(BLOCK);
    if ct.len() % BLOCK != 0 {
        return Err(CryptoError::NotBlockMultiple { len: ct.len() });
    }
    let key = derive_key(encrypt_key);
    let mut iv_arr = [0u8; BLOCK];
    iv_arr.copy_from_slice(iv);
    cbc::Decryptor::<Aes256>::new(&key.into(), &iv_arr.into())
        .decrypt_padded_vec_mut::<Pkcs7>(ct)
        .map_err(|_| CryptoError::BadPadding)
}

/// [`decrypt`], then require UTF-8 (callback bodies are JSON text).
pub fn decrypt_to_string(encrypt_key: &str, encrypted_b64: &str) -> Result<String, CryptoError> {
    String::from_utf8(decrypt(encrypt_key, encrypted_b64)?).map_err(|_| CryptoError::NotUtf8)
}

/// Signature of an event or a `card.action.trigger` callback:
/// lowercase hex SHA-256(timestamp + nonce + Encrypt Key + raw body).
pub fn event_signature(timestamp: &str, nonce: &str, encrypt_key: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(timestamp.as_bytes());
    h.update(nonce.as_bytes());
    h.update(encrypt_key.as_bytes());
    h.update(body);
    hex::encode(h.finalize())
}

/// Signature of a legacy ("message card request URL") card callback:
/// lowercase hex SHA-1(timestamp + nonce + Verification Token + raw body).
pub fn legacy_card_signature(
    timestamp: &str,
    nonce: &str,
    verification_token: &str,
    body: &[u8],
) -> String {
    let mut h = Sha1::new();
    h.update(timestamp.as_bytes());
    h.update(nonce.as_bytes());
    h.update(verification_token.as_bytes());
    h.update(body);
    hex::encode(h.finalize())
}

/// Checks an `X-Lark-Signature` value against the SHA-256 event scheme (constant time,
/// hex case-insensitive).
pub fn verify_event_signature(
    timestamp: &str,
    nonce: &str,
    encrypt_key: &str,
    body: &[u8],
    signature: &str,
) -> bool {
    hex_eq(
        &event_signature(timestamp, nonce, encrypt_key, body),
        signature,
    )
}

/// Checks an `X-Lark-Signature` value against the legacy SHA-1 card scheme (constant time,
/// hex case-insensitive).
pub fn verify_legacy_card_signature(
    timestamp: &str,
    nonce: &str,
    verification_token: &str,
    body: &[u8],
    signature: &str,
) -> bool {
    hex_eq(
        &legacy_card_signature(timestamp, nonce, verification_token, body),
        signature,
    )
}

/// Constant-time comparison of our lowercase hex with a received value of any case.
/// Lengths are public (they only reveal which hash was used), contents are not.
fn hex_eq(expected_lower: &str, received: &str) -> bool {
    let received = received.trim().to_ascii_lowercase();
    expected_lower.as_bytes().ct_eq(received.as_bytes()).into()
}

/// Constant-time equality for tokens (Verification Token checks).
pub fn ct_eq_str(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_ENCRYPT: &str = "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=";
    const NODE_KEY: &str = "mazhe.nerd";
    const NODE_ENCRYPT: &str = "tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e";
    const NODE_PLAIN: &str = r#"{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad","token":"iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6","type":"url_verification"}"#;
    const DET_PLAIN: &str =
        r#"{"challenge":"abc","token":"v_token_123","type":"url_verification"}"#;
    const DET_ENCRYPT: &str = "AAECAwQFBgcICQoLDA0OD6alpwIsMFbSsWTHppjb1mHYDOnufZ1JhroaoHOMWFjNVC5Ilrgfx2iQS6PJdSZOokrnm1Fa81d+7TPEWCxRSGZJQxazsL25xSVoFSl9+COK";

    fn iv_0_to_15() -> [u8; 16] {
        let mut iv = [0u8; 16];
        for (i, b) in iv.iter_mut().enumerate() {
            *b = i as u8;
        }
        iv
    }

    #[test]
    fn key_derivation_matches_doc() {
        assert_eq!(
            hex::encode(derive_key("test key")),
            "fa2bdca424f01f01ffb48df93acc35d439c7fd331a1a7fba6ac2fd83aa9ab31a"
        );
    }

    #[test]
    fn official_doc_vector_decrypts() {
        assert_eq!(decrypt("test key", DOC_ENCRYPT).unwrap(), b"hello world");
        assert_eq!(
            decrypt_to_string("test key", DOC_ENCRYPT).unwrap(),
            "hello world"
        );
    }

    #[test]
    fn node_sdk_challenge_vector_decrypts() {
        assert_eq!(
            decrypt_to_string(NODE_KEY, NODE_ENCRYPT).unwrap(),
            NODE_PLAIN
        );
    }

    #[test]
    fn deterministic_iv_vector_encrypts_exactly() {
        assert_eq!(
            encrypt_with_iv("test key", iv_0_to_15(), DET_PLAIN.as_bytes()),
            DET_ENCRYPT
        );
        assert_eq!(
            decrypt_to_string("test key", DET_ENCRYPT).unwrap(),
            DET_PLAIN
        );
    }

    #[test]
    fn random_iv_round_trips_and_differs() {
        let a = encrypt("k", b"payload");
        let b = encrypt("k", b"payload");
        assert_ne!(a, b, "two encryptions must use different IVs");
        assert_eq!(decrypt("k", &a).unwrap(), b"payload");
        assert_eq!(decrypt("k", &b).unwrap(), b"payload");
        // empty plaintext is one full padding block
        assert_eq!(decrypt("k", &encrypt("k", b"")).unwrap(), b"");
    }

    #[test]
    fn event_signature_vector() {
        let body = br#"{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}"#;
        let sig = "69c61fa99760d59824d588297c0036194769fb54331682c9cbcd93e85b9a8aad";
        assert_eq!(
            event_signature("1700000000", "abc123", "test key", body),
            sig
        );
        assert!(verify_event_signature(
            "1700000000",
            "abc123",
            "test key",
            body,
            sig
        ));
        assert!(verify_event_signature(
            "1700000000",
            "abc123",
            "test key",
            body,
            &sig.to_uppercase()
        ));
        assert!(!verify_event_signature(
            "1700000000",
            "abc124",
            "test key",
            body,
            sig
        ));
        assert!(!verify_event_signature(
            "1700000000",
            "abc123",
            "test key",
            body,
            &sig[..63]
        ));
        assert!(!verify_event_signature(
            "1700000000",
            "abc123",
            "test kez",
            body,
            sig
        ));
    }

    #[test]
    fn legacy_card_signature_vector() {
        let body = br#"{"open_id":"ou_x","open_message_id":"om_x","token":"c-x","action":{"value":{"k":"v"},"tag":"button"}}"#;
        let sig = "f9040ab95e4ea1d3764e227e7f3fa45510fbf8d6";
        assert_eq!(
            legacy_card_signature("1700000000", "abc123", "v_token_123", body),
            sig
        );
        assert!(verify_legacy_card_signature(
            "1700000000",
            "abc123",
            "v_token_123",
            body,
            &sig.to_uppercase()
        ));
        assert!(!verify_legacy_card_signature(
            "1700000000",
            "abc123",
            "v_token_124",
            body,
            sig
        ));
        // the SHA-256 signature of the same inputs must not pass the SHA-1 check
        let wrong_scheme = event_signature("1700000000", "abc123", "v_token_123", body);
        assert!(!verify_legacy_card_signature(
            "1700000000",
            "abc123",
            "v_token_123",
            body,
            &wrong_scheme
        ));
    }

    #[test]
    fn errors_are_distinct() {
        assert_eq!(decrypt("k", "not base64!!"), Err(CryptoError::BadBase64));
        // truncated base64 (missing the final quantum)
        assert_eq!(
            decrypt("test key", &DOC_ENCRYPT[..DOC_ENCRYPT.len() - 3]),
            Err(CryptoError::BadBase64)
        );
        assert_eq!(
            decrypt("k", &B64.encode([0u8; 20])),
            Err(CryptoError::TooShort { len: 20 })
        );
        assert_eq!(
            decrypt("k", &B64.encode([0u8; 16 + 17])),
            Err(CryptoError::NotBlockMultiple { len: 17 })
        );
        // this particular wrong key gives invalid padding for the doc vector (deterministic)
        assert_eq!(
            decrypt("wrong key", DOC_ENCRYPT),
            Err(CryptoError::BadPadding)
        );
        let not_utf8 = encrypt("k", &[0xff, 0xfe, 0x00]);
        assert_eq!(decrypt_to_string("k", &not_utf8), Err(CryptoError::NotUtf8));
        assert_eq!(decrypt("k", &not_utf8).unwrap(), vec![0xff, 0xfe, 0x00]);
    }

    #[test]
    fn error_messages_never_carry_the_key() {
        let e = decrypt("super-secret-key", DOC_ENCRYPT).unwrap_err();
        assert!(!e.to_string().contains("super-secret-key"));
        assert!(!format!("{e:?}").contains("super-secret-key"));
    }
}
