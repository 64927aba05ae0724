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

/// The tray's menu, driven without a window: each entry reaches the same core methods as the
/// Relay screen's commands.
#[tokio::test]
async fn tray_actions_start_stop_and_quit_the_relay_through_the_core() {
    let store = Arc::new(MemoryStore::default());
    let (_dir, app) = app_with(store);
    app.add_profile(input("Prod")).await.unwrap();
    app.add_profile(input("Staging")).await.unwrap();
    let view = app.tray_view().await.unwrap();
    assert_eq!(view.profiles, ["Prod", "Staging"]);
    assert_eq!(view.running, None);

    // The menu ids round-trip, profile names with a colon included.
    for action in [
        TrayAction::Open,
        TrayAction::Quit,
        TrayAction::StopRelay,
        TrayAction::StartRelay("a:b".into()),
        TrayAction::OpenInspector("Prod".into()),
    ] {
        assert_eq!(TrayAction::parse(&action.id()), Some(action));
    }
    assert_eq!(TrayAction::parse("nonsense"), None);

    // Start uses what the Relay screen last started the profile with: here an upstream that
    // refuses, so an event stays queued in the outbox.
    let port = free_port();
    let dead_upstream = format!("http://127.0.0.1:{}/hook", free_port());
    let settings = RelaySettings {
        port,
        upstream_url: Some(dead_upstream),
        ..RelaySettings::default()
    };
    app.relay_start("Prod".into(), settings, None)
        .await
        .unwrap();
    app.relay_stop().await;
    let TrayOutcome::Relay(Some(StartedRelay::Http(started))) = app
        .tray_action(TrayAction::StartRelay("Prod".into()))
        .await
        .unwrap()
    else {
        panic!("the tray's start did not start the HTTP relay");
    };
    assert_eq!(started.status.listen, format!("127.0.0.1:{port}"));
    let view = app.tray_view().await.unwrap();
    assert!(view.is_running("Prod") && !view.is_running("Staging"));
    assert_eq!(
        view.running.unwrap().listen.as_deref(),
        Some(format!("127.0.0.1:{port}").as_str())
    );
    let answer = app
        .relay_trigger(
            "Prod".into(),
            TriggerRequest {
                kind: TriggerKind::Event,
                ..TriggerRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(answer.status, Some(200), "{answer:?}");
    assert_eq!(app.relay_status().await.unwrap().unwrap().pending_events, 1);

    // Open and the inspector only ask the shell to show the window.
    assert!(matches!(
        app.tray_action(TrayAction::OpenInspector("Prod".into()))
            .await
            .unwrap(),
        TrayOutcome::ShowWindow { relay_profile: Some(p) } if p == "Prod"
    ));
    assert!(app.tray_view().await.unwrap().is_running("Prod"));

    // Stop, start again, then Quit: the relay stops, and the queued event is still queued.
    assert!(matches!(
        app.tray_action(TrayAction::StopRelay).await.unwrap(),
        TrayOutcome::Relay(None)
    ));
    assert_eq!(app.tray_view().await.unwrap().running, None);
    app.tray_action(TrayAction::StartRelay("Prod".into()))
        .await
        .unwrap();
    assert!(matches!(
        app.tray_action(TrayAction::Quit).await.unwrap(),
        TrayOutcome::Quit
    ));
    assert!(app.relay_status().await.unwrap().is_none());
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the port is closed after Quit"
    );
    let reopened = app.relay_start_saved("Prod".into()).await.unwrap();
    let StartedRelay::Http(reopened) = reopened else {
        panic!("not the HTTP relay")
    };
    assert_eq!(reopened.status.pending_events, 1, "the outbox kept it");
    app.relay_stop().await;

    // A tray start of a profile that does not exist fails with the core's problem.
    let err = app
        .tray_action(TrayAction::StartRelay("Gone".into()))
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("Gone"), "{err}");
}

