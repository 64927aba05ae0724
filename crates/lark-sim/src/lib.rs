//! A simulated Feishu/Lark Open Platform: the Open API (tokens, bot, chats, messages, and the
//! application API's v6 reads and v7 writes) with the real response shapes, error codes, rate
//! ceilings and monthly quota; app registration by one scan on its accounts endpoint
//! (`/oauth/v1/app/registration`, Lark under `/_lark`) with a scan page in its stand-in console;
//! callbacks it encrypts and signs like the platform; the long-connection endpoint; and a `/_sim/`
//! control surface.
//!
//! The tenant holds several apps: the one configured at start (primary, [`SimHandle::app`]) and
//! those app registration creates. Each has its credentials, bot and granted scopes; a tenant
//! token acts as its app. See [`app`] for every route, [`registration`] and
//! [`api::application`] for the new flows and their error codes (also in the crate's README).
//!
//! Used by tests, benchmarks and the app's sandbox mode. It depends on `lark-platform` only, so it
//! speaks exactly the wire format the product does; the official SDKs check it independently.
//!
//! ```no_run
//! # async fn demo() -> Result<(), lark_sim::SimError> {
//! let sim = lark_sim::Sim::start(lark_sim::SimConfig::default()).await?;
//! println!("{} {}", sim.base_url, sim.app.app_id);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

pub mod api;
pub mod application;
pub mod callbacks;
pub mod challenge;
pub mod clock;
pub mod console;
pub mod control;
pub mod limits;
pub mod quota;
pub mod registration;
pub mod state;
pub mod tenant;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, patch, post};
use axum::Router;
use rand::SeedableRng;
use serde::Deserialize;
use tokio::sync::oneshot;

pub use clock::Clock;
pub use limits::LimitsConfig;
pub use state::SimState;
pub use tenant::{AppCredentials, CredentialChoice, Tenant};
pub use ws::WsConfig;

/// How to start a simulator.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// Must be a loopback address; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Credentials to use; whatever is left `None` is generated.
    pub credentials: CredentialChoice,
    /// Seed for generated ids and secrets (reproducible tenants); random when `None`.
    pub seed: Option<u64>,
    pub limits: LimitsConfig,
    /// Monthly counted-call cap; `None` = unlimited. Default 10,000 (the Basic edition).
    pub quota_cap: Option<u64>,
    /// Lifetime of tenant access tokens, default 7200 s.
    pub token_expire_secs: u64,
    /// Initial clock offset (ms) from the system clock.
    pub clock_offset_ms: i64,
    /// Console base used in deep links of error messages.
    pub console: String,
    pub ws: WsConfig,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: CredentialChoice::default(),
            seed: None,
            limits: LimitsConfig::default(),
            quota_cap: Some(10_000),
            token_expire_secs: 7200,
            clock_offset_ms: 0,
            console: "https://open.feishu.cn".to_string(),
            ws: WsConfig::default(),
        }
    }
}

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("lark-sim only listens on loopback addresses, not {0}")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A running simulator. Dropping it stops the server too.
pub struct SimHandle {
    /// `http://127.0.0.1:PORT`: use as the SDK/client domain.
    pub base_url: String,
    pub addr: SocketAddr,
    /// The app's credentials (secrets included: this is a simulator).
    pub app: AppCredentials,
    pub state: Arc<SimState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    /// The simulated clock (shift or freeze it from tests).
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// A snapshot of the tenant (users, chats, every app's credentials, bot and scopes).
    pub fn tenant(&self) -> Tenant {
        self.state.lock().tenant.clone()
    }

