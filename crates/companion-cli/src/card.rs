//! `lark-companion-cli card ...`: render a template with an alert, validate card JSON, send a
//! card to chats and people, update a sent card. A thin layer over `companion::cards`; the
//! templates are the app's (built-ins, replaced by same-named files in the data folder's
//! `templates/cards`), so the CLI and the window draw the same cards.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use companion::cards::{
    self, Alert, CardCheck, CardKind, CardVersion, Delivery, FindingSeverity, RenderRequest,
    SendTarget, TargetKind, TemplateOrigin,
};
use companion::ipc::Language;
use companion::profiles;
use companion::App;

use crate::profile::explain;

#[derive(Args)]
pub struct CardArgs {
    #[command(subcommand)]
    command: CardCommand,
}

#[derive(Subcommand)]
enum CardCommand {
    /// Render a template with an alert and print the card JSON (the validator's findings go to
    /// standard error).
    Render(RenderArgs),
    /// Check card JSON: shape, tags, colours, buttons, markdown, the 30 KB size. Prints each
    /// finding with its JSON path; exits 1 when there is an error.
    Validate(ValidateArgs),
    /// Send card JSON to groups and people (several at once); prints each message ID. Exits 1
    /// when a target failed.
    Send(SendArgs),
    /// Replace the content of a card the app sent (for example with its acknowledged version).
    Update(UpdateArgs),
    /// List the templates in use; --export copies the built-ins into the templates folder to
    /// edit (existing files are kept).
    Templates(TemplatesArgs),
}