#[tokio::test]
async fn the_login_relay_follows_its_profile_and_starts_with_the_saved_form() {
    let store = Arc::new(MemoryStore::default());
    let (_dir, app) = app_with(store);
    app.add_profile(input("Prod")).await.unwrap();
    app.add_profile(input("Staging")).await.unwrap();
    assert!(app.start_login_relay().await.unwrap().is_none());
    assert_eq!(app.settings().await.unwrap().close_action, None);
    let settings = app
        .set_close_action(Some(crate::ipc::CloseAction::Tray))
        .await
        .unwrap();
    assert_eq!(settings.close_action, Some(crate::ipc::CloseAction::Tray));

    let port = free_port();
    let form = RelaySettings {
        port,
        ..RelaySettings::default()
    };
    app.relay_start("Staging".into(), form, None).await.unwrap();
    app.relay_stop().await;
    let chosen = app.set_login_relay("Staging".into(), true).await.unwrap();
    assert_eq!(chosen.login_relay.as_deref(), Some("Staging"));
    // Unticking another profile leaves the choice; one profile at most.
    let kept = app.set_login_relay("Prod".into(), false).await.unwrap();
    assert_eq!(kept.login_relay.as_deref(), Some("Staging"));
    app.rename_profile("Staging".into(), "Stage".into())
        .await
        .unwrap();
    assert_eq!(
        app.settings().await.unwrap().login_relay.as_deref(),
        Some("Stage"),
        "a rename keeps the choice"
    );
    let Some(StartedRelay::Http(started)) = app.start_login_relay().await.unwrap() else {
        panic!("the login relay did not start");
    };
    assert_eq!(started.status.listen, format!("127.0.0.1:{port}"));
    app.relay_stop().await;

    let moved = app.set_login_relay("Prod".into(), true).await.unwrap();
    assert_eq!(moved.login_relay.as_deref(), Some("Prod"));
    app.delete_profile("Prod".into()).await.unwrap();
    assert_eq!(app.settings().await.unwrap().login_relay, None);
    assert!(app.set_login_relay("Gone".into(), true).await.is_err());
}

/// Watchers fast enough for a test.
fn quick_watch() -> WatchTiming {
    WatchTiming {
        relay_every: std::time::Duration::from_millis(100),
        quota_every: std::time::Duration::from_millis(100),
        limits: crate::notices::watch::RelayLimits {
            upstream_failing: std::time::Duration::from_millis(300),
            ..Default::default()
        },
    }
}

