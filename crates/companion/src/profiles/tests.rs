//! Profile rules against an in-memory database and the test-only in-memory secret store. The
//! same flows against the real OS keychain are in tests/keychain.rs.

use chrono::TimeZone;

use super::*;
use crate::keychain::memory::MemoryStore;
use crate::problem::ProblemKind;

const APP_ID: &str = "cli_a1b2c3d4e5f60718";

fn t(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, minute, 0).unwrap()
}

fn input(name: &str) -> ProfileInput {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "platform": {"kind": "feishu"},
        "appId": APP_ID,
        "secrets": {
            "appSecret": format!("{name}-app-secret-value"),
            "verificationToken": format!("{name}-verification-token"),
            "encryptKey": format!("{name}-encrypt-key-value"),
        }
    }))
    .unwrap()
}

fn count(db: &Database, table: &str) -> i64 {
    db.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn add_stores_secrets_in_the_store_and_the_rest_in_sqlite() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let summary = add(&db, &store, input("Prod"), t(0)).unwrap();
    assert_eq!(summary.name, "Prod");
    assert_eq!(summary.app_id, APP_ID);
    assert_eq!(summary.created_at, t(0));
    assert!(summary.secrets.app_secret && summary.secrets.verification_token);
    assert!(summary.secrets.encrypt_key);
    assert_eq!(store.len(), 3);
    assert_eq!(list(&db, &store).unwrap(), vec![summary.clone()]);
    assert_eq!(get(&db, &store, "prod").unwrap(), summary);

    let creds = credentials(&db, &store, "Prod").unwrap();
    assert_eq!(creds.app_secret.expose(), "Prod-app-secret-value");
    assert_eq!(
        creds.encrypt_key.as_ref().map(Secret::expose),
        Some("Prod-encrypt-key-value")
    );
}

#[test]
fn summary_json_is_camel_case_and_has_no_secret_values() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let summary = add(&db, &store, input("Prod"), t(0)).unwrap();
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(
        json["secrets"],
        serde_json::json!({"appSecret": true, "verificationToken": true, "encryptKey": true})
    );
    assert_eq!(json["appId"], APP_ID);
    assert_eq!(json["createdAt"], "2026-01-02T03:00:00Z");
    assert!(!json.to_string().contains("secret-value"), "{json}");
}

#[test]
fn invalid_input_is_refused_before_anything_is_written() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let mut bad = input("Prod");
    bad.app_id = "cli_123".into();
    let err = add(&db, &store, bad, t(0)).unwrap_err();
    assert_eq!(err.problem().kind, ProblemKind::InvalidInput);
    assert!(err.to_string().contains("16 hex digits"), "{err}");
    let mut bad = input("Prod");
    bad.name = " ".into();
    assert_eq!(
        add(&db, &store, bad, t(0)).unwrap_err().problem().kind,
        ProblemKind::InvalidInput
    );
    let mut bad = input("Prod");
    bad.urls = Some(IntegrationUrls {
        redirect_url: Some("not a url".into()),
        ..Default::default()
    });
    assert!(add(&db, &store, bad, t(0))
        .unwrap_err()
        .to_string()
        .starts_with("redirectUrl"));
    assert_eq!(store.len(), 0);
    assert_eq!(count(&db, "profiles"), 0);
}

#[test]
fn duplicate_names_are_refused_regardless_of_case() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    let err = add(&db, &store, input("PROD"), t(1)).unwrap_err();
    assert_eq!(err.problem().kind, ProblemKind::AlreadyExists);
    assert!(err.to_string().contains("\"Prod\" already exists"), "{err}");
    assert_eq!(store.len(), 3, "the refused profile stored nothing");
}

