//! The core as both faces use it: real SQLite in a temp folder, a keychain double, a real relay
//! on a loopback port.

use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;

use super::*;
use crate::keychain::memory::MemoryStore;
use crate::profiles::{Platform, ProfileInput, SecretsInput};
use crate::relay::{RecordFilter, RelaySettings, TriggerKind, TriggerRequest};

fn app_with(store: Arc<MemoryStore>) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::with_store(AppPaths::under(dir.path().to_path_buf()), store).unwrap();
    (dir, app)
}

fn input(name: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        platform: Platform::Feishu,
        app_id: "cli_a1b2c3d4e5f60718".into(),
        urls: None,
        secrets: SecretsInput {
            app_secret: Some(Secret::new("app-secret-value")),
            verification_token: Some(Secret::new("verification-token-value")),
            encrypt_key: Some(Secret::new("encrypt-key-value")),
        },
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn profiles_are_listed_without_asking_the_keychain_and_a_secret_is_read_on_demand() {
    let store = Arc::new(MemoryStore::default());
    let (_dir, app) = app_with(store.clone());
    app.add_profile(input("Prod")).await.unwrap();
    let reads = store.reads.load(SeqCst);
    let listed = app.list_profiles().await.unwrap();
    assert!(listed[0].secrets.verification_token);
    assert_eq!(store.reads.load(SeqCst), reads, "the list reads no secret");

    let token = app
        .profile_secret("prod".into(), SecretKind::VerificationToken)
        .await
        .unwrap();
    assert_eq!(token.expose(), "verification-token-value");

    let mut bare = input("Bare");
    bare.secrets = SecretsInput::default();
    app.add_profile(bare).await.unwrap();
    let err = app
        .profile_secret("Bare".into(), SecretKind::EncryptKey)
        .await
        .unwrap_err();
    assert_eq!(err.problem().kind, crate::problem::ProblemKind::NotFound);
    assert!(err.to_string().contains("Encrypt Key"), "{err}");
}

#[tokio::test]
async fn a_keychain_that_is_gone_is_reported_by_the_status_call() {
    let store = Arc::new(MemoryStore {
        unavailable: true,
        ..MemoryStore::default()
    });
    let (_dir, app) = app_with(store);
    let err = app.keychain_status().await.unwrap_err();
    assert_eq!(
        err.problem().kind,
        crate::problem::ProblemKind::KeychainUnavailable
    );
}

#[tokio::test]
async fn the_relay_remembers_its_form_per_profile_and_curl_points_at_it_when_stopped() {
    let store = Arc::new(MemoryStore::default());
    let (_dir, app) = app_with(store);
    app.add_profile(input("Prod")).await.unwrap();
    let fresh = app.relay_saved_settings("Prod".into()).await.unwrap();
    assert_eq!(fresh.settings.port, 9400);

    let port = free_port();
    let settings = RelaySettings {
        port,
        ..RelaySettings::default()
    };
    let started = app
        .relay_start("Prod".into(), settings, None)
        .await
        .unwrap();
    assert_eq!(started.status.listen, format!("127.0.0.1:{port}"));
    let answer = app
        .relay_trigger(
            "Prod".into(),
            TriggerRequest {
                kind: TriggerKind::UrlVerification,
                ..TriggerRequest::default()
            },
        )
        .await
        .unwrap();
    assert!(answer.status == Some(200), "{answer:?}");
    app.relay_stop().await;
    assert!(app.relay_status().await.unwrap().is_none());

    let saved = app.relay_saved_settings("Prod".into()).await.unwrap();
    assert_eq!(
        saved.settings.port, port,
        "the next start uses the same port"
    );
    let records = app.relay_list(RecordFilter::default()).await.unwrap();
    let curl = app.relay_export_curl(records[0].id).await.unwrap();
    assert!(
        curl.contains(&format!("http://127.0.0.1:{port}/")),
        "{curl}"
    );

    // With the relay stopped, a trigger needs a URL, and says so.
    let err = app
        .relay_trigger("Prod".into(), TriggerRequest::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not running"), "{err}");
}
