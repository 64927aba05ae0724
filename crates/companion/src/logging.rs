//! Logging for the app and the CLI: levels from `LARK_COMPANION_LOG` (or `RUST_LOG`), stderr plus
//! a daily-rotated file in the log folder, both scrubbed of secrets; panics are logged the same
//! way.

use std::path::Path;

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::redact::{self, Scrubbing};
use crate::{Error, Result};

pub const LEVEL_ENV: &str = "LARK_COMPANION_LOG";
/// Log files kept before the oldest is deleted (one per day).
pub const KEEP_FILES: usize = 14;
pub const FILE_PREFIX: &str = "lark-companion";

/// How stderr's lines are written: text for a person, or one JSON object per line for a log
/// collector (journald, a container runtime). The log file is text either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Installs the global logger and panic hook. Call once, at start-up.
pub fn init(log_dir: &Path) -> Result<()> {
    init_with(log_dir, LogFormat::Text)
}

/// [`init`] with stderr in `format`.
pub fn init_with(log_dir: &Path, format: LogFormat) -> Result<()> {
    std::fs::create_dir_all(log_dir).map_err(|source| Error::Folder {
        path: log_dir.display().to_string(),
        source,
    })?;
    let file = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(log_dir)
        .map_err(|e| Error::Folder {
            path: log_dir.display().to_string(),
            source: std::io::Error::other(e),
        })?;
    let filter = EnvFilter::try_from_env(LEVEL_ENV)
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let text = (format == LogFormat::Text).then(|| {
        fmt::layer()
            .with_writer(Scrubbing(std::io::stderr))
            .with_target(false)
    });
    let json = (format == LogFormat::Json).then(|| {
        fmt::layer()
            .json()
            .with_writer(Scrubbing(std::io::stderr))
            .with_target(false)
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(text)
        .with(json)
        .with(
            fmt::layer()
                .with_ansi(false)
                .fmt_fields(FileFields::default())
                .with_writer(Scrubbing(file)),
        )
        .try_init()
        .ok();
    install_panic_hook();
    Ok(())
}

/// The log file's way of writing a span's fields: the default's, under its own type. A span's
/// fields are formatted once per field-formatter type and kept with the span, so with the same
/// type as stderr's layer the file got stderr's text, colour codes and all (tracing issue 1817:
/// layers with one `FormatFields` type share the formatted fields; the fix is a type of its own).
#[derive(Default)]
struct FileFields(fmt::format::DefaultFields);

impl<'writer> fmt::FormatFields<'writer> for FileFields {
    fn format_fields<R: tracing_subscriber::field::RecordFields>(
        &self,
        writer: fmt::format::Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        self.0.format_fields(writer, fields)
    }
}

/// Panic text goes through the same scrubbing as logs, so a secret in a panic message never
/// reaches the terminal or the log file.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-text panic payload".to_owned());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = redact::scrub(&payload);
        tracing::error!(%location, "panic: {message}");
        eprintln!("lark-companion panicked at {location}: {message}");
    }));
}
