//! Profiles against the REAL OS keychain, not a mock. On Linux run them inside a private,
//! unlocked gnome-keyring:
//!
//!     scripts/with-keyring.sh cargo test -p companion --test keychain
//!
//! Without a reachable keychain the keychain tests print a skip notice and pass, unless
//! LARK_KEYCHAIN_REQUIRED=1 (CI sets it), where they fail. The "no keychain" test needs no
//! keychain: it runs a child process on a D-Bus address where nothing listens.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use companion::db::{Database, FILE_NAME};
use companion::keychain::{OsKeychain, SecretKind, SecretStore, SERVICE};
use companion::profiles::{self, ProfileInput};
use companion::{Problem, ProblemKind};

const APP_ID: &str = "cli_a1b2c3d4e5f60718";
const REQUIRED_ENV: &str = "LARK_KEYCHAIN_REQUIRED";

/// The keychain, or `None` after a skip notice; panics when the keychain is required.
fn keychain() -> Option<OsKeychain> {
    let keychain = OsKeychain::new();
    match keychain.probe() {
        Ok(()) => Some(keychain),
        Err(e) if std::env::var(REQUIRED_ENV).is_ok_and(|v| v == "1") => panic!(
            "{REQUIRED_ENV}=1 but no OS keychain is reachable: {e}. On Linux run the tests as \
             scripts/with-keyring.sh cargo test -p companion --test keychain"
        ),
        Err(e) => {
            eprintln!(
                "SKIPPED: no OS keychain is reachable ({e}). Run under scripts/with-keyring.sh, \
                 or set {REQUIRED_ENV}=1 to make this a failure."
            );
            None
        }
    }
}

/// One log folder for the whole test binary: the logger is process-wide.
fn log_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "lark-companion-keychain-logs-{}",
            std::process::id()
        ));
        std::env::set_var(
            companion::logging::LEVEL_ENV,
            "companion=debug,keyring=debug,warn",
        );
        companion::logging::init(&dir).expect("logging starts");
        dir
    })
}

/// Values unique to this run, so a match in the bytes can only come from this test.
fn secret_values(tag: &str) -> [String; 3] {
    let nonce = hex_nonce();
    [
        format!("appsecret-{tag}-{nonce}"),
        format!("vtoken-{tag}-{nonce}"),
        format!("encryptkey-{tag}-{nonce}"),
    ]
}

fn hex_nonce() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}{:x}", nanos, std::process::id())
}

fn input(name: &str, secrets: &[String; 3]) -> ProfileInput {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "platform": {"kind": "lark"},
        "appId": APP_ID,
        "secrets": {
            "appSecret": secrets[0],
            "verificationToken": secrets[1],
            "encryptKey": secrets[2],
        }
    }))
    .unwrap()
}

fn uid_of(db: &Database, name: &str) -> String {
    db.conn()
        .query_row("SELECT uid FROM profiles WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Reads the entry with the keyring crate directly, bypassing our code.
fn raw_entry(uid: &str, kind: SecretKind) -> Option<String> {
    let user = format!("{uid}/{}", kind.entry_suffix());
    match keyring::Entry::new(SERVICE, &user).unwrap().get_password() {
        Ok(v) => Some(v),
        Err(keyring::Error::NoEntry) => None,
        Err(e) => panic!("keychain lookup of {user} failed: {e}"),
    }
}

/// Asks libsecret's own CLI, when it is installed (Linux), as an independent witness.
fn secret_tool_lookup(uid: &str, kind: SecretKind) -> Option<Option<String>> {
    let user = format!("{uid}/{}", kind.entry_suffix());
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", &user])
        .output()
        .ok()?;
    Some(
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned()),
    )
}

/// Every file under `dir` (recursively) whose bytes contain one of `needles`.
fn files_containing(dir: &Path, needles: &[String]) -> Vec<String> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return hits;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needles));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                hits.push(format!("{} contains {needle}", path.display()));
            }
        }
    }
    hits
}