#[derive(Args)]
pub struct RenderArgs {
    /// triggered, acknowledged, resolved or digest.
    #[arg(long, value_enum)]
    template: Template,
    /// Card JSON structure: 2 (2.0, the default) or 1 (1.0, for older clients).
    #[arg(long, default_value = "2", value_parser = parse_schema)]
    schema: CardVersion,
    /// An alert as JSON (the app's Alert model, or a list of them), or any payload the app
    /// imports: an Alertmanager or Grafana webhook body, or generic alert JSON. "-" reads
    /// standard input.
    #[arg(long)]
    alert: PathBuf,
    /// Templates folder (default: templates/cards in the data folder).
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Card language: en or zh-CN (default: the profile's card language, else English).
    #[arg(long, value_parser = parse_language)]
    language: Option<Language>,
    /// Profile whose card language to use when --language is not given.
    #[arg(long)]
    profile: Option<String>,
}

#[derive(Args)]
pub struct ValidateArgs {
    /// Card JSON file, or "-" for standard input.
    file: PathBuf,
    /// Print the findings and the size as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SendArgs {
    /// Profile to send as; without it the credentials come from LARK_APP_ID and
    /// LARK_APP_SECRET (and LARK_PLATFORM).
    #[arg(long)]
    profile: Option<String>,
    /// A group the bot is in (oc_…). Repeatable.
    #[arg(long = "chat-id")]
    chat_ids: Vec<String>,
    /// A person by email. Repeatable.
    #[arg(long = "email")]
    emails: Vec<String>,
    /// A person by open_id (ou_…). Repeatable.
    #[arg(long = "open-id")]
    open_ids: Vec<String>,
    /// Send even when the validator finds errors (the platform will likely refuse).
    #[arg(long)]
    force: bool,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    /// Card JSON file, or "-" for standard input.
    file: PathBuf,
}

#[derive(Args)]
pub struct UpdateArgs {
    #[arg(long)]
    profile: Option<String>,
    /// The sent message (om_…), as `card send` printed it.
    #[arg(long)]
    message_id: String,
    #[arg(long)]
    force: bool,
    #[arg(long)]
    json: bool,
    /// Card JSON file, or "-" for standard input.
    file: PathBuf,
}

#[derive(Args)]
pub struct TemplatesArgs {
    #[arg(long)]
    export: bool,
    #[arg(long)]
    templates: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Template {
    Triggered,
    Acknowledged,
    Resolved,
    Digest,
}

impl From<Template> for CardKind {
    fn from(t: Template) -> Self {
        match t {
            Template::Triggered => CardKind::Triggered,
            Template::Acknowledged => CardKind::Acknowledged,
            Template::Resolved => CardKind::Resolved,
            Template::Digest => CardKind::Digest,
        }
    }
}

fn parse_language(raw: &str) -> Result<Language, String> {
    match raw.trim() {
        "en" => Ok(Language::English),
        "zh-CN" | "zh-cn" | "zh" => Ok(Language::SimplifiedChinese),
        other => Err(format!("language is en or zh-CN, not {other}")),
    }
}

/// The card language of a render: `--language`, else the profile's own card language, else
/// English (a server has no app language to follow).
fn render_language(
    app: &App,
    language: Option<Language>,
    profile: Option<&str>,
) -> anyhow::Result<Language> {
    if let Some(language) = language {
        return Ok(language);
    }
    let Some(name) = profile else {
        return Ok(Language::English);
    };
    Ok(profiles::card_language(app.db(), name)
        .map_err(explain)?
        .unwrap_or(Language::English))
}

fn parse_schema(raw: &str) -> Result<CardVersion, String> {
    match raw.trim() {
        "2" | "2.0" => Ok(CardVersion::V2),
        "1" | "1.0" => Ok(CardVersion::V1),
        other => Err(format!("schema is 2 or 1, not {other}")),
    }
}

/// Runs a card command; `Ok(false)` means "exit 1" (errors found, a target failed).
pub async fn run(args: CardArgs, app: &App) -> anyhow::Result<bool> {
    match args.command {
        CardCommand::Render(args) => render(args, app),
        CardCommand::Validate(args) => validate(args),
        CardCommand::Send(args) => send(args, app).await,
        CardCommand::Update(args) => update(args, app).await,
        CardCommand::Templates(args) => templates(args, app),
    }
}

/// `card render`: prints the rendered card; the validator's findings go to standard error.
fn render(args: RenderArgs, app: &App) -> anyhow::Result<bool> {
    let RenderArgs {
        template,
        schema,
        alert,
        templates,
        language,
        profile,
    } = args;
    let alerts = read_alerts(&alert)?;
    let language = render_language(app, language, profile.as_deref())?;
    let request = RenderRequest {
        kind: template.into(),
        version: schema,
        alerts,
        language: Some(language),
    };
    let dir = templates.unwrap_or_else(|| app.templates_dir());
    let view = cards::gallery::render(&dir, &request).map_err(explain)?;
    println!("{}", view.text);
    print_findings(&view.check, true);
    Ok(true)
}

/// `card validate`: prints the findings; false when there is an error.
fn validate(args: ValidateArgs) -> anyhow::Result<bool> {
    let ValidateArgs { file, json } = args;
    let check = cards::check_text(&read_text(&file)?);
    if json {
        println!("{}", serde_json::to_string_pretty(&check)?);
    } else {
        print_findings(&check, false);
    }
    Ok(!check.has_errors())
}

/// `card send`: sends to every target; false when one failed.
async fn send(args: SendArgs, app: &App) -> anyhow::Result<bool> {
    let SendArgs {
        profile,
        chat_ids,
        emails,
        open_ids,
        force,
        json,
        file,
    } = args;
    let targets: Vec<SendTarget> = [
        (TargetKind::ChatId, chat_ids),
        (TargetKind::Email, emails),
        (TargetKind::OpenId, open_ids),
    ]
    .into_iter()
    .flat_map(|(kind, ids)| ids.into_iter().map(move |id| SendTarget::new(kind, id)))
    .collect();
    cards::clean_targets(&targets).map_err(|_| {
        anyhow::anyhow!("Give at least one --chat-id, --email or --open-id to send to.")
    })?;
    let card = read_card(&file, force)?;
    let creds = credentials(app, profile.as_deref())?;
    let metered = crate::metered::client_for(app, &creds)?;
    let deliveries =
        cards::send_to_targets(&metered.client, &creds.platform, &card, &targets, None)
            .await
            .map_err(explain)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&deliveries)?);
    } else {
        for delivery in &deliveries {
            print_delivery(delivery);
        }
    }
    Ok(deliveries.iter().all(Delivery::is_sent))
}

/// `card update`: replaces a sent card's content; false when the platform refused.
async fn update(args: UpdateArgs, app: &App) -> anyhow::Result<bool> {
    let UpdateArgs {
        profile,
        message_id,
        force,
        json,
        file,
    } = args;
    let card = read_card(&file, force)?;
    let creds = credentials(app, profile.as_deref())?;
    let metered = crate::metered::client_for(app, &creds)?;
    let update = cards::update_sent_card(&metered.client, &creds.platform, &message_id, &card)
        .await
        .map_err(explain)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&update)?);
    } else if let Some(failure) = &update.failure {
        println!("FAILED  {}  {}", update.message_id, failure.english());
        print_fix(failure);
    } else {
        println!("UPDATED {}", update.message_id);
    }
    Ok(update.updated)
}

