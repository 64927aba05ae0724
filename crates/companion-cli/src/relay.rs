//! `lark-companion-cli relay`: the callback relay without a window. Verifies callbacks with the
//! profile's secrets (or the LARK_* environment), records every request in the app's database,
//! forwards to an upstream, and prints one line per request on stdout. SIGINT/SIGTERM stop it
//! cleanly: requests in flight are recorded and answered, undelivered events stay queued for the
//! next start. One relay per data folder and profile: a second one (this command again, or the
//! app's relay) is refused, naming the one running (`companion::relay::claim`). Every printed
//! field is escaped first (`terminal`): a rejected request's fields come from whoever sent it.
//!
//! `--mode long-connection` needs no public URL: the relay dials the platform's WebSocket with
//! the profile's App ID and App Secret, and pushed events and card clicks take the same record /
//! forward (re-signed) / built-in path; `--listen` is not used then.
//!
//! The upstream comes from `--upstream`, `LARK_RELAY_UPSTREAM` or the first line of
//! `--upstream-file`: the last two keep a key in the URL out of the process list.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use companion::logging::LogFormat;
use companion::problem::{Problem, ProblemCode as C};
use companion::profiles;
use companion::relay::config::{
    DEFAULT_CARD_BUDGET_MS, DEFAULT_LISTEN, DEFAULT_MAX_SKEW_SECS, DEFAULT_RETENTION,
    DEFAULT_RETENTION_MB, DEFAULT_UNHEALTHY_AFTER_SECS,
};
use companion::relay::ops::OpsServer;
use companion::relay::{
    AnsweredBy, ConnectionState, ForwardMode, LongConnectionApp, LongConnectionRelay, ProfileUrl,
    RecordEvent, RecordSummary, Relay, RelayConfig, RelayCore, RelayError, RelayKeys, RelayProfile,
    RelayProgram, RelayStore, RequestKind, Upstream,
};
use companion::App;
use tokio::sync::broadcast::error::RecvError;

use crate::profile::explain;
use crate::terminal;

/// The path name used with environment credentials: /callback/default.
const ENV_PROFILE: &str = "default";

#[derive(Args)]
pub struct RelayArgs {
    /// Profile whose secrets verify callbacks; without it they come from LARK_APP_ID,
    /// LARK_APP_SECRET, LARK_VERIFICATION_TOKEN, LARK_ENCRYPT_KEY (served at /callback/default).
    #[arg(long)]
    profile: Option<String>,
    /// Address to listen on. Anything but loopback is reachable from other machines.
    #[arg(long, default_value_t = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Where to pass requests on (e.g. the integration's Message Card Request URL). Without it,
    /// the built-in handler answers alert-card clicks and events are only recorded. Given here,
    /// a key in the URL shows in the process list (`ps`): put such a URL in
    /// LARK_RELAY_UPSTREAM or a file (--upstream-file) instead. Shown with its keys masked.
    #[arg(long, env = "LARK_RELAY_UPSTREAM", hide_env_values = true)]
    upstream: Option<String>,
    /// A file whose first line (trimmed) is the upstream URL, instead of --upstream or
    /// LARK_RELAY_UPSTREAM.
    #[arg(long, value_name = "PATH", conflicts_with = "upstream")]
    upstream_file: Option<PathBuf>,
    /// transparent: original bytes and headers; resign: fresh body sealed with the profile's keys;
    /// long-connection: no listener, receive over the platform's WebSocket (forwards re-signed).
    #[arg(long, value_enum, default_value_t = Mode::Transparent)]
    mode: Mode,
    /// How long a card click waits for the upstream before the relay answers `{}`.
    #[arg(long, default_value_t = DEFAULT_CARD_BUDGET_MS)]
    budget_ms: u64,
    /// Signed requests whose timestamp is further off than this are refused (401).
    #[arg(long, default_value_t = DEFAULT_MAX_SKEW_SECS)]
    max_skew_secs: u64,
    /// Records kept in the database; older ones are pruned.
    #[arg(long, default_value_t = DEFAULT_RETENTION)]
    retention: u32,
    /// What the records may take on disk, in MB; older ones are pruned beyond it.
    #[arg(long, default_value_t = DEFAULT_RETENTION_MB)]
    retention_mb: u32,
    /// One JSON object per line instead of text.
    #[arg(long)]
    json: bool,
    /// Also print a line when a recorded request changes (late upstream answer, delivery).
    #[arg(long)]
    verbose: bool,
    /// Where to serve GET /healthz and GET /metrics (Prometheus), or `off`. Keep it on loopback
    /// (a reverse proxy or a local agent can reach it there). When the default address is
    /// taken the relay runs without them and says so; an address given here must be free.
    #[arg(long, default_value = DEFAULT_OPS, value_name = "ADDR|off")]
    ops_listen: String,
    /// /healthz answers 503 once the upstream has failed this long with no success in between,
    /// or the long connection has been down this long.
    #[arg(long, default_value_t = DEFAULT_UNHEALTHY_AFTER_SECS)]
    unhealthy_after_secs: u64,
    /// The log lines on stderr: text, or one JSON object per line for a log collector.
    #[arg(long, value_enum, default_value_t = LogFormatArg::Text)]
    log_format: LogFormatArg,
    /// A TOML file of these settings, keys named like the flags (`listen = "0.0.0.0:8787"`,
    /// `upstream-file = "/etc/lark-relay/upstream"`, `json = true`); a flag given on the
    /// command line wins over the file.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
}

