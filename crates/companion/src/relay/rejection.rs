//! Why a request is refused, as the record and the answer carry it: an HTTP status, a stable
//! code, an English reason that names the check and the secret (never a value), a fix, and the
//! values of the reason's sentence so the inspector can say it in the UI's language.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::StatusCode;
use lark_platform::envelope::{self, SignatureHeaders, SignatureScheme, VerifyError};

use super::coverage;
use super::model::RequestKind;

/// Why a request was refused: HTTP status, stable code, reason (check and secret named, never
/// a value), and a fix.
pub(crate) struct Rejection {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) reason: String,
    pub(crate) fix: Option<String>,
    /// Values for the UI's sentence of `code` (see `RecordDetail::reject_params`).
    pub(crate) params: BTreeMap<String, String>,
}

/// The SHA-256 / SHA-1 name of a signature scheme, as the inspector shows it.
fn scheme_name(scheme: SignatureScheme) -> &'static str {
    match scheme {
        SignatureScheme::EventSha256 => "SHA-256",
        SignatureScheme::LegacyCardSha1 => "SHA-1",
    }
}

impl Rejection {
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
        let hint = match e {
            VerifyError::SignatureMismatch { hint, .. }
            | VerifyError::TokenMismatch { hint, .. } => *hint,
            _ => None,
        };
        let reason = match hint {
            Some(hint) => format!("{e}; {hint}"),
            None => e.to_string(),
        };
        let mut params = BTreeMap::new();
        let mut put = |key: &str, value: String| {
            params.insert(key.to_owned(), value);
        };
        match e {
            VerifyError::BodyTooLarge { len, limit } => {
                put("bytes", len.to_string());
                put("limit", limit.to_string());
            }
            VerifyError::NotJson { decrypted, .. } => put("decrypted", decrypted.to_string()),
            VerifyError::MissingSignatureHeaders { scheme, missing } => {
                put("scheme", scheme_name(*scheme).to_owned());
                put("missing", missing.join(","));
            }
            VerifyError::SignatureMismatch { scheme, secret, .. } => {
                put("scheme", scheme_name(*scheme).to_owned());
                put("secret", (*secret).to_owned());
            }
            VerifyError::TokenMismatch {
                location, secret, ..
            } => {
                put("path", location.json_path().to_owned());
                put("secret", (*secret).to_owned());
            }
            _ => {}
        }
        if hint.is_some() {
            put("swapped", "true".to_owned());
        }
        Self {
            status,
            code: e.code(),
            reason,
            fix: e.fix().map(str::to_string),
            params,
        }
    }
}

impl Rejection {
    /// A kind the profile's secrets cannot verify (see `coverage`).
    /// The body did not arrive within `timeout` (`bytes` did).
    pub(crate) fn body_timeout(timeout: Duration, bytes: usize) -> Self {
        let seconds = timeout.as_secs_f64();
        Self {
            status: StatusCode::REQUEST_TIMEOUT,
            code: "body_timeout",
            reason: format!("the body did not arrive within {seconds} s ({bytes} bytes came)"),
            fix: None,
            params: BTreeMap::from([
                ("seconds".to_owned(), seconds.to_string()),
                ("bytes".to_owned(), bytes.to_string()),
            ]),
        }
    }

    /// The request declared a body over `limit` (`declared`, the sender's word) and `received`
    /// bytes came before it stopped.
    pub(crate) fn declared_too_large(declared: usize, received: usize, limit: usize) -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "body_declared_too_large",
            reason: format!(
                "the request declared a {declared}-byte body, over the {limit}-byte limit \
                 ({received} bytes came)"
            ),
            fix: None,
            params: BTreeMap::from([
                ("declared".to_owned(), declared.to_string()),
                ("bytes".to_owned(), received.to_string()),
                ("limit".to_owned(), limit.to_string()),
            ]),
        }
    }

    pub(crate) fn unverifiable(kind: RequestKind) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: "unverifiable",
            reason: coverage::reason(kind),
            fix: Some(coverage::fix(kind)),
            params: BTreeMap::from([
                ("kind".to_owned(), kind.as_str().to_owned()),
                (
                    "secret".to_owned(),
                    coverage::missing_secret(kind).to_owned(),
                ),
            ]),
        }
    }
}

/// A signed request whose timestamp is further than `max_skew` from now, either way.
pub(crate) fn stale(signature: &SignatureHeaders, now_ms: i64, max_skew: u64) -> Option<Rejection> {
    let ts: i64 = signature.timestamp.as_deref()?.trim().parse().ok()?;
    let skew = now_ms / 1000 - ts;
    if skew.unsigned_abs() <= max_skew {
        return None;
    }
    let when = if skew > 0 { "old" } else { "in the future" };
    Some(Rejection {
        status: StatusCode::UNAUTHORIZED,
        code: "stale_timestamp",
        reason: format!(
            "the {} is {} s {when}, beyond the {max_skew} s allowed (a replayed request, or a \
             clock that is off)",
            envelope::HEADER_TIMESTAMP,
            skew.unsigned_abs()
        ),
        fix: Some(
            "Check the clocks of this machine and the sender; a real replay needs no fix.".into(),
        ),
        params: BTreeMap::from([
            ("seconds".to_owned(), skew.unsigned_abs().to_string()),
            ("allowed".to_owned(), max_skew.to_string()),
            (
                "direction".to_owned(),
                if skew > 0 { "old" } else { "future" }.to_owned(),
            ),
        ]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
