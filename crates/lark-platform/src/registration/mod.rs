//! App registration by one QR scan: the OAuth 2.0 device authorization grant (RFC 8628) that
//! the platform's accounts host runs at `/oauth/v1/app/registration` (docs/protocol.md,
//! "Creating and configuring the app by API").
//!
//! ```no_run
//! # async fn demo() -> Result<(), lark_platform::registration::RegistrationError> {
//! use lark_platform::registration::{Addons, LinkOptions, Registrar};
//! let registrar = Registrar::new(Default::default())?;
//! let started = registrar.begin().await?;
//! let link = started.link(&LinkOptions {
//!     name: Some("Flashduty Alerts".into()),
//!     addons: Some(Addons::tenant(&["im:chat"], &[], &["card.action.trigger"])),
//!     ..LinkOptions::default()
//! })?;
//! println!("scan {link}");
//! let app = registrar.wait(&started, |status| println!("{status:?}")).await?;
//! # let _ = app; Ok(()) }
//! ```
//!
//! Why it looks the way it does:
//! - Errors such as `authorization_pending` come back as HTTP 400 with a JSON body: the body is
//!   read whatever the status (both SDKs do).
//! - `init` is asked first and the flow stops unless `client_secret` is a supported method (the
//!   Python SDK's check); a 404 there means the platform has no such API (`Unsupported`).
//! - `slow_down` adds 5 s to the interval; a poll answer whose `user_info.tenant_brand` is
//!   `lark` switches to the Lark accounts host once and polls again at once, as the SDKs do.
//! - Cancelling is dropping the future; every request has a timeout and the whole wait ends at
//!   the device code's expiry.
//! - The App Secret arrives as a [`Secret`] and is never printed.

mod addons;
mod link;

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use url::Url;

pub use addons::{Addons, AddonsError, ByIdentity, CallbackAddons, EventAddons};
pub use link::{LinkError, LinkOptions, SOURCE};

use crate::secret::Secret;

/// The Feishu accounts host.
pub const FEISHU_ACCOUNTS_URL: &str = "https://accounts.feishu.cn";
/// The Lark (international) accounts host.
pub const LARK_ACCOUNTS_URL: &str = "https://accounts.larksuite.com";
const ENDPOINT: &str = "/oauth/v1/app/registration";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Bounds what a misbehaving server can make us wait for.
const MAX_INTERVAL: Duration = Duration::from_secs(60);
const MAX_EXPIRY: Duration = Duration::from_secs(3600);

/// Which tenant brand the person confirmed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Brand {
    #[default]
    Feishu,
    Lark,
}

/// Where the two accounts hosts are (lark-sim serves both on loopback).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountsHosts {
    pub feishu: String,
    pub lark: String,
}

impl Default for AccountsHosts {
    fn default() -> Self {
        Self {
            feishu: FEISHU_ACCOUNTS_URL.into(),
            lark: LARK_ACCOUNTS_URL.into(),
        }
    }
}

impl AccountsHosts {
    /// The simulator's layout: Feishu at its base URL, Lark under `/_lark`.
    pub fn simulator(base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/');
        Self {
            feishu: base.to_owned(),
            lark: format!("{base}/_lark"),
        }
    }
}

/// Why a registration did not produce an app.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("the person who scanned the code declined to create the app")]
    Denied,
    #[error("the QR code expired before it was confirmed; start again for a new one")]
    Expired,
    #[error("this platform does not offer app registration by QR code ({detail})")]
    Unsupported { detail: String },
    #[error("the registration service answered {error}: {description}")]
    Refused { error: String, description: String },
    #[error("could not reach the registration service: {detail}")]
    Network { detail: String },
    #[error("the registration service's answer could not be read: {detail}")]
    Decode { detail: String },
    #[error(transparent)]
    Link(#[from] LinkError),
}

