//! `lark-companion-cli quota`: month-to-date calls against the tenant's cap, the forecast, the
//! ceilings with their recent peaks and the latest rate-limit events, read from the local call
//! ledger (no network, no keychain). Options set the cap, the time zone and the baseline read
//! in the admin console.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;
use companion::quota::{
    self, settings, CeilingKind, CeilingPeak, MonthSummary, QuotaReport, RateLimitEvent,
};
use companion::App;

use crate::profile::explain;

#[derive(Args)]
pub struct QuotaArgs {
    /// Profile whose app to report on.
    #[arg(long, required_unless_present = "app_id", conflicts_with = "app_id")]
    profile: Option<String>,
    /// An App ID instead of a profile (e.g. for runs with LARK_APP_ID credentials).
    #[arg(long)]
    app_id: Option<String>,
    /// Print the whole report as JSON.
    #[arg(long)]
    json: bool,
    /// Rate-limit events to list.
    #[arg(long, default_value_t = 10)]
    events: usize,
    /// Set the tenant's monthly cap: a number, or "unlimited" for paid editions.
    #[arg(long, value_name = "N|unlimited")]
    set_cap: Option<String>,
    /// Set the tenant's time zone (IANA name); the quota resets on the 1st there.
    #[arg(long, value_name = "ZONE")]
    set_time_zone: Option<String>,
    /// Record the month-to-date "API calls" figure shown in the admin console (Cost Center).
    #[arg(long, value_name = "CALLS")]
    baseline: Option<u64>,
    /// When that figure was read (RFC 3339); default: now.
    #[arg(long, requires = "baseline", value_name = "TIME")]
    baseline_at: Option<DateTime<Utc>>,
}

pub fn run(args: QuotaArgs, app: &App) -> anyhow::Result<()> {
    let db = app.db();
    let now = Utc::now();
    let app_id = match (&args.profile, &args.app_id) {
        (Some(name), _) => quota::app_id_of_profile(db, name).map_err(explain)?,
        (None, Some(app_id)) => app_id.trim().to_owned(),
        (None, None) => anyhow::bail!("give --profile NAME or --app-id cli_…"),
    };
    if args.set_cap.is_some() || args.set_time_zone.is_some() {
        let mut current = settings::load(db, &app_id).map_err(explain)?;
        if let Some(cap) = &args.set_cap {
            current.cap = parse_cap(cap)?;
        }
        if let Some(zone) = &args.set_time_zone {
            current.time_zone.clone_from(zone);
        }
        settings::save(db, &app_id, current, now).map_err(explain)?;
    }
    if let Some(calls) = args.baseline {
        let at = args.baseline_at.unwrap_or(now);
        settings::set_baseline(db, &app_id, calls, at, now).map_err(explain)?;
    }
    let mut report = quota::report(db, &app_id, now).map_err(explain)?;
    report.events.truncate(args.events);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let label = args
            .profile
            .as_deref()
            .map_or_else(|| app_id.clone(), |p| format!("{p} ({app_id})"));
        print_report(&label, &report);
    }
    Ok(())
}

fn parse_cap(raw: &str) -> anyhow::Result<Option<u64>> {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("unlimited") || raw.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let digits: String = raw.chars().filter(|c| *c != ',' && *c != '_').collect();
    let cap = digits.parse::<u64>().with_context(|| {
        format!("--set-cap takes a number of calls or \"unlimited\", not {raw:?}")
    })?;
    Ok(Some(cap))
}

/// 12345 -> "12,345".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn print_report(label: &str, report: &QuotaReport) {
    let s = &report.summary;
    println!(
        "Quota of {label}, month {} ({}), as of {}",
        s.month,
        s.time_zone,
        when(s.as_of)
    );
    print_summary(s);
    println!("Ceilings (most calls in one window; last hour / last day):");
    for ceiling in &report.ceilings {
        print_ceiling(ceiling);
    }
    if report.events.is_empty() {
        println!("Rate-limit events: none");
    } else {
        println!("Rate-limit events (newest first):");
        for event in &report.events {
            print_event(event);
        }
    }
}

fn print_summary(s: &MonthSummary) {
    match s.cap {
        Some(cap) => println!(
            "Month to date: {} of {} counted calls ({:.1} %), {} left",
            thousands(s.used),
            thousands(cap),
            s.used_percent.unwrap_or(0.0),
            thousands(s.remaining.unwrap_or(0))
        ),
        None => println!(
            "Month to date: {} counted calls (unlimited edition)",
            thousands(s.used)
        ),
    }
    println!(
        "  this app: {} counted of {} calls ({} failed)",
        thousands(s.our_counted),
        thousands(s.our_calls),
        thousands(s.our_failed)
    );
    match (&s.baseline, s.other_apps, s.ours_since_baseline) {
        (Some(b), Some(other), Some(since)) => println!(
            "  other apps and services: {} (console said {} at {}; this app {} since)",
            thousands(other),
            thousands(b.calls),
            when(b.at),
            thousands(since)
        ),
        _ => println!(
            "  other apps and services: unknown (record the admin console's figure with \
             --baseline N)"
        ),
    }
    let f = &s.forecast;
    let reach = match (&f.cap_reached_on, s.cap) {
        (Some(date), _) => format!("; the cap is reached on {date}"),
        (None, Some(_)) => "; the cap is not reached this month".to_owned(),
        (None, None) => String::new(),
    };
    println!(
        "Forecast: {} by the end of the month (this app {:.0}/day, others {:.0}/day, from {:.1} days){reach}",
        thousands(f.month_end.round() as u64),
        f.our_daily_rate,
        f.other_daily_rate,
        f.basis_days
    );
    if let Some(stop) = &s.stop {
        println!("STOPPED: {}", stop.message);
    }
}

fn print_ceiling(c: &CeilingPeak) {
    let name = match c.kind {
        CeilingKind::ApiTier => "API tier (each API)",
        CeilingKind::SendPerMinute => "message sends",
        CeilingKind::PerReceiver => "per chat or person",
        CeilingKind::PerMessage => "per card (updates)",
    };
    let key = c
        .last_day
        .key
        .as_deref()
        .map(|k| format!("  busiest: {k}"))
        .unwrap_or_default();
    println!(
        "  {name:<22} {:>5} per {:>2} s   peak {:>5} / {:>5}{key}",
        c.limit, c.window_secs, c.last_hour.calls, c.last_day.calls
    );
}

fn print_event(e: &RateLimitEvent) {
    let code = e.code.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
    let wait = e
        .reset_secs
        .map(|s| format!("  wait {s} s"))
        .unwrap_or_default();
    let target = e
        .target
        .as_deref()
        .map(|t| format!("  {t}"))
        .unwrap_or_default();
    println!(
        "  {}  {:<24} {:<9} {}{target}{wait}",
        when(e.at),
        e.endpoint,
        code,
        e.kind
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_numbers() {
        assert_eq!(parse_cap("unlimited").unwrap(), None);
        assert_eq!(parse_cap("1,000,000").unwrap(), Some(1_000_000));
        assert!(parse_cap("lots").is_err());
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }
}
