//! Setup by API end to end against lark-sim over loopback HTTP, with the real Secret Service
//! (run under scripts/with-keyring.sh; without a keychain the tests say so and pass, unless
//! LARK_KEYCHAIN_REQUIRED=1 as in CI): a new app by QR scan confirmed through `/_sim/`, its
//! plan, apply (twice), publish under review, writes refused meanwhile, approval, and the
//! refusals that must change nothing.

mod common;

use std::time::Duration;

use companion::app::{SetupInput, SetupSubject};
use companion::appsetup::publish::VersionState;
use companion::appsetup::{Action, Blocker, ItemId, Plan};
use companion::keychain::{OsKeychain, SecretStore};
use companion::paths::AppPaths;
use companion::profiles::{IntegrationUrls, Platform};
use companion::App;
use lark_platform::registration::{Addons, LinkOptions, Registrar, RegistrationError};
use lark_sim::SimHandle;
use serde_json::{json, Value};

fn keychain_ready() -> bool {
    match OsKeychain::new().probe() {
        Ok(()) => true,
        Err(e) if std::env::var_os("LARK_KEYCHAIN_REQUIRED").is_some() => {
            panic!("no keychain, and LARK_KEYCHAIN_REQUIRED is set: {e}")
        }
        Err(e) => {
            eprintln!("skipped: no OS keychain here ({e}); run under scripts/with-keyring.sh");
            false
        }
    }
}

