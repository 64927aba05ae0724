//! The desktop shell: builds the Tauri app, holds the one `companion::App` core, and exposes thin
//! commands (one module per screen). Every decision lives in the `companion` crate.
//!
//! Start-up shows the window first: the core opens the database (milliseconds), and the slow
//! part, the sandbox's simulated tenant and its keychain entries, runs after the window is up;
//! the profile list waits for it instead of the window.
//!
//! Started at login (`--autostart`), no window is made: the app sits in the tray and
//! starts the relay chosen for login. A second launch hands over to the first: with `--quit`
//! it stops the relay and quits the first, otherwise it shows the first's window. Closing the
//! window into the tray replaces the process with a fresh image that starts the same way and
//! takes the running relay over (`handover`, Linux).

mod autostart;
mod commands;
#[cfg(target_os = "linux")]
mod handover;
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
    let gl = lean_env::set();
    let paths = companion::paths::AppPaths::resolve(None);
    if let Err(e) = companion::logging::init(&paths.log_dir) {
        eprintln!("logging disabled: {e}");
    }
    let at_login = std::env::args().any(|a| a == autostart::ARG);
    // Before any thread starts: the descriptors the previous image left are taken here.
    let mut inherited = inherited();
    let taken_over = inherited.is_some();
    tracing::info!(data_dir = %paths.data_dir.display(), at_login, taken_over, "starting Lark Companion");
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
            lean_env::gtk_started(gl);
            if std::env::args().any(|a| a == QUIT_ARG) {
                // Here only when no other instance took the hand-over: nothing to quit.
                tracing::info!("--quit: Lark Companion is not running");
                std::process::exit(0);
            }
            let core = companion::App::open(paths.clone())?;
            core.begin_startup();
            if let Some(inherited) = &inherited {
                core.take_over_notices(&inherited.handover);
            }
            app.manage(AppState::new(core.clone()));
            notices::start(app.handle().clone());
            // The window is not made from the configuration (`create: false`): built now,
            // unless started at login or taking over from a window closed into the tray, when
            // the app starts in the tray with no webview at all.
            if at_login || taken_over {
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
            let inherited = inherited.take();
            tauri::async_runtime::spawn(async move {
                let sandbox_port = inherited.as_ref().and_then(|i| i.sandbox_port);
                let sandbox = sandbox::start_if_wanted(&core, sandbox_port).await;
                handle.state::<AppState>().keep_sandbox(sandbox);
                if let Some(inherited) = inherited {
                    take_over_relay(&handle, &core, inherited).await;
                } else if at_login {
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

/// The environment GTK and WebKit start with, for a lean app (docs/benchmarks.md, "Memory in
/// the tray"). Set before any thread of the app exists (the first thing `run` does); a value the
/// user set is always kept.
///
/// - `GDK_GL=disable`, only while GTK starts: on X11, GDK opens OpenGL when it opens the
///   display, to pick a visual for GL drawing, whether or not anything draws with GL; that loads
///   the GL driver (Mesa's, with LLVM) into the app, about 30 MiB of PSS even in the tray.
///   Nothing in the app draws with GDK's GL. GTK 3's documented switch.
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1`, for the app's life: the webview paints without GPU
///   compositing (`window.rs`), so WebKit's DMA-BUF renderer, which only carries composited
///   frames, is never used; switched off, the app maps less of the GL driver (-3 MiB).
///   WebKitGTK's own switch.
/// - `JSC_useJIT=false`, for the app's life: the web process runs the screens' JavaScript in
///   JavaScriptCore's interpreter, without compiling it to machine code (-11 MiB with the
///   window open: no JIT compilers' memory and code pages). The screens are forms and tables:
///   the first screen comes as soon, and the heaviest drawing (the kitchen-sink card, light and
///   dark) takes as long, with or without the JIT (docs/benchmarks.md). It also takes the JIT,
///   a classic target of browser exploits, out of the page that draws admin-supplied cards.
///   JavaScriptCore reads its options from `JSC_` variables.
///
/// The last two stay set because WebKit reads them each time it starts a web process, also
/// when the window is built again after the tray; a program the app starts (a browser for a
/// link) inherits them, which only a WebKitGTK browser would notice.
mod lean_env {
    const GDK_GL: &str = "GDK_GL";
    const KEPT: [(&str, &str); 2] = [
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ("JSC_useJIT", "false"),
    ];

    /// Whether `GDK_GL` was set here (and must be removed once GTK is up).
    pub struct GdkGl(bool);

    pub fn set() -> GdkGl {
        if !cfg!(target_os = "linux") {
            return GdkGl(false);
        }
        for (name, value) in KEPT {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, value);
            }
        }
        if std::env::var_os(GDK_GL).is_none() {
            std::env::set_var(GDK_GL, "disable");
            return GdkGl(true);
        }
        GdkGl(false)
    }

    /// GTK is up and has read `GDK_GL`: programs the app starts get it as it was.
    pub fn gtk_started(set: GdkGl) {
        if set.0 {
            std::env::remove_var(GDK_GL);
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

/// What the previous image of this process handed over when its window closed into the tray
/// (Linux, `handover`).
pub(crate) struct Inherited {
    /// The core's part: the relay and the notices.
    pub handover: companion::app::handover::Handover,
    /// Where the sandbox's simulated tenant listened.
    pub sandbox_port: Option<u16>,
    /// When the previous image wrote the hand-over (ms since the Unix epoch).
    pub written_ms: Option<u64>,
}

/// The hand-over this image was started with, if any (always `None` off Linux).
fn inherited() -> Option<Inherited> {
    #[cfg(target_os = "linux")]
    if let Some(inherited) = handover::take_inherited() {
        handover::reap_old_children();
        return Some(inherited);
    }
    None
}

/// Now, in ms since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Taking over from the image that closed its window into the tray: its relay starts again here.
async fn take_over_relay<R: tauri::Runtime>(
    handle: &tauri::AppHandle<R>,
    core: &companion::App,
    inherited: Inherited,
) {
    core.ready().await;
    match core.take_over_relay(inherited.handover).await {
        Ok(Some(started)) => {
            // From the old image's hand-over to the relay serving again here.
            let ms = inherited.written_ms.map(|t| now_ms().saturating_sub(t));
            tracing::info!(?ms, "took over: the relay keeps running in the tray");
            tray::forward(handle, started);
            tray::changed(handle);
        }
        Ok(None) => tracing::info!("took over: no relay was running"),
        Err(e) => tracing::warn!(error = %e, "took over, but the relay did not start again"),
    }
}

/// Everything that does not depend on the runtime, so tests can use a mock builder.
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}
