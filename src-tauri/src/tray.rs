//! The tray icon: its picture says at a glance whether a relay runs (the app's icon with a green
//! dot), runs with a problem that lasts (an amber dot) or not (the icon in grey), and whether a
//! profile's quota is past 80 % (a red dot above); the tooltip and the menu's first lines say
//! which, and the menu has each profile (start its relay, stop it, open the inspector), "Open
//! Lark Companion" and "Quit". A click becomes a [`TrayAction`] for `companion::App::tray_action`, the same core
//! methods the Relay screen's commands call; the shell only shows the window or leaves.
//!
//! The tray is redrawn when something here changed it, and otherwise checked every two
//! seconds (a relay started or stopped from the window, a renamed profile, a new language).

use std::sync::OnceLock;
use std::time::Duration;

use companion::app::{StartedRelay, TrayAction, TrayOutcome, TrayState, TrayView};
use companion::ipc::Language;
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::words::word;
use crate::AppState;

const TRAY_ID: &str = "main";
/// Tells the window that the relay changed outside it (reload its status).
pub const RELAY_CHANGED_EVENT: &str = "relay://changed";
/// Tells the window to show the Relay screen for a profile (the tray's "Open the inspector").
pub const OPEN_RELAY_EVENT: &str = "tray://open-relay";

const GREEN: [u8; 4] = [0x1f, 0xb8, 0x4f, 0xff];
const AMBER: [u8; 4] = [0xf5, 0x9a, 0x0b, 0xff];
const RED: [u8; 4] = [0xd8, 0x39, 0x31, 0xff];
const WHITE: [u8; 4] = [0xff, 0xff, 0xff, 0xff];

/// Paints a dot of `colour` with a white ring, centred at (`cx`, `cy`) in fractions of the size.
fn dot(rgba: &mut [u8], (w, h): (u32, u32), (cx, cy): (f32, f32), colour: [u8; 4]) {
    let (cx, cy, r) = (w as f32 * cx, h as f32 * cy, w as f32 * 0.22);
    for y in 0..h {
        for x in 0..w {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            let i = ((y * w + x) * 4) as usize;
            if d <= r * 0.72 {
                rgba[i..i + 4].copy_from_slice(&colour);
            } else if d <= r {
                rgba[i..i + 4].copy_from_slice(&WHITE);
            }
        }
    }
}

/// The app's icon (128 px): grey while nothing runs; in colour with a dot in the lower right
/// while a relay runs, green when it is well and amber while a problem lasts; a red dot in the
/// upper right while a profile has used 80 % of its monthly quota or more.
fn icon(state: TrayState, quota: bool) -> Image<'static> {
    static BASE: OnceLock<Image<'static>> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        Image::from_bytes(include_bytes!("../../icons/128x128.png"))
            .expect("the bundled icon is a PNG")
    });
    let size = (base.width(), base.height());
    let mut rgba = base.rgba().to_vec();
    match state {
        TrayState::Running => dot(&mut rgba, size, (0.76, 0.76), GREEN),
        TrayState::Degraded => dot(&mut rgba, size, (0.76, 0.76), AMBER),
        TrayState::Stopped => {
            // Grey, a little faded.
            for px in rgba.chunks_exact_mut(4) {
                let grey =
                    (u32::from(px[0]) * 30 + u32::from(px[1]) * 59 + u32::from(px[2]) * 11) / 100;
                let grey = grey as u8;
                px[0] = grey;
                px[1] = grey;
                px[2] = grey;
                px[3] = (u32::from(px[3]) * 3 / 4) as u8;
            }
        }
    }
    if quota {
        dot(&mut rgba, size, (0.76, 0.24), RED);
    }
    Image::new_owned(rgba, size.0, size.1)
}

/// One line per problem that lasts, for the menu (disabled entries) and the tooltip.
fn attention_lines(view: &TrayView, lang: Language) -> Vec<String> {
    view.relay_problems()
        .chain(view.quota_warnings())
        .take(MAX_ATTENTION)
        .map(|notice| {
            let (title, _) = notice.text(lang);
            word(
                lang,
                "tray.attention",
                &[("title", &title), ("profile", &notice.profile)],
            )
        })
        .collect()
}

/// Problems listed in the menu at most (the Notifications screen has them all).
const MAX_ATTENTION: usize = 4;

/// The words of the tray for one view, worked out once per redraw.
struct Lines {
    /// The tooltip: the relay's state, then the problems that last.
    tooltip: String,
    /// The menu's first line: the relay's state.
    status: String,
    /// The menu's next lines: the problems that last.
    attention: Vec<String>,
}

