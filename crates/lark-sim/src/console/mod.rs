//! A small stand-in for the developer console at `/app/<app_id>/<page>`, so the sandbox's
//! "open the console" links lead somewhere useful. Each page shows what the simulated app has
//! (any app of the tenant: the primary one and those made by app registration); the pages whose
//! settings the checks read (bot, scopes, availability) change them the way the real console
//! would, so an admin can practise a failed check and its fix end to end. The registration scan
//! page (`/app/scan`) is in [`crate::registration::scan`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bytes::Bytes;
use minijinja::value::Serde;
use minijinja::{Environment, Value};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::control::{self, AppPatch, ConfigPatch};
use crate::state::SimState;
use crate::tenant::default_scopes;

/// The console's pages, by the sub-path the real console uses, with their titles.
const PAGES: &[(&str, &str, &str)] = &[
    ("baseinfo", "Credentials & Basic Info", "凭证与基础信息"),
    ("event", "Events & Callbacks", "事件与回调"),
    ("bot", "Bot", "机器人"),
    ("web-app", "Web App", "网页应用"),
    ("safe", "Security Settings", "安全设置"),
    ("auth", "Permissions & Scopes", "权限管理"),
    ("version", "Version Management & Release", "版本管理与发布"),
];

/// Scopes offered besides the granted ones: what the integration guide asks for, and neighbours
/// an admin might confuse them with.
const EXTRA_SCOPES: &[&str] = &[
    "im:chat:readonly",
    "im:message:readonly",
    "contact:user.base:readonly",
];

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.add_template("console.html", include_str!("console.html"))
        .expect("the console template parses");
    env
});

#[derive(Serialize)]
struct Nav {
    path: &'static str,
    en: &'static str,
    zh: &'static str,
}

#[derive(Serialize)]
struct ScopeRow {
    name: String,
    granted: bool,
    /// Named by the link that opened the page (`?q=a,b`): what a failed check asked for.
    requested: bool,
}

#[derive(Serialize)]
struct UserRow {
    name: String,
    email: String,
    open_id: String,
    available: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// Comma-separated scopes to add (the scope-grant link).
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

fn render(status: StatusCode, ctx: serde_json::Value) -> Response {
    match TEMPLATES
        .get_template("console.html")
        .and_then(|t| t.render(Value::from(Serde(ctx))))
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("console template failed: {e}"),
        )
            .into_response(),
    }
}

fn nav() -> Vec<Nav> {
    PAGES
        .iter()
        .map(|(path, en, zh)| Nav { path, en, zh })
        .collect()
}

/// Every app of the tenant as `{app_id, app_name}`, the primary one first.
fn apps(inner: &crate::state::Inner) -> Vec<serde_json::Value> {
    inner
        .tenant
        .app_ids()
        .iter()
        .filter_map(|id| inner.tenant.find_app(id))
        .map(|app| json!({"app_id": app.app.app_id, "app_name": app.bot.app_name}))
        .collect()
}

/// `GET /app`: the app list.
pub async fn app_list(State(state): State<Arc<SimState>>) -> Response {
    let inner = state.lock();
    render(
        StatusCode::OK,
        json!({
            "page": "list",
            "app_id": inner.tenant.app.app_id,
            "app_name": inner.tenant.bot.app_name,
            "apps": apps(&inner),
            "pages": nav(),
        }),
    )
}

/// `GET /app/<app_id>/<page>`.
pub async fn page(
    State(state): State<Arc<SimState>>,
    Path((app_id, page)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
    let inner = state.lock();
    let tenant = &inner.tenant;
    let Some(app) = tenant.find_app(&app_id) else {
        return render(
            StatusCode::NOT_FOUND,
            json!({
                "page": "unknown_app",
                "app_id": app_id,
                "known": tenant.app.app_id,
                "apps": apps(&inner),
            }),
        );
    };
    let Some((_, title_en, title_zh)) = PAGES.iter().find(|(p, _, _)| *p == page) else {
        return render(
            StatusCode::NOT_FOUND,
            json!({
                "page": "unknown_page",
                "app_id": app_id,
                "pages": nav(),
            }),
        );
    };
    let requested: BTreeSet<String> = query
        .q
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let mut names: BTreeSet<String> = app.scopes.clone();
    names.extend(default_scopes());
    names.extend(EXTRA_SCOPES.iter().map(|s| s.to_string()));
    names.extend(requested.iter().cloned());
    let scopes: Vec<ScopeRow> = names
        .into_iter()
        .map(|name| ScopeRow {
            granted: app.scopes.contains(&name),
            requested: requested.contains(&name),
            name,
        })
        .collect();
    let users: Vec<UserRow> = tenant
        .users
        .iter()
        .map(|u| UserRow {
            name: u.name.clone(),
            email: u.email.clone(),
            open_id: u.open_id.clone(),
            available: u.available,
        })
        .collect();
    render(
        StatusCode::OK,
        json!({
            "page": page,
            "title_en": title_en,
            "title_zh": title_zh,
            "app_id": app_id,
            "app_name": app.bot.app_name,
            "pages": nav(),
            "saved": query.saved.is_some(),
            "app_secret": app.app.app_secret,
            "verification_token": app.app.verification_token,
            "encrypt_key": app.app.encrypt_key,
            "bot_enabled": app.bot.enabled,
            "scopes": scopes,
            "users": users,
            "base_url": state.base_url,
        }),
    )
}

/// `POST /app/<app_id>/<page>`: saves the page's form, then shows the page again.
pub async fn save(
    State(state): State<Arc<SimState>>,
    Path((app_id, page)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let values = |key: &str| {
        form.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let (primary, users) = {
        let inner = state.lock();
        let users: Vec<String> = inner
            .tenant
            .users
            .iter()
            .map(|u| u.open_id.clone())
            .collect();
        let Some(app) = inner.tenant.find_app(&app_id) else {
            return (
                StatusCode::NOT_FOUND,
                "no app with this App ID in the sandbox tenant",
            )
                .into_response();
        };
        (app.primary, users)
    };
    // The primary app keeps the top-level fields; any other app is changed through `apps`.
    let for_app = |change: AppPatch| ConfigPatch {
        apps: Some(BTreeMap::from([(app_id.clone(), change)])),
        ..ConfigPatch::default()
    };
    let patch = match page.as_str() {
        "bot" if primary => ConfigPatch {
            bot_enabled: Some(values("enabled").iter().any(|v| v == "on")),
            ..ConfigPatch::default()
        },
        "bot" => for_app(AppPatch {
            bot_enabled: Some(values("enabled").iter().any(|v| v == "on")),
            ..AppPatch::default()
        }),
        "auth" if primary => ConfigPatch {
            scopes: Some(values("scope")),
            ..ConfigPatch::default()
        },
        "auth" => for_app(AppPatch {
            scopes: Some(values("scope")),
            ..AppPatch::default()
        }),
        "version" => {
            let available: BTreeSet<String> = values("available").into_iter().collect();
            ConfigPatch {
                user_available: Some(
                    users
                        .into_iter()
                        .map(|id| {
                            let on = available.contains(&id);
                            (id, on)
                        })
                        .collect::<BTreeMap<_, _>>(),
                ),
                ..ConfigPatch::default()
            }
        }
        _ => {
            return (
                StatusCode::METHOD_NOT_ALLOWED,
                "this page of the sandbox console has nothing to save",
            )
                .into_response()
        }
    };
    if let Err(e) = control::apply(&state, patch) {
        return e.into_response();
    }
    Redirect::to(&format!("/app/{app_id}/{page}?saved=1")).into_response()
}
