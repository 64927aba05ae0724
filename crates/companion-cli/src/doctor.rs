//! `lark-companion-cli doctor`: every setup check for a profile (or the LARK_* environment), with
//! the fix for each failure. Exits 1 when a check failed, so scripts and monitors can use it.

use clap::Args;
use companion::checks::{self, CheckOutcome, Subject};
use companion::ipc::Language;
use companion::profiles::{self, CheckStatus, IntegrationUrls};
use companion::App;

use crate::profile::explain;

#[derive(Args)]
pub struct DoctorArgs {
    /// Profile to check; without it the credentials come from LARK_APP_ID, LARK_APP_SECRET,
    /// LARK_VERIFICATION_TOKEN, LARK_ENCRYPT_KEY (and LARK_PLATFORM).
    #[arg(long)]
    profile: Option<String>,
    /// A group to send a test card to (checks the im:message scope; counts one call).
    #[arg(long)]
    chat_id: Option<String>,
    /// Print the report as JSON (each outcome with `reason` and `fixText` in English).
    #[arg(long)]
    json: bool,
    /// The integration's URLs (each wins over the profile's): the web app, redirect and
    /// callback checks compare them with what the platform returns.
    #[command(flatten)]
    urls: crate::profile::UrlArgs,
}

pub async fn run(args: DoctorArgs, app: &App) -> anyhow::Result<bool> {
    let (db, store) = (app.db(), app.store());
    let creds =
        profiles::resolve_credentials(db, store, args.profile.as_deref()).map_err(explain)?;
    let saved = match &args.profile {
        Some(name) => profiles::get(db, store, name).map_err(explain)?.urls,
        None => IntegrationUrls::default(),
    };
    let given: IntegrationUrls = args.urls.clone().into();
    let urls = companion::appsetup::checked_urls(IntegrationUrls {
        web_config_url: given.web_config_url.or(saved.web_config_url),
        redirect_url: given.redirect_url.or(saved.redirect_url),
        card_request_url: given.card_request_url.or(saved.card_request_url),
    })
    .map_err(explain)?;
    let metered = crate::metered::client_for(app, &creds)?;
    let client = &metered.client;
    let message_sent_at =
        checks::message_evidence(db, &creds.app_id, chrono::Utc::now()).map_err(explain)?;
    // The test card speaks the profile's card language (English for the LARK_* environment).
    let card_language = match &args.profile {
        Some(name) => profiles::card_language(db, name)
            .map_err(explain)?
            .unwrap_or(Language::English),
        None => Language::English,
    };
    let subject = Subject {
        credentials: &creds,
        urls: &urls,
        test_chat: args.chat_id.as_deref(),
        message_sent_at,
        card_language,
    };
    let outcomes = checks::run_all(client, &subject).await;
    let now = chrono::Utc::now();
    let report = match &args.profile {
        Some(name) => checks::record_run(db, name, outcomes, profiles::RunScope::Full, now)
            .map_err(explain)?,
        None => checks::DoctorReport {
            profile: format!("(environment: {})", creds.app_id),
            ran_at: now,
            outcomes,
        },
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&with_words(&report)?)?);
    } else {
        println!(
            "Doctor for {} at {}",
            report.profile,
            report.ran_at.to_rfc3339()
        );
        for outcome in &report.outcomes {
            print_outcome(outcome);
        }
        println!(
            "{} passed, {} failed, {} not checkable by API, {} skipped",
            count(&report.outcomes, CheckStatus::Pass),
            count(&report.outcomes, CheckStatus::Fail),
            count(&report.outcomes, CheckStatus::Unknown),
            count(&report.outcomes, CheckStatus::Skipped)
        );
    }
    Ok(report.failed() == 0)
}

/// The report as JSON, each outcome with its finding and fix in English (`reason`, `fixText`)
/// for scripts that show them.
fn with_words(report: &companion::checks::DoctorReport) -> anyhow::Result<serde_json::Value> {
    let mut value = serde_json::to_value(report)?;
    if let Some(outcomes) = value["outcomes"].as_array_mut() {
        for (json, outcome) in outcomes.iter_mut().zip(&report.outcomes) {
            json["reason"] = outcome.english().into();
            if let Some(fix) = outcome.english_fix() {
                json["fixText"] = fix.into();
            }
        }
    }
    Ok(value)
}

fn count(outcomes: &[CheckOutcome], status: CheckStatus) -> usize {
    outcomes.iter().filter(|o| o.status == status).count()
}

fn print_outcome(outcome: &CheckOutcome) {
    let mark = match outcome.status {
        CheckStatus::Pass => "PASS",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Unknown => " ?  ",
        CheckStatus::Skipped => "SKIP",
    };
    println!("[{mark}] {}", outcome.id.title());
    println!("       {}", outcome.english());
    if let Some(fix) = outcome.english_fix() {
        println!("       Fix: {fix}");
    }
    if let Some(link) = outcome.fix.as_ref().and_then(|fix| fix.link.as_ref()) {
        println!("       {link}");
    }
}