fn lines(view: &TrayView, lang: Language) -> Lines {
    let (tooltip, status) = relay_lines(view, lang);
    let attention = attention_lines(view, lang);
    let tooltip = if attention.is_empty() {
        tooltip
    } else {
        format!("{tooltip}\n{}", attention.join("\n"))
    };
    Lines {
        tooltip,
        status,
        attention,
    }
}

fn relay_lines(view: &TrayView, lang: Language) -> (String, String) {
    match &view.running {
        Some(r) => match &r.listen {
            Some(listen) => {
                let params = [("profile", r.profile.as_str()), ("listen", listen.as_str())];
                (
                    word(lang, "tray.tooltipRunning", &params),
                    word(lang, "tray.statusRunning", &params),
                )
            }
            None => {
                let params = [("profile", r.profile.as_str())];
                (
                    word(lang, "tray.tooltipLong", &params),
                    word(lang, "tray.statusLong", &params),
                )
            }
        },
        None => (
            word(lang, "tray.tooltipStopped", &[]),
            word(lang, "tray.statusStopped", &[]),
        ),
    }
}

fn menu<R: Runtime>(
    app: &AppHandle<R>,
    view: &TrayView,
    lang: Language,
    lines: &Lines,
) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        "status",
        &lines.status,
        false,
        None::<&str>,
    )?)?;
    for (i, line) in lines.attention.iter().enumerate() {
        menu.append(&MenuItem::with_id(
            app,
            format!("attention-{i}"),
            line,
            false,
            None::<&str>,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    if view.profiles.is_empty() {
        menu.append(&MenuItem::with_id(
            app,
            "no-profiles",
            word(lang, "tray.noProfiles", &[]),
            false,
            None::<&str>,
        )?)?;
    }
    for profile in &view.profiles {
        let running = view.is_running(profile);
        let start = MenuItem::with_id(
            app,
            TrayAction::StartRelay(profile.clone()).id(),
            word(lang, "tray.start", &[]),
            !running,
            None::<&str>,
        )?;
        let stop = MenuItem::with_id(
            app,
            format!("{}:{profile}", TrayAction::StopRelay.id()),
            word(lang, "tray.stop", &[]),
            running,
            None::<&str>,
        )?;
        let inspector = MenuItem::with_id(
            app,
            TrayAction::OpenInspector(profile.clone()).id(),
            word(lang, "tray.inspector", &[]),
            true,
            None::<&str>,
        )?;
        let label = if running {
            word(lang, "tray.profileRunning", &[("profile", profile)])
        } else {
            profile.clone()
        };
        let items: [&dyn IsMenuItem<R>; 3] = [&start, &stop, &inspector];
        menu.append(&Submenu::with_items(app, label, true, &items)?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        TrayAction::Open.id(),
        word(lang, "tray.open", &[]),
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        TrayAction::Quit.id(),
        word(lang, "tray.quit", &[]),
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

/// A menu id back to its action (a profile's Stop carries the profile's name only to be unique).
fn action_of(id: &str) -> Option<TrayAction> {
    if id.starts_with(&format!("{}:", TrayAction::StopRelay.id())) {
        return Some(TrayAction::StopRelay);
    }
    TrayAction::parse(id)
}

/// Puts the tray icon up and keeps it current.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let lang = Language::or_system(None);
    let view = TrayView::default();
    let lines = lines(&view, lang);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(TrayState::Stopped, false))
        .tooltip(&lines.tooltip)
        .menu(&menu(app, &view, lang, &lines)?)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| {
            let Some(action) = action_of(event.id().as_ref()) else {
                return;
            };
            let app = app.clone();
            tauri::async_runtime::spawn(async move { run_action(&app, action).await });
        })
        .build(app)?;
    let app = app.clone();
    tauri::async_runtime::spawn(async move { keep_current(app).await });
    Ok(())
}

/// Redraws the tray at once (after a change made here).
pub fn changed<R: Runtime>(app: &AppHandle<R>) {
    app.state::<AppState>().tray_changed.notify_one();
}

async fn keep_current<R: Runtime>(app: AppHandle<R>) {
    let mut shown: Option<(TrayView, Language)> = None;
    loop {
        let state = app.state::<AppState>();
        let settings = state.app.settings().await.ok();
        let lang = Language::or_system(settings.and_then(|s| s.language));
        match state.app.tray_view().await {
            Ok(view) => {
                let now = (view, lang);
                if shown.as_ref() != Some(&now) {
                    if let Err(e) = draw(&app, &now.0, lang) {
                        tracing::warn!(error = %e, "could not redraw the tray");
                    }
                    shown = Some(now);
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the tray's state"),
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), state.tray_changed.notified()).await;
    }
}

fn draw<R: Runtime>(app: &AppHandle<R>, view: &TrayView, lang: Language) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return Ok(());
    };
    let lines = lines(view, lang);
    tray.set_icon(Some(icon(
        view.state(),
        view.quota_warnings().next().is_some(),
    )))?;
    tray.set_tooltip(Some(&lines.tooltip))?;
    tray.set_menu(Some(menu(app, view, lang, &lines)?))?;
    Ok(())
}

/// Does a menu entry's action (also `--quit` from a second launch).
pub async fn run_action<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    tracing::info!(?action, "tray action");
    let state = app.state::<AppState>();
    match state.app.tray_action(action).await {
        Ok(TrayOutcome::Relay(started)) => {
            if let Some(started) = started {
                forward(app, started);
            }
            let _ = app.emit(RELAY_CHANGED_EVENT, ());
            changed(app);
        }
        Ok(TrayOutcome::ShowWindow { relay_profile }) => {
            crate::window::show(app);
            if let Some(profile) = relay_profile {
                let _ = app.emit(OPEN_RELAY_EVENT, profile);
            }
        }
        Ok(TrayOutcome::Quit) => app.exit(0),
        Err(e) => {
            // The window says why when it is opened on the Relay screen; the log keeps it.
            tracing::warn!(error = %e, "the tray's action failed");
            changed(app);
        }
    }
}