#[test]
fn without_a_keychain_nothing_is_stored_and_the_error_says_what_to_do() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore {
        unavailable: true,
        ..Default::default()
    };
    let err = add(&db, &store, input("Prod"), t(0)).unwrap_err();
    assert_eq!(err.problem().kind, ProblemKind::KeychainUnavailable);
    let ipc = crate::problem::Problem::from(err);
    assert!(ipc.fix.is_some());
    assert_eq!(count(&db, "profiles"), 0);
}

#[test]
fn a_failing_later_secret_rolls_back_the_earlier_ones() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore {
        fail_on: Some(SecretKind::EncryptKey),
        ..Default::default()
    };
    let err = add(&db, &store, input("Prod"), t(0)).unwrap_err();
    assert_eq!(err.problem().kind, ProblemKind::KeychainUnavailable);
    assert_eq!(store.len(), 0);
    assert_eq!(count(&db, "profiles"), 0);
}

#[test]
fn a_profile_without_secrets_needs_no_keychain() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let mut no_secrets = input("Later");
    no_secrets.secrets = SecretsInput::default();
    let s = add(&db, &store, no_secrets, t(0)).unwrap();
    assert_eq!(s.secrets, SecretPresence::default());
    let err = credentials(&db, &store, "Later").unwrap_err();
    assert!(err.to_string().contains("no App Secret"), "{err}");
}

#[test]
fn rename_keeps_secrets_and_refuses_taken_names() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    add(&db, &store, input("Staging"), t(0)).unwrap();
    rename(&db, "prod", "Production", t(5)).unwrap();
    let renamed = get(&db, &store, "Production").unwrap();
    assert_eq!(renamed.updated_at, t(5));
    assert_eq!(renamed.created_at, t(0));
    assert!(renamed.secrets.app_secret);
    assert_eq!(
        credentials(&db, &store, "Production")
            .unwrap()
            .app_secret
            .expose(),
        "Prod-app-secret-value"
    );
    assert_eq!(
        get(&db, &store, "Prod").unwrap_err().problem().kind,
        ProblemKind::NotFound
    );
    assert_eq!(
        rename(&db, "Production", "staging", t(6))
            .unwrap_err()
            .problem()
            .kind,
        ProblemKind::AlreadyExists
    );
    // Changing only the case of its own name is allowed.
    rename(&db, "Production", "PRODUCTION", t(7)).unwrap();
    assert_eq!(get(&db, &store, "production").unwrap().name, "PRODUCTION");
}

#[test]
fn delete_removes_secrets_rows_and_history() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    add(&db, &store, input("Keep"), t(0)).unwrap();
    record_check(
        &db,
        "Prod",
        &CheckRecord {
            check_id: "token".into(),
            status: CheckStatus::Pass,
            finding: None,
            params: Default::default(),
            reason: None,
            run_at: t(1),
            scope: None,
        },
    )
    .unwrap();
    delete(&db, &store, "Prod").unwrap();
    assert_eq!(store.len(), 3, "only Keep's secrets remain");
    assert_eq!(count(&db, "profiles"), 1);
    assert_eq!(count(&db, "check_history"), 0);
    assert_eq!(
        delete(&db, &store, "Prod").unwrap_err().problem().kind,
        ProblemKind::NotFound
    );
}

#[test]
fn delete_is_refused_while_the_keychain_is_unreachable() {
    let db = Database::open_in_memory().unwrap();
    let mut store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    store.unavailable = true;
    assert_eq!(
        delete(&db, &store, "Prod").unwrap_err().problem().kind,
        ProblemKind::KeychainUnavailable
    );
    assert_eq!(count(&db, "profiles"), 1);
}