impl RegistrationError {
    /// A stable identifier of the variant.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::Expired => "expired",
            Self::Unsupported { .. } => "unsupported",
            Self::Refused { .. } => "refused",
            Self::Network { .. } => "network",
            Self::Decode { .. } => "decode",
            Self::Link(_) => "link",
        }
    }
}

/// What a started registration knows: the device code and how to poll it.
#[derive(Clone, Debug)]
pub struct Started {
    device_code: Secret,
    verification_uri_complete: String,
    /// Seconds between polls, as the server asked.
    pub interval: Duration,
    /// How long the code stays valid.
    pub expires_in: Duration,
}

impl Started {
    /// The link to show as a QR code (or open on this computer).
    pub fn link(&self, options: &LinkOptions) -> Result<String, LinkError> {
        link::build(&self.verification_uri_complete, options)
    }
}

/// The state of a wait, for a status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the scan and the confirmation.
    Pending,
    /// The server asked us to poll less often; the new interval.
    SlowDown(Duration),
    /// The tenant is on Lark: polling goes on at the Lark accounts host.
    SwitchedToLark,
}

/// The app the person created or re-confirmed.
#[derive(Clone, Debug)]
pub struct RegisteredApp {
    pub app_id: String,
    pub app_secret: Secret,
    pub open_id: Option<String>,
    pub brand: Brand,
}

/// One poll's meaning.
enum Poll {
    Pending,
    SlowDown,
    SwitchToLark,
    Done(RegisteredApp),
}

/// The registration client.
#[derive(Clone, Debug)]
pub struct Registrar {
    http: reqwest::Client,
    hosts: AccountsHosts,
}

impl Registrar {
    pub fn new(hosts: AccountsHosts) -> Result<Self, RegistrationError> {
        for host in [&hosts.feishu, &hosts.lark] {
            let url = Url::parse(host).map_err(|_| RegistrationError::Network {
                detail: format!("{host:?} is not a valid URL"),
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(RegistrationError::Network {
                    detail: format!("{host:?} is not an http(s) URL"),
                });
            }
        }
        let loopback = Url::parse(&hosts.feishu).is_ok_and(|u| crate::client::is_loopback(&u));
        let mut http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("lark-companion/", env!("CARGO_PKG_VERSION")));
        if loopback {
            http = http.no_proxy();
        }
        let http = http.build().map_err(|e| RegistrationError::Network {
            detail: e.to_string(),
        })?;
        Ok(Self { http, hosts })
    }