/// The default of `--ops-listen`.
const DEFAULT_OPS: &str = "127.0.0.1:9465";

#[derive(Clone, Copy, ValueEnum)]
enum LogFormatArg {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Transparent,
    Resign,
    LongConnection,
}

impl From<Mode> for ForwardMode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Transparent => ForwardMode::Transparent,
            Mode::Resign | Mode::LongConnection => ForwardMode::Resign,
        }
    }
}

pub async fn run(args: RelayArgs, app: &App) -> anyhow::Result<()> {
    let paths = app.paths();
    let format = match args.log_format {
        LogFormatArg::Text => LogFormat::Text,
        LogFormatArg::Json => LogFormat::Json,
    };
    companion::logging::init_with(&paths.log_dir, format).map_err(explain)?;
    let credentials = profiles::resolve_credentials(app.db(), app.store(), args.profile.as_deref())
        .map_err(explain)?;
    for secret in credentials
        .verification_token
        .iter()
        .chain(&credentials.encrypt_key)
    {
        companion::redact::register(secret);
    }
    let upstream = upstream_url(&args)?
        .as_deref()
        .map(|u| Upstream::parse(u, args.mode.into()))
        .transpose()
        .map_err(explain_relay)?;
    let name = args.profile.as_deref().unwrap_or(ENV_PROFILE);
    let profile = RelayProfile::new(name, RelayKeys::from_credentials(&credentials), upstream);
    let config = config(&args);
    let store = RelayStore::open(&paths.data_dir).map_err(explain)?;
    let core = RelayCore::new(config, vec![profile], store).map_err(explain_relay)?;
    // Listening for SIGINT/SIGTERM before the start line: whoever waits for that line may stop
    // the relay at once, and it must still stop cleanly.
    let stop = crate::shutdown_signal();
    if matches!(args.mode, Mode::LongConnection) {
        companion::redact::register(&credentials.app_secret);
        let app = LongConnectionApp {
            base_url: credentials.platform.base_url().to_string(),
            app_id: credentials.app_id.clone(),
            app_secret: credentials.app_secret.clone(),
        };
        return long_connection(core, name, app, &args, stop).await;
    }
    let relay = Relay::start(core).await.map_err(explain_relay)?;
    let ops = start_ops(&args, relay.core()).await?;
    let watcher = episodes(&args, relay.core());
    let status = relay.status().map_err(explain_relay)?;
    let url = relay.url(name).map_err(explain_relay)?;
    if args.json {
        let line = serde_json::json!({"event": "started", "listen": status.listen, "url": url,
            "upstream": status.urls.first().and_then(|u| u.upstream.clone()),
            "unverifiable": status.urls.first().and_then(|u| u.unverifiable.clone()),
            "pendingEvents": status.pending_events,
            "ops": ops.as_ref().map(|o| o.local_addr().to_string())});
        println!("{}", terminal::json(&line.to_string()));
    } else {
        let to = status
            .urls
            .first()
            .and_then(|u| u.upstream.clone())
            .map(|u| format!(" -> {u} ({})", ForwardMode::from(args.mode).as_str()))
            .unwrap_or_else(|| " (no upstream: built-in card handler)".to_string());
        println!(
            "{}",
            terminal::text(&format!("relay listening on {url}{to}"))
        );
        if let Some(at) = ops.as_ref().map(OpsServer::local_addr) {
            println!("health and metrics on http://{at}/healthz and http://{at}/metrics");
        }
        if status.pending_events > 0 {
            println!(
                "{} queued events from an earlier run will be delivered",
                status.pending_events
            );
        }
        println!("Stop with Ctrl+C.");
    }
    for line in status.urls.iter().filter_map(refused_line) {
        eprintln!("{}", terminal::text(&line));
    }
    if let Some(warning) = &status.warning {
        eprintln!("{}", terminal::text(&format!("warning: {warning}")));
    }
    serve(&relay, &args, stop).await;
    watcher.abort();
    let pending = relay.status().map(|s| s.pending_events).unwrap_or(0);
    if let Some(ops) = ops {
        ops.stop().await;
    }
    relay.stop().await;
    print_stopped(pending, args.json);
    Ok(())
}

