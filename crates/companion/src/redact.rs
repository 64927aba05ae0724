//! Last line of defence against secrets in logs and panic messages: every secret the app loads
//! is registered here, and log output and panic text are scrubbed of registered values.
//!
//! Process-wide on purpose: the logger and the panic hook are process-wide too.

use std::borrow::Cow;
use std::io;
use std::sync::RwLock;

use lark_platform::secret::Secret;
use tracing_subscriber::fmt::MakeWriter;

/// What replaces a secret value in text.
pub const MASK: &str = "<redacted>";

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Values shorter than this are not scrubbed: they would mangle ordinary text and are not
/// secrets the platform issues.
const MIN_LEN: usize = 6;

/// Remembers a secret so that it is scrubbed from every later log line and panic message.
pub fn register(secret: &Secret) {
    let value = secret.expose();
    if value.len() < MIN_LEN {
        return;
    }
    let mut list = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    if !list.iter().any(|s| s == value) {
        list.push(value.to_owned());
        // Longest first, so a secret containing another is masked whole.
        list.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// `text` with every registered secret replaced by [`MASK`].
pub fn scrub(text: &str) -> Cow<'_, str> {
    let list = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    let mut out = Cow::Borrowed(text);
    for secret in list.iter() {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), MASK));
        }
    }
    out
}

/// Wraps a tracing writer so every formatted line is scrubbed before it is written.
pub struct Scrubbing<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Scrubbing<M> {
    type Writer = ScrubbingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubbingWriter(self.0.make_writer())
    }
}

pub struct ScrubbingWriter<W>(W);

impl<W: io::Write> io::Write for ScrubbingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // tracing's fmt layer hands over one whole formatted event per call.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(scrub(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_are_masked_and_short_values_ignored() {
        register(&Secret::new("abcdef-secret-1"));
        register(&Secret::new("abc"));
        assert_eq!(scrub("x abcdef-secret-1 y abc"), format!("x {MASK} y abc"));
        assert!(matches!(scrub("nothing here"), Cow::Borrowed(_)));
    }
}
