//! The UI's TypeScript types are generated from the Rust IPC types. This test fails when the
//! committed files in ui/src/bindings are stale; `UPDATE_BINDINGS=1 cargo test -p companion
//! --test bindings` rewrites them.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

/// Every IPC type, from each module's own list (kept here, not in the library, so no module
/// has to know every other one).
fn all_bindings() -> Vec<(&'static str, String)> {
    [
        companion::ipc::bindings(),
        companion::problem::bindings(),
        companion::profiles::bindings(),
        companion::cards::bindings(),
        companion::checks::bindings(),
        companion::sandbox::bindings(),
        companion::quota::bindings(),
        companion::relay::bindings(),
        companion::app::bindings(),
        companion::appsetup::bindings(),
    ]
    .concat()
}

#[test]
fn generated_typescript_bindings_are_fresh() {
    let dir = bindings_dir();
    let expected = all_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                std::fs::remove_file(path).unwrap();
            }
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        assert!(!text.is_empty(), "{name} failed to export");
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *text => {}
            Ok(_) => stale.push(format!("{name} differs")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    let wanted: BTreeSet<_> = expected.iter().map(|(n, _)| n.to_string()).collect();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            if name.ends_with(".ts") && !wanted.contains(&name) {
                stale.push(format!("{name} is no longer generated"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale ({}); run `UPDATE_BINDINGS=1 cargo test -p companion --test bindings`",
        stale.join(", ")
    );
}