#[test]
fn set_secrets_replaces_and_rolls_back_to_previous_values() {
    let db = Database::open_in_memory().unwrap();
    let mut store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    let mut new = SecretsInput::default();
    new.set(
        SecretKind::AppSecret,
        Some(Secret::new("rotated-app-secret")),
    );
    new.set(
        SecretKind::EncryptKey,
        Some(Secret::new("rotated-encrypt-key")),
    );
    store.fail_on = Some(SecretKind::EncryptKey);
    assert!(set_secrets(&db, &store, "Prod", new.clone(), t(1)).is_err());
    let creds = credentials(&db, &store, "Prod").unwrap();
    assert_eq!(creds.app_secret.expose(), "Prod-app-secret-value");
    store.fail_on = None;
    set_secrets(&db, &store, "Prod", new, t(2)).unwrap();
    let creds = credentials(&db, &store, "Prod").unwrap();
    assert_eq!(creds.app_secret.expose(), "rotated-app-secret");
    assert_eq!(get(&db, &store, "Prod").unwrap().updated_at, t(2));
    assert!(set_secrets(&db, &store, "Prod", SecretsInput::default(), t(3)).is_err());
}

#[test]
fn export_has_secret_names_but_no_values_and_imports_elsewhere() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let mut p = input("Prod");
    p.platform = Platform::Custom {
        base_url: "http://127.0.0.1:9000".into(),
    };
    p.urls = Some(IntegrationUrls {
        card_request_url: Some("https://integration.example/cb".into()),
        ..Default::default()
    });
    p.secrets.encrypt_key = None;
    add(&db, &store, p, t(0)).unwrap();
    let text = export_json(&db, &store).unwrap();
    assert!(
        !text.contains("secret-value") && !text.contains("-token"),
        "{text}"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(
        doc["profiles"][0]["secrets"],
        serde_json::json!(["appSecret", "verificationToken"])
    );

    let other = Database::open_in_memory().unwrap();
    let report = import_json(&other, &text, t(9)).unwrap();
    assert_eq!(
        report,
        ImportReport {
            profiles: vec![ImportedProfile {
                name: "Prod".into(),
                secrets_to_enter: vec![SecretKind::AppSecret, SecretKind::VerificationToken],
            }]
        }
    );
    let empty = MemoryStore::default();
    let imported = get(&other, &empty, "Prod").unwrap();
    assert_eq!(imported.platform.base_url(), "http://127.0.0.1:9000");
    assert_eq!(
        imported.urls.card_request_url.as_deref(),
        Some("https://integration.example/cb")
    );
    assert_eq!(imported.secrets, SecretPresence::default());
    assert_eq!(imported.created_at, t(9));
}

#[test]
fn import_refuses_duplicates_and_creates_nothing() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    let doc = serde_json::json!({"version": 1, "profiles": [
        {"name": "New", "platform": {"kind": "lark"}, "appId": APP_ID},
        {"name": "prod", "platform": {"kind": "lark"}, "appId": APP_ID},
    ]});
    let err = import_json(&db, &doc.to_string(), t(1)).unwrap_err();
    assert_eq!(err.problem().kind, ProblemKind::AlreadyExists);
    assert!(err.to_string().contains("\"Prod\""), "{err}");
    assert_eq!(count(&db, "profiles"), 1);

    let twice = serde_json::json!({"version": 1, "profiles": [
        {"name": "A", "platform": {"kind": "lark"}, "appId": APP_ID},
        {"name": "a", "platform": {"kind": "lark"}, "appId": APP_ID},
    ]});
    let err = import_json(&db, &twice.to_string(), t(1)).unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
    assert_eq!(count(&db, "profiles"), 1);
}