/// Sends a relay's live records to the window, as the Relay screen's own start does.
pub fn forward<R: Runtime>(app: &AppHandle<R>, started: StartedRelay) {
    match started {
        StartedRelay::Http(s) => {
            crate::commands::relay::forward(app.clone(), s);
        }
        StartedRelay::Long(s) => {
            crate::commands::relay::forward(app.clone(), s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use companion::app::RunningRelay;
    use companion::notices::{Notice, NoticeKind};

    fn notice(kind: NoticeKind, profile: &str, params: &[(&str, &str)]) -> Notice {
        Notice {
            id: 1,
            profile: profile.into(),
            kind,
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            raised_at: "2026-12-03T00:00:00Z".into(),
            cleared_at: None,
        }
    }

    #[test]
    fn the_icon_and_the_words_differ_between_running_degraded_and_stopped() {
        let pictures = [
            icon(TrayState::Stopped, false),
            icon(TrayState::Running, false),
            icon(TrayState::Degraded, false),
            icon(TrayState::Running, true),
            icon(TrayState::Stopped, true),
        ];
        for (i, a) in pictures.iter().enumerate() {
            for b in &pictures[i + 1..] {
                assert_ne!(a.rgba(), b.rgba());
            }
        }
        let mut view = TrayView {
            profiles: vec!["Prod".into()],
            ..TrayView::default()
        };
        let Lines {
            tooltip: tip,
            status: line,
            ..
        } = lines(&view, Language::English);
        assert!(tip.contains("no relay"), "{tip}");
        assert_eq!(line, "No relay running");
        view.running = Some(RunningRelay {
            profile: "Prod".into(),
            listen: Some("127.0.0.1:9400".into()),
        });
        let tip = lines(&view, Language::SimplifiedChinese).tooltip;
        assert!(
            tip.contains("Prod") && tip.contains("127.0.0.1:9400"),
            "{tip}"
        );
        assert!(lines(&view, Language::English).attention.is_empty());
    }

    #[test]
    fn problems_that_last_are_named_in_the_menu_and_the_tooltip_in_both_languages() {
        let view = TrayView {
            profiles: vec!["Prod".into()],
            running: Some(RunningRelay {
                profile: "Prod".into(),
                listen: Some("127.0.0.1:9400".into()),
            }),
            ongoing: vec![
                notice(
                    NoticeKind::RelayUpstreamFailing,
                    "Prod",
                    &[("seconds", "60")],
                ),
                notice(
                    NoticeKind::QuotaThreshold,
                    "Staging",
                    &[("threshold", "90"), ("used", "900"), ("cap", "1000")],
                ),
            ],
        };
        assert_eq!(view.state(), TrayState::Degraded);
        assert_eq!(
            lines(&view, Language::English).attention,
            [
                "The upstream is failing (Prod)",
                "90 % of the monthly API quota used (Staging)"
            ]
        );
        let zh = lines(&view, Language::SimplifiedChinese).attention;
        assert!(zh[1].contains("90") && zh[1].contains("Staging"), "{zh:?}");
        assert_ne!(zh[0], "The upstream is failing (Prod)");
        let tip = lines(&view, Language::English).tooltip;
        assert!(
            tip.ends_with("90 % of the monthly API quota used (Staging)"),
            "{tip}"
        );
    }

    #[test]
    fn each_profile_stop_entry_is_the_one_stop_action() {
        assert_eq!(action_of("relay-stop:Prod"), Some(TrayAction::StopRelay));
        assert_eq!(
            action_of("relay-start:Prod"),
            Some(TrayAction::StartRelay("Prod".into()))
        );
        assert_eq!(action_of("status"), None);
    }
}
