//! Why a request is refused, as the record and the answer carry it: an HTTP status, a stable
//! code and the values of its sentence (the check and the secret named, never a value). The
//! sentences are the catalogue's (`relay.detail.reject.<code>`, `relay.detail.rejectFix.<code>`
//! in ui/src/i18n): the inspector says them in the window's language, and the record, the
//! answer to the sender and the CLI carry the English of the same file.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::StatusCode;
use lark_platform::crypto::CryptoError;
use lark_platform::envelope::{SignatureHeaders, SignatureScheme, VerifyError};

use super::coverage;
use super::model::RequestKind;
use crate::problem::{catalogue_str, catalogue_text};

/// Every code a rejection can have (a test requires its sentence in both languages).
#[cfg(test)]
const CODES: [&str; 15] = [
    "body_too_large",
    "body_declared_too_large",
    "not_json",
    "wrong_shape",
    "encrypted_but_no_key",
    "decrypt_failed",
    "missing_signature_headers",
    "signature_mismatch",
    "token_mismatch",
    "stale_timestamp",
    "unknown_profile",
    "body_timeout",
    "unverifiable",
    "swapped",
    "replayed",
];

/// Why a request was refused: HTTP status, stable code and the values of its sentence.
#[derive(Debug)]
pub(crate) struct Rejection {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    /// Values for the sentence of `code` (see `RecordDetail::reject_params`).
    pub(crate) params: BTreeMap<String, String>,
}

/// The SHA-256 / SHA-1 name of a signature scheme, as the inspector shows it.
fn scheme_name(scheme: SignatureScheme) -> &'static str {
    match scheme {
        SignatureScheme::EventSha256 => "SHA-256",
        SignatureScheme::LegacyCardSha1 => "SHA-1",
    }
}

/// A decryption failure's cause in a word (values, not sentences: `bad_padding`, …).
fn crypto_detail(e: &CryptoError) -> String {
    format!("{e:?}")
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_owned()
}

impl Rejection {
    fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code,
            params: BTreeMap::new(),
        }
    }

    fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    /// The refusal in English, from the catalogue: the record's reason and the sender's answer.
    pub(crate) fn reason(&self) -> String {
        reason(self.code, &self.params)
    }

    /// What to do, in English, when the catalogue has a fix for the code.
    pub(crate) fn fix(&self) -> Option<String> {
        catalogue_str(&["relay", "detail", "rejectFix", self.code])
            .map(|_| catalogue_text(&["relay", "detail", "rejectFix", self.code], &self.params))
    }

    pub(crate) fn from_verify(e: &VerifyError) -> Self {
        let status = match e {
            VerifyError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            VerifyError::NotJson { .. }
            | VerifyError::WrongShape { .. }
            | VerifyError::EncryptedButNoKey
            | VerifyError::Decrypt(_) => StatusCode::BAD_REQUEST,
            VerifyError::MissingSignatureHeaders { .. }
            | VerifyError::SignatureMismatch { .. }
            | VerifyError::TokenMismatch { .. } => StatusCode::UNAUTHORIZED,
        };
        let r = Self::new(status, e.code());
        let r = match e {
            VerifyError::BodyTooLarge { len, limit } => r.param("bytes", len).param("limit", limit),
            VerifyError::NotJson { decrypted, detail } => {
                r.param("decrypted", decrypted).param("detail", detail)
            }
            VerifyError::WrongShape { detail } => r.param("detail", detail),
            VerifyError::Decrypt(e) => r.param("detail", crypto_detail(e)),
            VerifyError::MissingSignatureHeaders { scheme, missing } => r
                .param("scheme", scheme_name(*scheme))
                .param("missing", missing.join(",")),
            VerifyError::SignatureMismatch { scheme, secret, .. } => r
                .param("scheme", scheme_name(*scheme))
                .param("secret", secret),
            VerifyError::TokenMismatch {
                location, secret, ..
            } => r
                .param("path", location.json_path())
                .param("secret", secret),
            VerifyError::EncryptedButNoKey => r,
        };
        let swapped = matches!(
            e,
            VerifyError::SignatureMismatch { hint: Some(_), .. }
                | VerifyError::TokenMismatch { hint: Some(_), .. }
        );
        if swapped {
            r.param("swapped", "true")
        } else {
            r
        }
    }

    /// The body did not arrive within `timeout` (`bytes` did).
    pub(crate) fn body_timeout(timeout: Duration, bytes: usize) -> Self {
        Self::new(StatusCode::REQUEST_TIMEOUT, "body_timeout")
            .param("seconds", timeout.as_secs_f64())
            .param("bytes", bytes)
    }

    /// The request declared a body over `limit` (`declared`, the sender's word) and `received`
    /// bytes came before it stopped.
    pub(crate) fn declared_too_large(declared: usize, received: usize, limit: usize) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "body_declared_too_large")
            .param("declared", declared)
            .param("bytes", received)
            .param("limit", limit)
    }

    /// A card click taken before, sent again while its timestamp is still within `max_skew`
    /// (see `seen_clicks`).
    pub(crate) fn replayed(kind: RequestKind, max_skew: Duration) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "replayed")
            .param("kind", kind.as_str())
            .param("allowed", max_skew.as_secs())
    }

    /// A kind the profile's secrets cannot verify (see `coverage`).
    pub(crate) fn unverifiable(kind: RequestKind) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unverifiable")
            .param("kind", kind.as_str())
            .param("secret", coverage::missing_secret(kind))
    }
}

