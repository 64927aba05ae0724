//! `lark-companion-cli`: the headless Lark Companion. Later subcommands: relay, doctor, profile,
//! card, quota, sim.

use clap::{Parser, Subcommand};

mod profile;

#[derive(Parser)]
#[command(name = "lark-companion-cli", version, about = "Lark Companion without a window")]
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
    /// Manage profiles (secrets go to the OS keychain only).
    Profile(profile::ProfileArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let paths = companion::paths::AppPaths::resolve(cli.data_dir);
    match cli.command {
        Command::Profile(args) => profile::run(args, &paths.data_dir)?,
        Command::Info => {
            let db = companion::db::Database::open(&paths.data_dir)?;
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
