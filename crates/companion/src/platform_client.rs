//! One way to build the Open API client for a profile, so every caller (checks, card sending,
//! the CLI) gets the same timeouts, proxy handling and, later, the same call ledger.

use lark_platform::client::Client;

use crate::profiles::Credentials;
use crate::Result;

/// A client for the profile's app on its platform. Building it makes no network call.
pub fn for_credentials(creds: &Credentials) -> Result<Client> {
    Ok(Client::builder(
        creds.platform.base_url(),
        creds.app_id.clone(),
        creds.app_secret.clone(),
    )
    .build()?)
}