/// Waits (bounded) until the notices satisfy `check`.
async fn notices_until(app: &App, what: &str, check: impl Fn(&[crate::notices::Notice]) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if check(&app.notice_list().await) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: {:?}",
            app.notice_list().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn of_kind(
    list: &[crate::notices::Notice],
    kind: crate::notices::NoticeKind,
) -> Vec<crate::notices::Notice> {
    list.iter().filter(|n| n.kind == kind).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_upstream_is_one_notice_per_episode_and_its_recovery_clears_it() {
    use crate::notices::NoticeKind::RelayUpstreamFailing as FAILING;
    let (_dir, app) = app_with(Arc::new(MemoryStore::default()));
    app.add_profile(input("Prod")).await.unwrap();
    let mut events = app.notices().subscribe();
    app.start_watchers(quick_watch());
    // An upstream address nobody listens on yet.
    let upstream = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let upstream_addr = upstream.local_addr().unwrap();
    drop(upstream);
    let settings = RelaySettings {
        port: free_port(),
        upstream_url: Some(format!("http://{upstream_addr}/hook")),
        ..RelaySettings::default()
    };
    app.relay_start("Prod".into(), settings, None)
        .await
        .unwrap();
    let event = TriggerRequest {
        kind: TriggerKind::Event,
        ..TriggerRequest::default()
    };
    let sent = app.relay_trigger("Prod".into(), event).await.unwrap();
    assert_eq!(sent.status, Some(200), "{sent:?}");

    notices_until(&app, "no notice for the failing upstream", |l| {
        !of_kind(l, FAILING).is_empty()
    })
    .await;
    // Still failing for a while (the outbox retries): the same episode, no second notice.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let list = app.notice_list().await;
    let failing = of_kind(&list, FAILING);
    assert_eq!(failing.len(), 1, "{list:?}");
    assert_eq!(failing[0].profile, "Prod");
    assert!(failing[0].cleared_at.is_none());
    // Said in whole seconds, never "for 0 s" (the watcher noticed it after 0.3 s here).
    assert_ne!(failing[0].params["seconds"], "0");
    // The tray's dot turns from green to amber while it lasts.
    let view = app.tray_view().await.unwrap();
    assert_eq!(view.state(), crate::app::TrayState::Degraded);
    assert_eq!(view.relay_problems().count(), 1);

    // The upstream comes up: the next delivery succeeds and the episode clears.
    let listener = tokio::net::TcpListener::bind(upstream_addr).await.unwrap();
    let up = axum::Router::new().fallback(|| async { axum::Json(serde_json::json!({})) });
    tokio::spawn(async move { axum::serve(listener, up).await });
    notices_until(&app, "the recovery did not clear the notice", |l| {
        of_kind(l, FAILING).iter().all(|n| n.cleared_at.is_some())
    })
    .await;
    assert_eq!(of_kind(&app.notice_list().await, FAILING).len(), 1);
    let view = app.tray_view().await.unwrap();
    assert_eq!(view.state(), crate::app::TrayState::Running);
    assert_eq!(view.relay_problems().count(), 0);
    // The window heard it raised once and cleared once.
    let mut seen = Vec::new();
    while let Ok(e) = events.try_recv() {
        match e {
            crate::notices::NoticeEvent::Raised { notice } if notice.kind == FAILING => {
                seen.push("raised")
            }
            crate::notices::NoticeEvent::Cleared { notice } if notice.kind == FAILING => {
                seen.push("cleared")
            }
            _ => {}
        }
    }
    assert_eq!(seen, ["raised", "cleared"]);
    app.relay_stop().await;
}

#[tokio::test]
async fn a_taken_port_is_a_notice_until_the_relay_starts() {
    use crate::notices::NoticeKind::RelayPortTaken as TAKEN;
    let (_dir, app) = app_with(Arc::new(MemoryStore::default()));
    app.add_profile(input("Prod")).await.unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let settings = RelaySettings {
        port,
        ..RelaySettings::default()
    };
    assert!(app
        .relay_start("Prod".into(), settings.clone(), None)
        .await
        .is_err());
    let list = app.notice_list().await;
    let notice = &of_kind(&list, TAKEN)[0];
    assert_eq!(notice.params["addr"], format!("127.0.0.1:{port}"));
    assert!(
        notice.english().contains(&format!("127.0.0.1:{port}")),
        "{}",
        notice.english()
    );
    drop(taken);
    app.relay_start("Prod".into(), settings, None)
        .await
        .unwrap();
    assert!(of_kind(&app.notice_list().await, TAKEN)[0]
        .cleared_at
        .is_some());
    app.relay_stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crossing_quota_thresholds_notifies_once_each_and_a_kind_turned_off_stays_quiet() {
    use crate::notices::NoticeKind::QuotaThreshold as QUOTA;
    let (_dir, app) = app_with(Arc::new(MemoryStore::default()));
    app.add_profile(input("Prod")).await.unwrap();
    let mut settings = app.quota_settings("Prod".into()).await.unwrap();
    settings.cap = Some(1000);
    app.save_quota_settings("Prod".into(), settings)
        .await
        .unwrap();
    app.start_watchers(quick_watch());
    // The console says 850 of 1000 calls: past 80 %.
    app.set_quota_baseline("Prod".into(), 850, None)
        .await
        .unwrap();
    notices_until(&app, "no notice at 85 %", |l| !of_kind(l, QUOTA).is_empty()).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let list = of_kind(&app.notice_list().await, QUOTA);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].params["threshold"], "80");
    // The tray shows it too, with no relay running.
    let view = app.tray_view().await.unwrap();
    assert_eq!(view.state(), crate::app::TrayState::Stopped);
    let warnings: Vec<_> = view.quota_warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        (
            warnings[0].profile.as_str(),
            warnings[0].params["threshold"].as_str()
        ),
        ("Prod", "80")
    );
    // 950: past 90 %, a new notice (the 80 % one is over).
    app.set_quota_baseline("Prod".into(), 950, None)
        .await
        .unwrap();
    notices_until(&app, "no notice at 95 %", |l| of_kind(l, QUOTA).len() == 2).await;
    let list = of_kind(&app.notice_list().await, QUOTA);
    assert_eq!(list[0].params["threshold"], "90");
    assert!(list[1].cleared_at.is_some());

    // Turned off (and remembered): 100 % raises nothing.
    app.set_notice_enabled(QUOTA, false).await.unwrap();
    app.set_quota_baseline("Prod".into(), 1000, None)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(of_kind(&app.notice_list().await, QUOTA).len(), 2);
    assert_eq!(crate::notices::load_off(app.db()).unwrap(), [QUOTA]);
}