/// A rejection's English sentence by its code and values (lists joined, the "swapped" note
/// added), as the window's `rejectText` puts it.
pub(crate) fn reason(code: &str, params: &BTreeMap<String, String>) -> String {
    let mut shown = params.clone();
    let separator = catalogue_str(&["checks", "listSeparator"]).unwrap_or(", ");
    for list in ["missing", "served"] {
        if let Some(value) = params.get(list) {
            shown.insert(
                list.to_owned(),
                value.split(',').collect::<Vec<_>>().join(separator),
            );
        }
    }
    let mut text = catalogue_text(&["relay", "detail", "reject", code], &shown);
    if params.get("swapped").is_some_and(|s| s == "true") {
        text.push_str(catalogue_str(&["relay", "detail", "reject", "swapped"]).unwrap_or_default());
    }
    text
}

/// A signed request whose timestamp is further than `max_skew` from now, either way. The
/// timestamp is the sender's text: any i64 is taken without overflowing (i64::MIN is as stale as
/// a timestamp gets).
pub(crate) fn stale(signature: &SignatureHeaders, now_ms: i64, max_skew: u64) -> Option<Rejection> {
    let ts: i64 = signature.timestamp.as_deref()?.trim().parse().ok()?;
    let skew = (now_ms / 1000).saturating_sub(ts);
    if skew.unsigned_abs() <= max_skew {
        return None;
    }
    Some(
        Rejection::new(StatusCode::UNAUTHORIZED, "stale_timestamp")
            .param("seconds", skew.unsigned_abs())
            .param("allowed", max_skew)
            .param("direction", if skew > 0 { "old" } else { "future" }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code has its sentence in English and Chinese naming the same values.
    #[test]
    fn every_code_has_a_sentence_in_both_languages() {
        use crate::problem::testing::{catalogues, placeholders};
        let (en, zh) = catalogues();
        for code in CODES {
            let (e, z) = (
                en["relay"]["detail"]["reject"][code].as_str(),
                zh["relay"]["detail"]["reject"][code].as_str(),
            );
            let (Some(e), Some(z)) = (e, z) else {
                panic!("relay.detail.reject.{code} is missing in a language");
            };
            assert_eq!(placeholders(e), placeholders(z), "{code}");
            let fixes = (
                en["relay"]["detail"]["rejectFix"][code].as_str(),
                zh["relay"]["detail"]["rejectFix"][code].as_str(),
            );
            assert_eq!(fixes.0.is_some(), fixes.1.is_some(), "rejectFix.{code}");
            if let (Some(e), Some(z)) = fixes {
                assert_eq!(placeholders(e), placeholders(z), "rejectFix.{code}");
            }
        }
    }

    #[test]
    fn the_english_comes_from_the_catalogue_with_its_values() {
        let r = Rejection::from_verify(&VerifyError::MissingSignatureHeaders {
            scheme: SignatureScheme::EventSha256,
            missing: vec!["X-Lark-Signature", "X-Lark-Request-Nonce"],
        });
        assert_eq!(
            r.reason(),
            "The SHA-256 signature headers are missing: X-Lark-Signature, X-Lark-Request-Nonce"
        );
        assert!(r.fix().unwrap().contains("X-Lark-*"));
        let stale = stale(
            &SignatureHeaders {
                timestamp: Some("1699999000".into()),
                ..Default::default()
            },
            1_700_000_000_000,
            300,
        )
        .unwrap();
        assert!(stale.reason().contains("1000 s off"), "{}", stale.reason());
    }

    #[test]
    fn stale_both_ways() {
        let h = |ts: i64| SignatureHeaders {
            timestamp: Some(ts.to_string()),
            ..Default::default()
        };
        let now = 1_700_000_000_000;
        assert!(stale(&h(1_700_000_000 - 299), now, 300).is_none());
        assert!(stale(&h(1_700_000_000 - 301), now, 300).is_some());
        assert!(stale(&h(1_700_000_000 + 301), now, 300).is_some());
        assert!(stale(&SignatureHeaders::default(), now, 300).is_none());
        // The sender's extremes, without overflowing.
        for ts in [i64::MIN, i64::MIN + 1, i64::MAX, -1] {
            let r = stale(&h(ts), now, 300).expect("far off");
            assert_eq!(r.code, "stale_timestamp");
        }
    }
}
