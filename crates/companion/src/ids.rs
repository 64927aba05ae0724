//! Identifiers every layer uses, at the bottom of the crate so that no module needs another
//! one's internals to name a thing (the keychain names entries by [`ProfileUid`] without
//! knowing what a profile is).

use std::fmt;

/// The profile's internal key: 32 hex digits, made once at creation and never changed. The
/// keychain entries are named after it (not after the name) so that renaming keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProfileUid(String);

impl ProfileUid {
    /// A fresh random uid.
    pub fn generate() -> Self {
        Self(hex::encode(rand::random::<[u8; 16]>()))
    }

    /// A uid read back from the database (already validated when it was written).
    pub fn from_stored(value: String) -> Self {
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProfileUid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
