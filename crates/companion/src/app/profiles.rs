//! Profiles, wizard progress and the card language, for Settings and the setup wizard.

use chrono::Utc;

use super::App;
use crate::profiles::{
    self, ImportReport, IntegrationUrls, ProfileInput, ProfileSummary, SecretPresence,
    SecretsInput, WizardProgress,
};
use crate::Result;

impl App {
    pub async fn list_profiles(&self) -> Result<Vec<ProfileSummary>> {
        self.ready().await;
        self.blocking(|app| profiles::list(app.db(), app.store()))
            .await
    }

    pub async fn get_profile(&self, name: String) -> Result<ProfileSummary> {
        self.blocking(move |app| profiles::get(app.db(), app.store(), &name))
            .await
    }

    pub async fn add_profile(&self, input: ProfileInput) -> Result<ProfileSummary> {
        self.blocking(move |app| profiles::add(app.db(), app.store(), input, Utc::now()))
            .await
    }

    pub async fn rename_profile(&self, name: String, new_name: String) -> Result<()> {
        self.blocking(move |app| profiles::rename(app.db(), &name, &new_name, Utc::now()))
            .await
    }

    pub async fn delete_profile(&self, name: String) -> Result<()> {
        self.blocking(move |app| profiles::delete(app.db(), app.store(), &name))
            .await
    }

    pub async fn set_profile_secrets(
        &self,
        name: String,
        secrets: SecretsInput,
    ) -> Result<SecretPresence> {
        self.blocking(move |app| {
            profiles::set_secrets(app.db(), app.store(), &name, secrets, Utc::now())
        })
        .await
    }

    pub async fn set_profile_app_id(&self, name: String, app_id: String) -> Result<ProfileSummary> {
        self.blocking(move |app| {
            profiles::set_app_id(app.db(), app.store(), &name, &app_id, Utc::now())
        })
        .await
    }

    pub async fn set_profile_urls(
        &self,
        name: String,
        urls: IntegrationUrls,
    ) -> Result<IntegrationUrls> {
        self.blocking(move |app| profiles::set_urls(app.db(), &name, urls, Utc::now()))
            .await
    }

    pub async fn export_profiles(&self) -> Result<String> {
        self.blocking(|app| profiles::export_json(app.db(), app.store()))
            .await
    }

    pub async fn import_profiles(&self, text: String) -> Result<ImportReport> {
        self.blocking(move |app| profiles::import_json(app.db(), &text, Utc::now()))
            .await
    }

    /// The language of the profile's alert cards; `None` follows the app's language.
    pub async fn set_profile_card_language(
        &self,
        name: String,
        language: Option<crate::ipc::Language>,
    ) -> Result<ProfileSummary> {
        self.blocking(move |app| {
            profiles::set_card_language(app.db(), &name, language, Utc::now())?;
            profiles::get(app.db(), app.store(), &name)
        })
        .await
    }

    pub async fn wizard_progress(&self, name: String) -> Result<WizardProgress> {
        self.blocking(move |app| profiles::wizard_progress(app.db(), &name))
            .await
    }

    pub async fn set_wizard_progress(&self, name: String, progress: WizardProgress) -> Result<()> {
        self.blocking(move |app| {
            profiles::set_wizard_progress(app.db(), &name, &progress, Utc::now())
        })
        .await
    }
}
