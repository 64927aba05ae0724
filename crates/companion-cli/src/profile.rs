//! `lark-companion-cli profile ...`: manage profiles without the window. A thin layer over
//! `companion::profiles`: parse arguments, read secrets safely, print.
//!
//! Secrets never come from argv (it is visible in `ps` and shell history). They are read from
//! standard input, one per line in console order (App Secret, Verification Token, Encrypt Key;
//! an empty or missing line skips that secret), or, when standard input is a terminal, asked for
//! with hidden input.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use companion::keychain::SecretKind;
use companion::profiles::{self, Credentials, IntegrationUrls, Platform, ProfileInput};
use companion::profiles::{ProfileSummary, Secret, SecretPresence, SecretsInput};
use companion::App;

#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// Create a profile. Secrets: stdin lines App Secret, Verification Token, Encrypt Key (empty
    /// line = skip), or hidden prompts on a terminal. Never pass them as arguments.
    Add(AddArgs),
    /// List profiles and which secrets the keychain holds for each.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one profile; secrets only as stored/missing. Without NAME: the credentials from the
    /// LARK_APP_ID, LARK_APP_SECRET, LARK_VERIFICATION_TOKEN, LARK_ENCRYPT_KEY, LARK_PLATFORM
    /// environment variables (what commands use when no --profile is given).
    Show {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Rename a profile; its keychain entries stay with it.
    Rename { name: String, new_name: String },
    /// Delete a profile with its keychain entries and check history.
    Delete { name: String },
    /// Enter or replace a profile's secrets (same input rules as `add`).
    SetSecrets { name: String },
    /// Write all profiles as JSON, without any secret value.
    Export {
        /// File to write (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Create profiles from an export file ("-" reads standard input); then enter their
    /// secrets with `set-secrets`.
    Import { file: PathBuf },
}

/// `profile add`'s arguments.
#[derive(Debug, Args)]
struct AddArgs {
    name: String,
    /// feishu, lark, or the Open Platform's base URL.
    #[arg(long, default_value = "feishu")]
    platform: String,
    /// cli_ followed by 16 hex digits (Credentials & Basic Info in the console).
    #[arg(long)]
    app_id: String,
    #[command(flatten)]
    urls: UrlArgs,
}

/// The integration's three URLs as flags (`profile add`, and `app` where they override the
/// profile's).
#[derive(Debug, Clone, Args)]
pub(crate) struct UrlArgs {
    /// Web Configuration URL given by the integration.
    #[arg(long)]
    web_config_url: Option<String>,
    /// Redirect URL given by the integration.
    #[arg(long)]
    redirect_url: Option<String>,
    /// Message Card Request URL given by the integration.
    #[arg(long)]
    card_request_url: Option<String>,
}

impl From<UrlArgs> for IntegrationUrls {
    fn from(args: UrlArgs) -> Self {
        Self {
            web_config_url: args.web_config_url,
            redirect_url: args.redirect_url,
            card_request_url: args.card_request_url,
        }
    }
}

/// Runs one `profile` subcommand.
pub fn run(args: ProfileArgs, app: &App) -> anyhow::Result<()> {
    match args.command {
        ProfileCommand::Add(add_args) => add(app, add_args),
        ProfileCommand::List { json } => list(app, json),
        ProfileCommand::Show { name, json } => show(app, name.as_deref(), json),
        ProfileCommand::Rename { name, new_name } => rename(app, &name, &new_name),
        ProfileCommand::Delete { name } => delete(app, &name),
        ProfileCommand::SetSecrets { name } => set_secrets(app, &name),
        ProfileCommand::Export { output } => export(app, output.as_deref()),
        ProfileCommand::Import { file } => import(app, &file),
    }
}

/// `profile add`: creates the profile and stores the secrets read from stdin or the terminal.
fn add(app: &App, args: AddArgs) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let AddArgs {
        name,
        platform,
        app_id,
        urls,
    } = args;
    let input = ProfileInput {
        name,
        platform: Platform::parse(&platform).map_err(explain)?,
        app_id,
        urls: Some(urls.into()),
        secrets: read_secrets()?,
    };
    let created = profiles::add(app.db(), app.store(), input, now).map_err(explain)?;
    println!(
        "Created profile \"{}\". {}",
        created.name,
        describe_stored(&created.secrets)
    );
    Ok(())
}

