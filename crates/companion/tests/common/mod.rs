//! What the companion integration tests share: a lark-sim tenant on a loopback port, its
//! `/_sim/config` control surface, and the credentials of its app.
#![allow(dead_code)] // Each test binary uses its own subset.

use companion::profiles::{Credentials, Platform, Secret};
use lark_sim::{Sim, SimConfig, SimHandle};
use serde_json::Value;

/// A simulator with a reproducible tenant (`seed`).
pub async fn sim(seed: u64) -> SimHandle {
    Sim::start(SimConfig {
        seed: Some(seed),
        ..SimConfig::default()
    })
    .await
    .expect("start lark-sim")
}

/// Applies a `/_sim/config` patch directly to the simulator's state.
pub fn configure(sim: &SimHandle, patch: Value) {
    let patch = serde_json::from_value(patch).expect("a valid /_sim/config patch");
    lark_sim::control::apply(&sim.state, patch).expect("lark-sim accepts the patch");
}

pub fn platform(sim: &SimHandle) -> Platform {
    Platform::Custom {
        base_url: sim.base_url.clone(),
    }
}

/// The simulated app's credentials; `with_callback_secrets` adds its Verification Token and
/// Encrypt Key.
pub fn credentials(sim: &SimHandle, with_callback_secrets: bool) -> Credentials {
    Credentials {
        platform: platform(sim),
        app_id: sim.app.app_id.clone(),
        app_secret: Secret::new(sim.app.app_secret.clone()),
        verification_token: with_callback_secrets
            .then(|| Secret::new(sim.app.verification_token.clone())),
        encrypt_key: if with_callback_secrets {
            sim.app.encrypt_key.clone().map(Secret::new)
        } else {
            None
        },
    }
}