#[test]
fn import_refuses_bad_documents_with_clear_errors() {
    let db = Database::open_in_memory().unwrap();
    let cases = [
        ("not json", "not a JSON document"),
        (r#"{"profiles": []}"#, "no \"version\""),
        (r#"{"version": 2, "profiles": []}"#, "version 2"),
        (
            r#"{"version": 1, "profiles": [{"name": "A", "platform": {"kind": "lark"},
               "appId": "cli_a1b2c3d4e5f60718", "appSecret": "leaked-value"}]}"#,
            "never secret values",
        ),
        (
            r#"{"version": 1, "profiles": [{"name": "A", "platform": {"kind": "lark"},
               "appId": "cli_a1b2c3d4e5f60718", "secrets": ["leaked-value"]}]}"#,
            "never secret values",
        ),
        (
            r#"{"version": 1, "profiles": [{"name": "A", "platform": {"kind": "lark"},
               "appId": "nope"}]}"#,
            "profiles[0].appId",
        ),
    ];
    for (text, expected) in cases {
        let err = import_json(&db, text, t(0)).unwrap_err();
        assert_eq!(err.problem().kind, ProblemKind::InvalidInput, "{text}");
        assert!(err.to_string().contains(expected), "{text}: {err}");
        assert!(!err.to_string().contains("leaked-value"), "{err}");
    }
    assert_eq!(count(&db, "profiles"), 0);
}

#[test]
fn wizard_progress_and_urls_are_remembered() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    assert_eq!(
        wizard_progress(&db, "Prod").unwrap(),
        WizardProgress::default()
    );
    let mut progress = WizardProgress {
        current_step: Some("scopes".into()),
        ..Default::default()
    };
    progress
        .steps
        .insert("credentials".into(), CheckStatus::Pass);
    progress.confirmed.push("webApp".into());
    set_wizard_progress(&db, "Prod", &progress, t(1)).unwrap();
    assert_eq!(wizard_progress(&db, "Prod").unwrap(), progress);
    let json = serde_json::to_value(&progress).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"currentStep": "scopes", "steps": {"credentials": "pass"},
            "confirmed": ["webApp"]})
    );
    // Progress saved before items could be confirmed by hand still reads.
    let old: WizardProgress =
        serde_json::from_value(serde_json::json!({"currentStep": "scopes", "steps": {}})).unwrap();
    assert!(old.confirmed.is_empty());

    let urls = set_urls(
        &db,
        "Prod",
        IntegrationUrls {
            web_config_url: Some("https://integration.example/web".into()),
            ..Default::default()
        },
        t(2),
    )
    .unwrap();
    assert_eq!(get(&db, &store, "Prod").unwrap().urls, urls);
}

#[test]
fn check_history_is_newest_first() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    for (minute, status) in [(1, CheckStatus::Fail), (2, CheckStatus::Pass)] {
        record_check(
            &db,
            "Prod",
            &CheckRecord {
                check_id: "bot_enabled".into(),
                status,
                finding: Some(
                    if status == CheckStatus::Fail {
                        "bot_off"
                    } else {
                        "ok"
                    }
                    .into(),
                ),
                params: [("name".to_string(), "Flashduty".to_string())].into(),
                reason: (status == CheckStatus::Fail).then(|| "Bot is off".into()),
                run_at: t(minute),
                scope: None,
            },
        )
        .unwrap();
    }
    let history = check_history(&db, "Prod", 10).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].status, CheckStatus::Pass);
    assert_eq!(history[1].reason.as_deref(), Some("Bot is off"));
    // The finding and its params come back, so the UI can say it in its own language.
    assert_eq!(history[1].finding.as_deref(), Some("bot_off"));
    assert_eq!(history[1].params["name"], "Flashduty");
    assert_eq!(check_history(&db, "Prod", 1).unwrap().len(), 1);
}

#[test]
fn history_from_before_findings_were_kept_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut conn = rusqlite::Connection::open(dir.path().join(crate::db::FILE_NAME)).unwrap();
        crate::db::migrate_to(&mut conn, 4).unwrap();
        conn.execute_batch(
            "INSERT INTO profiles (uid, name, platform, app_id, created_at, updated_at) \
             VALUES ('0123456789abcdef0123456789abcdef', 'Prod', 'feishu', 'cli_a1b2c3d4e5f6a7b8', \
             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'); \
             INSERT INTO check_history (profile_id, run_at, check_id, status, reason) \
             VALUES (1, '2026-01-01T00:00:00Z', 'token', 'fail', 'App Secret is wrong');",
        )
        .unwrap();
    }
    let db = Database::open(dir.path()).unwrap();
    let history = check_history(&db, "Prod", 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].reason.as_deref(), Some("App Secret is wrong"));
    assert_eq!(history[0].finding, None);
    assert!(history[0].params.is_empty());
}