/// `profile list`: a table (or JSON) of every profile and its secrets' presence.
fn list(app: &App, json: bool) -> anyhow::Result<()> {
    let list = profiles::list(app.db(), app.store()).map_err(explain)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        print_table(&list);
    }
    Ok(())
}

/// `profile show [NAME]`: one profile, or without a name the LARK_* environment's credentials.
fn show(app: &App, name: Option<&str>, json: bool) -> anyhow::Result<()> {
    let Some(name) = name else {
        let creds = Credentials::from_env().map_err(explain)?;
        return print_env_credentials(&creds, json);
    };
    let profile = profiles::get(app.db(), app.store(), name).map_err(explain)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&profile)?);
    } else {
        print_profile(&profile);
    }
    Ok(())
}

/// `profile rename`: the keychain entries stay with the profile.
fn rename(app: &App, name: &str, new_name: &str) -> anyhow::Result<()> {
    profiles::rename(app.db(), name, new_name, chrono::Utc::now()).map_err(explain)?;
    println!("Renamed \"{name}\" to \"{}\".", new_name.trim());
    Ok(())
}

/// `profile delete`: the profile, its keychain entries and its check history.
fn delete(app: &App, name: &str) -> anyhow::Result<()> {
    profiles::delete(app.db(), app.store(), name).map_err(explain)?;
    println!("Deleted \"{name}\" and its keychain entries.");
    Ok(())
}

/// `profile set-secrets`: enters or replaces the secrets of an existing profile.
fn set_secrets(app: &App, name: &str) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let (db, store) = (app.db(), app.store());
    // Fail on an unknown name before asking for anything.
    profiles::get(db, store, name).map_err(explain)?;
    let presence = profiles::set_secrets(db, store, name, read_secrets()?, now).map_err(explain)?;
    println!("{}", describe_stored(&presence));
    Ok(())
}

/// `profile export`: every profile as JSON, without secret values, to a file or stdout.
fn export(app: &App, output: Option<&Path>) -> anyhow::Result<()> {
    let text = profiles::export_json(app.db(), app.store()).map_err(explain)?;
    match output {
        Some(path) => {
            std::fs::write(path, format!("{text}\n"))
                .with_context(|| format!("could not write {}", path.display()))?;
            eprintln!("Wrote {} (no secret values are in it).", path.display());
        }
        None => println!("{text}"),
    }
    Ok(())
}

/// `profile import`: creates the profiles of an export file ("-": stdin) and says which secrets
/// each still needs.
fn import(app: &App, file: &Path) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let text = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(file)
            .with_context(|| format!("could not read {}", file.display()))?
    };
    let report = profiles::import_json(app.db(), &text, now).map_err(explain)?;
    for p in &report.profiles {
        let labels: Vec<_> = p.secrets_to_enter.iter().map(|k| k.label()).collect();
        println!(
            "Imported \"{}\". Enter its secrets ({}) with: lark-companion-cli profile \
             set-secrets \"{}\"",
            p.name,
            labels.join(", "),
            p.name
        );
    }
    Ok(())
}

/// A companion error as CLI text: the message, then what to do.
pub(crate) fn explain(error: impl Into<companion::Problem>) -> anyhow::Error {
    anyhow::Error::new(Reported(error.into()))
}

