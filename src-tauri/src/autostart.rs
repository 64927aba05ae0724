//! Start at login, through tauri-plugin-autostart: an XDG autostart entry on Linux
//! (`~/.config/autostart/<name>.desktop`), a launch agent on macOS, the Run key on Windows. The
//! entry starts the app with `--autostart`: no window, the tray, and the relay chosen for login
//! (`Settings::login_relay`). Off by default: nothing is written until the admin turns it on.

use companion::{Problem, ProblemCode};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::{AutoLaunchManager, MacosLauncher};

/// The argument the login entry passes.
pub const ARG: &str = "--autostart";

pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::init(MacosLauncher::LaunchAgent, Some(vec![ARG]))
}

fn failed(e: impl std::fmt::Display) -> Problem {
    Problem::new(ProblemCode::AutostartFailed).param("detail", e.to_string())
}

fn manager<R: Runtime>(app: &AppHandle<R>) -> Result<tauri::State<'_, AutoLaunchManager>, Problem> {
    app.try_state::<AutoLaunchManager>()
        .ok_or_else(|| failed("the autostart plugin is not loaded"))
}

/// Whether the login entry exists.
pub fn enabled<R: Runtime>(app: &AppHandle<R>) -> Result<bool, Problem> {
    manager(app)?.is_enabled().map_err(failed)
}

/// Writes (`on`) or removes the login entry; returns whether it exists now.
pub fn set<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<bool, Problem> {
    let manager = manager(app)?;
    if on {
        manager.enable().map_err(failed)?;
    } else {
        manager.disable().map_err(failed)?;
    }
    tracing::info!(on, "start at login changed");
    manager.is_enabled().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(home: &std::path::Path) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(home.join(".config/autostart"))
            .map(|dir| dir.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    /// With HOME in a temp folder: off at first, on writes one desktop entry that starts the
    /// app with --autostart, off removes it.
    #[test]
    #[cfg(target_os = "linux")]
    fn toggling_writes_and_removes_the_login_entry() {
        let home = tempfile::tempdir().unwrap();
        // Only this test reads HOME in this test binary.
        std::env::set_var("HOME", home.path());
        let app = tauri::test::mock_builder()
            .plugin(plugin())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .unwrap();
        let handle = app.handle();
        assert!(!enabled(handle).unwrap(), "off by default");
        assert!(entries(home.path()).is_empty());

        assert!(set(handle, true).unwrap());
        let written = entries(home.path());
        assert_eq!(written.len(), 1, "{written:?}");
        assert_eq!(written[0].extension().unwrap(), "desktop");
        let text = std::fs::read_to_string(&written[0]).unwrap();
        assert!(text.contains("[Desktop Entry]"), "{text}");
        let exec = text.lines().find(|l| l.starts_with("Exec=")).unwrap();
        assert!(exec.contains(ARG), "{exec}");
        assert!(enabled(handle).unwrap());

        assert!(!set(handle, false).unwrap());
        assert!(entries(home.path()).is_empty(), "off removes the entry");
        assert!(!set(handle, false).unwrap(), "off twice is fine");
    }
}
