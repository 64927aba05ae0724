//! The application API on the simulated app: v6 reads ([`read`]) and v7 writes
//! ([`write`](mod@write)), on the model of [`crate::application`].
//!
//! A tenant token acts as its app, and an app reads and changes only itself. Checks, in order
//! (after the gate: token, ceilings, quota):
//! 1. scope, by the calling app's *granted* scopes, answered like every missing scope (HTTP 400,
//!    99991672, `error.permission_violations`): GET app needs `application:application:self_manage`
//!    or `admin:app.info:readonly`; versions need `application:application.app_version:readonly`
//!    or self_manage; every v7 write and publish needs `application:application:patch`; the
//!    scopes list and apply need nothing more;
//! 2. the path's `app_id` is the token's app, else [`NOT_OWN_APP`];
//! 3. writes only: a console-made app (`create_source` `developer_console`), else
//!    [`NOT_CONSOLE_APP`]; nothing under review, else [`UNDER_REVIEW`];
//! 4. the request itself: `lang` on reads (required, `zh_cn|en_us|ja_jp`, as the SDK types
//!    have it), body fields (99992402 with `field_violations`).
//!
//! The codes other than 99991672, 99992402 and 210040 are the simulator's own choices: the
//! platform does not document them for this case.

pub mod read;
mod view;
pub mod write;

use axum::http::StatusCode;

use super::{caller, ApiError, Call};
use crate::application::AppProfile;
use crate::state::Inner;

pub const SELF_MANAGE: &str = "application:application:self_manage";
pub const INFO_READONLY: &str = "admin:app.info:readonly";
pub const VERSION_READONLY: &str = "application:application.app_version:readonly";
pub const PATCH: &str = "application:application:patch";

/// A write or publish while a version is under review (the platform's code).
pub const UNDER_REVIEW: i64 = 210040;
/// The path names another app than the token's (simulator's choice).
pub const NOT_OWN_APP: i64 = 210502;
/// A write to an app not made in the developer console (simulator's choice).
pub const NOT_CONSOLE_APP: i64 = 210503;
/// An unknown `version_id` (simulator's choice).
pub const VERSION_NOT_FOUND: i64 = 210504;
/// More than [`SCOPE_APPLY_LIMIT`] scope applications in one version (simulator's choice).
pub const SCOPE_APPLY_EXHAUSTED: i64 = 210505;
/// Scope applications allowed per online version.
pub const SCOPE_APPLY_LIMIT: u32 = 10;

/// The calling app must hold one of `scopes`.
pub fn require_scope(inner: &Inner, call: &Call, scopes: &[&str]) -> Result<(), ApiError> {
    let app = caller(inner, call)?;
    if app.has_any_scope(scopes) {
        Ok(())
    } else {
        Err(ApiError::missing_scope(
            &app.app.app_id,
            &inner.console,
            scopes,
        ))
    }
}

/// The path's app must be the token's.
pub fn own_app(call: &Call, path_app_id: &str) -> Result<(), ApiError> {
    if call.app_id == path_app_id {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            NOT_OWN_APP,
            format!(
                "app_id {path_app_id} is not the calling app: a tenant access token reads and changes only its own app"
            ),
        ))
    }
}

/// The calling app's profile (every app has one).
pub fn profile<'a>(inner: &'a mut Inner, call: &Call) -> Result<&'a mut AppProfile, ApiError> {
    let now_ms = call.now_ms;
    if !inner.profiles.contains_key(&call.app_id) {
        inner.ensure_profiles(now_ms);
    }
    inner
        .profiles
        .get_mut(&call.app_id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, 404, "the calling app has no profile"))
}

/// `lang`: required, one of the three the API knows.
pub fn lang(query: &std::collections::HashMap<String, String>) -> Result<String, ApiError> {
    match query.get("lang").map(String::as_str) {
        Some(lang @ ("zh_cn" | "en_us" | "ja_jp")) => Ok(lang.to_string()),
        Some(_) => Err(ApiError::field_violation(
            "lang",
            "lang must be one of zh_cn, en_us, ja_jp",
        )),
        None => Err(ApiError::field_violation("lang", "lang is required")),
    }
}