/// `card templates`: lists the templates (copying the built-ins out first with --export).
fn templates(args: TemplatesArgs, app: &App) -> anyhow::Result<bool> {
    let TemplatesArgs { export, templates } = args;
    let dir = templates.unwrap_or_else(|| app.templates_dir());
    if export {
        let exported = cards::export_templates(&dir).map_err(explain)?;
        if exported.written.is_empty() {
            eprintln!(
                "{} already holds every template; nothing was overwritten.",
                exported.folder
            );
        } else {
            eprintln!(
                "Copied {} into {}. Edit them there; the app and the CLI use your copies.",
                exported.written.join(", "),
                exported.folder
            );
        }
    }
    let list = cards::list_templates(&dir).map_err(explain)?;
    println!("Templates folder: {}", list.folder);
    for t in &list.templates {
        let origin = match &t.origin {
            TemplateOrigin::Builtin => "built-in".to_string(),
            TemplateOrigin::User { path } => format!("your copy ({path})"),
        };
        println!("  {:<26} {origin}", t.file_name);
    }
    Ok(true)
}

fn read_text(file: &Path) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read standard input")?;
        Ok(text)
    } else {
        std::fs::read_to_string(file).with_context(|| format!("could not read {}", file.display()))
    }
}

/// An Alert (or a list of them) as JSON, else any payload the import understands.
fn read_alerts(file: &Path) -> anyhow::Result<Vec<Alert>> {
    let text = read_text(file)?;
    if let Ok(alert) = serde_json::from_str::<Alert>(&text) {
        return Ok(vec![alert]);
    }
    if let Ok(alerts) = serde_json::from_str::<Vec<Alert>>(&text) {
        return Ok(alerts);
    }
    let imported =
        cards::import(&text, chrono::Utc::now()).map_err(|e| explain(companion::Error::from(e)))?;
    eprintln!(
        "Read {} alert(s) from the payload (format: {}).",
        imported.alerts.len(),
        serde_json::to_value(imported.format)?
            .as_str()
            .unwrap_or("generic")
    );
    Ok(imported.alerts.into_iter().map(|a| a.alert).collect())
}

/// Card JSON from a file, refused when the validator finds errors unless `force`.
fn read_card(file: &Path, force: bool) -> anyhow::Result<serde_json::Value> {
    let text = read_text(file)?;
    let check = cards::check_text(&text);
    if check.has_errors() && !force {
        print_findings(&check, true);
        anyhow::bail!(
            "The card has {} error(s), so Feishu/Lark would most likely refuse it. Fix them, or \
             pass --force to send it anyway.",
            check.errors
        );
    }
    cards::parse_card(&text).map_err(explain)
}

/// The profile's (or the LARK_* environment's) credentials.
fn credentials(app: &App, profile: Option<&str>) -> anyhow::Result<profiles::Credentials> {
    profiles::resolve_credentials(app.db(), app.store(), profile).map_err(explain)
}

fn print_findings(check: &CardCheck, to_stderr: bool) {
    let mut lines = Vec::new();
    for f in &check.findings {
        let severity = match f.severity {
            FindingSeverity::Error => "error",
            FindingSeverity::Warning => "warning",
        };
        let position = match (f.line, f.column) {
            (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
            _ => String::new(),
        };
        lines.push(format!(
            "{severity:<8} {}{position}  [{}]  {}",
            f.path,
            f.code.as_str(),
            f.english()
        ));
    }
    if let Some(size) = check.size_bytes {
        lines.push(format!(
            "size     {size} bytes of {} ({}%)",
            check.limit_bytes,
            u64::from(size) * 100 / u64::from(check.limit_bytes.max(1))
        ));
    }
    lines.push(format!(
        "{} error(s), {} warning(s)",
        check.errors, check.warnings
    ));
    for line in lines {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

fn print_delivery(delivery: &Delivery) {
    let target = format!("{} {}", delivery.target.kind.label(), delivery.target.id);
    match (&delivery.message_id, &delivery.failure) {
        (Some(message_id), _) => println!("SENT    {target}  message {message_id}"),
        (None, Some(failure)) => {
            println!(
                "FAILED  {target}  [{}] {}",
                failure.code.as_str(),
                failure.english()
            );
            print_fix(failure);
        }
        (None, None) => println!("FAILED  {target}"),
    }
}

fn print_fix(problem: &companion::Problem) {
    let Some(text) = problem.english_fix() else {
        return;
    };
    match problem.fix.as_ref().and_then(|f| f.link.as_deref()) {
        Some(link) => println!("        What to do: {text} ({link})"),
        None => println!("        What to do: {text}"),
    }
}
