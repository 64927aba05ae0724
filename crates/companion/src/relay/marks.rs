//! Outbox bodies must be stored byte for byte (transparent forwarding keeps the platform's
//! signature valid) yet hold no secret: each secret value is replaced by a random marker on the
//! way into SQLite and put back, from the keychain value in memory, on the way out.

use super::config::RelayKeys;

/// A random marker prefix that does not occur in `raw`, to stand in for secret values in
/// stored outbox bodies.
pub(crate) fn marker_base(raw: &[u8]) -> String {
    let fresh = || format!("<lark-companion-secret:{:016x}:", rand::random::<u64>());
    for _ in 0..8 {
        let base = fresh();
        if !raw.windows(base.len()).any(|w| w == base.as_bytes()) {
            return base;
        }
    }
    // Eight 64-bit collisions in a row cannot happen by chance; a body built to contain every
    // guess would need to predict them. A longer marker ends the matter.
    format!("{}{:016x}:", fresh(), rand::random::<u64>())
}

/// `raw` with the profile's secret values replaced by markers, and the marker base (if any
/// value was found). [`unmark`] reverses it byte for byte.
pub(crate) fn mark(raw: &[u8], keys: &RelayKeys) -> (Vec<u8>, Option<String>) {
    let text = String::from_utf8_lossy(raw);
    let present: Vec<(&str, &str)> = [
        ("vt", keys.verification_token()),
        ("ek", keys.encrypt_key()),
    ]
    .into_iter()
    .filter_map(|(tag, v)| v.filter(|v| text.contains(v)).map(|v| (tag, v)))
    .collect();
    if present.is_empty() {
        return (raw.to_vec(), None);
    }
    let base = marker_base(raw);
    let mut out = text.into_owned();
    for (tag, value) in present {
        out = out.replace(value, &format!("{base}{tag}>"));
    }
    (out.into_bytes(), Some(base))
}

/// Puts the secret values back where [`mark`] left markers.
pub(crate) fn unmark(body: &[u8], base: Option<&str>, keys: &RelayKeys) -> Vec<u8> {
    let Some(base) = base else {
        return body.to_vec();
    };
    let mut text = String::from_utf8_lossy(body).into_owned();
    for (tag, value) in [
        ("vt", keys.verification_token()),
        ("ek", keys.encrypt_key()),
    ] {
        if let Some(value) = value {
            text = text.replace(&format!("{base}{tag}>"), value);
        }
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_and_hide_the_values() {
        let keys = RelayKeys::new(Some("ek-value-x"), Some("vt-value-y"));
        let raw = br#"{"token":"vt-value-y","text":"vt-value-y and ek-value-x"}"#;
        let (marked, base) = mark(raw, &keys);
        let text = String::from_utf8(marked.clone()).unwrap();
        assert!(
            !text.contains("vt-value-y") && !text.contains("ek-value-x"),
            "{text}"
        );
        assert_eq!(unmark(&marked, base.as_deref(), &keys), raw.to_vec());
        let (plain, none) = mark(b"{}", &keys);
        assert_eq!((plain, none), (b"{}".to_vec(), None));
    }
}