    /// Adds `count` group chats with the bot in them (`Alerts 0`, `Alerts 1`, …) and returns
    /// their ids: more receivers than the default tenant has, for per-chat ceilings.
    pub fn add_bot_chats(&self, count: usize) -> Vec<String> {
        let mut inner = self.state.lock();
        let first = inner.tenant.chats.len();
        (0..count)
            .map(|i| {
                let chat_id = format!("oc_{:032x}", first + i);
                inner.tenant.chats.push(tenant::Chat {
                    chat_id: chat_id.clone(),
                    name: format!("Alerts {i}"),
                    description: String::new(),
                    owner_id: String::new(),
                    bot_member: true,
                });
                chat_id
            })
            .collect()
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        self.state.ws.drop_all();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Builds the shared state for a simulator reachable at `base_url`.
pub fn build_state(config: &SimConfig, base_url: String) -> Arc<SimState> {
    let mut rng = match config.seed {
        Some(seed) => rand::rngs::StdRng::seed_from_u64(seed),
        None => rand::rngs::StdRng::from_entropy(),
    };
    let tenant = Tenant::generate(&mut rng, config.credentials.clone());
    let clock = Clock::new();
    clock.set_offset_ms(config.clock_offset_ms);
    let quota = quota::Quota::new(config.quota_cap, clock.now());
    let mut inner = state::Inner::new(tenant, quota, rng);
    inner.limits = config.limits.clone();
    inner.token_expire_secs = config.token_expire_secs.max(1);
    inner.console.clone_from(&config.console);
    inner.ensure_profiles(clock.now_ms());
    let state = SimState::new(clock, inner, base_url);
    state.ws.set_config(config.ws.clone());
    Arc::new(state)
}

/// The whole HTTP surface: Open API, accounts (app registration) endpoint, long-connection
/// endpoint and WebSocket, the stand-in console with its scan page, `/_sim/` control.
pub fn app(state: Arc<SimState>) -> Router {
    Router::new()
        .route(
            "/open-apis/auth/v3/tenant_access_token/internal",
            post(api::auth::tenant_access_token),
        )
        .route("/open-apis/bot/v3/info", get(api::bot::info))
        .route("/open-apis/im/v1/chats", get(api::chats::list))
        .route("/open-apis/im/v1/messages", post(api::messages::send))
        .route(
            "/open-apis/im/v1/messages/{message_id}",
            patch(api::messages::patch),
        )
        .merge(application_routes(state.clone()))
        .route(
            "/oauth/v1/app/registration",
            post(registration::endpoint::feishu),
        )
        .route(
            "/_lark/oauth/v1/app/registration",
            post(registration::endpoint::lark),
        )
        .route("/callback/ws/endpoint", post(ws::endpoint))
        .route("/ws", get(ws::upgrade))
        .route(
            "/_sim/config",
            get(control::get_config).post(control::post_config),
        )
        .route("/_sim/stats", get(control::stats))
        .route("/_sim/messages", get(control::messages))
        .route("/_sim/callbacks", post(control::post_callback))
        .route("/_sim/ws/push", post(control::ws_push))
        .route("/_sim/ws/drop", post(control::ws_drop))
        .route("/_sim/ws/stats", get(control::ws_stats))
        .route("/_sim/registration", get(registration::control::list))
        .route(
            "/_sim/registration/confirm",
            post(registration::control::confirm),
        )
        .route("/_sim/registration/deny", post(registration::control::deny))
        .route(
            "/_sim/registration/expire",
            post(registration::control::expire),
        )
        .route(
            "/_sim/versions/approve",
            post(application::control::approve),
        )
        .route("/_sim/versions/reject", post(application::control::reject))
        .route("/_sim/challenges", get(challenge::list))
        .route("/app", get(console::app_list))
        .route("/app/scan", get(registration::scan::page))
        .route("/app/scan/confirm", post(registration::scan::confirm_form))
        .route("/app/scan/deny", post(registration::scan::deny_form))
        .route(
            "/app/{app_id}/{page}",
            get(console::page).post(console::save),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            same_origin_only,
        ))
        .with_state(state)
}

/// The control surface and the simulated console change the simulator: a web page on another
/// site must not drive them (a cross-site form post), and neither may a name that resolves to
/// loopback by trickery (DNS rebinding). So a request must name a loopback host, and a
/// browser's request must come from the simulator's own origin.
async fn same_origin_only(
    axum::extract::State(state): axum::extract::State<Arc<SimState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let path = request.uri().path();
    let guarded = path.starts_with("/_sim/") || path == "/app" || path.starts_with("/app/");
    if guarded {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let host_name = host.rsplit_once(':').map_or(host, |(name, _)| name);
        if !host.is_empty() && !matches!(host_name, "127.0.0.1" | "localhost" | "[::1]") {
            return (
                StatusCode::MISDIRECTED_REQUEST,
                "lark-sim answers loopback names only",
            )
                .into_response();
        }
        let changes = !matches!(request.method().as_str(), "GET" | "HEAD" | "OPTIONS");
        if let Some(origin) = request.headers().get(header::ORIGIN) {
            let own = state.base_url.trim_end_matches('/');
            let localhost = own.replace("127.0.0.1", "localhost");
            let origin = origin.to_str().unwrap_or("");
            if changes && origin != own && origin != localhost {
                return (
                    StatusCode::FORBIDDEN,
                    "lark-sim: requests from another site are refused",
                )
                    .into_response();
            }
        }
    }
    next.run(request).await
}

/// The application API, behind a gate that answers 404 when `/_sim/config`
/// `application_api_supported` is `false` (a platform without it, as Lark's v7 can be).
fn application_routes(state: Arc<SimState>) -> Router<Arc<SimState>> {
    Router::new()
        .route(
            "/open-apis/application/v6/applications/{app_id}",
            get(api::application::read::get_app),
        )
        .route(
            "/open-apis/application/v6/applications/{app_id}/app_versions",
            get(api::application::read::list_versions),
        )
        .route(
            "/open-apis/application/v6/applications/{app_id}/app_versions/{version_id}",
            get(api::application::read::get_version),
        )
        .route(
            "/open-apis/application/v6/scopes",
            get(api::application::read::list_scopes),
        )
        .route(
            "/open-apis/application/v6/scopes/apply",
            post(api::application::read::apply_scopes),
        )
        .route(
            "/open-apis/application/v7/applications/{app_id}/ability",
            patch(api::application::write::patch_ability),
        )
        .route(
            "/open-apis/application/v7/applications/{app_id}/config",
            patch(api::application::write::patch_config),
        )
        .route(
            "/open-apis/application/v7/applications/{app_id}/base",
            patch(api::application::write::patch_base),
        )
        .route(
            "/open-apis/application/v7/applications/{app_id}/publish",
            post(api::application::write::publish),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            application_gate,
        ))
}

async fn application_gate(
    axum::extract::State(state): axum::extract::State<Arc<SimState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if state.lock().app_api.unsupported {
        return not_found().await.into_response();
    }
    next.run(request).await
}

async fn not_found() -> api::ApiError {
    api::ApiError::new(axum::http::StatusCode::NOT_FOUND, 404, "404 page not found")
}

/// Starts simulators.
pub struct Sim;

impl Sim {
    /// Binds `config.listen` (loopback only) and serves until the handle is shut down or dropped.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        if !config.listen.ip().is_loopback() {
            return Err(SimError::NotLoopback(config.listen));
        }
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.listen,
            source,
        })?;
        let base_url = format!("http://{addr}");
        let state = build_state(&config, base_url.clone());
        let app_credentials = state.lock().tenant.app.clone();
        let (tx, rx) = oneshot::channel::<()>();
        let router = app(state.clone());
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = rx.await;
            });
            if let Err(error) = serve.await {
                tracing::warn!(%error, "lark-sim server stopped");
            }
        });
        Ok(SimHandle {
            base_url,
            addr,
            app: app_credentials,
            state,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}
