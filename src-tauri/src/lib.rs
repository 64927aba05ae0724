//! The desktop shell: builds the Tauri app, holds the one `companion::App` core, and exposes thin
//! commands (one module per screen). Every decision lives in the `companion` crate.
//!
//! Start-up shows the window first: the core opens the database (milliseconds), and the slow
//! part, the sandbox's simulated tenant and its keychain entries, runs after the window is up;
//! the profile list waits for it instead of the window.

mod commands;
mod notices;
mod sandbox;
mod state;

use tauri::Manager;

pub use state::AppState;

/// When the process started, for the start-up time logged at the first paint.
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let paths = companion::paths::AppPaths::resolve(None);
    if let Err(e) = companion::logging::init(&paths.log_dir) {
        eprintln!("logging disabled: {e}");
    }
    tracing::info!(data_dir = %paths.data_dir.display(), "starting Lark Companion");
    let result = builder(tauri::Builder::default())
        // First, so a second launch hands over before it opens anything: the first window
        // comes to the front and the second process exits (no second sandbox, no second relay).
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("a second launch: focusing this window");
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            let core = companion::App::open(paths.clone())?;
            core.begin_startup();
            app.manage(AppState::new(core.clone()));
            notices::start(app.handle().clone());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let sandbox = sandbox::start_if_wanted(&core).await;
                handle.state::<AppState>().keep_sandbox(sandbox);
            });
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("the app stopped with an error: {e}");
        std::process::exit(1);
    }
}

/// Everything that does not depend on the runtime, so tests can use a mock builder.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}
