//! The CLI's Open API client: metered like the app's, so CLI calls show in the quota ledger and
//! respect the same ceilings. The ledger is flushed when the client is dropped.

use std::path::Path;

use companion::platform_client::Client;
use companion::profiles::Credentials;
use companion::quota::{LedgerOptions, Meter};
use companion::App;

use crate::profile::explain;

pub struct Metered {
    pub client: Client,
    meter: Ledger,
}

/// Whose ledger the client records into.
enum Ledger {
    Own(Box<Meter>),
    Core(App),
}

impl Drop for Metered {
    fn drop(&mut self) {
        match &self.meter {
            Ledger::Own(meter) => meter.flush(),
            Ledger::Core(app) => app.meter().flush(),
        }
    }
}

/// A client recorded in the core's ledger; the ledger is flushed when it is dropped.
pub fn client_for(app: &App, creds: &Credentials) -> anyhow::Result<Metered> {
    let client =
        companion::platform_client::for_credentials_metered(creds, app.meter()).map_err(explain)?;
    Ok(Metered {
        client,
        meter: Ledger::Core(app.clone()),
    })
}

pub fn client(data_dir: &Path, creds: &Credentials) -> anyhow::Result<Metered> {
    let meter = Meter::open(data_dir, LedgerOptions::default()).map_err(explain)?;
    let client =
        companion::platform_client::for_credentials_metered(creds, &meter).map_err(explain)?;
    Ok(Metered {
        client,
        meter: Ledger::Own(Box::new(meter)),
    })
}