async fn post(sim: &SimHandle, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", sim.base_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

async fn get(sim: &SimHandle, path: &str) -> Value {
    reqwest::get(format!("{}{path}", sim.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The registration client for the simulator's accounts hosts.
fn registrar(sim: &SimHandle) -> Registrar {
    Registrar::new(companion::appsetup::register::hosts_for(&common::platform(
        sim,
    )))
    .unwrap()
}

/// A new app made by the scan flow: `begin`, the link "scanned" (given to the simulator's
/// confirm control), the poll picks up the credentials, the app becomes a profile.
async fn register(app: &App, sim: &SimHandle, profile: &str, addons: Addons) -> String {
    let platform = common::platform(sim);
    let registrar = registrar(sim);
    let started = registrar.begin().await.unwrap();
    let link = started
        .link(&LinkOptions {
            name: Some(profile.into()),
            addons: Some(addons),
            create_only: true,
            ..LinkOptions::default()
        })
        .unwrap();
    post(sim, "/_sim/registration/confirm", json!({"url": link})).await;
    let registered =
        tokio::time::timeout(Duration::from_secs(30), registrar.wait(&started, |_| {}))
            .await
            .expect("the poll ends")
            .expect("confirmed");
    let app_id = registered.app_id.clone();
    app.registration_save(profile.into(), platform, registered)
        .await
        .unwrap();
    app_id
}

fn input(profile: &str, urls: &IntegrationUrls) -> SetupInput {
    SetupInput {
        subject: SetupSubject::Profile(profile.into()),
        urls: urls.clone(),
    }
}

fn urls(sim: &SimHandle) -> IntegrationUrls {
    // The simulator's own address stands in for the integration: reachable and on loopback.
    IntegrationUrls {
        web_config_url: Some(format!("{}/flashduty/web", sim.base_url)),
        redirect_url: Some(format!("{}/flashduty/redirect", sim.base_url)),
        card_request_url: Some(format!("{}/flashduty/card", sim.base_url)),
    }
}

fn item(plan: &Plan, id: ItemId) -> &companion::appsetup::PlanItem {
    plan.items.iter().find(|i| i.id == id).unwrap()
}

async fn setup() -> Option<(tempfile::TempDir, App, SimHandle)> {
    if !keychain_ready() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppPaths::under(dir.path().to_path_buf())).unwrap();
    let sim = common::sim(41).await;
    post(
        &sim,
        "/_sim/config",
        json!({"registration_interval_secs": 1}),
    )
    .await;
    Some((dir, app, sim))
}

#[tokio::test(flavor = "multi_thread")]
async fn scan_plan_apply_publish_review_approve() {
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    let bare = Addons {
        preset: Some(false),
        ..Addons::tenant(&companion::appsetup::target::SETUP_SCOPES, &[], &[])
    };
    let app_id = register(&app, &sim, "Scanned", bare).await;
    let urls = urls(&sim);

    // A bare app: every item but the bot (the base template has it) is to be written.
    let plan = app.setup_plan(input("Scanned", &urls)).await.unwrap();
    assert_eq!(plan.app_id, app_id);
    for id in [
        ItemId::WebApp,
        ItemId::RedirectUrl,
        ItemId::CallbackUrl,
        ItemId::Callbacks,
        ItemId::EventUrl,
        ItemId::Events,
        ItemId::Scope,
        ItemId::Encryption,
    ] {
        assert!(
            item(&plan, id).action.writes(),
            "{id:?}: {:?}",
            item(&plan, id)
        );
    }

    // Apply: everything written, the plan read back has nothing left, keys in the keychain.
    let report = app.setup_apply(input("Scanned", &urls)).await.unwrap();
    assert!(report.failure.is_none(), "{:?}", report.failure);
    assert!(report.generated_keys);
    assert!(
        !report.plan.has_changes(),
        "{:#?}",
        report.plan.pending().collect::<Vec<_>>()
    );
    assert!(report.plan.needs_publish());
    let profile = app.get_profile("Scanned".into()).await.unwrap();
    assert!(profile.secrets.encrypt_key && profile.secrets.verification_token);
    // Applying again changes nothing.
    let again = app.setup_apply(input("Scanned", &urls)).await.unwrap();
    assert!(again.applied.is_empty() && again.failure.is_none());
    let stats = get(&sim, "/_sim/stats").await.to_string();
    assert!(stats.contains("config"), "{stats}");

    // Publish, under review.
    post(&sim, "/_sim/config", json!({"publish_review": true})).await;
    let published = app
        .setup_publish(input("Scanned", &urls), "test".into(), None)
        .await
        .unwrap();
    assert_eq!(published.state, VersionState::UnderReview);
    // Meanwhile every write is refused, and the plan says why.
    let changed = IntegrationUrls {
        redirect_url: Some(format!("{}/flashduty/other", sim.base_url)),
        ..urls.clone()
    };
    let plan = app.setup_plan(input("Scanned", &changed)).await.unwrap();
    assert!(plan.under_review);
    assert_eq!(
        item(&plan, ItemId::RedirectUrl).blocker,
        Some(Blocker::UnderReview)
    );
    let refused = app.setup_apply(input("Scanned", &changed)).await.unwrap();
    assert!(refused.applied.is_empty());

    // Approved: online, nothing waits for publishing any more.
    post(&sim, "/_sim/versions/approve", json!({"app_id": app_id})).await;
    let state = app
        .setup_version_state(input("Scanned", &urls), published.version_id.clone())
        .await
        .unwrap();
    assert_eq!(state.state, VersionState::Online);
    let plan = app.setup_plan(input("Scanned", &urls)).await.unwrap();
    assert!(!plan.has_changes() && !plan.needs_publish(), "{plan:#?}");

    // The doctor now reads these settings from the platform: all pass.
    use companion::checks::CheckId;
    use companion::profiles::CheckStatus;
    app.set_profile_urls("Scanned".into(), urls.clone())
        .await
        .unwrap();
    let report = app.run_doctor("Scanned".into(), None).await.unwrap();
    let status = |id: CheckId| report.outcomes.iter().find(|o| o.id == id).unwrap().clone();
    for id in [
        CheckId::WebApp,
        CheckId::RedirectUrl,
        CheckId::CallbackUrl,
        CheckId::Published,
    ] {
        assert_eq!(status(id).status, CheckStatus::Pass, "{:?}", status(id));
    }
    assert_eq!(status(CheckId::CallbackSecrets).status, CheckStatus::Pass);
    // A wizard step whose checks the app's settings do not answer reads none of them.
    let reads = |stats: &Value| stats["endpoints"]["application_get"].clone();
    let before = reads(&get(&sim, "/_sim/stats").await);
    assert!(!before.is_null(), "the doctor above read the app");
    app.run_checks("Scanned".into(), vec![CheckId::ChatScope], None)
        .await
        .unwrap();
    assert_eq!(reads(&get(&sim, "/_sim/stats").await), before);
    // A URL that differs from the app's is a failure naming both.
    let other = format!("{}/flashduty/elsewhere", sim.base_url);
    app.set_profile_urls(
        "Scanned".into(),
        IntegrationUrls {
            web_config_url: Some(other.clone()),
            ..urls.clone()
        },
    )
    .await
    .unwrap();
    let report = app.run_doctor("Scanned".into(), None).await.unwrap();
    let web = report
        .outcomes
        .iter()
        .find(|o| o.id == CheckId::WebApp)
        .unwrap();
    assert_eq!(
        (web.status, web.finding.as_str()),
        (CheckStatus::Fail, "webAppDiffers")
    );
    assert_eq!(web.params["expected"], other);
    assert_eq!(web.params["current"], urls.web_config_url.clone().unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_patch_scope_the_plan_names_it_and_apply_changes_nothing() {
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    let read_only = Addons::tenant(&["application:application:self_manage"], &[], &[]);
    register(&app, &sim, "Read only", read_only).await;
    let urls = urls(&sim);
    let plan = app.setup_plan(input("Read only", &urls)).await.unwrap();
    let web = item(&plan, ItemId::WebApp);
    assert_eq!(web.action, Action::NotAllowed);
    assert_eq!(
        web.blocker,
        Some(Blocker::MissingScope {
            scope: "application:application:patch".into()
        })
    );
    let report = app.setup_apply(input("Read only", &urls)).await.unwrap();
    assert!(report.applied.is_empty());
    assert_eq!(report.plan, plan);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_urls_and_refused_registrations_change_nothing() {
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    let app_id = register(
        &app,
        &sim,
        "Urls",
        Addons::tenant(&companion::appsetup::target::SETUP_SCOPES, &[], &[]),
    )
    .await;
    let before = get(&sim, "/_sim/stats").await;
    // Not https, and a URL in the wrong field: refused before any call.
    for bad in [
        IntegrationUrls {
            redirect_url: Some("http://duty.example.com/r".into()),
            ..IntegrationUrls::default()
        },
        IntegrationUrls {
            web_config_url: Some("https://duty.example.com/card".into()),
            card_request_url: Some("https://duty.example.com/card".into()),
            ..IntegrationUrls::default()
        },
    ] {
        let error = app.setup_apply(input("Urls", &bad)).await.unwrap_err();
        assert_eq!(
            error.problem().kind,
            companion::ProblemKind::InvalidInput,
            "{error}"
        );
        assert!(error.field().is_some(), "{error}");
    }
    assert_eq!(get(&sim, "/_sim/stats").await, before);
    assert!(app_id.starts_with("cli_"));

    // Denied and expired scans end the wait with their own errors.
    let registrar = registrar(&sim);
    for (control, expected) in [
        ("deny", RegistrationError::Denied),
        ("expire", RegistrationError::Expired),
    ] {
        let started = registrar.begin().await.unwrap();
        post(&sim, &format!("/_sim/registration/{control}"), json!({})).await;
        let result =
            tokio::time::timeout(Duration::from_secs(30), registrar.wait(&started, |_| {}))
                .await
                .unwrap();
        assert_eq!(result.unwrap_err(), expected);
    }
    // A platform without the API.
    post(
        &sim,
        "/_sim/config",
        json!({"registration_supported": false}),
    )
    .await;
    assert!(matches!(
        registrar.begin().await,
        Err(RegistrationError::Unsupported { .. })
    ));
    let _ = Platform::Feishu;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_url_saved_by_apply_gets_the_challenge_and_our_relay_answers_it() {
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    let addons = Addons::tenant(&companion::appsetup::target::SETUP_SCOPES, &[], &[]);
    let app_id = register(&app, &sim, "Relayed", addons).await;
    // First apply without the card URL: the app gets an Encrypt Key and Verification Token,
    // kept in the keychain, so the relay can verify what the platform sends.
    let mut urls = urls(&sim);
    urls.card_request_url = None;
    let first = app.setup_apply(input("Relayed", &urls)).await.unwrap();
    assert!(first.generated_keys, "{first:?}");
    let started = app
        .relay_start(
            "Relayed".into(),
            companion::relay::RelaySettings {
                port: 0,
                ..companion::relay::RelaySettings::default()
            },
            None,
        )
        .await
        .unwrap();
    let relay_url = started.status.urls[0].url.clone();
    urls.card_request_url = Some(relay_url.clone());
    let report = app.setup_apply(input("Relayed", &urls)).await.unwrap();
    assert!(report.applied.contains(&ItemId::CallbackUrl), "{report:?}");
    // The simulator challenges the saved URLs in the background: wait, bounded.
    let mut answered = Vec::new();
    for _ in 0..50 {
        let list = get(&sim, &format!("/_sim/challenges?app_id={app_id}")).await;
        answered = list
            .as_array()
            .or_else(|| list["challenges"].as_array())
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c["url"] == relay_url.as_str() && c["pending"] != true)
            .collect();
        if answered.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!answered.is_empty(), "no challenge reached {relay_url}");
    for challenge in &answered {
        assert_eq!(challenge["answered"], true, "{challenge}");
    }
    app.relay_stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_half_applied_change_is_finished_by_the_next_apply() {
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    let addons = Addons::tenant(&companion::appsetup::target::SETUP_SCOPES, &[], &[]);
    register(&app, &sim, "Half", addons).await;
    let urls = urls(&sim);
    // The config request goes through, the ability request fails once.
    post(
        &sim,
        "/_sim/config",
        json!({"fail": [{"endpoint": "application_ability_patch", "code": 1500, "http_status": 500}]}),
    )
    .await;
    let first = app.setup_apply(input("Half", &urls)).await.unwrap();
    assert!(first.partial, "{first:?}");
    assert!(first.failure.is_some());
    assert!(first.applied.contains(&ItemId::RedirectUrl));
    let left: Vec<ItemId> = first.plan.pending().map(|i| i.id).collect();
    assert_eq!(left, vec![ItemId::WebApp], "only the ability part is left");
    let second = app.setup_apply(input("Half", &urls)).await.unwrap();
    assert_eq!(second.applied, vec![ItemId::WebApp]);
    assert!(second.failure.is_none() && !second.plan.has_changes());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lark_tenant_moves_the_poll_to_the_lark_accounts_host() {
    let Some((_dir, _app, sim)) = setup().await else {
        return;
    };
    let registrar = registrar(&sim);
    let started = registrar.begin().await.unwrap();
    let link = started.link(&LinkOptions::default()).unwrap();
    post(
        &sim,
        "/_sim/registration/confirm",
        json!({"url": link, "brand": "lark"}),
    )
    .await;
    let mut statuses = Vec::new();
    let registered = tokio::time::timeout(
        Duration::from_secs(30),
        registrar.wait(&started, |s| statuses.push(s)),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(registered.brand, lark_platform::registration::Brand::Lark);
    assert!(statuses.contains(&lark_platform::registration::Status::SwitchedToLark));
    // A Feishu profile whose tenant is on Lark becomes a Lark profile.
    let input = companion::appsetup::register::profile_input("L", &Platform::Feishu, &registered);
    assert_eq!(input.platform, Platform::Lark);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_platform_without_the_configuration_api_is_a_clear_error() {
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    register(
        &app,
        &sim,
        "No API",
        Addons::tenant(&companion::appsetup::target::SETUP_SCOPES, &[], &[]),
    )
    .await;
    post(
        &sim,
        "/_sim/config",
        json!({"application_api_supported": false}),
    )
    .await;
    for result in [
        app.setup_plan(input("No API", &urls(&sim))).await.map(drop),
        app.setup_apply(input("No API", &urls(&sim)))
            .await
            .map(drop),
    ] {
        let error = result.unwrap_err();
        assert!(
            matches!(
                &error,
                companion::Error::Platform(lark_platform::client::ApiError::NotSupported)
            ),
            "{error}"
        );
        let fix = error.problem().english_fix().unwrap_or_default();
        assert!(fix.contains("developer console"), "{error}: {fix}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn polling_too_often_slows_our_poll_down() {
    let Some((_dir, _app, sim)) = setup().await else {
        return;
    };
    let registrar = registrar(&sim);
    let started = registrar.begin().await.unwrap();
    let link = started.link(&LinkOptions::default()).unwrap();
    // The simulator measures poll intervals on its own clock: frozen, our second poll (1 s
    // later in real time) is "too soon", the platform answers slow_down, and our poll must
    // back off by 5 s. Then the clock moves on, the scan is confirmed, and the next poll wins.
    sim.clock().set_frozen(true);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let wait = registrar.wait(&started, move |s| {
        let _ = tx.send(s);
    });
    let drive = async {
        let mut seen = Vec::new();
        while let Some(status) = rx.recv().await {
            let slowed = matches!(status, lark_platform::registration::Status::SlowDown(d) if d.as_secs() == 6);
            seen.push(status);
            if slowed {
                sim.clock().advance_ms(10_000);
                post(&sim, "/_sim/registration/confirm", json!({"url": link})).await;
                return seen;
            }
        }
        seen
    };
    let (result, seen) =
        tokio::time::timeout(Duration::from_secs(30), async { tokio::join!(wait, drive) })
            .await
            .expect("the wait ends");
    assert!(result.is_ok(), "{result:?} after {seen:?}");
    assert!(
        seen.iter()
            .any(|s| matches!(s, lark_platform::registration::Status::SlowDown(_))),
        "{seen:?}"
    );
}

/// The window's way: a scan session in the background, polled.
async fn settle(app: &App, id: &str) -> companion::app::RegistrationStatus {
    for _ in 0..100 {
        let status = app.registration_status(id);
        if !matches!(
            status.phase,
            companion::app::RegistrationPhase::Waiting
                | companion::app::RegistrationPhase::SlowedDown
        ) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the scan session did not settle");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scan_session_runs_in_the_background_and_saves_the_profile() {
    use companion::app::RegistrationPhase;
    let Some((_dir, app, sim)) = setup().await else {
        return;
    };
    let platform = common::platform(&sim);
    // Denied: nothing saved.
    let started = app
        .registration_start(
            platform.clone(),
            "Window".into(),
            "Flashduty Alerts".into(),
            false,
        )
        .await
        .unwrap();
    assert!(
        started.qr_svg.starts_with("<?xml") || started.qr_svg.contains("<svg"),
        "an SVG"
    );
    assert!(
        started.link.contains("name=Flashduty+Alerts")
            || started.link.contains("name=Flashduty%20Alerts")
    );
    post(&sim, "/_sim/registration/deny", json!({})).await;
    assert_eq!(
        settle(&app, &started.session_id).await.phase,
        RegistrationPhase::Denied
    );
    assert!(app.get_profile("Window".into()).await.is_err());
    // A new session replaces the old one; cancelled sessions read as cancelled.
    let first = app
        .registration_start(
            platform.clone(),
            "Window".into(),
            "Flashduty Alerts".into(),
            false,
        )
        .await
        .unwrap();
    let second = app
        .registration_start(
            platform.clone(),
            "Window".into(),
            "Flashduty Alerts".into(),
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        app.registration_status(&first.session_id).phase,
        RegistrationPhase::Cancelled
    );
    // Confirmed: the profile exists with its App Secret in the keychain.
    post(
        &sim,
        "/_sim/registration/confirm",
        json!({"url": second.link}),
    )
    .await;
    let done = settle(&app, &second.session_id).await;
    assert_eq!(done.phase, RegistrationPhase::Confirmed, "{done:?}");
    let profile = done.profile.unwrap();
    assert_eq!(profile.name, "Window");
    assert!(profile.secrets.app_secret);
    // A taken profile name is refused before any scan starts.
    let taken = app
        .registration_start(
            platform.clone(),
            "window".into(),
            "Flashduty Alerts".into(),
            false,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(taken, companion::Error::ProfileExists { .. }),
        "{taken}"
    );
}
