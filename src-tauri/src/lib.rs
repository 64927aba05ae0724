//! The desktop shell: builds the Tauri app, holds the managed state, and exposes thin commands
//! (one module per screen). Every decision lives in the `companion` crate.

mod commands;
mod sandbox;
mod state;

use tauri::Manager;

pub use state::AppState;

pub fn run() {
    let paths = companion::paths::AppPaths::resolve(None);
    if let Err(e) = companion::logging::init(&paths.log_dir) {
        eprintln!("logging disabled: {e}");
    }
    tracing::info!(data_dir = %paths.data_dir.display(), "starting Lark Companion");
    let result = builder(tauri::Builder::default())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            let state = AppState::open(paths.clone())?;
            let sandbox = sandbox::start_if_wanted(&state);
            app.manage(state.with_sandbox(sandbox));
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
