//! Handing the app over to a fresh copy of itself. After its window has been open, the desktop
//! app keeps memory it cannot give back (WebKit's GL driver and network process, about 80 MiB;
//! docs/benchmarks.md, "Memory in the tray"), so when the window closes into the tray the shell
//! replaces the process's image with a new one that starts as at login, with no webview. What
//! the running app holds that must outlive that goes through [`App::hand_over`],
//! [`App::take_over_notices`] and [`App::take_over_relay`]:
//!
//! - the running relay: the HTTP relay's listening socket stays open (callbacks that arrive in
//!   between wait in its queue and are answered by the new image; the callback URL, port
//!   included, stays the same), and it starts again with the form it ran with; a long
//!   connection is closed and dialled again;
//! - the notices: the list, and the episodes under way, so that a problem lasting through the
//!   hand-over is neither notified again nor cleared before the new relay could judge it.
//!
//! Everything else is in the database (records, outbox, settings) or the keychain. How the
//! socket and this state cross `exec` is the shell's business (`src-tauri/src/handover.rs`).

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::tray::StartedRelay;
use super::App;
use crate::notices::NoticeSnapshot;
use crate::relay::{RelayError, RelaySettings};

/// The relay that ran, and how it was started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandedRelay {
    pub profile: String,
    pub settings: RelaySettings,
    pub mode: HandedMode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum HandedMode {
    /// The HTTP relay, with the listen address typed on the Relay screen.
    Http {
        bind: Option<String>,
    },
    LongConnection,
}

impl HandedRelay {
    pub(super) fn http(profile: &str, settings: &RelaySettings, bind: Option<&str>) -> Self {
        Self {
            profile: profile.to_owned(),
            settings: settings.clone(),
            mode: HandedMode::Http {
                bind: bind.map(str::to_owned),
            },
        }
    }

    pub(super) fn long_connection(profile: &str, settings: &RelaySettings) -> Self {
        Self {
            profile: profile.to_owned(),
            settings: settings.clone(),
            mode: HandedMode::LongConnection,
        }
    }
}

/// What the next image needs, apart from the socket: serializable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoverState {
    pub relay: Option<HandedRelay>,
    pub notices: NoticeSnapshot,
}

/// Everything handed over: the state, and the HTTP relay's socket, still listening.
#[derive(Debug, Default)]
pub struct Handover {
    pub state: HandoverState,
    pub listener: Option<std::net::TcpListener>,
}

impl App {
    /// Stops the running relay for a hand-over (requests in flight are answered and recorded;
    /// the HTTP relay's socket keeps listening), writes the calls the meter has seen, and
    /// returns the relay with the notices.
    pub async fn hand_over(&self) -> Handover {
        let (relay, listener) = match self.take_running().await {
            Some((relay, listener)) => (Some(relay), listener),
            None => (None, None),
        };
        let _ = self.on_blocking_pool(|app| app.meter().flush()).await;
        Handover {
            state: HandoverState {
                relay,
                notices: self.notices().snapshot(),
            },
            listener,
        }
    }

    /// Goes on with the notices as they were handed over. Call before [`App::start_watchers`],
    /// so the watchers see the episodes under way.
    pub fn take_over_notices(&self, handover: &Handover) {
        self.notices().restore(handover.state.notices.clone());
    }

    /// Starts the relay that was handed over, as it ran: the HTTP relay on the socket handed
    /// over (or on its address when there is none), the long connection dialled again.
    pub async fn take_over_relay(
        &self,
        handover: Handover,
    ) -> Result<Option<StartedRelay>, RelayError> {
        let Some(relay) = handover.state.relay else {
            return Ok(None);
        };
        self.hold_relay_notices(&relay.profile);
        let started = match relay.mode {
            HandedMode::Http { bind } => StartedRelay::Http(
                self.start_http(relay.profile, relay.settings, bind, handover.listener)
                    .await?,
            ),
            HandedMode::LongConnection => StartedRelay::Long(
                self.relay_start_long_connection(relay.profile, relay.settings)
                    .await?,
            ),
        };
        Ok(Some(started))
    }

    /// The next relay watched for `profile` keeps its episodes under way for a while
    /// ([`RelayLimits::hold_after_take_over`](crate::notices::watch::RelayLimits::hold_after_take_over)).
    fn hold_relay_notices(&self, profile: &str) {
        *self
            .inner
            .relay_hold
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((profile.to_owned(), Instant::now()));
    }

    /// When the relay of `profile` was taken over, if it was (once: the hold is for the first
    /// relay watched after the hand-over).
    pub(super) fn take_relay_hold(&self, profile: &str) -> Option<Instant> {
        let mut hold = self
            .inner
            .relay_hold
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match hold.take() {
            Some((p, since)) if p == profile => Some(since),
            other => {
                *hold = other;
                None
            }
        }
    }
}
