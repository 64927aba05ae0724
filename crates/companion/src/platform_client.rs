//! One way to build the Open API client for a profile, so every caller (checks, card sending,
//! the CLI) gets the same timeouts, proxy handling and, when metered, the same call ledger and
//! the app's shared rate limiter.

use std::sync::Arc;

/// Re-exported so the shells can hold a client without depending on lark-platform.
pub use lark_platform::client::Client;
use lark_platform::client::{ClientBuilder, ProxyMode};

use crate::profiles::Credentials;
use crate::quota::Meter;
use crate::Result;

fn builder(creds: &Credentials) -> ClientBuilder {
    Client::builder(
        creds.platform.base_url(),
        creds.app_id.clone(),
        creds.app_secret.clone(),
    )
}

/// A client for the profile's app on its platform. Building it makes no network call.
pub fn for_credentials(creds: &Credentials) -> Result<Client> {
    Ok(builder(creds).build()?)
}

/// Like [`for_credentials`], with every call recorded in `meter`'s ledger and held to the
/// app's ceilings by its shared limiter (counted calls are refused at once while the month's
/// quota is known to be used up).
pub fn for_credentials_metered(creds: &Credentials, meter: &Meter) -> Result<Client> {
    for_credentials_metered_via(creds, meter, &ProxyMode::System)
}

/// [`for_credentials_metered`] through the app's proxy setting.
pub fn for_credentials_metered_via(
    creds: &Credentials,
    meter: &Meter,
    proxy: &ProxyMode,
) -> Result<Client> {
    let limiter = meter.limiter(&creds.app_id)?;
    Ok(builder(creds)
        .proxy(proxy.clone())
        .observer(Arc::new(meter.observer(&creds.app_id)))
        .rate_gate(Arc::new(limiter))
        .clock(meter.client_clock())
        .build()?)
}
