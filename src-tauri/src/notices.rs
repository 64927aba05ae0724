//! The shell's half of notices: the core's watchers decide, this shows. Each notice raised goes
//! out as one native notification (tauri-plugin-notification, the desktop's notification
//! service) in the app's language, and every change reaches the window as a `notices://changed`
//! event for its list. Runs whether or not the window is open.

use companion::ipc::Language;
use companion::notices::NoticeEvent;
use tauri::{Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;

pub const CHANGED_EVENT: &str = "notices://changed";

/// Starts the core's watchers and forwards what they raise.
pub fn start<R: tauri::Runtime>(handle: tauri::AppHandle<R>) {
    let state = handle.state::<AppState>();
    let app = state.app.clone();
    let mut events = app.notices().subscribe();
    tauri::async_runtime::spawn(async move {
        app.start_watchers(companion::app::WatchTiming::from_env());
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            };
            if let NoticeEvent::Raised { notice } = &event {
                let language =
                    Language::or_system(app.settings().await.ok().and_then(|s| s.language));
                let (title, body) = notice.text(language);
                let shown = handle
                    .notification()
                    .builder()
                    .title(format!("{} · {title}", notice.profile))
                    .body(body)
                    .show();
                if let Err(e) = shown {
                    tracing::warn!(error = %e, "no desktop notification");
                }
            }
            let _ = handle.emit(CHANGED_EVENT, &event);
            crate::tray::changed(&handle);
        }
    });
}
