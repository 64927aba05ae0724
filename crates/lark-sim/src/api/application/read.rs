//! The v6 reads: the app itself, its versions, its scopes' grant state, and the request to the
//! tenant admin to grant them.
//!
//! - `GET /open-apis/application/v6/applications/:app_id?lang=` → `data.app`: the *current*
//!   configuration (draft changes included) plus what took effect at once; `unaudit_version_id`
//!   is the version under review ("" when none).
//! - `GET .../:app_id/app_versions?lang=&page_size=&page_token=&order=` → `data.items`,
//!   `has_more`, `page_token`; `order` 0 (default) newest first, 1 oldest first; page_size 1-50,
//!   default 20; every status is listed, the draft (4) included.
//! - `GET .../:app_id/app_versions/:version_id?lang=` → `data.app_version`.
//! - `GET /open-apis/application/v6/scopes` → `data.scopes[{scope_name,grant_status,scope_type}]`:
//!   requested and granted scopes, 1 granted / 2 not.
//! - `POST /open-apis/application/v6/scopes/apply` → `{}`; at most 10 per online version.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

use super::{
    lang, own_app, profile, require_scope, view, INFO_READONLY, SCOPE_APPLY_EXHAUSTED,
    SCOPE_APPLY_LIMIT, SELF_MANAGE, VERSION_NOT_FOUND, VERSION_READONLY,
};
use crate::api::{caller, ok_data, run, ApiError, Gate};
use crate::application::TokenType;
use crate::state::{Endpoint, SimState};

fn gate(endpoint: Endpoint, headers: &HeaderMap) -> Gate<'_> {
    Gate {
        endpoint,
        needs_token: true,
        counted: true,
        headers,
    }
}

pub async fn get_app(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(
        &state,
        gate(Endpoint::ApplicationGet, &headers),
        |inner, call| {
            require_scope(inner, call, &[SELF_MANAGE, INFO_READONLY])?;
            own_app(call, &app_id)?;
            let lang = lang(&query)?;
            let hide = inner.app_api.hide_request_urls;
            let credentials = caller(inner, call)?.app.clone();
            let profile = profile(inner, call)?;
            Ok(ok_data(
                json!({"app": view::app(profile, &credentials, &lang, hide)}),
            ))
        },
    )
    .await
}

pub async fn list_versions(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(
        &state,
        gate(Endpoint::AppVersionList, &headers),
        |inner, call| {
            require_scope(inner, call, &[VERSION_READONLY, SELF_MANAGE])?;
            own_app(call, &app_id)?;
            let lang = lang(&query)?;
            let page_size = match query.get("page_size").map(|v| v.parse::<usize>()) {
                None => 20,
                Some(Ok(size)) if (1..=50).contains(&size) => size,
                Some(_) => {
                    return Err(ApiError::field_violation(
                        "page_size",
                        "page_size must be between 1 and 50",
                    ))
                }
            };
            let newest_first = match query.get("order").map(String::as_str) {
                None | Some("0") => true,
                Some("1") => false,
                Some(_) => return Err(ApiError::field_violation("order", "order must be 0 or 1")),
            };
            let start = match query.get("page_token").filter(|t| !t.is_empty()) {
                None => 0,
                Some(token) => token
                    .strip_prefix("pv_")
                    .and_then(|offset| offset.parse::<usize>().ok())
                    .ok_or_else(|| ApiError::field_violation("page_token", "invalid page_token"))?,
            };
            let hide = inner.app_api.hide_request_urls;
            let profile = profile(inner, call)?;
            let mut versions: Vec<_> = profile.versions.iter().collect();
            if newest_first {
                versions.reverse();
            }
            let items: Vec<_> = versions
                .iter()
                .skip(start)
                .take(page_size)
                .map(|v| view::version(profile, v, &lang, hide))
                .collect();
            let next = start + items.len();
            let has_more = next < versions.len();
            Ok(ok_data(json!({
                "items": items,
                "has_more": has_more,
                "page_token": if has_more { format!("pv_{next}") } else { String::new() },
            })))
        },
    )
    .await
}

pub async fn get_version(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path((app_id, version_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    run(
        &state,
        gate(Endpoint::AppVersionGet, &headers),
        |inner, call| {
            require_scope(inner, call, &[VERSION_READONLY, SELF_MANAGE])?;
            own_app(call, &app_id)?;
            let lang = lang(&query)?;
            let hide = inner.app_api.hide_request_urls;
            let profile = profile(inner, call)?;
            let version = profile.find_version(&version_id).ok_or_else(|| {
                ApiError::bad_request(
                    VERSION_NOT_FOUND,
                    format!("app version {version_id} not found"),
                )
            })?;
            Ok(ok_data(
                json!({"app_version": view::version(profile, version, &lang, hide)}),
            ))
        },
    )
    .await
}

/// Every scope the app requested or holds, with its grant state and identity.
pub async fn list_scopes(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    run(&state, gate(Endpoint::ScopeList, &headers), |inner, call| {
        let granted_tenant = caller(inner, call)?.scopes.clone();
        let profile = profile(inner, call)?;
        let mut rows: BTreeMap<(String, &'static str), bool> = BTreeMap::new();
        for (name, types) in &profile.current.scopes {
            for token_type in types {
                let granted = match token_type {
                    TokenType::Tenant => granted_tenant.contains(name),
                    TokenType::User => profile.granted_user_scopes.contains(name),
                };
                rows.insert((name.clone(), token_type.as_str()), granted);
            }
        }
        for name in &granted_tenant {
            rows.insert((name.clone(), "tenant"), true);
        }
        for name in &profile.granted_user_scopes {
            rows.insert((name.clone(), "user"), true);
        }
        let scopes: Vec<_> = rows
            .into_iter()
            .map(|((name, scope_type), granted)| {
                json!({"scope_name": name, "grant_status": if granted { 1 } else { 2 }, "scope_type": scope_type})
            })
            .collect();
        Ok(ok_data(json!({ "scopes": scopes })))
    })
    .await
}

/// Records a request to the tenant admin; the 11th in one online version is refused.
pub async fn apply_scopes(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    run(&state, gate(Endpoint::ScopeApply, &headers), |inner, call| {
        let profile = profile(inner, call)?;
        let version = profile
            .online()
            .map(|v| v.version_id.clone())
            .unwrap_or_default();
        let count = profile.scope_applies.entry(version).or_default();
        if *count >= SCOPE_APPLY_LIMIT {
            return Err(ApiError::bad_request(
                SCOPE_APPLY_EXHAUSTED,
                format!("scopes may be applied for at most {SCOPE_APPLY_LIMIT} times per app version"),
            ));
        }
        *count += 1;
        Ok(ok_data(json!({})))
    })
    .await
}
