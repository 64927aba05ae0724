//! Masks secret values before anything is recorded: the inspector's bodies, headers, answers and
//! exports must never hold a secret (docs/architecture.md, "Secrets"). Two nets: values under
//! secret-looking keys (the Verification Token at `token` / `header.token`, the card-update
//! `token`, anything called `*_secret`), and every configured secret's exact value wherever it
//! appears. Answers (the upstream's, a trigger target's) get both nets plus the values masked in
//! the request they answer: an upstream that echoes what it received must not put them back.

use serde_json::Value;

use super::model::HeaderPair;
use super::store::UpstreamOutcome;
use crate::redact::MASK;

/// Whether a JSON key names a secret. Keys matched: `token`, `*_token`, `*secret*`,
/// `*password*`, `authorization`, `*api_key`, `encrypt_key`.
fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "token"
        || k.ends_with("_token")
        || k.ends_with("token_")
        || k.contains("secret")
        || k.contains("password")
        || k == "authorization"
        || k.ends_with("api_key")
        || k == "apikey"
        || k == "encrypt_key"
}

/// Masks, in place, every string under a secret-looking key and every string equal to one of
/// `secrets`. Returns the values it masked (to mask them in the raw text too).
pub fn json(value: &mut Value, secrets: &[&str]) -> Vec<String> {
    let mut masked = Vec::new();
    walk(value, secrets, &mut masked, 0);
    masked
}

/// JSON nests at most this deep here; deeper values are masked whole (bounded recursion).
const MAX_DEPTH: usize = 64;

fn walk(value: &mut Value, secrets: &[&str], masked: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        *value = Value::String(MASK.to_string());
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if secret_key(key) {
                    if let Value::String(s) = v {
                        if s != MASK && !s.is_empty() {
                            masked.push(std::mem::replace(s, MASK.to_string()));
                        }
                        continue;
                    }
                }
                walk(v, secrets, masked, depth + 1);
            }
        }
        Value::Array(items) => {
            for v in items {
                walk(v, secrets, masked, depth + 1);
            }
        }
        // The secret values themselves are masked in the raw text by the caller.
        Value::String(s) if secrets.iter().any(|secret| s.contains(secret)) => {
            *s = text(s, secrets, &[]);
        }
        _ => {}
    }
}

/// `raw` with every value of `secrets` and `also` replaced by the mask (longest first, so a
/// value containing another is masked whole). Values shorter than 4 characters are left alone:
/// they would mangle ordinary text and are not secrets.
pub fn text(raw: &str, secrets: &[&str], also: &[String]) -> String {
    let mut values: Vec<&str> = secrets
        .iter()
        .copied()
        .chain(also.iter().map(String::as_str))
        .filter(|v| v.len() >= 4 && *v != MASK)
        .collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values.dedup();
    let mut out = raw.to_string();
    for v in values {
        if out.contains(v) {
            out = out.replace(v, MASK);
        }
    }
    out
}

/// An answer as it may be stored or shown: secret-looking JSON values, every value of `secrets`
/// and every value of `also` (what was masked in the request it answers) masked; the text is
/// otherwise unchanged.
pub fn answer(raw: &str, secrets: &[&str], also: &[String]) -> String {
    let mut values = also.to_vec();
    if let Ok(mut parsed) = serde_json::from_str::<Value>(raw) {
        values.extend(json(&mut parsed, secrets));
    }
    text(raw, secrets, &values)
}

/// `outcome` with its answer and error masked as [`answer`] does, for the record.
pub fn outcome(outcome: &UpstreamOutcome, secrets: &[&str], also: &[String]) -> UpstreamOutcome {
    UpstreamOutcome {
        answer: outcome.answer.as_deref().map(|a| answer(a, secrets, also)),
        error: outcome.error.as_deref().map(|e| text(e, secrets, also)),
        ..outcome.clone()
    }
}

/// The values [`json`] would mask in `value`, which stays as it is.
pub fn masked_values(value: &Value, secrets: &[&str]) -> Vec<String> {
    json(&mut value.clone(), secrets)
}

/// Header names whose values are credentials: never stored, forwarded or exported.
pub fn credential_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key"
    )
}

/// Headers for the record: credential headers masked, secret values masked anywhere.
pub fn headers(pairs: &[(String, String)], secrets: &[&str]) -> Vec<HeaderPair> {
    pairs
        .iter()
        .map(|(name, value)| HeaderPair {
            name: name.clone(),
            value: if credential_header(name) {
                MASK.to_string()
            } else {
                text(value, secrets, &[])
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tokens_and_secret_values_are_masked_everywhere() {
        let mut v = json!({
            "schema": "2.0",
            "header": {"token": "vt-value-1", "event_id": "e1"},
            "event": {"token": "c-update", "text": "key is ek-value-2 here",
                      "nested": [{"app_secret": "s"}]},
        });
        let masked = json(&mut v, &["ek-value-2"]);
        assert_eq!(v["header"]["token"], MASK);
        assert_eq!(v["header"]["event_id"], "e1");
        assert_eq!(v["event"]["token"], MASK);
        assert_eq!(v["event"]["text"], format!("key is {MASK} here"));
        assert_eq!(v["event"]["nested"][0]["app_secret"], MASK);
        assert!(masked.contains(&"vt-value-1".to_string()));
        let raw = r#"{"header":{"token":"vt-value-1"},"event":{"token":"c-update"}}"#;
        let out = text(raw, &["ek-value-2"], &masked);
        assert!(
            !out.contains("vt-value-1") && !out.contains("c-update"),
            "{out}"
        );
    }

    #[test]
    fn answers_lose_secret_values_even_inside_strings() {
        let echo = json!({"echo": r#"{"header":{"token":"vt-value-1"},"event":{"token":"c-upd"}}"#,
                          "token": "own-token"})
        .to_string();
        let out = answer(&echo, &["vt-value-1"], &["c-upd".to_string()]);
        for value in ["vt-value-1", "c-upd", "own-token"] {
            assert!(!out.contains(value), "{out}");
        }
        assert!(out.contains("echo"), "{out}");
        assert_eq!(answer("plain text", &["vt-value-1"], &[]), "plain text");
    }

    #[test]
    fn deep_json_is_bounded() {
        let mut v = json!("x");
        for _ in 0..200 {
            v = json!([v]);
        }
        json(&mut v, &[]);
    }

    #[test]
    fn credential_headers_are_masked() {
        let out = headers(
            &[
                ("Authorization".into(), "Bearer abc".into()),
                ("X-Lark-Signature".into(), "deadbeef".into()),
            ],
            &[],
        );
        assert_eq!(out[0].value, MASK);
        assert_eq!(out[1].value, "deadbeef");
    }
}