/// The most of a `--config` file read.
const CONFIG_FILE_LIMIT: u64 = 64 * 1024;

/// The command line with `relay --config FILE`'s settings put in as flags right after `relay`,
/// so that the same parser checks them and a flag given on the command line, coming later, wins
/// (`args_override_self`). Any other command line comes back as it was.
pub fn with_config_file(argv: Vec<std::ffi::OsString>) -> anyhow::Result<Vec<std::ffi::OsString>> {
    let Some(at) = argv.iter().position(|a| a == "relay") else {
        return Ok(argv);
    };
    let mut path = None;
    let mut rest = argv[at + 1..].iter();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy();
        if text == "--config" {
            path = rest.next().map(PathBuf::from);
        } else if let Some(p) = text.strip_prefix("--config=") {
            path = Some(PathBuf::from(p));
        }
    }
    let Some(path) = path else {
        return Ok(argv);
    };
    let invalid = |detail: String| {
        explain(
            Problem::invalid("config", C::ConfigFileInvalid)
                .param("path", path.display())
                .param("detail", detail),
        )
    };
    let mut text = String::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(CONFIG_FILE_LIMIT).read_to_string(&mut text))
        .map_err(|e| invalid(e.to_string()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| invalid(e.message().to_string()))?;
    let known = <RelayArgs as clap::Args>::augment_args(clap::Command::new("relay"));
    let mut flags = Vec::new();
    for (key, value) in table {
        let flag = known
            .get_arguments()
            .find(|a| a.get_long() == Some(key.as_str()) && key != "config")
            .ok_or_else(|| invalid(format!("unknown setting `{key}`")))?;
        let takes_value = flag.get_action().takes_values();
        let name = std::ffi::OsString::from(format!("--{key}"));
        match value {
            toml::Value::Boolean(on) if !takes_value => {
                if on {
                    flags.push(name);
                }
            }
            toml::Value::String(v) if takes_value => flags.extend([name, v.into()]),
            toml::Value::Integer(v) if takes_value => flags.extend([name, v.to_string().into()]),
            _ => return Err(invalid(format!("`{key}` has the wrong type"))),
        }
    }
    let mut out = argv[..=at].to_vec();
    out.extend(flags);
    out.extend_from_slice(&argv[at + 1..]);
    Ok(out)
}

/// The most of `--upstream-file` read: its first line is a URL.
const UPSTREAM_FILE_LIMIT: u64 = 64 * 1024;

/// The upstream URL from `--upstream-file` (its first line, trimmed), or else from `--upstream`
/// or `LARK_RELAY_UPSTREAM` (clap reads both into `upstream`). An empty value is no upstream.
fn upstream_url(args: &RelayArgs) -> anyhow::Result<Option<String>> {
    let Some(path) = &args.upstream_file else {
        return Ok(args
            .upstream
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned));
    };
    let read = |path: &Path| -> std::io::Result<String> {
        let mut text = String::new();
        std::fs::File::open(path)?
            .take(UPSTREAM_FILE_LIMIT)
            .read_to_string(&mut text)?;
        Ok(text)
    };
    let text = read(path).map_err(|e| {
        explain(
            Problem::new(C::RelayUpstreamFileRead)
                .param("path", path.display())
                .param("detail", e),
        )
    })?;
    match text.lines().next().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Ok(Some(url.to_owned())),
        None => Err(explain(
            Problem::new(C::RelayUpstreamFileEmpty).param("path", path.display()),
        )),
    }
}

