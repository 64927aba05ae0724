//! Starts the in-process simulated tenant (lark-sim) when the sandbox is wanted. This module is
//! the only place the app depends on lark-sim.

use companion::sandbox::{SandboxApp, SandboxStatus};
use lark_sim::{Sim, SimConfig, SimHandle};

use crate::AppState;

/// A fixed seed keeps the sandbox app's id and secrets the same across starts, so the keychain
/// entries written on the first start stay valid.
const SEED: u64 = 20_261_127;

pub struct Sandbox {
    _sim: SimHandle,
    status: SandboxStatus,
}

impl Sandbox {
    pub fn status(&self) -> SandboxStatus {
        self.status.clone()
    }
}

/// Starts the sandbox if [`companion::sandbox::wanted`] says so. Failures are logged and leave
/// the app without a sandbox: a real profile still works.
pub fn start_if_wanted(state: &AppState) -> Option<Sandbox> {
    let env = std::env::var("LARK_COMPANION_SANDBOX").ok();
    match companion::sandbox::wanted(&state.db(), env.as_deref()) {
        Ok(true) => {}
        Ok(false) => return None,
        Err(error) => {
            tracing::warn!(%error, "could not decide on the sandbox");
            return None;
        }
    }
    let config = SimConfig {
        seed: Some(SEED),
        ..SimConfig::default()
    };
    let sim = match tauri::async_runtime::block_on(Sim::start(config)) {
        Ok(sim) => sim,
        Err(error) => {
            tracing::warn!(%error, "the sandbox tenant did not start");
            return None;
        }
    };
    let app = SandboxApp {
        base_url: &sim.base_url,
        app_id: &sim.app.app_id,
        app_secret: &sim.app.app_secret,
        verification_token: &sim.app.verification_token,
        encrypt_key: sim.app.encrypt_key.as_deref(),
    };
    let status = match companion::sandbox::ensure_profile(
        &state.db(),
        &state.store,
        &app,
        chrono::Utc::now(),
    ) {
        Ok(status) => status,
        Err(error) => {
            tracing::warn!(%error, "the sandbox profile could not be saved");
            SandboxStatus {
                active: true,
                profile: None,
                base_url: Some(sim.base_url.clone()),
            }
        }
    };
    tracing::info!(base_url = %sim.base_url, "sandbox tenant running");
    Some(Sandbox { _sim: sim, status })
}