#[test]
fn version_1_database_with_data_migrates_and_takes_profiles() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut conn = rusqlite::Connection::open(dir.path().join(crate::db::FILE_NAME)).unwrap();
        crate::db::migrate_to(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO settings(key, value) VALUES ('theme', '\"dark\"')",
            [],
        )
        .unwrap();
    }
    let db = Database::open(dir.path()).unwrap();
    assert!(db.version().unwrap() >= 2);
    assert_eq!(
        crate::settings::load(&db).unwrap().theme,
        crate::ipc::Theme::Dark
    );
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    assert_eq!(count(&db, "profiles"), 1);
}

#[test]
fn tables_are_strict_and_history_needs_a_profile() {
    let db = Database::open_in_memory().unwrap();
    let strict: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM pragma_table_list WHERE name IN ('profiles', 'check_history') \
             AND strict = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(strict, 2);
    let orphan = db.conn().execute(
        "INSERT INTO check_history (profile_id, run_at, check_id, status) VALUES (42, 'x', 'c', \
         'pass')",
        [],
    );
    assert!(orphan.is_err(), "foreign key must be enforced");
}

#[test]
fn profile_input_accepts_the_ui_shape_and_ignores_blank_secrets() {
    let input: ProfileInput = serde_json::from_value(serde_json::json!({
        "name": "P",
        "platform": {"kind": "custom", "baseUrl": "https://open.example.com"},
        "appId": APP_ID,
        "secrets": {"appSecret": "  padded-secret  ", "encryptKey": ""}
    }))
    .unwrap();
    let entered = input.secrets.entered();
    assert_eq!(entered.len(), 1);
    assert_eq!(entered[0].0, SecretKind::AppSecret);
    assert_eq!(entered[0].1.expose(), "padded-secret");
    assert!(!format!("{input:?}").contains("padded-secret"));
}

#[test]
fn a_corrected_app_id_keeps_the_secrets_and_a_malformed_one_changes_nothing() {
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    add(&db, &store, input("Prod"), t(0)).unwrap();
    let err = set_app_id(&db, &store, "Prod", "cli_nothex", t(1)).unwrap_err();
    assert_eq!(
        crate::problem::Problem::from(err).code,
        crate::problem::ProblemCode::AppIdFormat
    );
    assert_eq!(get(&db, &store, "Prod").unwrap().app_id, APP_ID);

    let fixed = set_app_id(&db, &store, "Prod", " cli_0123456789abcdef ", t(2)).unwrap();
    assert_eq!(fixed.app_id, "cli_0123456789abcdef");
    assert_eq!(fixed.updated_at, t(2));
    let creds = credentials(&db, &store, "Prod").unwrap();
    assert_eq!(creds.app_id, "cli_0123456789abcdef");
    assert_eq!(creds.app_secret.expose(), "Prod-app-secret-value");
}

