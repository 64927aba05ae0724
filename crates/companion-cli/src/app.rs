//! `lark-companion-cli app`: setup by API. `register` creates the app by one QR scan (the App
//! Secret goes straight to the keychain); `show`, `plan`, `apply` and `publish` read, compare,
//! change and publish the app's settings (docs/protocol.md, "Creating and configuring the app
//! by API").
//!
//! Exit status: 0 done; 1 an error, or a registration denied or expired; 3 `plan` found
//! changes to make.

use std::io::{IsTerminal, Write};

use clap::{Args, Subcommand};
use companion::app::{SetupInput, SetupSubject};
use companion::appsetup::publish::VersionState;
use companion::appsetup::register::DEFAULT_APP_NAME;
use companion::appsetup::{Action, Blocker, Current, Effect, Plan, PlanItem};
use companion::profiles::{self, Credentials, Platform};
use companion::App;
use lark_platform::registration::{RegistrationError, Status};

use crate::profile::{explain, UrlArgs};

#[derive(Args)]
pub struct AppArgs {
    #[command(subcommand)]
    command: AppCommand,
}

/// The app and the integration's URLs, shared by show, plan, apply and publish.
#[derive(Args, Clone)]
struct Target {
    /// Profile whose app to use; without it the credentials come from LARK_APP_ID,
    /// LARK_APP_SECRET, LARK_VERIFICATION_TOKEN, LARK_ENCRYPT_KEY and LARK_PLATFORM.
    #[arg(long)]
    profile: Option<String>,
    /// The integration's URLs; each given here wins over the profile's.
    #[command(flatten)]
    urls: UrlArgs,
}