/// The warning for a profile whose secrets cannot verify some kinds of callback (they are
/// refused), naming the kinds and the secret that is missing.
fn refused_line(url: &ProfileUrl) -> Option<String> {
    let kinds = url.unverifiable.as_ref().filter(|k| !k.is_empty())?;
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let missing = if kinds.len() == RequestKind::ALL.len() - 1 {
        "an Encrypt Key or a Verification Token"
    } else {
        "a Verification Token"
    };
    Some(format!(
        "warning: {} has no {missing}, so the relay cannot verify and refuses: {}",
        url.profile,
        names.join(", ")
    ))
}

/// The relay's config from the arguments: the same ranges as the Relay screen's settings
/// ([`RelayConfig::with_limits`]), held as `lark-companion-cli relay` (a second relay for the
/// profile on the data folder is refused naming this process).
fn config(args: &RelayArgs) -> RelayConfig {
    RelayConfig {
        program: RelayProgram::Cli,
        unhealthy_after: std::time::Duration::from_secs(args.unhealthy_after_secs.max(1)),
        ..RelayConfig::with_limits(
            args.listen,
            args.budget_ms,
            args.max_skew_secs,
            args.retention,
            args.retention_mb,
        )
    }
}

/// Watches the relay for the episodes the app notifies of and logs them as warning lines.
fn episodes(args: &RelayArgs, core: &std::sync::Arc<RelayCore>) -> tokio::task::JoinHandle<()> {
    let limits = companion::notices::watch::RelayLimits {
        upstream_failing: std::time::Duration::from_secs(args.unhealthy_after_secs.max(1)),
        ..Default::default()
    };
    companion::notices::watch::log_episodes(core.clone(), WATCH_EVERY, limits)
}

/// How often the headless relay looks for episodes.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts `/healthz` and `/metrics` on `--ops-listen` (unless `off`). The default address taken is a warning (a second relay on the machine), an address the user
/// chose an error.
async fn start_ops(
    args: &RelayArgs,
    core: &std::sync::Arc<RelayCore>,
) -> anyhow::Result<Option<OpsServer>> {
    if args.ops_listen.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let addr: SocketAddr = args.ops_listen.parse().map_err(|_| {
        explain(Problem::invalid("ops-listen", C::RelayOpsAddress).param("value", &args.ops_listen))
    })?;
    match OpsServer::start(addr, core.clone()).await {
        Ok(ops) => Ok(Some(ops)),
        Err(e) if args.ops_listen == DEFAULT_OPS => {
            // A log line, not a print: with --log-format json, stderr is read by a collector.
            tracing::warn!(
                problem = %e.problem(),
                "no /healthz or /metrics (choose another address with --ops-listen)"
            );
            Ok(None)
        }
        Err(e) => Err(explain_relay(e)),
    }
}

/// `--mode long-connection`: prints connection states and records until SIGINT/SIGTERM, or
/// fails with the reason when the connection cannot be made (bad credentials, limit reached).
async fn long_connection(
    core: RelayCore,
    name: &str,
    app: LongConnectionApp,
    args: &RelayArgs,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let base_url = app.base_url.clone();
    let relay = LongConnectionRelay::start(core, name, app).map_err(explain_relay)?;
    let ops = start_ops(args, relay.core()).await?;
    let watcher = episodes(args, relay.core());
    let upstream = relay
        .core()
        .profiles()
        .next()
        .and_then(|p| p.upstream.as_ref())
        .map(|u| companion::relay::display_url(&u.url));
    if args.json {
        let line = serde_json::json!({"event": "started", "mode": "long-connection",
            "platform": base_url, "upstream": upstream,
            "ops": ops.as_ref().map(|o| o.local_addr().to_string())});
        println!("{}", terminal::json(&line.to_string()));
    } else {
        let to = upstream
            .map(|u| format!(" -> {u} (resign)"))
            .unwrap_or_else(|| " (no upstream: built-in card handler)".to_string());
        let line = format!("relay in long-connection mode via {base_url}{to}");
        println!("{}", terminal::text(&line));
        println!("Stop with Ctrl+C.");
    }
    let mut events = relay.subscribe();
    let mut states = relay.state();
    print_state(&states.borrow_and_update().clone(), args.json);
    tokio::pin!(stop);
    let watched = loop {
        tokio::select! {
            () = &mut stop => break Watched::Stopped,
            changed = states.changed() => {
                let state = states.borrow_and_update().clone();
                if changed.is_ok() {
                    print_state(&state, args.json);
                }
                if let Some(end) = on_change(changed, &state) {
                    break end;
                }
            }
            event = events.recv() => {
                if !print_event(event, args) {
                    break Watched::Ended;
                }
            }
        }
    };
    watcher.abort();
    let pending = relay.core().pending_events().unwrap_or(0);
    let profile = relay.profile().to_string();
    if let Some(ops) = ops {
        ops.stop().await;
    }
    relay.stop().await;
    finish(watched, &profile, pending, args.json)
}