/// The hand-over when the window closes into the tray (`app::handover`): a relay handed over
/// keeps its socket listening, so a callback that arrives while no image serves it waits and is
/// answered by the relay that takes over, on the same address; an episode under way in the
/// old image goes on in the new one without a second notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_handed_over_answers_what_came_in_between_and_notifies_nothing_twice() {
    use crate::notices::NoticeKind::RelayUpstreamFailing as FAILING;
    let store = Arc::new(MemoryStore::default());
    let (dir, before) = app_with(store.clone());
    before.add_profile(input("Prod")).await.unwrap();
    before.start_watchers(quick_watch());
    let dead_upstream = format!("http://127.0.0.1:{}/hook", free_port());
    let settings = RelaySettings {
        port: 0,
        upstream_url: Some(dead_upstream),
        ..RelaySettings::default()
    };
    let started = before
        .relay_start("Prod".into(), settings.clone(), None)
        .await
        .unwrap();
    let listen = started.status.listen.clone();
    let url = started.status.urls[0].url.clone();
    let event = TriggerRequest {
        kind: TriggerKind::Event,
        ..TriggerRequest::default()
    };
    let sent = before
        .relay_trigger("Prod".into(), event.clone())
        .await
        .unwrap();
    assert_eq!(sent.status, Some(200), "{sent:?}");
    notices_until(&before, "no notice for the failing upstream", |l| {
        !of_kind(l, FAILING).is_empty()
    })
    .await;
    let raised = of_kind(&before.notice_list().await, FAILING)[0].clone();

    let handover = before.hand_over().await;
    assert!(
        before.running_relay().await.is_none(),
        "the old image serves nothing"
    );
    assert!(handover.listener.is_some(), "the socket is handed over");
    let relay = handover.state.relay.clone().unwrap();
    assert_eq!(
        (relay.profile.as_str(), &relay.settings),
        ("Prod", &settings)
    );

    // A callback while nobody serves: accepted by the socket's queue, not refused.
    let waiting = tokio::spawn({
        let url = url.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .header("content-type", "application/json")
                .body("{}")
                .timeout(std::time::Duration::from_secs(10))
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "answered while nobody served: {waiting:?}"
    );

    let after = App::with_store(AppPaths::under(dir.path().to_path_buf()), store.clone()).unwrap();
    let mut events = after.notices().subscribe();
    after.take_over_notices(&handover);
    after.start_watchers(quick_watch());
    let Some(StartedRelay::Http(started)) = after.take_over_relay(handover).await.unwrap() else {
        panic!("the HTTP relay did not start again");
    };
    assert_eq!(
        started.status.listen, listen,
        "same address, same callback URL"
    );
    assert_eq!(started.status.urls[0].url, url);
    let status = waiting
        .await
        .unwrap()
        .expect("the waiting callback was not answered");
    assert!((200..500).contains(&status), "{status}");
    let sent = after
        .relay_trigger("Prod".into(), event.clone())
        .await
        .unwrap();
    assert_eq!(sent.status, Some(200), "{sent:?}");

    // The upstream still fails: the same episode lasts, neither cleared nor raised again.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let failing = of_kind(&after.notice_list().await, FAILING);
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert_eq!(failing[0].id, raised.id);
    assert!(failing[0].is_ongoing());
    while let Ok(e) = events.try_recv() {
        assert!(
            !matches!(&e, crate::notices::NoticeEvent::Raised { notice } if notice.kind == FAILING),
            "notified again: {e:?}"
        );
    }

    // Again (the window opened and closed once more): the adopted socket is handed on too.
    let again = after.hand_over().await;
    assert!(again.listener.is_some(), "the adopted socket was not kept");
    let third = App::with_store(AppPaths::under(dir.path().to_path_buf()), store).unwrap();
    let Some(StartedRelay::Http(started)) = third.take_over_relay(again).await.unwrap() else {
        panic!("the HTTP relay did not start a third time");
    };
    assert_eq!(started.status.urls[0].url, url);
    let sent = third.relay_trigger("Prod".into(), event).await.unwrap();
    assert_eq!(sent.status, Some(200), "{sent:?}");
    third.relay_stop().await;
}

