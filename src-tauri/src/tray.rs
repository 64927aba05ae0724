//! The tray icon: its picture says at a glance whether a relay runs (the app's icon with a green
//! dot) or not (the icon in grey), the tooltip and the menu's first line say which, and the menu
//! has each profile (start its relay, stop it, open the inspector), "Open Lark Companion" and
//! "Quit". A click becomes a [`TrayAction`] for `companion::App::tray_action`, the same core
//! methods the Relay screen's commands call; the shell only shows the window or leaves.
//!
//! The tray is redrawn when something here changed it, and otherwise checked every two
//! seconds (a relay started or stopped from the window, a renamed profile, a new language).

use std::sync::OnceLock;
use std::time::Duration;

use companion::app::{StartedRelay, TrayAction, TrayOutcome, TrayView};
use companion::ipc::Language;
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::words::{language, word};
use crate::AppState;

const TRAY_ID: &str = "main";
/// Tells the window that the relay changed outside it (reload its status).
pub const RELAY_CHANGED_EVENT: &str = "relay://changed";
/// Tells the window to show the Relay screen for a profile (the tray's "Open the inspector").
pub const OPEN_RELAY_EVENT: &str = "tray://open-relay";

/// The app's icon (128 px): in colour with a green dot while a relay runs, grey otherwise.
fn icon(running: bool) -> Image<'static> {
    static ICONS: OnceLock<(Image<'static>, Image<'static>)> = OnceLock::new();
    let (on, off) = ICONS.get_or_init(|| {
        let base = Image::from_bytes(include_bytes!("../../icons/128x128.png"))
            .expect("the bundled icon is a PNG");
        let (w, h) = (base.width(), base.height());
        let mut on = base.rgba().to_vec();
        let mut off = on.clone();
        // Running: a green dot with a white ring in the lower right quarter.
        let (cx, cy, r) = (w as f32 * 0.76, h as f32 * 0.76, w as f32 * 0.22);
        for y in 0..h {
            for x in 0..w {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
                let i = ((y * w + x) * 4) as usize;
                if d <= r * 0.72 {
                    on[i..i + 4].copy_from_slice(&[0x1f, 0xb8, 0x4f, 0xff]);
                } else if d <= r {
                    on[i..i + 4].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
                }
            }
        }
        // Stopped: grey, a little faded.
        for px in off.chunks_exact_mut(4) {
            let grey =
                (u32::from(px[0]) * 30 + u32::from(px[1]) * 59 + u32::from(px[2]) * 11) / 100;
            let grey = grey as u8;
            px[0] = grey;
            px[1] = grey;
            px[2] = grey;
            px[3] = (u32::from(px[3]) * 3 / 4) as u8;
        }
        (Image::new_owned(on, w, h), Image::new_owned(off, w, h))
    });
    if running {
        on.clone()
    } else {
        off.clone()
    }
}

/// The tooltip and the menu's first line for `view`.
pub fn status_lines(view: &TrayView, lang: Language) -> (String, String) {
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

fn menu<R: Runtime>(app: &AppHandle<R>, view: &TrayView, lang: Language) -> tauri::Result<Menu<R>> {
    let (_, status) = status_lines(view, lang);
    let menu = Menu::new(app)?;
    menu.append(&MenuItem::with_id(
        app,
        "status",
        status,
        false,
        None::<&str>,
    )?)?;
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
    let lang = language(None);
    let view = TrayView::default();
    let (tooltip, _) = status_lines(&view, lang);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(false))
        .tooltip(tooltip)
        .menu(&menu(app, &view, lang)?)
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
        let lang = language(settings.and_then(|s| s.language));
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
    let (tooltip, _) = status_lines(view, lang);
    tray.set_icon(Some(icon(view.running.is_some())))?;
    tray.set_tooltip(Some(tooltip))?;
    tray.set_menu(Some(menu(app, view, lang)?))?;
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

    #[test]
    fn the_icon_and_the_words_differ_between_running_and_stopped() {
        assert_ne!(icon(true).rgba(), icon(false).rgba());
        let mut view = TrayView {
            profiles: vec!["Prod".into()],
            running: None,
        };
        let (tip, line) = status_lines(&view, Language::English);
        assert!(tip.contains("no relay"), "{tip}");
        assert_eq!(line, "No relay running");
        view.running = Some(RunningRelay {
            profile: "Prod".into(),
            listen: Some("127.0.0.1:9400".into()),
        });
        let (tip, _) = status_lines(&view, Language::SimplifiedChinese);
        assert!(
            tip.contains("Prod") && tip.contains("127.0.0.1:9400"),
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
