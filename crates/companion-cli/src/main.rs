//! `lark-companion-cli`: the headless Lark Companion. Subcommands: info, app, profile, card, doctor,
//! relay (HTTP listener or long connection), quota and sim (a simulated platform).

use clap::{Parser, Subcommand};

mod app;
mod card;
mod doctor;
mod metered;
mod profile;
mod quota;
mod relay;
mod sim;
mod terminal;

#[derive(Parser)]
#[command(
    name = "lark-companion-cli",
    version,
    about = "Lark Companion without a window",
    after_help = EXIT_STATUSES
)]
struct Cli {
    /// Data folder (default: the app's data folder, or LARK_COMPANION_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print where the app keeps its data and the database version.
    Info,
    /// Set up the app by API: register (one QR scan), show, plan, apply, publish.
    App(app::AppArgs),
    /// Manage profiles (secrets go to the OS keychain only).
    Profile(profile::ProfileArgs),
    /// Alert cards: render a template, validate card JSON, send to chats and people, update.
    Card(card::CardArgs),
    /// Run every setup check for a profile and say how to fix what fails (exit 1 on a failure).
    Doctor(doctor::DoctorArgs),
    /// Run the callback relay: verify, record, forward; one line per request (Ctrl+C stops).
    /// Settings may come from a file (--config); a flag repeated, the last one wins.
    #[command(args_override_self = true)]
    Relay(relay::RelayArgs),
    /// Month-to-date API calls against the tenant's cap, forecast, ceilings and rate-limit
    /// events, from the local call ledger; also sets the cap, time zone and console baseline.
    Quota(quota::QuotaArgs),
    /// Run a simulated Feishu/Lark Open Platform on a loopback port (tests, demos, SDK peers).
    Sim(sim::SimArgs),
}

/// Exit statuses, in `--help`. A problem's status comes from its kind
/// (`companion::ProblemKind::exit_status`); a test keeps this text and that table in step.
const EXIT_STATUSES: &str = "\
Exit status:
  0   done
  1   a check failed (doctor, card validate, a card not delivered, apply stopped), or an
      error of no kind below
  2   a value was not accepted (fix the argument or the file)
  3   app plan: changes are pending
  4   the named profile, record or secret does not exist
  5   the name is already taken, or another relay serves the profile from the data folder
  6   Feishu/Lark refused the call or could not be reached
  7   the OS keychain is not available or did not answer in time
  8   the data folder or the database failed
  70  an unexpected problem inside the app (see the log)";

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error:#}");
            let status = error
                .downcast_ref::<profile::Reported>()
                .map_or(1, |reported| reported.0.kind.exit_status());
            std::process::ExitCode::from(status)
        }
    }
}

fn run() -> anyhow::Result<()> {
    let cli = Cli::parse_from(relay::with_config_file(std::env::args_os().collect())?);
    let paths = companion::paths::AppPaths::resolve(cli.data_dir);
    // The one core, built once, for every subcommand that uses the data folder.
    let app = || companion::App::open(paths.clone()).map_err(profile::explain);
    match cli.command {
        Command::Profile(args) => profile::run(args, &app()?)?,
        Command::Card(args) => {
            let runtime = runtime()?;
            let app = runtime.block_on(async { app() })?;
            if !runtime.block_on(card::run(args, &app))? {
                std::process::exit(1);
            }
        }
        Command::Doctor(args) => {
            let runtime = runtime()?;
            let app = runtime.block_on(async { app() })?;
            if !runtime.block_on(doctor::run(args, &app))? {
                std::process::exit(1);
            }
        }
        Command::App(args) => {
            let runtime = runtime()?;
            let app = runtime.block_on(async { app() })?;
            let status = runtime.block_on(app::run(args, &app))?;
            if status != 0 {
                std::process::exit(status);
            }
        }
        Command::Relay(args) => {
            let runtime = runtime()?;
            let app = runtime.block_on(async { app() })?;
            runtime.block_on(relay::run(args, &app))?
        }
        Command::Quota(args) => quota::run(args, &app()?)?,
        Command::Sim(args) => runtime()?.block_on(sim::run(args))?,
        Command::Info => {
            let app = app()?;
            let db = app.db();
            println!(
                "{}",
                serde_json::json!({
                    "dataDir": paths.data_dir,
                    "logDir": paths.log_dir,
                    "databaseVersion": db.version()?,
                })
            );
        }
    }
    Ok(())
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Resolves on Ctrl+C, or on SIGTERM where there is one, so services stop cleanly. The handlers
/// are installed when this is called, not when the future is first polled: a signal sent right
/// after a service said it started (a test, a supervisor) still stops it cleanly instead of
/// killing it. Call it inside the runtime.
pub(crate) fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, Signal, SignalKind};
        async fn received(signal: Option<Signal>) {
            match signal {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            tokio::select! {
                () = received(interrupt) => {}
                () = received(terminate) => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    /// Every kind's status is listed in `--help`.
    #[test]
    fn help_lists_every_exit_status() {
        for kind in companion::ProblemKind::iter() {
            let status = kind.exit_status();
            assert!(
                super::EXIT_STATUSES.contains(&format!("\n  {status} ")),
                "{kind:?} exits {status}, which --help does not list"
            );
        }
    }
}
