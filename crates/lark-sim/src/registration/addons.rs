//! The `addons` parameter of a registration link: what the new (or re-confirmed) app asks for on
//! top of the platform's base template.
//!
//! Wire format, as both official SDKs encode it: compact JSON
//! `{"preset"?:bool,"scopes"?:{"tenant"?:[..],"user"?:[..]},"events"?:{"items":{"tenant"?:[..],"user"?:[..]}},"callbacks"?:{"items":[..]}}`,
//! gzip-compressed, then base64url without padding. Decoding is strict about the shape (unknown
//! keys, non-string items) because the platform's confirmation page is: a link it cannot read
//! must not quietly create an app without what it asked for.

use std::io::Read;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// Longest decompressed payload accepted (a link is a URL: a few KB at most).
const MAX_JSON_BYTES: u64 = 64 * 1024;

/// A decoded `addons` object.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Addons {
    /// `false` = bot only, without the base template's scopes and event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<ByIdentity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Items<ByIdentity>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<Items<Vec<String>>>,
}

/// Lists for the tenant and the user identity.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ByIdentity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Vec<String>>,
}

/// `{"items": ...}`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Items<T> {
    #[serde(default)]
    pub items: Option<T>,
}

fn list(value: Option<&Vec<String>>) -> Vec<String> {
    value.cloned().unwrap_or_default()
}

impl Addons {
    pub fn tenant_scopes(&self) -> Vec<String> {
        list(self.scopes.as_ref().and_then(|s| s.tenant.as_ref()))
    }

    pub fn user_scopes(&self) -> Vec<String> {
        list(self.scopes.as_ref().and_then(|s| s.user.as_ref()))
    }

    /// Event types, tenant and user subscriptions together (the app subscribes to each once).
    pub fn events(&self) -> Vec<String> {
        let items = self.events.as_ref().and_then(|e| e.items.as_ref());
        let mut all = list(items.and_then(|i| i.tenant.as_ref()));
        for event in list(items.and_then(|i| i.user.as_ref())) {
            if !all.contains(&event) {
                all.push(event);
            }
        }
        all
    }

    pub fn callbacks(&self) -> Vec<String> {
        list(self.callbacks.as_ref().and_then(|c| c.items.as_ref()))
    }

    /// Whether the base template applies (`preset` absent or true).
    pub fn with_template(&self) -> bool {
        self.preset != Some(false)
    }

    fn check(&self) -> Result<(), String> {
        let all = [
            self.tenant_scopes(),
            self.user_scopes(),
            self.events(),
            self.callbacks(),
        ];
        if all.iter().flatten().any(String::is_empty) {
            return Err("addons items must be non-empty strings".to_string());
        }
        if all.iter().all(Vec::is_empty) && self.with_template() {
            return Err(
                "addons must contain at least one scope, event or callback, or set preset to false"
                    .to_string(),
            );
        }
        Ok(())
    }
}

/// Decodes base64url (padding optional) → gunzip → JSON, checking the shape.
pub fn decode(encoded: &str) -> Result<Addons, String> {
    let trimmed = encoded.trim().trim_end_matches('=');
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .map_err(|e| format!("addons is not base64url: {e}"))?;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|e| format!("addons is not gzip: {e}"))?;
    if json.len() as u64 > MAX_JSON_BYTES {
        return Err("addons is too large".to_string());
    }
    let addons: Addons = serde_json::from_slice(&json)
        .map_err(|e| format!("addons is not the expected JSON: {e}"))?;
    addons.check()?;
    Ok(addons)
}

/// Encodes like the SDKs (compact JSON, gzip, base64url without padding): for tests and tools.
pub fn encode(addons: &Addons) -> String {
    use std::io::Write;
    let json = serde_json::to_vec(addons).unwrap_or_default();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(&json);
    let compressed = encoder.finish().unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What lark-oapi 1.7.5's `_encode_addons` printed for
    /// `{"scopes":{"tenant":["im:message"]},"events":{"items":{"tenant":["im.message.receive_v1"]}}}`.
    const FROM_PYTHON_SDK: &str = "H4sIAAAAAAACA6tWKk7OL0gtVrKqVipJzUvMK1GyilbKzLXKTS0uTkxPVYqt1VFKLUvNKwErySxJzcVQqwdVq1eUmpyaWZYaX2YI1FZbCwA6Xuj_XAAAAA";

    #[test]
    fn decodes_what_the_python_sdk_encodes() {
        let addons = decode(FROM_PYTHON_SDK).unwrap();
        assert_eq!(addons.tenant_scopes(), ["im:message"]);
        assert_eq!(addons.events(), ["im.message.receive_v1"]);
        assert!(addons.callbacks().is_empty());
        assert!(addons.with_template());
    }

    #[test]
    fn round_trips_and_refuses_bad_shapes() {
        let addons = Addons {
            preset: Some(false),
            callbacks: Some(Items {
                items: Some(vec!["card.action.trigger".to_string()]),
            }),
            ..Addons::default()
        };
        assert_eq!(decode(&encode(&addons)).unwrap(), addons);
        assert!(decode("not base64 !").is_err());
        assert!(decode("aGVsbG8").unwrap_err().contains("gzip"));
        let empty = Addons::default();
        assert!(decode(&encode(&empty))
            .unwrap_err()
            .contains("at least one"));
        let bot_only = Addons {
            preset: Some(false),
            ..Addons::default()
        };
        assert!(!decode(&encode(&bot_only)).unwrap().with_template());
        let unknown = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode({
            use std::io::Write;
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(br#"{"scopes":{"tenant":["a"]},"extra":1}"#)
                .unwrap();
            e.finish().unwrap()
        });
        assert!(decode(&unknown).unwrap_err().contains("unknown field"));
    }
}
