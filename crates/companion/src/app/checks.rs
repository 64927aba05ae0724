//! Setup checks (wizard and Doctor), the bot's chats, and card sending: everything that talks
//! to the platform as a profile's app. The profile is read first; the network calls hold no
//! lock; the results are recorded after.

use chrono::Utc;

use super::App;
use crate::cards::{self, CardUpdate, Delivery, SendTarget};
use crate::checks::{
    self, BotChat, CheckId, CheckOutcome, DoctorReport, DoctorRun, ProfileContext, SetupGuide,
};
use crate::profiles::{self, RunScope};
use crate::Result;

impl App {
    /// The profile's secrets, URLs and proxy, read on the blocking pool.
    async fn context(&self, name: &str) -> Result<ProfileContext> {
        let name = name.to_owned();
        self.blocking(move |app| ProfileContext::load(app.db(), app.store(), &name))
            .await
    }

    pub async fn setup_guide(&self, name: String) -> Result<SetupGuide> {
        self.blocking(move |app| {
            let profile = profiles::get(app.db(), app.store(), &name)?;
            Ok(checks::setup_guide(&profile.platform, &profile.app_id))
        })
        .await
    }

    /// The checks of one wizard step; recorded as a step in the history.
    pub async fn run_checks(
        &self,
        name: String,
        ids: Vec<CheckId>,
        test_chat: Option<String>,
    ) -> Result<Vec<CheckOutcome>> {
        let ctx = self.context(&name).await?;
        let client = ctx.client(self.meter())?;
        let outcomes =
            checks::run_selected(&client, &ctx.subject(test_chat.as_deref()), &ids).await;
        self.record(name, outcomes, RunScope::Step)
            .await
            .map(|report| report.outcomes)
    }

    /// Every check (the Doctor); recorded as a full run.
    pub async fn run_doctor(
        &self,
        name: String,
        test_chat: Option<String>,
    ) -> Result<DoctorReport> {
        let ctx = self.context(&name).await?;
        let client = ctx.client(self.meter())?;
        let outcomes = checks::run_all(&client, &ctx.subject(test_chat.as_deref())).await;
        self.record(name, outcomes, RunScope::Full).await
    }

    async fn record(
        &self,
        name: String,
        outcomes: Vec<CheckOutcome>,
        scope: RunScope,
    ) -> Result<DoctorReport> {
        self.blocking(move |app| checks::record_run(app.db(), &name, outcomes, scope, Utc::now()))
            .await
    }

    pub async fn doctor_history(&self, name: String) -> Result<Vec<DoctorRun>> {
        self.blocking(move |app| checks::history(app.db(), &name, 20))
            .await
    }

    pub async fn bot_chats(&self, name: String) -> Result<Vec<BotChat>> {
        let ctx = self.context(&name).await?;
        checks::bot_chats(&ctx.client(self.meter())?).await
    }

    /// Sends the card text (parsed here, so what the user sees is what is sent) to each target.
    pub async fn send_card(
        &self,
        name: String,
        card: String,
        targets: Vec<SendTarget>,
        request_id: Option<String>,
    ) -> Result<Vec<Delivery>> {
        let card = cards::parse_card(&card)?;
        let ctx = self.context(&name).await?;
        cards::send_to_targets(
            &ctx.client(self.meter())?,
            &ctx.credentials.platform,
            &card,
            &targets,
            request_id.as_deref(),
        )
        .await
    }

    pub async fn update_card(
        &self,
        name: String,
        message_id: String,
        card: String,
    ) -> Result<CardUpdate> {
        let card = cards::parse_card(&card)?;
        let ctx = self.context(&name).await?;
        cards::update_sent_card(
            &ctx.client(self.meter())?,
            &ctx.credentials.platform,
            &message_id,
            &card,
        )
        .await
    }

    /// Where the card templates live (the built-ins, replaced by the user's copies there).
    pub fn templates_dir(&self) -> std::path::PathBuf {
        cards::templates_dir(&self.paths().data_dir)
    }
}
