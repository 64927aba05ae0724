//! `lark-companion-cli sim`: a simulated Feishu/Lark Open Platform on a loopback port, for trying
//! the app, the official SDKs or a relay without a real tenant. Its secrets are printed on purpose:
//! they belong to nobody's real app.

use std::net::SocketAddr;

use clap::Args;
use lark_sim::{CredentialChoice, Sim, SimConfig};

#[derive(Args)]
pub struct SimArgs {
    /// Loopback address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// App ID to use (generated when absent).
    #[arg(long)]
    app_id: Option<String>,
    /// App Secret to use (generated when absent). A simulator's secret is no secret.
    #[arg(long)]
    app_secret: Option<String>,
    /// Verification Token to use (generated when absent).
    #[arg(long)]
    verification_token: Option<String>,
    /// Encrypt Key to use (generated when absent; "" for an app without one).
    #[arg(long)]
    encrypt_key: Option<String>,
    /// Seed for generated ids and secrets, for a reproducible tenant.
    #[arg(long)]
    seed: Option<u64>,
    /// Monthly counted-call cap; 0 means unlimited.
    #[arg(long, default_value_t = 10_000)]
    quota_cap: u64,
    /// Lifetime of tenant access tokens in seconds (shorten it to watch refreshes).
    #[arg(long, default_value_t = 7200)]
    token_expire_secs: u64,
    /// Print the tenant as one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
}

impl SimArgs {
    fn config(&self) -> SimConfig {
        SimConfig {
            listen: self.listen,
            credentials: CredentialChoice {
                app_id: self.app_id.clone(),
                app_secret: self.app_secret.clone(),
                verification_token: self.verification_token.clone(),
                encrypt_key: self.encrypt_key.clone(),
            },
            seed: self.seed,
            quota_cap: (self.quota_cap > 0).then_some(self.quota_cap),
            token_expire_secs: self.token_expire_secs,
            ..SimConfig::default()
        }
    }
}

pub async fn run(args: SimArgs) -> anyhow::Result<()> {
    let sim = Sim::start(args.config()).await?;
    let tenant = sim.tenant();
    if args.json {
        println!(
            "{}",
            serde_json::json!({ "baseUrl": sim.base_url, "tenant": tenant })
        );
    } else {
        println!("lark-sim listening on {}", sim.base_url);
        println!("  App ID              {}", tenant.app.app_id);
        println!("  App Secret          {}", tenant.app.app_secret);
        println!("  Verification Token  {}", tenant.app.verification_token);
        println!(
            "  Encrypt Key         {}",
            tenant.app.encrypt_key.as_deref().unwrap_or("(none)")
        );
        println!("  Bot                 {}", tenant.bot.app_name);
        for chat in &tenant.chats {
            let member = if chat.bot_member {
                "bot is a member"
            } else {
                "bot not in it"
            };
            println!("  chat {}  {} ({member})", chat.chat_id, chat.name);
        }
        println!(
            "Simulated console: {}/app/{}/baseinfo",
            sim.base_url, tenant.app.app_id
        );
        println!(
            "Control surface: {}/_sim/stats, /_sim/messages, POST /_sim/callbacks",
            sim.base_url
        );
        println!("Stop with Ctrl+C.");
    }
    crate::shutdown_signal().await;
    sim.shutdown().await;
    Ok(())
}
