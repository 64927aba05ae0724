//! The desktop shell: builds the Tauri app, holds the one `companion::App` core, and exposes thin
//! commands (one module per screen). Every decision lives in the `companion` crate.
//!
//! Start-up shows the window first: the core opens the database (milliseconds), and the slow
//! part, the sandbox's simulated tenant and its keychain entries, runs after the window is up;
//! the profile list waits for it instead of the window.
//!
//! Started at login (`--autostart`), the window stays hidden: the app sits in the tray and
//! starts the relay chosen for login. A second launch hands over to the first: with `--quit`
//! it stops the relay and quits the first, otherwise it shows the first's window.

mod autostart;
mod commands;
mod notices;
mod sandbox;
mod state;
mod tray;
mod window;
mod words;

use tauri::Manager;

pub use state::AppState;

/// When the process started, for the start-up time logged at the first paint.
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let gl = gdk_gl::disable();
    let paths = companion::paths::AppPaths::resolve(None);
    if let Err(e) = companion::logging::init(&paths.log_dir) {
        eprintln!("logging disabled: {e}");
    }
    let at_login = std::env::args().any(|a| a == autostart::ARG);
    tracing::info!(data_dir = %paths.data_dir.display(), at_login, "starting Lark Companion");
    let result = builder(tauri::Builder::default())
        // First, so a second launch hands over before it opens anything: the first window
        // comes to the front and the second process exits (no second sandbox, no second relay).
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if args.iter().any(|a| a == QUIT_ARG) {
                tracing::info!("a second launch with --quit: stopping the relay and quitting");
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    tray::run_action(&app, companion::app::TrayAction::Quit).await;
                });
            } else if !args.iter().any(|a| a == autostart::ARG) {
                tracing::info!("a second launch: focusing this window");
                window::show(app);
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(autostart::plugin())
        .on_window_event(window::on_event)
        .setup(move |app| {
            // GTK is up and has read GDK_GL: programs the app starts (a browser for a link)
            // get the environment as it was.
            gdk_gl::restore(gl);
            if std::env::args().any(|a| a == QUIT_ARG) {
                // Here only when no other instance took the hand-over: nothing to quit.
                tracing::info!("--quit: Lark Companion is not running");
                std::process::exit(0);
            }
            let core = companion::App::open(paths.clone())?;
            core.begin_startup();
            app.manage(AppState::new(core.clone()));
            notices::start(app.handle().clone());
            // The window is not made from the configuration (`create: false`): built now,
            // unless started at login, when the app starts in the tray with no webview at all.
            if at_login {
                app.state::<AppState>()
                    .in_tray
                    .store(true, std::sync::atomic::Ordering::SeqCst);
            } else {
                window::show(app.handle());
            }
            if let Err(e) = tray::install(app.handle()) {
                // No tray (no status notifier on this desktop): the window still works.
                tracing::warn!(error = %e, "no tray icon");
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let sandbox = sandbox::start_if_wanted(&core).await;
                handle.state::<AppState>().keep_sandbox(sandbox);
                if at_login {
                    start_login_relay(&handle, &core).await;
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!())
        .map(|app| {
            app.run(|app, event| {
                // The last window closed into the tray: the app stays (Quit exits with a code).
                if let tauri::RunEvent::ExitRequested {
                    code: None, api, ..
                } = &event
                {
                    if window::keeps_running(app) {
                        api.prevent_exit();
                    }
                }
            })
        });
    if let Err(e) = result {
        tracing::error!("the app stopped with an error: {e}");
        std::process::exit(1);
    }
}

/// GTK (GDK) without OpenGL in the app's own process. On X11, GDK opens OpenGL when it opens
/// the display, to pick a visual for GL drawing, whether or not anything draws with GL: that
/// loads the GL driver (Mesa's, with LLVM) into the app, about 30 MiB of PSS even in the tray.
/// Nothing in the app draws with GDK's GL: the window is a webview that WebKit paints without
/// GPU compositing (`window.rs`). `GDK_GL=disable` is GTK 3's documented switch; it is only set
/// while GTK starts, and a value the user set is kept. docs/benchmarks.md, "Memory in the tray".
mod gdk_gl {
    const VAR: &str = "GDK_GL";

    /// Whether the variable was set here (and must be removed again).
    pub struct Set(bool);

    pub fn disable() -> Set {
        if cfg!(target_os = "linux") && std::env::var_os(VAR).is_none() {
            // Before any thread of the app exists (the first thing `run` does).
            std::env::set_var(VAR, "disable");
            return Set(true);
        }
        Set(false)
    }

    pub fn restore(set: Set) {
        if set.0 {
            std::env::remove_var(VAR);
        }
    }
}

/// A second launch with this argument quits the running app (stopping its relay cleanly).
pub const QUIT_ARG: &str = "--quit";

/// Started at login: the relay chosen for login starts (once the profiles are ready).
async fn start_login_relay<R: tauri::Runtime>(handle: &tauri::AppHandle<R>, core: &companion::App) {
    core.ready().await;
    match core.start_login_relay().await {
        Ok(Some(started)) => {
            tracing::info!("started the login relay");
            tray::forward(handle, started);
            tray::changed(handle);
        }
        Ok(None) => tracing::info!("started at login; no relay is chosen for login"),
        Err(e) => tracing::warn!(error = %e, "could not start the login relay"),
    }
}

/// Everything that does not depend on the runtime, so tests can use a mock builder.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}
