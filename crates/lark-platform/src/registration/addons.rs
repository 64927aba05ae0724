//! The registration link's `addons`: what the new (or re-confirmed) app is asked for on top of
//! the platform's base template: scopes, event subscriptions and callbacks.
//!
//! Encoding (fixed by the platform, the same in both official SDKs): compact JSON of the
//! normalized object, gzip, base64 URL-safe alphabet without padding. Normalizing keeps only the
//! public keys (`preset`, `scopes{tenant,user}`, `events{items{tenant,user}}`, `callbacks{items}`),
//! refuses empty strings, and refuses an addons object with no item at all unless `preset` is
//! `false` (the bot-only base template), as the SDKs do. The gzip header differs between
//! implementations (timestamp, OS byte), so encodings are compared by decoding them.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Tenant- and user-identity lists (scopes, or events).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByIdentity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Vec<String>>,
}

impl ByIdentity {
    pub fn tenant(items: &[&str]) -> Self {
        Self {
            tenant: Some(items.iter().map(|s| (*s).to_owned()).collect()),
            user: None,
        }
    }

    fn count(&self) -> usize {
        self.tenant.as_ref().map_or(0, Vec::len) + self.user.as_ref().map_or(0, Vec::len)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAddons {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ByIdentity>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackAddons {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<String>>,
}

/// What the link asks the platform to add to the app.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addons {
    /// `false`: start from the minimal (bot-only) base template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<ByIdentity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventAddons>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<CallbackAddons>,
}

/// Why an addons object cannot be encoded (or a string decoded).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddonsError {
    #[error("{path} must be a non-empty string")]
    EmptyItem { path: String },
    #[error("addons must contain at least one scope, event or callback, or set preset to false")]
    Empty,
    #[error("the addons string cannot be decoded: {0}")]
    Undecodable(String),
}

impl Addons {
    /// Scopes (tenant identity), events and callbacks in one go.
    pub fn tenant(scopes: &[&str], events: &[&str], callbacks: &[&str]) -> Self {
        Self {
            preset: None,
            scopes: (!scopes.is_empty()).then(|| ByIdentity::tenant(scopes)),
            events: (!events.is_empty()).then(|| EventAddons {
                items: Some(ByIdentity::tenant(events)),
            }),
            callbacks: (!callbacks.is_empty()).then(|| CallbackAddons {
                items: Some(callbacks.iter().map(|s| (*s).to_owned()).collect()),
            }),
        }
    }

    /// Every item, in order, with its JSON path (for validation and for showing what is asked).
    pub fn items(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        fn list<'a>(out: &mut Vec<(String, &'a str)>, path: &str, items: &'a Option<Vec<String>>) {
            for (i, item) in items.iter().flatten().enumerate() {
                out.push((format!("{path}[{i}]"), item.as_str()));
            }
        }
        if let Some(scopes) = &self.scopes {
            list(&mut out, "addons.scopes.tenant", &scopes.tenant);
            list(&mut out, "addons.scopes.user", &scopes.user);
        }
        if let Some(items) = self.events.as_ref().and_then(|e| e.items.as_ref()) {
            list(&mut out, "addons.events.items.tenant", &items.tenant);
            list(&mut out, "addons.events.items.user", &items.user);
        }
        if let Some(callbacks) = &self.callbacks {
            list(&mut out, "addons.callbacks.items", &callbacks.items);
        }
        out
    }

    /// The checks both SDKs make before encoding.
    pub fn validate(&self) -> Result<(), AddonsError> {
        let items = self.items();
        if let Some((path, _)) = items.iter().find(|(_, item)| item.is_empty()) {
            return Err(AddonsError::EmptyItem { path: path.clone() });
        }
        let count = self.scopes.as_ref().map_or(0, ByIdentity::count)
            + self
                .events
                .as_ref()
                .and_then(|e| e.items.as_ref())
                .map_or(0, ByIdentity::count)
            + self
                .callbacks
                .as_ref()
                .and_then(|c| c.items.as_ref())
                .map_or(0, Vec::len);
        if count == 0 && self.preset != Some(false) {
            return Err(AddonsError::Empty);
        }
        Ok(())
    }

    /// The `addons` query value: base64url (no padding) of gzip of the compact JSON.
    pub fn encode(&self) -> Result<String, AddonsError> {
        self.validate()?;
        let json = serde_json::to_vec(self).expect("addons serialize");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&json).expect("gzip into memory");
        let bytes = gz.finish().expect("gzip into memory");
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads an `addons` value back (ours, an SDK's, or one a link carries). Bounded: at most
    /// 64 KiB after decompression.
    pub fn decode(encoded: &str) -> Result<Self, AddonsError> {
        let bad = |e: &dyn std::fmt::Display| AddonsError::Undecodable(e.to_string());
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded.trim_end_matches('=').as_bytes())
            .map_err(|e| bad(&e))?;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .take(64 * 1024 + 1)
            .read_to_end(&mut json)
            .map_err(|e| bad(&e))?;
        if json.len() > 64 * 1024 {
            return Err(AddonsError::Undecodable("larger than 64 KiB".into()));
        }
        serde_json::from_slice(&json).map_err(|e| bad(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_to_url_safe_text_and_decodes_back() {
        let addons = Addons::tenant(
            &["im:chat", "im:message", "application:application:patch"],
            &["im.message.receive_v1"],
            &["card.action.trigger"],
        );
        let encoded = addons.encode().unwrap();
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(Addons::decode(&encoded).unwrap(), addons);
    }

    #[test]
    fn the_json_is_compact_and_in_the_sdks_key_order() {
        let addons = Addons {
            preset: Some(true),
            ..Addons::tenant(&["im:chat"], &["e.v1"], &["card.action.trigger"])
        };
        assert_eq!(
            serde_json::to_string(&addons).unwrap(),
            r#"{"preset":true,"scopes":{"tenant":["im:chat"]},"events":{"items":{"tenant":["e.v1"]}},"callbacks":{"items":["card.action.trigger"]}}"#
        );
    }

    #[test]
    fn refuses_what_the_sdks_refuse() {
        assert_eq!(Addons::default().encode(), Err(AddonsError::Empty));
        let bot_only = Addons {
            preset: Some(false),
            ..Addons::default()
        };
        assert!(bot_only.encode().is_ok());
        let empty_item = Addons::tenant(&["im:chat", ""], &[], &[]);
        assert_eq!(
            empty_item.encode(),
            Err(AddonsError::EmptyItem {
                path: "addons.scopes.tenant[1]".into()
            })
        );
        assert!(matches!(
            Addons::decode("not base64 gzip!"),
            Err(AddonsError::Undecodable(_))
        ));
    }
}