    async fn post(&self, host: &str, form: &[(&str, &str)]) -> Result<Value, RegistrationError> {
        let url = format!("{}{ENDPOINT}", host.trim_end_matches('/'));
        let response = self.http.post(url).form(form).send().await.map_err(|e| {
            RegistrationError::Network {
                detail: e.to_string(),
            }
        })?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| RegistrationError::Network {
                detail: e.to_string(),
            })?;
        if status == 404 || status == 405 {
            return Err(RegistrationError::Unsupported {
                detail: format!("HTTP {status}"),
            });
        }
        serde_json::from_slice(&bytes).map_err(|_| RegistrationError::Decode {
            detail: format!("HTTP {status}, not JSON"),
        })
    }

    /// `init` then `begin`: a device code and the link to scan.
    pub async fn begin(&self) -> Result<Started, RegistrationError> {
        let host = self.hosts.feishu.clone();
        let init = self.post(&host, &[("action", "init")]).await?;
        let methods = init
            .get("supported_auth_methods")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if !methods.iter().any(|m| m.as_str() == Some("client_secret")) {
            return Err(RegistrationError::Unsupported {
                detail: "client_secret is not a supported method".into(),
            });
        }
        let begin = self
            .post(
                &host,
                &[
                    ("action", "begin"),
                    ("archetype", "PersonalAgent"),
                    ("auth_method", "client_secret"),
                    ("request_user_info", "open_id"),
                ],
            )
            .await?;
        refused(&begin)?;
        let text = |key: &str| {
            begin
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| RegistrationError::Decode {
                    detail: format!("no `{key}` in the begin answer"),
                })
        };
        let seconds = |key: &str, default: u64, max: Duration| {
            let secs = begin.get(key).and_then(Value::as_u64).unwrap_or(default);
            Duration::from_secs(secs.max(1)).min(max)
        };
        Ok(Started {
            device_code: Secret::new(text("device_code")?),
            verification_uri_complete: text("verification_uri_complete")?,
            interval: seconds("interval", 5, MAX_INTERVAL),
            expires_in: seconds("expires_in", 600, MAX_EXPIRY),
        })
    }

    async fn poll(
        &self,
        host: &str,
        started: &Started,
        switched: bool,
    ) -> Result<Poll, RegistrationError> {
        let answer = self
            .post(
                host,
                &[
                    ("action", "poll"),
                    ("device_code", started.device_code.expose()),
                ],
            )
            .await?;
        let brand = answer
            .pointer("/user_info/tenant_brand")
            .and_then(Value::as_str);
        let id = answer.get("client_id").and_then(Value::as_str);
        let secret = answer.get("client_secret").and_then(Value::as_str);
        if let (Some(id), Some(secret)) = (id, secret) {
            if !id.is_empty() && !secret.is_empty() {
                return Ok(Poll::Done(RegisteredApp {
                    app_id: id.to_owned(),
                    app_secret: Secret::new(secret),
                    open_id: answer
                        .pointer("/user_info/open_id")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    brand: if brand == Some("lark") || switched {
                        Brand::Lark
                    } else {
                        Brand::Feishu
                    },
                }));
            }
        }
        if brand == Some("lark") && !switched {
            return Ok(Poll::SwitchToLark);
        }
        match answer.get("error").and_then(Value::as_str) {
            Some("authorization_pending") => Ok(Poll::Pending),
            Some("slow_down") => Ok(Poll::SlowDown),
            Some("access_denied") => Err(RegistrationError::Denied),
            Some("expired_token") => Err(RegistrationError::Expired),
            _ => refused(&answer).map(|()| Poll::Pending),
        }
    }

    /// Polls until the person confirms or denies, or the code expires. `on_status` hears each
    /// change. Drop the future to cancel.
    pub async fn wait(
        &self,
        started: &Started,
        mut on_status: impl FnMut(Status),
    ) -> Result<RegisteredApp, RegistrationError> {
        let deadline = tokio::time::Instant::now() + started.expires_in;
        let mut interval = started.interval;
        let mut host = self.hosts.feishu.clone();
        let mut switched = false;
        let mut last = None;
        loop {
            if tokio::time::Instant::now() >= deadline {
                return Err(RegistrationError::Expired);
            }
            let poll = tokio::time::timeout_at(deadline, self.poll(&host, started, switched))
                .await
                .map_err(|_| RegistrationError::Expired)??;
            let status = match poll {
                Poll::Done(app) => return Ok(app),
                Poll::SwitchToLark => {
                    host = self.hosts.lark.clone();
                    switched = true;
                    on_status(Status::SwitchedToLark);
                    continue;
                }
                Poll::SlowDown => {
                    interval = (interval + Duration::from_secs(5)).min(MAX_INTERVAL);
                    Status::SlowDown(interval)
                }
                Poll::Pending => Status::Pending,
            };
            if last.as_ref() != Some(&status) {
                on_status(status.clone());
                last = Some(status);
            }
            tokio::time::sleep_until((tokio::time::Instant::now() + interval).min(deadline)).await;
        }
    }
}

/// An `{error, error_description}` answer that is not one of the polling states.
fn refused(answer: &Value) -> Result<(), RegistrationError> {
    match answer.get("error").and_then(Value::as_str) {
        Some(error) if !error.is_empty() => Err(RegistrationError::Refused {
            error: error.chars().take(80).collect(),
            description: answer
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .take(300)
                .collect(),
        }),
        _ => Ok(()),
    }
}