/// A problem from the core in English, from the same catalogue the window translates: the
/// sentence, what to do, and the console page. `main` exits with its kind's status.
#[derive(Debug)]
pub(crate) struct Reported(pub companion::Problem);

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let problem = &self.0;
        problem.fmt(f)?;
        if let Some(fix) = problem.english_fix() {
            write!(f, "\nWhat to do: {fix}")?;
        }
        if let Some(link) = problem.fix.as_ref().and_then(|fix| fix.link.as_deref()) {
            write!(f, "\nConsole page: {link}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Reported {}

/// Reads the three secrets in console order, from hidden prompts on a terminal or one line
/// each from piped standard input.
fn read_secrets() -> anyhow::Result<SecretsInput> {
    let mut secrets = SecretsInput::default();
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        for kind in SecretKind::ALL {
            let value = rpassword::prompt_password(format!(
                "{} (input hidden, Enter to skip): ",
                kind.label()
            ))
            .context("could not read from the terminal")?;
            secrets.set(kind, Some(Secret::new(value)));
        }
    } else {
        let mut lines = stdin.lock().lines();
        for kind in SecretKind::ALL {
            match lines.next() {
                Some(line) => secrets.set(kind, Some(Secret::new(line?))),
                None => break,
            }
        }
    }
    Ok(secrets)
}

fn state(present: bool) -> &'static str {
    if present {
        "stored"
    } else {
        "missing"
    }
}

fn describe_stored(presence: &SecretPresence) -> String {
    let stored: Vec<_> = presence.stored().iter().map(|k| k.label()).collect();
    if stored.is_empty() {
        "No secret stored yet; add them with `lark-companion-cli profile set-secrets`.".into()
    } else {
        format!("Stored in the OS keychain: {}.", stored.join(", "))
    }
}

fn print_table(list: &[ProfileSummary]) {
    if list.is_empty() {
        println!("No profiles yet. Create one with `lark-companion-cli profile add`.");
        return;
    }
    let rows: Vec<[String; 4]> = list
        .iter()
        .map(|p| {
            let missing: Vec<_> = SecretKind::ALL
                .into_iter()
                .filter(|k| !p.secrets.get(*k))
                .map(|k| k.label())
                .collect();
            let secrets = if missing.is_empty() {
                "all stored".to_owned()
            } else {
                format!("missing: {}", missing.join(", "))
            };
            [
                p.name.clone(),
                p.platform.to_arg(),
                p.app_id.clone(),
                secrets,
            ]
        })
        .collect();
    let header = ["NAME", "PLATFORM", "APP ID", "SECRETS"].map(String::from);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<_> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
}

fn print_profile(p: &ProfileSummary) {
    let url = |u: &Option<String>| u.clone().unwrap_or_else(|| "(not set)".into());
    println!("Name:                     {}", p.name);
    println!(
        "Platform:                 {} ({})",
        p.platform.to_arg(),
        p.platform.base_url()
    );
    println!("App ID:                   {}", p.app_id);
    for kind in SecretKind::ALL {
        println!(
            "{:<26}{}",
            format!("{}:", kind.label()),
            state(p.secrets.get(kind))
        );
    }
    println!("Web Configuration URL:    {}", url(&p.urls.web_config_url));
    println!("Redirect URL:             {}", url(&p.urls.redirect_url));
    println!(
        "Message Card Request URL: {}",
        url(&p.urls.card_request_url)
    );
    println!("Created:                  {}", p.created_at.to_rfc3339());
    println!("Updated:                  {}", p.updated_at.to_rfc3339());
}

fn print_env_credentials(c: &Credentials, json: bool) -> anyhow::Result<()> {
    let presence = [
        (SecretKind::AppSecret, true),
        (
            SecretKind::VerificationToken,
            c.verification_token.is_some(),
        ),
        (SecretKind::EncryptKey, c.encrypt_key.is_some()),
    ];
    if json {
        let mut secrets = serde_json::Map::new();
        for (kind, present) in presence {
            secrets.insert(
                serde_json::to_value(kind)?
                    .as_str()
                    .unwrap_or_default()
                    .into(),
                present.into(),
            );
        }
        let doc = serde_json::json!({
            "source": "environment",
            "platform": c.platform,
            "appId": c.app_id,
            "secrets": secrets,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        println!("Source:                   environment (LARK_* variables)");
        println!(
            "Platform:                 {} ({})",
            c.platform.to_arg(),
            c.platform.base_url()
        );
        println!("App ID:                   {}", c.app_id);
        for (kind, present) in presence {
            println!(
                "{:<26}{}",
                format!("{}:", kind.label()),
                if present { "set" } else { "missing" }
            );
        }
    }
    Ok(())
}
