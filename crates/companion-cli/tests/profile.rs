//! `lark-companion-cli profile ...` end to end: every subcommand against a fresh data folder and
//! the real keychain (skipped without one unless LARK_KEYCHAIN_REQUIRED=1; run under
//! scripts/with-keyring.sh).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use companion::keychain::{OsKeychain, SecretStore};

const APP_ID: &str = "cli_a1b2c3d4e5f60718";

fn keychain_reachable() -> bool {
    match OsKeychain::new().probe() {
        Ok(()) => true,
        Err(e) if std::env::var("LARK_KEYCHAIN_REQUIRED").is_ok_and(|v| v == "1") => {
            panic!("LARK_KEYCHAIN_REQUIRED=1 but no OS keychain is reachable: {e}")
        }
        Err(e) => {
            eprintln!(
                "SKIPPED: no OS keychain is reachable ({e}); run under scripts/with-keyring.sh"
            );
            false
        }
    }
}

/// Runs the CLI on `data` with `stdin` piped in; fails the test when it fails.
fn cli(data: &Path, args: &[&str], stdin: &str) -> String {
    let out = try_cli(data, args, stdin);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn try_cli(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("LARK_COMPANION_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lark-companion-cli");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("run lark-companion-cli")
}

#[test]
fn every_profile_subcommand_end_to_end() {
    if !keychain_reachable() {
        return;
    }
    let data = tempfile::tempdir().expect("temp data dir");
    let data = data.path();

    // add: secrets from stdin lines; the empty Verification Token line skips it.
    let added = cli(
        data,
        &[
            "profile",
            "add",
            "Prod",
            "--app-id",
            APP_ID,
            "--card-request-url",
            "https://example.com/card",
        ],
        "app-secret-value\n\nencrypt-key-value\n",
    );
    assert_eq!(
        added,
        "Created profile \"Prod\". Stored in the OS keychain: App Secret, Encrypt Key.\n"
    );

    // list, as a table and as JSON.
    let table = cli(data, &["profile", "list"], "");
    let lines: Vec<_> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(lines[0].starts_with("NAME") && lines[0].ends_with("SECRETS"));
    assert!(lines[1].starts_with("Prod") && lines[1].contains(APP_ID));
    assert!(lines[1].ends_with("missing: Verification Token"), "{table}");
    let list: serde_json::Value =
        serde_json::from_str(&cli(data, &["profile", "list", "--json"], "")).unwrap();
    assert_eq!(list[0]["name"], "Prod");
    assert_eq!(list[0]["appId"], APP_ID);

    // show, as text and as JSON; never a secret value.
    let shown = cli(data, &["profile", "show", "Prod"], "");
    assert!(
        shown.starts_with("Name:                     Prod\n"),
        "{shown}"
    );
    assert!(
        shown.contains("App Secret:               stored\n"),
        "{shown}"
    );
    assert!(
        shown.contains("Verification Token:       missing\n"),
        "{shown}"
    );
    assert!(shown.contains("Message Card Request URL: https://example.com/card\n"));
    assert!(shown.contains("Redirect URL:             (not set)\n"));
    let json: serde_json::Value =
        serde_json::from_str(&cli(data, &["profile", "show", "Prod", "--json"], "")).unwrap();
    assert_eq!(json["name"], "Prod");
    for out in [&shown, &json.to_string(), &table] {
        assert!(!out.contains("app-secret-value") && !out.contains("encrypt-key-value"));
    }

    // show without a name: the LARK_* environment.
    let env = Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(["profile", "show", "--json"])
        .env("LARK_APP_ID", APP_ID)
        .env("LARK_APP_SECRET", "env-secret")
        .env_remove("LARK_VERIFICATION_TOKEN")
        .env_remove("LARK_ENCRYPT_KEY")
        .env_remove("LARK_PLATFORM")
        .output()
        .expect("run show");
    let env: serde_json::Value = serde_json::from_slice(&env.stdout).expect("JSON");
    assert_eq!(env["source"], "environment");
    assert_eq!(env["appId"], APP_ID);
    assert_eq!(env["secrets"]["appSecret"], true);
    assert_eq!(env["secrets"]["verificationToken"], false);

    // set-secrets: all three now.
    let set = cli(
        data,
        &["profile", "set-secrets", "Prod"],
        "app-secret-2\nverification-token-2\nencrypt-key-2\n",
    );
    assert_eq!(
        set,
        "Stored in the OS keychain: App Secret, Verification Token, Encrypt Key.\n"
    );
    let unknown = try_cli(data, &["profile", "set-secrets", "Nope"], "x\n");
    assert!(!unknown.status.success());

    // rename keeps the secrets with the profile.
    assert_eq!(
        cli(data, &["profile", "rename", "Prod", "  Production "], ""),
        "Renamed \"Prod\" to \"Production\".\n"
    );
    assert!(cli(data, &["profile", "list"], "").contains("all stored"));

    // export: to a file and to stdout, the same document without secrets.
    let file = data.join("export.json");
    let file_arg = file.to_str().unwrap();
    assert_eq!(cli(data, &["profile", "export", "-o", file_arg], ""), "");
    let exported = std::fs::read_to_string(&file).unwrap();
    assert_eq!(cli(data, &["profile", "export"], ""), exported);
    assert!(exported.contains("Production") && !exported.contains("app-secret-2"));

    // delete, then import from the file and from stdin.
    assert_eq!(
        cli(data, &["profile", "delete", "Production"], ""),
        "Deleted \"Production\" and its keychain entries.\n"
    );
    assert!(cli(data, &["profile", "list"], "").starts_with("No profiles yet."));
    let imported = cli(data, &["profile", "import", file_arg], "");
    assert_eq!(
        imported,
        "Imported \"Production\". Enter its secrets (App Secret, Verification Token, Encrypt \
         Key) with: lark-companion-cli profile set-secrets \"Production\"\n"
    );
    let again = try_cli(data, &["profile", "import", "-"], &exported);
    assert!(!again.status.success(), "the name is taken now");
    cli(data, &["profile", "delete", "Production"], "");
    assert_eq!(cli(data, &["profile", "import", "-"], &exported), imported);
    cli(data, &["profile", "delete", "Production"], "");
}