#[test]
fn a_skipped_check_is_stored_and_history_from_before_skipped_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    {
        // A version-5 database: the history table only knew pass, fail and unknown.
        let mut conn = rusqlite::Connection::open(dir.path().join(crate::db::FILE_NAME)).unwrap();
        crate::db::migrate_to(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO profiles (uid, name, platform, app_id, created_at, updated_at) \
             VALUES ('0123456789abcdef0123456789abcdef', 'Prod', 'feishu', 'cli_a1b2c3d4e5f6a7b8', \
             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'); \
             INSERT INTO check_history (profile_id, run_at, check_id, status, reason, finding, params) \
             VALUES (1, '2026-01-01T00:00:00Z', 'bot', 'unknown', 'Not reachable', 'unreachable', \
             '{\"kind\":\"network\"}');",
        )
        .unwrap();
    }
    let db = Database::open(dir.path()).unwrap();
    record_check(
        &db,
        "Prod",
        &CheckRecord {
            check_id: "bot".into(),
            status: CheckStatus::Skipped,
            finding: Some("unreachable".into()),
            params: [("kind".to_string(), "network".to_string())].into(),
            reason: Some("Not reachable".into()),
            run_at: t(5),
            scope: None,
        },
    )
    .unwrap();
    let history = check_history(&db, "Prod", 10).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].status, CheckStatus::Skipped);
    assert_eq!(
        history[1].status,
        CheckStatus::Unknown,
        "old rows read as they were"
    );
    assert_eq!(history[1].params["kind"], "network");
    // The rebuilt table kept its index and its link to the profile.
    let index: i64 = db
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'check_history_by_profile'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
    delete(&db, &MemoryStore::default(), "Prod").unwrap();
    assert_eq!(count(&db, "check_history"), 0);
}

#[test]
fn card_language_is_null_until_set_and_can_be_cleared() {
    use crate::ipc::Language;
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let summary = add(&db, &store, input("Prod"), t(0)).unwrap();
    assert_eq!(summary.card_language, None);
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["cardLanguage"], serde_json::Value::Null);

    set_card_language(&db, "prod", Some(Language::SimplifiedChinese), t(1)).unwrap();
    let summary = get(&db, &store, "Prod").unwrap();
    assert_eq!(summary.card_language, Some(Language::SimplifiedChinese));
    assert_eq!(summary.updated_at, t(1));
    assert_eq!(
        serde_json::to_value(&summary).unwrap()["cardLanguage"],
        "zh-CN"
    );
    assert_eq!(
        card_language(&db, "Prod").unwrap(),
        Some(Language::SimplifiedChinese)
    );

    set_card_language(&db, "Prod", None, t(2)).unwrap();
    assert_eq!(get(&db, &store, "Prod").unwrap().card_language, None);
    assert!(matches!(
        set_card_language(&db, "Nope", None, t(3)),
        Err(Error::ProfileNotFound { .. })
    ));
}

#[test]
fn listing_profiles_asks_the_keychain_nothing_once_the_app_knows_what_it_holds() {
    use std::sync::atomic::Ordering::SeqCst;
    let db = Database::open_in_memory().unwrap();
    let store = MemoryStore::default();
    let mut input = input("Prod");
    input.secrets.encrypt_key = None;
    add(&db, &store, input, Utc::now()).unwrap();
    let reads = store.reads.load(SeqCst);

    let listed = list(&db, &store).unwrap();
    let one = get(&db, &store, "Prod").unwrap();
    assert_eq!(
        store.reads.load(SeqCst),
        reads,
        "list and get read no secret"
    );
    assert!(listed[0].secrets.app_secret && !listed[0].secrets.encrypt_key);
    assert_eq!(listed[0].secrets, one.secrets);

    // A profile saved before the app kept track is asked about once, then remembered.
    db.conn()
        .execute("UPDATE profiles SET secret_presence = NULL", [])
        .unwrap();
    let asked = list(&db, &store).unwrap();
    assert!(asked[0].secrets.app_secret && !asked[0].secrets.encrypt_key);
    let after_first = store.reads.load(SeqCst);
    assert!(after_first > reads);
    list(&db, &store).unwrap();
    assert_eq!(store.reads.load(SeqCst), after_first);

    set_secrets(
        &db,
        &store,
        "Prod",
        SecretsInput {
            encrypt_key: Some(Secret::new("new-encrypt-key")),
            ..SecretsInput::default()
        },
        Utc::now(),
    )
    .unwrap();
    assert!(get(&db, &store, "Prod").unwrap().secrets.encrypt_key);
}
