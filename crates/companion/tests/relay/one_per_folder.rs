//! One relay per data folder and profile: a second relay for a profile that a relay already
//! serves from the same data folder is refused, naming the first (its pid, program and
//! address), in either mode; once the first stops, the second starts. A relay for another
//! profile on the same folder may run (its outbox leaves the first one's rows alone:
//! `outbox.rs`). Two processes: `crates/companion-cli/tests/relay_lock.rs`.

use companion::relay::{
    LongConnectionApp, LongConnectionRelay, Relay, RelayConfig, RelayCore, RelayProfile, RelayStore,
};
use companion::Problem;
use lark_platform::secret::Secret;

use crate::common::*;

fn core_on(h: &Harness, name: &str, config: RelayConfig) -> RelayCore {
    RelayCore::new(
        config,
        vec![RelayProfile::new(name, keys_of(&h.sim), None)],
        RelayStore::open(h.dir.path()).unwrap(),
    )
    .unwrap()
}

fn assert_names_this_process(problem: &Problem, listen: &str) {
    assert_eq!(problem.code.as_str(), "relay_already_running", "{problem}");
    assert_eq!(problem.params["profile"], "main", "{problem:?}");
    assert_eq!(
        problem.params["pid"],
        std::process::id().to_string(),
        "{problem:?}"
    );
    assert_eq!(problem.params["program"], "lark-companion", "{problem:?}");
    assert_eq!(problem.params["listen"], listen, "{problem:?}");
    let english = problem.to_string();
    assert!(
        english.contains(&std::process::id().to_string()),
        "{english}"
    );
    assert!(problem.english_fix().is_some(), "{problem:?}");
}

#[tokio::test]
async fn a_second_relay_for_the_profile_is_refused_until_the_first_stops() {
    let h = start_one(None).await;
    let listen = h.relay.local_addr().to_string();

    let err = Relay::start(core_on(&h, "main", quick_config()))
        .await
        .err()
        .expect("a second HTTP relay for the profile is refused");
    assert_names_this_process(&Problem::from(err), &listen);

    let app = LongConnectionApp {
        base_url: h.sim.base_url.clone(),
        app_id: h.sim.app.app_id.clone(),
        app_secret: Secret::new(h.sim.app.app_secret.clone()),
    };
    let err = LongConnectionRelay::start(core_on(&h, "main", quick_config()), "main", app.clone())
        .err()
        .expect("a long connection for the profile is refused too");
    assert_names_this_process(&Problem::from(err), &listen);

    // Another profile on the same folder is another lock.
    let other = Relay::start(core_on(&h, "other", quick_config()))
        .await
        .expect("another profile may have its own relay");
    other.stop().await;

    let Harness {
        sim, relay, dir, ..
    } = h;
    relay.stop().await;
    let core = |config| {
        RelayCore::new(
            config,
            vec![RelayProfile::new("main", keys_of(&sim), None)],
            RelayStore::open(dir.path()).unwrap(),
        )
        .unwrap()
    };
    let second = Relay::start(core(quick_config()))
        .await
        .expect("once the first stopped, the second starts");
    // It holds the profile now: a long connection is refused in its turn.
    let err = LongConnectionRelay::start(core(quick_config()), "main", app)
        .err()
        .expect("refused while the second relay runs");
    assert_names_this_process(&Problem::from(err), &second.local_addr().to_string());
    second.stop().await;
}
