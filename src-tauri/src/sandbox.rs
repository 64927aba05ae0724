//! Starts the in-process simulated tenant (lark-sim) when the sandbox is wanted. This module is
//! the only place the app depends on lark-sim.

use companion::sandbox::{SandboxApp, SandboxPerson, SandboxStatus};
use companion::App;
use lark_sim::{Sim, SimConfig, SimHandle};

pub struct Sandbox {
    sim: SimHandle,
}

impl Sandbox {
    pub fn port(&self) -> u16 {
        self.sim.addr.port()
    }
}

/// Starts the sandbox if [`companion::sandbox::wanted`] says so, and records its status in the
/// core (which ends start-up). Failures are logged and leave the app without a sandbox: a real
/// profile still works. `port`: where the previous image's tenant listened (a hand-over), tried
/// first so the Sandbox profile's platform address stays the same.
pub async fn start_if_wanted(app: &App, port: Option<u16>) -> Option<Sandbox> {
    let (sandbox, status) = match start(app, port).await {
        Some((sim, status)) => (Some(Sandbox { sim }), status),
        None => (None, SandboxStatus::off()),
    };
    app.set_sandbox_status(status);
    sandbox
}

async fn start(app: &App, port: Option<u16>) -> Option<(SimHandle, SandboxStatus)> {
    let env = std::env::var("LARK_COMPANION_SANDBOX").ok();
    let wanted = app
        .blocking(move |app| companion::sandbox::wanted(app.db(), env.as_deref()))
        .await;
    match wanted {
        Ok(true) => {}
        Ok(false) => return None,
        Err(error) => {
            tracing::warn!(%error, "could not decide on the sandbox");
            return None;
        }
    }
    // Per installation, kept across starts: the keychain entries written on the first start
    // stay valid, and no two installations share sandbox secrets.
    let seed = match app
        .blocking(|app| companion::settings::sandbox_seed(app.db()))
        .await
    {
        Ok(seed) => seed,
        Err(error) => {
            tracing::warn!(%error, "could not read the sandbox seed");
            return None;
        }
    };
    let config = SimConfig {
        seed: Some(seed),
        ..SimConfig::default()
    };
    let again = match port {
        Some(port) => Sim::start(SimConfig {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            ..config.clone()
        })
        .await
        .inspect_err(|error| tracing::info!(%error, port, "the sandbox's port is taken; another"))
        .ok(),
        None => None,
    };
    let sim = match again {
        Some(sim) => sim,
        None => match Sim::start(config).await {
            Ok(sim) => sim,
            Err(error) => {
                tracing::warn!(%error, "the sandbox tenant did not start");
                return None;
            }
        },
    };
    let base_url = sim.base_url.clone();
    let creds = sim.app.clone();
    let people = sim
        .tenant()
        .users
        .into_iter()
        .map(|u| SandboxPerson {
            name: u.name,
            open_id: u.open_id,
        })
        .collect::<Vec<_>>();
    let status = app
        .blocking(move |app| {
            let sandbox_app = SandboxApp {
                base_url: &base_url,
                app_id: &creds.app_id,
                app_secret: &creds.app_secret,
                verification_token: &creds.verification_token,
                encrypt_key: creds.encrypt_key.as_deref(),
                people,
            };
            companion::sandbox::ensure_profile(
                app.db(),
                app.store(),
                &sandbox_app,
                chrono::Utc::now(),
            )
        })
        .await;
    let status = match status {
        Ok(status) => status,
        Err(error) => {
            tracing::warn!(%error, "the sandbox profile could not be saved");
            SandboxStatus {
                base_url: Some(sim.base_url.clone()),
                ..SandboxStatus::off()
            }
        }
    };
    let status = SandboxStatus {
        active: true,
        ..status
    };
    tracing::info!(base_url = %sim.base_url, "sandbox tenant running");
    Some((sim, status))
}
