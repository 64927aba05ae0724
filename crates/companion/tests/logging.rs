//! Its own test binary: the logger and panic hook are process-wide.

use companion::{logging, redact};
use lark_platform::secret::Secret;

#[test]
fn log_lines_and_panic_messages_never_carry_a_registered_secret() {
    let dir = tempfile::tempdir().unwrap();
    let raw = "sk-app-secret-0123456789abcdef";
    logging::init(dir.path()).unwrap();
    redact::register(&Secret::new(raw));

    tracing::info!("token call with app_secret={raw}");
    tracing::info_span!("relay_start", name = "Sandbox")
        .in_scope(|| tracing::info!("relay started"));
    tracing::warn!(secret = raw, "a field holding the secret");
    let result = std::panic::catch_unwind(|| panic!("crashed while holding {raw}"));
    assert!(result.is_err());

    let mut all = String::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        assert!(path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(logging::FILE_PREFIX));
        all.push_str(&std::fs::read_to_string(path).unwrap());
    }
    assert!(
        all.contains("token call with app_secret=<redacted>"),
        "{all}"
    );
    assert!(
        all.contains("panic: crashed while holding <redacted>"),
        "{all}"
    );
    assert!(!all.contains(raw), "secret leaked into the log: {all}");
    // The file is plain text, whatever colours stderr gets: a span's fields included.
    assert!(
        all.contains(r#"relay_start{name="Sandbox"}"#),
        "the span's fields are not plain in the file: {all:?}"
    );
    assert!(
        !all.contains('\u{1b}'),
        "terminal colour codes in the log file: {all:?}"
    );
}