/// How watching a long connection ended.
#[derive(Debug, PartialEq, Eq)]
enum Watched {
    /// SIGINT/SIGTERM: a clean stop.
    Stopped,
    /// The connection failed, with the reason (credentials, the reconnect count spent, a
    /// panic in the client's task).
    Failed(String),
    /// The connection's task ended unasked without a reason (aborted, its state channel
    /// closed, "stopped" without a stop): never a clean stop.
    Ended,
}

/// What a change of the connection's state means: `None` to watch on.
fn on_change(
    changed: Result<(), tokio::sync::watch::error::RecvError>,
    state: &ConnectionState,
) -> Option<Watched> {
    if changed.is_err() {
        return Some(Watched::Ended);
    }
    match state {
        ConnectionState::Failed { reason } => Some(Watched::Failed(reason.clone())),
        // Only a stop asked for stops the client, and the watch ends before asking.
        ConnectionState::Stopped => Some(Watched::Ended),
        _ => None,
    }
}

/// The command's outcome for how the watch ended; `main` makes the exit status of it.
fn finish(watched: Watched, profile: &str, pending: u32, json: bool) -> anyhow::Result<()> {
    match watched {
        Watched::Stopped => {
            print_stopped(pending, json);
            Ok(())
        }
        Watched::Failed(reason) => Err(anyhow::anyhow!(
            "the long connection failed: {}",
            terminal::text(&reason)
        )),
        Watched::Ended => {
            tracing::error!(profile, "the long connection's task ended unexpectedly");
            Err(explain(
                Problem::new(C::RelayConnectionEnded).param("profile", profile),
            ))
        }
    }
}

fn print_state(state: &ConnectionState, json: bool) {
    let line = state_line(state, json);
    if !json && matches!(state, ConnectionState::Failed { .. }) {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// A connection state as the line [`print_state`] writes.
fn state_line(state: &ConnectionState, json: bool) -> String {
    if json {
        let mut value = serde_json::to_value(state).unwrap_or_default();
        value["event"] = serde_json::json!("connection");
        return terminal::json(&value.to_string());
    }
    let line = match state {
        ConnectionState::Connecting => "connecting".to_string(),
        ConnectionState::Connected { since } => format!("connected since {}", since.to_rfc3339()),
        ConnectionState::Reconnecting {
            attempt,
            next_try,
            last_error,
        } => format!(
            "reconnecting: attempt {attempt} at {}{}",
            next_try.to_rfc3339(),
            last_error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ),
        ConnectionState::Failed { reason } => format!("connection failed: {reason}"),
        ConnectionState::Stopped => "connection closed".to_string(),
    };
    terminal::text(&line)
}

/// The error's message and, when there is one, what to do about it.
fn explain_relay(error: RelayError) -> anyhow::Error {
    crate::profile::explain(error)
}

/// Prints records until SIGINT/SIGTERM.
async fn serve(relay: &Relay, args: &RelayArgs, stop: impl std::future::Future<Output = ()>) {
    let mut events = relay.subscribe();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            event = events.recv() => {
                if !print_event(event, args) {
                    return;
                }
            }
        }
    }
}

/// Prints one change of the record (updates only with `--verbose`); false once the stream ended.
fn print_event(event: Result<RecordEvent, RecvError>, args: &RelayArgs) -> bool {
    match event {
        Ok(RecordEvent::Recorded { record }) => print(&record, "recorded", args.json),
        Ok(RecordEvent::Updated { record }) if args.verbose => print(&record, "updated", args.json),
        Ok(RecordEvent::Updated { .. }) => {}
        Err(RecvError::Lagged(n)) => eprintln!("({n} records not printed: output too slow)"),
        Err(RecvError::Closed) => return false,
    }
    true
}

/// The last line of a clean stop: what is left in the outbox.
fn print_stopped(pending: u32, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"event": "stopped", "pendingEvents": pending})
        );
    } else {
        println!("relay stopped; {pending} events wait in the outbox for the next start");
    }
}

