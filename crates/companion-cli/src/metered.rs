//! The CLI's Open API client: metered like the app's, so CLI calls show in the quota ledger and
//! respect the same ceilings. The core's ledger is flushed when the client is dropped.

use companion::platform_client::Client;
use companion::profiles::Credentials;
use companion::App;

use crate::profile::explain;

pub struct Metered {
    pub client: Client,
    app: App,
}

impl Drop for Metered {
    fn drop(&mut self) {
        self.app.meter().flush();
    }
}

/// A client recorded in the core's ledger.
pub fn client_for(app: &App, creds: &Credentials) -> anyhow::Result<Metered> {
    let client =
        companion::platform_client::for_credentials_metered(creds, app.meter()).map_err(explain)?;
    Ok(Metered {
        client,
        app: app.clone(),
    })
}