/// Waits (bounded) until the app's long connection says `Connected`.
async fn long_connected(app: &App) -> bool {
    use crate::relay::long_connection::LongConnectionState::Connected;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while std::time::Instant::now() < deadline {
        if app
            .relay_long_connection_status()
            .await
            .is_some_and(|s| s.state == Connected)
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// A long connection handed over is closed by the old image and dialled again by the new one,
/// with the same form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_connection_handed_over_is_dialled_again() {
    let sim = lark_sim::Sim::start(lark_sim::SimConfig::default())
        .await
        .unwrap();
    let store = Arc::new(MemoryStore::default());
    let (dir, before) = app_with(store.clone());
    let (base_url, creds) = (sim.base_url.clone(), sim.app.clone());
    before
        .blocking(move |app| {
            let sandbox = crate::sandbox::SandboxApp {
                base_url: &base_url,
                app_id: &creds.app_id,
                app_secret: &creds.app_secret,
                verification_token: &creds.verification_token,
                encrypt_key: creds.encrypt_key.as_deref(),
                people: Vec::new(),
            };
            crate::sandbox::ensure_profile(app.db(), app.store(), &sandbox, chrono::Utc::now())
        })
        .await
        .unwrap();
    let settings = RelaySettings {
        card_budget_ms: 2000,
        ..RelaySettings::default()
    };
    before
        .relay_start_long_connection("Sandbox".into(), settings.clone())
        .await
        .unwrap();
    assert!(
        long_connected(&before).await,
        "the first image never connected"
    );

    let handover = before.hand_over().await;
    assert!(before.relay_long_connection_status().await.is_none());
    assert!(handover.listener.is_none(), "no socket to hand over");
    let relay = handover.state.relay.clone().unwrap();
    assert_eq!(relay.mode, handover::HandedMode::LongConnection);
    assert_eq!(relay.settings, settings);

    let after = App::with_store(AppPaths::under(dir.path().to_path_buf()), store).unwrap();
    let started = after.take_over_relay(handover).await.unwrap();
    assert!(matches!(started, Some(StartedRelay::Long(_))));
    assert!(
        long_connected(&after).await,
        "the new image never connected"
    );
    let running = after.running_relay().await.unwrap();
    assert_eq!(
        (running.profile.as_str(), running.listen),
        ("Sandbox", None)
    );
    after.relay_stop().await;
}

/// A start that fails after stopping the relay that ran leaves nothing running: a hand-over
/// then hands over no relay (not the one stopped).
#[tokio::test]
async fn a_hand_over_after_a_failed_start_hands_over_no_relay() {
    let (_dir, app) = app_with(Arc::new(MemoryStore::default()));
    app.add_profile(input("Prod")).await.unwrap();
    let form = |port| RelaySettings {
        port,
        ..RelaySettings::default()
    };
    app.relay_start("Prod".into(), form(0), None).await.unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    assert!(app
        .relay_start("Prod".into(), form(port), None)
        .await
        .is_err());
    assert!(app.running_relay().await.is_none());
    let handover = app.hand_over().await;
    assert_eq!(handover.state.relay, None);
    assert!(handover.listener.is_none());
}