fn print(r: &RecordSummary, what: &str, json: bool) {
    println!("{}", record_line(r, what, json));
}

/// One record as the line [`print`] writes: text, or one JSON object with `event` = `what`.
fn record_line(r: &RecordSummary, what: &str, json: bool) -> String {
    if json {
        let mut value = serde_json::to_value(r).unwrap_or_default();
        value["event"] = serde_json::json!(what);
        return terminal::json(&value.to_string());
    }
    let upstream = match (r.upstream_status, &r.outbox) {
        (Some(s), _) => format!(" upstream {s} {}ms", r.upstream_latency_ms.unwrap_or(0)),
        (None, Some(state)) => format!(" outbox {}", state.as_str()),
        _ => String::new(),
    };
    let line = format!(
        "{} #{} {} {} {}{} {:.1}ms{}{}{}{}",
        r.received_at,
        r.id,
        r.http_status,
        r.kind.as_str(),
        r.verdict.as_str(),
        r.reject_code
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        r.answer_ms,
        r.event_type
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default(),
        upstream,
        match r.answered_by {
            AnsweredBy::Relay => String::new(),
            by => format!(" answered by {}", by.as_str()),
        },
        if r.deadline_missed {
            " DEADLINE MISSED"
        } else {
            ""
        },
    );
    terminal::text(&line)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::{CommandFactory, Parser};
    use companion::relay::config::{
        DEFAULT_CARD_BUDGET, DEFAULT_MAX_SKEW, DEFAULT_PORT, MAX_CARD_BUDGET_MS,
    };
    use companion::relay::RelaySettings;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        relay: RelayArgs,
    }

    fn parse(args: &[&str]) -> RelayArgs {
        Cli::try_parse_from(std::iter::once("relay").chain(args.iter().copied()))
            .expect("arguments parse")
            .relay
    }

    /// A rejected request's fields come from whoever sent it: a terminal must get them as
    /// text, never as escape sequences that retitle it, clear it or forge a line.
    #[test]
    fn rejected_requests_cannot_drive_the_terminal() {
        use companion::relay::{RequestSource, Verdict};
        let hostile = "x\u{1b}]0;pwned\u{7}\u{1b}[2J\r\n2026-01-01 #1 200 event_v2 accepted \
                       \u{9b}31m\u{202e}";
        let record = RecordSummary {
            id: 7,
            received_at: "2026-01-01T00:00:00.000Z".into(),
            profile: hostile.into(),
            source: RequestSource::Callback,
            kind: RequestKind::Unknown,
            event_type: Some(hostile.into()),
            event_id: Some(hostile.into()),
            verdict: Verdict::Rejected,
            reject_code: Some("signature_mismatch".into()),
            http_status: 401,
            answered_by: AnsweredBy::Relay,
            answer_ms: 1.0,
            deadline_ms: None,
            deadline_missed: false,
            upstream_status: None,
            upstream_latency_ms: None,
            outbox: None,
            attempts: 0,
        };
        for json in [false, true] {
            let line = record_line(&record, "recorded", json);
            assert!(
                !line.chars().any(crate::terminal::is_unsafe),
                "json={json}: {line:?}"
            );
            assert!(
                line.contains("pwned"),
                "the text itself stays readable: {line}"
            );
            if json {
                let value: serde_json::Value = serde_json::from_str(&line).unwrap();
                assert_eq!(
                    value["eventType"], hostile,
                    "JSON escapes, it does not drop"
                );
            }
        }
        let state = ConnectionState::Failed {
            reason: hostile.into(),
        };
        assert!(!state_line(&state, false)
            .chars()
            .any(crate::terminal::is_unsafe));
    }

    /// The connection's task ending on its own (a panic, an abort: its state channel closes,
    /// or it says "stopped" unasked) is no clean stop: the command fails, with a message, and
    /// `main` exits non-zero. Only SIGINT/SIGTERM end it with 0.
    #[tokio::test]
    async fn a_connection_that_ends_unasked_fails_the_command() {
        let exit_status = |result: anyhow::Result<()>| match result {
            Ok(()) => 0,
            Err(error) => error
                .downcast_ref::<crate::profile::Reported>()
                .map_or(1, |reported| reported.0.kind.exit_status()),
        };
        let (state, mut states) = tokio::sync::watch::channel(ConnectionState::Connecting);
        drop(state);
        let changed = states.changed().await;
        let watched = on_change(changed, &states.borrow_and_update().clone())
            .expect("a closed channel ends the watch");
        let result = finish(watched, "prod", 0, false);
        let message = result.as_ref().err().map(|e| format!("{e:#}"));
        assert_eq!(exit_status(result), 70, "{message:?}");
        let message = message.unwrap();
        assert!(message.contains("\"prod\""), "{message}");

        let stopped = on_change(Ok(()), &ConnectionState::Stopped).expect("ends the watch");
        assert_eq!(exit_status(finish(stopped, "prod", 0, true)), 70);

        let failed = ConnectionState::Failed {
            reason: "the long-connection client stopped unexpectedly: overflow".into(),
        };
        let watched = on_change(Ok(()), &failed).expect("ends the watch");
        let result = finish(watched, "prod", 0, false);
        let message = format!("{:#}", result.as_ref().unwrap_err());
        assert!(message.contains("overflow"), "{message}");
        assert_ne!(exit_status(result), 0);

        let connected = ConnectionState::Connected {
            since: chrono::Utc::now(),
        };
        assert_eq!(on_change(Ok(()), &connected), None);
        assert_eq!(on_change(Ok(()), &ConnectionState::Connecting), None);
        assert_eq!(exit_status(finish(Watched::Stopped, "prod", 3, true)), 0);
    }

    #[test]
    fn the_start_names_the_kinds_refused_for_want_of_a_secret() {
        let url = |unverifiable| ProfileUrl {
            profile: "prod".into(),
            url: "http://127.0.0.1:9400/callback/prod".into(),
            upstream: None,
            mode: ForwardMode::Transparent,
            unverifiable,
        };
        assert_eq!(refused_line(&url(None)), None);
        let line = refused_line(&url(Some(vec![
            RequestKind::UrlVerification,
            RequestKind::LegacyCardAction,
        ])))
        .unwrap();
        assert!(line.contains("Verification Token"), "{line}");
        assert!(line.contains("legacy_card_action"), "{line}");
    }

    #[test]
    fn defaults_are_the_relay_config_constants() {
        let args = parse(&[]);
        assert_eq!(args.listen, DEFAULT_LISTEN);
        assert_eq!(args.listen.port(), DEFAULT_PORT);
        assert!(args.listen.ip().is_loopback());
        let config = config(&args);
        let defaults = RelayConfig::default();
        assert_eq!(config.listen, defaults.listen);
        assert_eq!(config.card_budget, DEFAULT_CARD_BUDGET);
        assert_eq!(config.max_skew, DEFAULT_MAX_SKEW);
        assert_eq!(config.retention.records, DEFAULT_RETENTION);
        assert_eq!(config.retention, defaults.retention);

        // And --help says so.
        let help = Cli::command().render_help().to_string();
        for default in [
            DEFAULT_LISTEN.to_string(),
            DEFAULT_CARD_BUDGET.as_millis().to_string(),
            DEFAULT_MAX_SKEW.as_secs().to_string(),
            DEFAULT_RETENTION.to_string(),
            DEFAULT_RETENTION_MB.to_string(),
        ] {
            assert!(help.contains(&format!("[default: {default}]")), "{help}");
        }
    }

    #[test]
    fn out_of_range_limits_are_brought_in_as_the_settings_do() {
        for (budget_ms, skew_secs, retention) in [(0, 0, 0), (50, 1, 1), (5000, 9999, 20_000)] {
            let args = parse(&[
                "--budget-ms",
                &budget_ms.to_string(),
                "--max-skew-secs",
                &skew_secs.to_string(),
                "--retention",
                &retention.to_string(),
                "--retention-mb",
                &retention.to_string(),
            ]);
            let cli = config(&args);
            let settings = RelaySettings {
                card_budget_ms: budget_ms,
                max_skew_secs: skew_secs,
                retention,
                retention_mb: Some(retention),
                ..RelaySettings::default()
            }
            .config();
            assert_eq!(cli.listen, settings.listen);
            assert_eq!(cli.card_budget, settings.card_budget);
            assert_eq!(cli.max_skew, settings.max_skew);
            assert_eq!(cli.retention, settings.retention);
        }
        let args = parse(&["--budget-ms", "100000"]);
        assert_eq!(
            config(&args).card_budget,
            Duration::from_millis(MAX_CARD_BUDGET_MS)
        );
    }
}
