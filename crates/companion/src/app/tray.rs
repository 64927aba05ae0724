//! What the tray shows and does, free of any GUI: the desktop shell draws [`TrayView`] as its
//! icon, tooltip and menu, and turns a menu click into a [`TrayAction`] for
//! [`App::tray_action`], which calls the same core methods as the Relay screen's commands. What
//! is left for the shell (showing the window, leaving the event loop) comes back as a
//! [`TrayOutcome`].

use super::relay::RelayStarted;
use super::App;
use crate::notices::Notice;
use crate::relay::{LongConnectionStatus, RelayError, RelayStatus};

/// The relay the app runs (at most one, in either mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningRelay {
    pub profile: String,
    /// `ip:port` for the HTTP relay; `None` for the long connection.
    pub listen: Option<String>,
}

/// Everything the tray shows: the profiles (each with start, stop and the inspector), the
/// running relay, if any, and the problems that last (the notices not yet recovered).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrayView {
    pub profiles: Vec<String>,
    pub running: Option<RunningRelay>,
    /// Ongoing notices, newest first: the relays' and the quota's.
    pub ongoing: Vec<Notice>,
}

/// The relay's state at a glance (the tray icon's dot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrayState {
    /// No relay and no long connection runs.
    Stopped,
    Running,
    /// Running, with a problem that lasts (an upstream failing, answers past the deadline,
    /// requests refused, events piling up, the long connection lost).
    Degraded,
}

impl TrayView {
    pub fn is_running(&self, profile: &str) -> bool {
        self.running.as_ref().is_some_and(|r| r.profile == profile)
    }

    pub fn state(&self) -> TrayState {
        match &self.running {
            None => TrayState::Stopped,
            Some(r) if self.relay_problems().any(|n| n.profile == r.profile) => TrayState::Degraded,
            Some(_) => TrayState::Running,
        }
    }

    /// Ongoing relay problems, any profile (a taken port is one while nothing runs).
    pub fn relay_problems(&self) -> impl Iterator<Item = &Notice> {
        self.ongoing.iter().filter(|n| !n.kind.is_quota())
    }

    /// Ongoing quota notices (80 % of the cap or more, or used up), any profile.
    pub fn quota_warnings(&self) -> impl Iterator<Item = &Notice> {
        self.ongoing.iter().filter(|n| n.kind.is_quota())
    }
}

/// A tray menu entry. Its menu id is [`TrayAction::id`]; [`TrayAction::parse`] reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrayAction {
    /// Show the window.
    Open,
    /// Start profile `0`'s HTTP relay with what it was last started with (port 9400 and the
    /// defaults before that), stopping a running relay first, as the Relay screen does.
    StartRelay(String),
    /// Stop the running relay (either mode); queued events stay queued.
    StopRelay,
    /// Show the window on the Relay screen for profile `0`.
    OpenInspector(String),
    /// Stop the relays cleanly and leave.
    Quit,
}

impl TrayAction {
    pub fn id(&self) -> String {
        match self {
            Self::Open => "open".into(),
            Self::Quit => "quit".into(),
            Self::StopRelay => "relay-stop".into(),
            Self::StartRelay(name) => format!("relay-start:{name}"),
            Self::OpenInspector(name) => format!("inspector:{name}"),
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        if let Some(name) = id.strip_prefix("relay-start:") {
            return Some(Self::StartRelay(name.to_owned()));
        }
        if let Some(name) = id.strip_prefix("inspector:") {
            return Some(Self::OpenInspector(name.to_owned()));
        }
        match id {
            "open" => Some(Self::Open),
            "quit" => Some(Self::Quit),
            "relay-stop" => Some(Self::StopRelay),
            _ => None,
        }
    }
}

/// A relay started from the tray or at login, for the shell to forward its live records.
pub enum StartedRelay {
    Http(RelayStarted<RelayStatus>),
    Long(RelayStarted<LongConnectionStatus>),
}

/// What the shell does after [`App::tray_action`].
pub enum TrayOutcome {
    /// The relay changed (started or stopped): redraw the tray, tell the window.
    Relay(Option<StartedRelay>),
    /// Show the window, on the Relay screen for this profile when given.
    ShowWindow { relay_profile: Option<String> },
    /// The relays are stopped: leave the event loop.
    Quit,
}

impl App {
    /// What the tray shows now.
    pub async fn tray_view(&self) -> crate::Result<TrayView> {
        let profiles = self
            .list_profiles()
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect();
        let running = self.running_relay().await;
        let ongoing = self
            .notice_list()
            .await
            .into_iter()
            .filter(Notice::is_ongoing)
            .collect();
        Ok(TrayView {
            profiles,
            running,
            ongoing,
        })
    }

    /// The relay the app runs now (either mode), if any.
    pub async fn running_relay(&self) -> Option<RunningRelay> {
        match self.relay_status().await {
            Ok(Some(status)) => status.urls.first().map(|u| RunningRelay {
                profile: u.profile.clone(),
                listen: Some(status.listen.clone()),
            }),
            _ => {
                // The long connection's status names the profile by its slug; the tray, the
                // close dialog and the hand-over want its name.
                let slug = self.relay_long_connection_status().await?.profile;
                let name = self
                    .relays_long_core()
                    .await
                    .and_then(|core| core.find_profile(&slug).map(|p| p.name.clone()));
                Some(RunningRelay {
                    profile: name.unwrap_or(slug),
                    listen: None,
                })
            }
        }
    }

    /// Starts profile `name`'s HTTP relay with its saved form (what the Relay screen last
    /// started it with).
    pub async fn relay_start_saved(&self, name: String) -> Result<StartedRelay, RelayError> {
        let saved = self.relay_saved_settings(name.clone()).await?;
        let started = self.relay_start(name, saved.settings, saved.bind).await?;
        Ok(StartedRelay::Http(started))
    }

    /// Starts the relay chosen for login ([`crate::ipc::Settings::login_relay`]), if any.
    pub async fn start_login_relay(&self) -> Result<Option<StartedRelay>, RelayError> {
        let Some(name) = self.settings().await?.login_relay else {
            return Ok(None);
        };
        self.relay_start_saved(name).await.map(Some)
    }

    /// Does what a tray menu entry says, through the same methods as the window's commands.
    pub async fn tray_action(&self, action: TrayAction) -> Result<TrayOutcome, RelayError> {
        Ok(match action {
            TrayAction::Open => TrayOutcome::ShowWindow {
                relay_profile: None,
            },
            TrayAction::OpenInspector(name) => TrayOutcome::ShowWindow {
                relay_profile: Some(name),
            },
            TrayAction::StartRelay(name) => {
                TrayOutcome::Relay(Some(self.relay_start_saved(name).await?))
            }
            TrayAction::StopRelay => {
                self.relay_stop().await;
                TrayOutcome::Relay(None)
            }
            TrayAction::Quit => {
                self.relay_stop().await;
                TrayOutcome::Quit
            }
        })
    }
}