#[test]
fn secrets_round_trip_survive_rename_and_vanish_on_delete() {
    let Some(store) = keychain() else { return };
    let logs = log_dir();
    let dir = tempfile::tempdir().unwrap();
    let secrets = secret_values("roundtrip");
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();

    let db = Database::open(dir.path()).unwrap();
    let created = profiles::add(&db, &store, input("Keychain Prod", &secrets), now).unwrap();
    assert!(created.secrets.app_secret && created.secrets.verification_token);
    assert!(created.secrets.encrypt_key);
    let uid = uid_of(&db, "Keychain Prod");
    for (kind, value) in SecretKind::ALL.iter().zip(&secrets) {
        assert_eq!(raw_entry(&uid, *kind).as_ref(), Some(value), "{kind:?}");
        if let Some(found) = secret_tool_lookup(&uid, *kind) {
            assert_eq!(found.as_ref(), Some(value), "secret-tool {kind:?}");
        }
    }
    let listed = profiles::list(&db, &store).unwrap();
    assert_eq!(listed, vec![created.clone()]);

    // Renaming keeps the entries: they are keyed by the uid, not the name.
    profiles::rename(&db, "Keychain Prod", "Keychain Production", now).unwrap();
    assert_eq!(uid_of(&db, "Keychain Production"), uid);
    let creds = profiles::credentials(&db, &store, "Keychain Production").unwrap();
    assert_eq!(creds.app_secret.expose(), secrets[0]);
    assert_eq!(
        creds.verification_token.as_ref().unwrap().expose(),
        secrets[1]
    );
    assert_eq!(creds.encrypt_key.as_ref().unwrap().expose(), secrets[2]);

    // A careless log line is scrubbed because loaded secrets are registered for redaction.
    tracing::warn!("careless debugging: {}", creds.app_secret.expose());
    tracing::info!(profile = ?creds, "credentials loaded");

    // Neither the database (main file and WAL, read while open) nor the logs hold a value.
    let db_file = dir.path().join(FILE_NAME);
    let wal = dir.path().join(format!("{FILE_NAME}-wal"));
    assert!(wal.exists(), "WAL mode keeps a -wal file while open");
    assert_eq!(files_containing(dir.path(), &secrets), Vec::<String>::new());
    let log_hits = files_containing(logs, &secrets);
    assert_eq!(log_hits, Vec::<String>::new());
    let log_text: String = std::fs::read_dir(logs)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(
        log_text.contains("careless debugging: <redacted>"),
        "{log_text}"
    );

    let exported = profiles::export_json(&db, &store).unwrap();
    assert!(secrets.iter().all(|s| !exported.contains(s.as_str())));

    profiles::delete(&db, &store, "Keychain Production").unwrap();
    for kind in SecretKind::ALL {
        assert_eq!(
            raw_entry(&uid, kind),
            None,
            "{kind:?} still in the keychain"
        );
        if let Some(found) = secret_tool_lookup(&uid, kind) {
            assert_eq!(found, None, "secret-tool still finds {kind:?}");
        }
    }
    assert!(profiles::list(&db, &store).unwrap().is_empty());
    drop(db);
    assert!(db_file.exists());
    assert_eq!(files_containing(dir.path(), &secrets), Vec::<String>::new());
}

#[test]
fn secrets_entered_after_import_land_in_the_keychain() {
    let Some(store) = keychain() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
    let doc = serde_json::json!({"version": 1, "profiles": [
        {"name": "Imported", "platform": {"kind": "feishu"}, "appId": APP_ID,
         "secrets": ["appSecret", "encryptKey"]}
    ]});
    let report = profiles::import_json(&db, &doc.to_string(), now).unwrap();
    assert_eq!(
        report.profiles[0].secrets_to_enter,
        vec![SecretKind::AppSecret, SecretKind::EncryptKey]
    );
    let secrets = secret_values("import");
    let mut entered = profiles::SecretsInput::default();
    entered.set(
        SecretKind::AppSecret,
        Some(lark_platform::secret::Secret::new(secrets[0].as_str())),
    );
    let presence = profiles::set_secrets(&db, &store, "Imported", entered, now).unwrap();
    assert!(presence.app_secret && !presence.encrypt_key);
    let uid = uid_of(&db, "Imported");
    assert_eq!(
        raw_entry(&uid, SecretKind::AppSecret).as_ref(),
        Some(&secrets[0])
    );
    profiles::delete(&db, &store, "Imported").unwrap();
    assert_eq!(raw_entry(&uid, SecretKind::AppSecret), None);
}

/// The data folder the child process of [`no_keychain_means_a_clear_error_and_no_row`] uses.
const CHILD_DIR_ENV: &str = "LARK_COMPANION_NO_KEYCHAIN_CHILD_DIR";

#[cfg(target_os = "linux")]
#[test]
fn no_keychain_means_a_clear_error_and_no_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "no_keychain_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR_ENV, dir.path())
        // A session bus address where nothing listens: as on a server with no Secret Service.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/lark-companion-test-bus",
        )
        .env_remove(REQUIRED_ENV)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child failed:\n{stdout}\n{stderr}"
    );
    let db = Database::open(dir.path()).unwrap();
    let rows: i64 = db
        .conn()
        .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0, "no profile row may be written without a keychain");
}

/// Runs only as the child of the test above (it is ignored in normal runs).
#[test]
#[ignore = "runs in a child process started by no_keychain_means_a_clear_error_and_no_row"]
fn no_keychain_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR_ENV) else {
        return;
    };
    let db = Database::open(Path::new(&dir)).unwrap();
    let secrets = secret_values("nokeychain");
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
    let err = profiles::add(&db, &OsKeychain::new(), input("No Keychain", &secrets), now)
        .expect_err("must refuse without a keychain");
    let problem = Problem::from(err);
    let json = serde_json::to_string(&problem).unwrap();
    println!("{json}");
    assert_eq!(problem.kind, ProblemKind::KeychainUnavailable);
    let message = problem.english();
    assert!(message.contains("keychain is not available"), "{message}");
    assert!(secrets
        .iter()
        .all(|s| !message.contains(s.as_str()) && !json.contains(s.as_str())));
    let fix = problem.english_fix().expect("a fix text");
    assert!(fix.contains("gnome-keyring"), "{fix}");
    assert!(fix.contains("unlock the login keyring"), "{fix}");
    assert!(profiles::list(&db, &OsKeychain::new()).unwrap().is_empty());
}