#[derive(Subcommand)]
enum AppCommand {
    /// Create a new app by scanning a QR code with Feishu/Lark on a phone (or opening the link);
    /// saves it as a profile with the App Secret in the keychain. Exit 1 when denied or expired.
    Register {
        /// Name of the new profile (default: the app's name).
        #[arg(long)]
        profile: Option<String>,
        /// feishu, lark, or an Open Platform base URL (the simulator's, for tests).
        #[arg(long, default_value = "feishu")]
        platform: String,
        /// The app's name on the creation page.
        #[arg(long, default_value = DEFAULT_APP_NAME)]
        name: String,
    },
    /// The app's name, versions and settings as the platform returns them, and the plan.
    Show {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        json: bool,
    },
    /// What `apply` would change. Exit 0 when nothing is left to do, 3 when changes are pending.
    Plan {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        json: bool,
    },
    /// Make the changes the plan lists (one config and one ability request at most).
    Apply {
        #[command(flatten)]
        target: Target,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Publish the pending changes as a new version and report its state. A tenant admin may
    /// have to approve it; that cannot be known in advance.
    Publish {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        yes: bool,
        /// What the version changes (default: the plan's items).
        #[arg(long)]
        changelog: Option<String>,
    },
}

impl Target {
    fn input(self) -> anyhow::Result<SetupInput> {
        let subject = match self.profile {
            Some(name) => SetupSubject::Profile(name),
            None => SetupSubject::Credentials(Credentials::from_env().map_err(explain)?),
        };
        Ok(SetupInput {
            subject,
            urls: self.urls.into(),
        })
    }
}

/// Runs the subcommand; the exit status.
pub async fn run(args: AppArgs, app: &App) -> anyhow::Result<i32> {
    match args.command {
        AppCommand::Register {
            profile,
            platform,
            name,
        } => register(app, profile, &platform, &name).await,
        AppCommand::Show { target, json } => {
            let overview = app.setup_show(target.input()?).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&overview.plan)?);
            } else {
                if let Some(info) = &overview.app {
                    println!(
                        "App {} ({})",
                        info.app_id,
                        info.app_name.as_deref().unwrap_or("?")
                    );
                    println!(
                        "  made in: {}",
                        info.create_source.as_deref().unwrap_or("unknown")
                    );
                    println!(
                        "  online version: {}",
                        info.online_version_id.as_deref().unwrap_or("none")
                    );
                    if let Some(review) = &info.unaudit_version_id {
                        println!("  under review: {review}");
                    }
                }
                if let Some(v) = &overview.snapshot.newest {
                    println!(
                        "  newest version: {} ({:?})",
                        v.version.as_deref().unwrap_or(&v.version_id),
                        v.status()
                    );
                }
                print_plan(&overview.plan);
            }
            Ok(0)
        }
        AppCommand::Plan { target, json } => {
            let plan = app.setup_plan(target.input()?).await.map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&plan)?);
            } else {
                print_plan(&plan);
            }
            Ok(if plan.has_changes() { 3 } else { 0 })
        }
        AppCommand::Apply { target, yes } => {
            let input = target.input()?;
            let plan = app.setup_plan(input.clone()).await.map_err(explain)?;
            print_plan(&plan);
            if plan.pending().next().is_none() {
                println!("Nothing to apply.");
                return Ok(if plan.has_changes() { 1 } else { 0 });
            }
            if !yes && !confirm("Apply these changes to the app?")? {
                println!("Nothing was changed.");
                return Ok(1);
            }
            let report = app.setup_apply(input).await.map_err(explain)?;
            println!("Applied {} item(s).", report.applied.len());
            if report.generated_keys {
                println!("A new Encrypt Key and Verification Token were set on the app and stored in the keychain.");
            }
            if report.stored_app_keys {
                println!(
                    "The app's Encrypt Key and Verification Token were stored in the keychain."
                );
            }
            if let Some(failure) = &report.failure {
                eprintln!("Stopped: {}", crate::profile::Reported(failure.clone()));
                if report.partial {
                    eprintln!("Part of the changes were made; `app apply` again finishes them.");
                }
            }
            println!("After applying:");
            print_plan(&report.plan);
            if report.plan.needs_publish() {
                println!(
                    "Some changes take effect after publishing: lark-companion-cli app publish"
                );
            }
            Ok(if report.failure.is_some() { 1 } else { 0 })
        }
        AppCommand::Publish {
            target,
            yes,
            changelog,
        } => {
            let input = target.input()?;
            println!(
                "Publishing submits a new version with the pending changes. A tenant admin may \
                 have to approve it before it goes live; that cannot be known in advance."
            );
            if !yes && !confirm("Publish now?")? {
                println!("Nothing was published.");
                return Ok(1);
            }
            let mut report = app
                .setup_publish(input.clone(), "Lark Companion".into(), changelog)
                .await
                .map_err(explain)?;
            // A submitted version settles quickly when no review is needed: look a few times.
            for _ in 0..5 {
                if report.state != VersionState::NotSubmitted {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                report = app
                    .setup_version_state(input.clone(), report.version_id.clone())
                    .await
                    .map_err(explain)?;
            }
            let version = report.version.as_deref().unwrap_or(&report.version_id);
            match report.state {
                VersionState::Online => println!("Version {version} is online."),
                VersionState::UnderReview => println!(
                    "Version {version} is under review: a tenant admin approves it in the admin \
                     console (Workplace > App review). `app show` tells when it is online."
                ),
                VersionState::Rejected => println!(
                    "Version {version} was rejected{}.",
                    report.note.map(|n| format!(": {n}")).unwrap_or_default()
                ),
                other => println!("Version {version} was submitted ({other:?})."),
            }
            Ok(if report.state == VersionState::Rejected {
                1
            } else {
                0
            })
        }
    }
}

fn confirm(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("{question} Not asked: standard input is not a terminal; pass --yes.");
    }
    print!("{question} [y/N] ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

async fn register(
    app: &App,
    profile: Option<String>,
    platform: &str,
    name: &str,
) -> anyhow::Result<i32> {
    let platform = Platform::parse(platform).map_err(explain)?;
    let profile_name = profiles::parse_name(profile.as_deref().unwrap_or(name)).map_err(explain)?;
    if profiles::names(app.db())
        .map_err(explain)?
        .iter()
        .any(|n| n.eq_ignore_ascii_case(&profile_name))
    {
        anyhow::bail!(
            "A profile named \"{profile_name}\" already exists; choose another with --profile."
        );
    }
    let (registrar, started, link) = app
        .registration_begin(&platform, name, None)
        .await
        .map_err(anyhow::Error::new)?;
    println!("Scan this code with the Feishu/Lark app on your phone, or open the link:\n");
    print!("{}", qr_text(&link));
    println!("\n{link}\n");
    println!(
        "The code expires in {} minutes.",
        started.expires_in.as_secs().div_ceil(60)
    );
    let result = app
        .registration_wait(&registrar, &started, |status| {
            let line = match status {
                Status::Pending => "Waiting for the scan and the confirmation…".to_owned(),
                Status::SlowDown(every) => {
                    format!("Asked to slow down: checking every {} s.", every.as_secs())
                }
                Status::SwitchedToLark => "The tenant is on Lark: continuing there.".to_owned(),
            };
            println!("{line}");
        })
        .await;
    match result {
        Ok(registered) => {
            let app_id = registered.app_id.clone();
            let summary = app
                .registration_save(profile_name, platform, registered)
                .await
                .map_err(explain)?;
            println!(
                "Created app {app_id}; saved as profile \"{}\" ({}) with its App Secret in the keychain.",
                summary.name,
                summary.platform.to_arg()
            );
            println!("Next: lark-companion-cli app plan --profile \"{}\" --web-config-url … --redirect-url … --card-request-url …", summary.name);
            Ok(0)
        }
        Err(e @ (RegistrationError::Denied | RegistrationError::Expired)) => {
            eprintln!("No app was created: {e}.");
            Ok(1)
        }
        Err(e) => Err(anyhow::Error::new(e)),
    }
}

/// The link as a QR code in Unicode half blocks (two rows of modules per line).
fn qr_text(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => {
            code.render::<qrcode::render::unicode::Dense1x2>()
                .quiet_zone(true)
                .build()
                + "\n"
        }
        Err(_) => "(the link is too long for a QR code; open it instead)\n".to_owned(),
    }
}

fn print_plan(plan: &Plan) {
    if plan.under_review {
        println!("A version is under review: nothing can be changed until the review ends.");
    }
    if !plan.console_made {
        println!("This app was not made in the developer console: change it there.");
    }
    if let Some(scope) = &plan.missing_read_scope {
        println!(
            "The app may not read its own settings: grant {scope} (or re-confirm the app by scan)."
        );
    }
    for item in &plan.items {
        println!("{}", plan_line(item));
    }
    let pending = plan.pending().count();
    println!(
        "{} change(s) to apply{}",
        pending,
        if plan.needs_publish() {
            "; publishing needed for some"
        } else {
            ""
        }
    );
}

fn plan_line(item: &PlanItem) -> String {
    let name = match &item.subject {
        Some(subject) => format!("{:?} {subject}", item.id),
        None => format!("{:?}", item.id),
    };
    let current = match &item.current {
        Current::Unknown => "unknown".to_owned(),
        Current::NotSet => "not set".to_owned(),
        Current::Value { text } => text.clone(),
    };
    let action = match item.action {
        Action::Nothing if item.awaiting_publish => "ok, live after publishing",
        Action::Nothing => "ok",
        Action::Add => "add",
        Action::Change => "change",
        Action::CantTell => "can't tell",
        Action::NotAllowed => "not allowed",
        Action::Mismatch => "differs from the keychain",
    };
    let when = match item.effect {
        Effect::AtOnce => "at once",
        Effect::AfterPublish => "after publishing",
    };
    let why = match &item.blocker {
        Some(Blocker::MissingScope { scope }) => format!(" (needs scope {scope})"),
        Some(Blocker::UnderReview) => " (a version is under review)".into(),
        Some(Blocker::NotConsoleApp) => " (not a console-made app)".into(),
        Some(Blocker::MissingInput { field }) => format!(" (give --{})", kebab(field)),
        Some(Blocker::NoKeychain) => " (needs --profile to keep keys)".into(),
        None => String::new(),
    };
    format!(
        "  [{action}] {name}: {current} -> {} ({when}{}){why}",
        if item.wanted.is_empty() {
            "?"
        } else {
            &item.wanted
        },
        if item.blocking { ", blocking" } else { "" }
    )
}

fn kebab(field: &str) -> String {
    field
        .chars()
        .flat_map(|c| {
            if c.is_ascii_uppercase() {
                vec!['-', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect()
}
