//! The Open API error taxonomy and the classifier that maps an answer (HTTP status, rate-limit
//! headers, `{code, msg, error}` body) onto it.
//!
//! Sources disagree on some codes (docs/protocol.md, "Error codes the code names"), so the
//! classifier trusts the strongest signal first: the quota code (it also comes as HTTP 429), then
//! HTTP 429 and the `x-ogw-ratelimit-*` headers, then the code, then the HTTP status class. Every
//! variant's message is written for the admin who has to fix the cause, and none of them carries
//! a secret.

use std::time::Duration;

use serde_json::Value;

/// Which credential the token endpoint refused: the admin has to re-copy exactly that one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CredentialField {
    /// Code 10003: the App ID is unknown.
    AppId,
    /// Codes 10014 / 10015: the App Secret does not match the App ID.
    AppSecret,
    /// Code 99991543: "app_id or app_secret does not exist"; the platform does not say which.
    Either,
}

impl CredentialField {
    fn describe(self) -> &'static str {
        match self {
            Self::AppId => "the App ID is not known to the platform",
            Self::AppSecret => "the App Secret does not match the App ID",
            Self::Either => "the App ID or the App Secret is wrong",
        }
    }
}

/// Why an Open API call failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The token endpoint refused the app's credentials.
    #[error("Feishu/Lark refused the app credentials: {} (code {code}). Copy the value again from the app's \"Credentials & Basic Info\" page in the developer console.", .field.describe())]
    InvalidCredentials { field: CredentialField, code: i64 },

    /// The app has not been granted a scope the call needs (any one of `scopes` would do).
    #[error("The app lacks a required permission (any one of: {}) (code {code}). Grant it under \"Permissions & Scopes\" in the developer console{}, then publish a new version.", .scopes.join(", "), .console_link.as_deref().map(|l| format!(" ({l})")).unwrap_or_default())]
    MissingScopes {
        code: i64,
        scopes: Vec<String>,
        /// The console page that grants them, as the platform's message gives it.
        console_link: Option<String>,
    },

    /// 230002: the bot is not a member of the target group.
    #[error("The bot is not a member of this chat (code {code}). Add the bot to the group (group settings > Bots) and try again.")]
    BotNotInChat { code: i64 },

    /// 230013: the person is outside the app's availability range.
    #[error("This person cannot receive messages from the app (code {code}): they are outside the app's availability range. Widen the availability in the developer console and publish a new version.")]
    ReceiverUnavailable { code: i64 },

    /// A rate ceiling tripped: the gateway's per-app tier (HTTP 429, 99991400), the app's send
    /// frequency (11232) or one chat's or user's (230020).
    #[error("Feishu/Lark rate limit reached{}{}. Wait{} before trying again.", .code.map(|c| format!(" (code {c})")).unwrap_or_default(), .limit.as_deref().map(|l| format!(", limit {l} per window")).unwrap_or_default(), .reset_after.map(|d| format!(" {} s", d.as_secs_f64().ceil())).unwrap_or_else(|| " a moment".to_string()))]
    RateLimited {
        /// `x-ogw-ratelimit-reset` (or `Retry-After`): how long until a call is admitted again.
        reset_after: Option<Duration>,
        /// `x-ogw-ratelimit-limit`: the cap of the window that tripped, as the header says it.
        limit: Option<String>,
        code: Option<i64>,
    },

    /// 99991403: the tenant's monthly call quota (Basic edition) is used up.
    #[error("The tenant's monthly Open API call quota is used up (code {code}). Calls that count fail until it resets on the 1st of next month, unless the tenant upgrades its edition.")]
    QuotaExhausted { code: i64 },

    /// 99991662 / 99991673: the app is disabled or not installed in the tenant.
    #[error("The app is disabled or not available in this tenant (code {code}: {msg}). Ask a tenant admin to enable it, or publish a version and have it approved.")]
    AppUnavailable { code: i64, msg: String },

    /// 230006 / 232025: the app's Bot capability is off or unpublished.
    #[error("The app's Bot capability is not enabled (code {code}). Turn on Features > Bot in the developer console and publish a new version.")]
    BotCapabilityDisabled { code: i64 },

    /// The tenant access token was refused even after one refresh.
    #[error("Feishu/Lark refused the access token (code {code}: {msg}), also after fetching a new one. Check the system clock and that the app is published.")]
    TokenInvalid { code: i64, msg: String },

    /// 230001 / 230099: the request or the card content is invalid (also: unknown chat or message).
    #[error("Feishu/Lark rejected the message or its receiver as invalid (code {code}): {msg}")]
    ContentInvalid { code: i64, msg: String },

    /// 230021 / 230022 / 230025 / 19036: the content is over the size limit (cards: 30 KB).
    #[error("The message is too large for Feishu/Lark (code {code}: {msg}). Cards must stay under 30 KB.")]
    ContentTooLarge { code: i64, msg: String },

    /// 210040: a version is under review; the app's configuration cannot change until the
    /// review ends (approved, rejected or withdrawn in the console).
    #[error("The app has a version under review, so its settings cannot be changed now (code {code}). Wait for the tenant admin's review (or withdraw the version in the developer console), then try again.")]
    UnderReview { code: i64 },

    /// The app was not made in the developer console (for example from a Base or a template):
    /// the configuration API does not change such apps.
    #[error("This app was not made in the developer console, so its settings cannot be changed by API (code {code}: {msg}). Make the changes in the developer console instead.")]
    NotConsoleApp { code: i64, msg: String },

    /// HTTP 404 on an Open API path: this platform (often Lark, whose v7 lags Feishu's) does not
    /// offer the API.
    #[error("Feishu/Lark does not offer this API here (HTTP 404). Make the change in the developer console instead.")]
    NotSupported,

    /// Any other platform code, with the platform's own message.
    #[error("Feishu/Lark answered code {code} (HTTP {http_status}): {msg}")]
    Platform {
        code: i64,
        msg: String,
        http_status: u16,
    },

    /// No answer: connection refused, DNS, TLS, or a timeout.
    #[error("{}: {detail}. Check the network connection and any HTTP proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY).", if *.timeout { "Feishu/Lark did not answer in time" } else { "Could not reach Feishu/Lark" })]
    Network { timeout: bool, detail: String },

    /// A 5xx, or a body that is not the platform's JSON (often a proxy's or gateway's page).
    #[error("Feishu/Lark answered HTTP {http_status}{} with an unexpected answer: {detail}. This is usually temporary; try again later.", .code.map(|c| format!(" (code {c})")).unwrap_or_default())]
    Server {
        http_status: u16,
        code: Option<i64>,
        detail: String,
    },

    /// A success answer whose payload does not have the documented shape.
    #[error("Feishu/Lark's answer could not be read: {detail}")]
    Decode { detail: String },
}

impl ApiError {
    /// The platform's code, when the answer carried one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::InvalidCredentials { code, .. }
            | Self::MissingScopes { code, .. }
            | Self::BotNotInChat { code }
            | Self::ReceiverUnavailable { code }
            | Self::QuotaExhausted { code }
            | Self::AppUnavailable { code, .. }
            | Self::BotCapabilityDisabled { code }
            | Self::TokenInvalid { code, .. }
            | Self::ContentInvalid { code, .. }
            | Self::ContentTooLarge { code, .. }
            | Self::UnderReview { code }
            | Self::NotConsoleApp { code, .. }
            | Self::Platform { code, .. } => Some(*code),
            Self::RateLimited { code, .. } | Self::Server { code, .. } => *code,
            Self::Network { .. } | Self::Decode { .. } | Self::NotSupported => None,
        }
    }

    /// A stable identifier of the variant, for ledgers and the IPC error `code`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InvalidCredentials { .. } => "invalid_credentials",
            Self::MissingScopes { .. } => "missing_scopes",
            Self::BotNotInChat { .. } => "bot_not_in_chat",
            Self::ReceiverUnavailable { .. } => "receiver_unavailable",
            Self::RateLimited { .. } => "rate_limited",
            Self::QuotaExhausted { .. } => "quota_exhausted",
            Self::AppUnavailable { .. } => "app_unavailable",
            Self::BotCapabilityDisabled { .. } => "bot_capability_disabled",
            Self::TokenInvalid { .. } => "token_invalid",
            Self::ContentInvalid { .. } => "content_invalid",
            Self::ContentTooLarge { .. } => "content_too_large",
            Self::UnderReview { .. } => "under_review",
            Self::NotConsoleApp { .. } => "not_console_app",
            Self::NotSupported => "not_supported",
            Self::Platform { .. } => "platform",
            Self::Network { .. } => "network",
            Self::Server { .. } => "server",
            Self::Decode { .. } => "decode",
        }
    }

    /// Whether the same call may succeed later without anyone changing a setting.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Network { .. } | Self::Server { .. }
        )
    }

    /// Token codes after which one refresh and one retry are worth it (the SDK's list).
    pub(crate) fn wants_token_refresh(&self) -> bool {
        matches!(self, Self::TokenInvalid { code, .. } if codes::TOKEN_REFRESH.contains(code))
    }

    pub(crate) fn from_reqwest(error: &reqwest::Error) -> Self {
        Self::Network {
            timeout: error.is_timeout(),
            detail: describe_reqwest(error),
        }
    }

    pub(crate) fn decode(detail: impl Into<String>) -> Self {
        Self::Decode {
            detail: detail.into(),
        }
    }
}

/// The error and its causes on one line (reqwest's own Display stops at "error sending request").
/// URLs carry no secret: the token travels in a header and the App Secret in a body.
fn describe_reqwest(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Why a client could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("the Open API base URL {url:?} is not a valid http(s) URL")]
    InvalidBaseUrl { url: String },
    #[error("the HTTP proxy {url:?} is not valid: {detail}")]
    InvalidProxy { url: String, detail: String },
    #[error("the HTTP client could not be set up: {detail}")]
    Http { detail: String },
}

/// Platform codes, grouped the way the classifier uses them.
pub mod codes {
    pub const QUOTA_EXHAUSTED: i64 = 99_991_403;
    /// 99991400 gateway frequency limit; 11232/11233/11247 message creation (app, chat,
    /// internal); 230020 one chat/user/message; 99991402/11020/11021 as lark-oapi lists them.
    pub const RATE_LIMITED: &[i64] = &[
        99_991_400, 11_232, 11_233, 11_247, 230_020, 99_991_402, 11_020, 11_021,
    ];
    pub const INVALID_APP_ID: i64 = 10_003;
    pub const INVALID_APP_SECRET: &[i64] = &[10_014, 10_015];
    pub const APP_ID_OR_SECRET: i64 = 99_991_543;
    /// 99991676 is "token lacks the scope"; the others name the scopes in `msg`.
    pub const MISSING_SCOPES: &[i64] =
        &[99_991_672, 99_991_676, 99_991_679, 99_991_680, 99_991_681];
    /// Invalid or expired token: refresh once and retry once (lark_oapi/channel/errors.py).
    pub const TOKEN_REFRESH: &[i64] = &[99_991_663, 99_991_664, 99_991_665, 99_991_666, 99_991_668];
    /// Missing, malformed or expired (user) tokens: a refresh would not help.
    pub const TOKEN_OTHER: &[i64] = &[99_991_661, 99_991_671, 99_991_677];
    pub const APP_UNAVAILABLE: &[i64] = &[99_991_662, 99_991_673];
    pub const BOT_NOT_IN_CHAT: i64 = 230_002;
    pub const RECEIVER_UNAVAILABLE: i64 = 230_013;
    pub const BOT_DISABLED: &[i64] = &[230_006, 232_025];
    pub const CONTENT_INVALID: &[i64] = &[230_001, 230_099];
    pub const CONTENT_TOO_LARGE: &[i64] = &[230_021, 230_022, 230_025, 19_036];
    /// The application configuration API: a version is under review.
    pub const UNDER_REVIEW: i64 = 210_040;
}

/// The rate-limit headers of an answer, verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// `x-ogw-ratelimit-limit`: the window's cap.
    pub limit: Option<String>,
    /// `x-ogw-ratelimit-reset`: seconds until the window admits calls again.
    pub reset: Option<String>,
    /// `Retry-After`, the fallback some gateways send instead.
    pub retry_after: Option<String>,
}

impl RateLimitHeaders {
    pub(crate) fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
        };
        Self {
            limit: get("x-ogw-ratelimit-limit"),
            reset: get("x-ogw-ratelimit-reset"),
            retry_after: get("retry-after"),
        }
    }

    /// Whether the gateway said this answer is about a rate ceiling.
    pub fn present(&self) -> bool {
        self.limit.is_some() || self.reset.is_some()
    }

    /// How long to wait: the reset header in seconds, else `Retry-After` in seconds.
    pub fn reset_after(&self) -> Option<Duration> {
        [&self.reset, &self.retry_after]
            .into_iter()
            .flatten()
            .find_map(|value| value.parse::<f64>().ok())
            .filter(|secs| secs.is_finite() && *secs >= 0.0)
            .map(Duration::from_secs_f64)
    }
}

/// Classifies an answer. `body` is `None` when it is not JSON; `Ok(())` means success (code 0).
pub(crate) fn classify(
    http_status: u16,
    rate: &RateLimitHeaders,
    body: Option<&Value>,
) -> Result<(), ApiError> {
    let rate_limited = |code| ApiError::RateLimited {
        reset_after: rate.reset_after(),
        limit: rate.limit.clone(),
        code,
    };
    let code = body.and_then(|b| b.get("code")).and_then(Value::as_i64);
    if http_status == 404 {
        return Err(ApiError::NotSupported);
    }
    let Some(code) = code else {
        return Err(match (http_status, body) {
            (429, _) => rate_limited(None),
            (200..=299, Some(_)) => ApiError::decode("the answer has no `code` field"),
            (_, body) => ApiError::Server {
                http_status,
                code: None,
                detail: match body {
                    Some(_) => "a JSON answer without a `code`".to_string(),
                    None => "the answer is not JSON".to_string(),
                },
            },
        });
    };
    if code == 0 {
        return match http_status {
            200..=299 => Ok(()),
            429 => Err(rate_limited(None)),
            _ => Err(ApiError::Server {
                http_status,
                code: Some(0),
                detail: "code 0 with an error status".to_string(),
            }),
        };
    }
    let msg = message(body);
    // The quota code comes with HTTP 429 too, and must not read as a short rate limit.
    if code == codes::QUOTA_EXHAUSTED {
        return Err(ApiError::QuotaExhausted { code });
    }
    if http_status == 429 || rate.present() || codes::RATE_LIMITED.contains(&code) {
        return Err(rate_limited(Some(code)));
    }
    let error = match code {
        codes::INVALID_APP_ID => ApiError::InvalidCredentials {
            field: CredentialField::AppId,
            code,
        },
        c if codes::INVALID_APP_SECRET.contains(&c) => ApiError::InvalidCredentials {
            field: CredentialField::AppSecret,
            code,
        },
        codes::APP_ID_OR_SECRET => ApiError::InvalidCredentials {
            field: CredentialField::Either,
            code,
        },
        c if codes::MISSING_SCOPES.contains(&c) => ApiError::MissingScopes {
            code,
            scopes: scopes(&msg, body),
            console_link: console_link(&msg, body),
        },
        c if codes::TOKEN_REFRESH.contains(&c) || codes::TOKEN_OTHER.contains(&c) => {
            ApiError::TokenInvalid { code, msg }
        }
        c if codes::APP_UNAVAILABLE.contains(&c) => ApiError::AppUnavailable { code, msg },
        codes::BOT_NOT_IN_CHAT => ApiError::BotNotInChat { code },
        codes::RECEIVER_UNAVAILABLE => ApiError::ReceiverUnavailable { code },
        c if codes::BOT_DISABLED.contains(&c) => ApiError::BotCapabilityDisabled { code },
        c if codes::CONTENT_INVALID.contains(&c) => ApiError::ContentInvalid { code, msg },
        c if codes::CONTENT_TOO_LARGE.contains(&c) => ApiError::ContentTooLarge { code, msg },
        codes::UNDER_REVIEW => ApiError::UnderReview { code },
        _ if http_status >= 500 => ApiError::Server {
            http_status,
            code: Some(code),
            detail: msg,
        },
        _ => ApiError::Platform {
            code,
            msg,
            http_status,
        },
    };
    Err(error)
}

/// `msg`, with the `field_violations` of a validation error appended (the bare msg only says
/// "field validation failed").
fn message(body: Option<&Value>) -> String {
    let mut msg = body
        .and_then(|b| b.get("msg"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let violations: Vec<String> = body
        .and_then(|b| b.pointer("/error/field_violations"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|v| {
                    let field = v.get("field").and_then(Value::as_str).unwrap_or("?");
                    let why = v.get("description").and_then(Value::as_str).unwrap_or("");
                    format!("{field}: {why}")
                })
                .collect()
        })
        .unwrap_or_default();
    if !violations.is_empty() {
        msg = format!("{msg} ({})", violations.join("; "));
    }
    msg
}

/// The scope names: from the first `[a:b, c:d]` list in the message (the English part comes
/// first), else from `error.permission_violations[].subject`.
fn scopes(msg: &str, body: Option<&Value>) -> Vec<String> {
    let mut rest = msg;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let inside = &after[..close];
        if inside.contains(':') {
            return inside
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        }
        rest = &after[close + 1..];
    }
    body.and_then(|b| b.pointer("/error/permission_violations"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.get("subject").and_then(Value::as_str))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The console link: the first URL in the message (it ends at whitespace or the first non-ASCII
/// character, since the Chinese half of the message runs straight into it), else `error.helps`.
fn console_link(msg: &str, body: Option<&Value>) -> Option<String> {
    let from_msg = msg
        .find("https://")
        .or_else(|| msg.find("http://"))
        .map(|start| {
            let url = &msg[start..];
            let end = url
                .find(|c: char| {
                    c.is_whitespace()
                        || !c.is_ascii()
                        || matches!(c, '"' | '\'' | '<' | '>' | ')' | ']')
                })
                .unwrap_or(url.len());
            url[..end].trim_end_matches(['.', ',', ';']).to_string()
        })
        .filter(|url| url.len() > "https://".len());
    from_msg.or_else(|| {
        body.and_then(|b| b.pointer("/error/helps"))
            .and_then(Value::as_array)
            .and_then(|helps| {
                helps
                    .iter()
                    .find_map(|h| h.get("url").and_then(Value::as_str))
            })
            .map(String::from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_headers() -> RateLimitHeaders {
        RateLimitHeaders::default()
    }

    fn classify_body(status: u16, body: Value) -> ApiError {
        classify(status, &no_headers(), Some(&body)).unwrap_err()
    }

    #[test]
    fn success_is_code_zero_with_a_2xx() {
        assert!(classify(200, &no_headers(), Some(&json!({"code": 0}))).is_ok());
        assert!(matches!(
            classify(502, &no_headers(), Some(&json!({"code": 0}))),
            Err(ApiError::Server {
                http_status: 502,
                ..
            })
        ));
    }

    #[test]
    fn credentials_say_which_field() {
        let app_id = classify_body(200, json!({"code": 10003, "msg": "invalid param"}));
        assert_eq!(
            app_id,
            ApiError::InvalidCredentials {
                field: CredentialField::AppId,
                code: 10003
            }
        );
        for code in [10014, 10015] {
            let secret = classify_body(200, json!({"code": code, "msg": "app secret invalid"}));
            assert!(matches!(
                secret,
                ApiError::InvalidCredentials {
                    field: CredentialField::AppSecret,
                    ..
                }
            ));
            assert!(secret.to_string().contains("App Secret"));
        }
    }

    #[test]
    fn http_429_and_headers_win_over_the_code() {
        let rate = RateLimitHeaders {
            limit: Some("50".into()),
            reset: Some("3".into()),
            retry_after: None,
        };
        // lark-oapi reads 99991400 as an auth denial; the 429 and headers say otherwise.
        let error = classify(
            429,
            &rate,
            Some(&json!({"code": 99991400, "msg": "request trigger frequency limit"})),
        )
        .unwrap_err();
        assert_eq!(
            error,
            ApiError::RateLimited {
                reset_after: Some(Duration::from_secs(3)),
                limit: Some("50".into()),
                code: Some(99991400)
            }
        );
        // Headers alone (an older API answering HTTP 400) are enough.
        let error = classify(400, &rate, Some(&json!({"code": 230001, "msg": "x"}))).unwrap_err();
        assert!(matches!(
            error,
            ApiError::RateLimited {
                code: Some(230001),
                ..
            }
        ));
        // A bare 429 with a gateway page.
        let bare = RateLimitHeaders {
            retry_after: Some("2".into()),
            ..RateLimitHeaders::default()
        };
        let error = classify(429, &bare, None).unwrap_err();
        assert_eq!(
            error,
            ApiError::RateLimited {
                reset_after: Some(Duration::from_secs(2)),
                limit: None,
                code: None
            }
        );
        assert!(error.is_transient());
    }

    #[test]
    fn quota_is_not_a_rate_limit_even_as_429() {
        let error = classify_body(429, json!({"code": 99991403, "msg": "quota"}));
        assert_eq!(error, ApiError::QuotaExhausted { code: 99991403 });
        assert!(!error.is_transient());
    }

    #[test]
    fn missing_scopes_parse_the_list_and_the_link() {
        let link = "https://open.feishu.cn/app/cli_a1b2c3d4e5f60718/auth?q=im:message,im:message:send_as_bot&op_from=openapi&token_type=tenant";
        let msg = format!(
            "Access denied. One of the following scopes is required: [im:message, im:message:send_as_bot].应用尚未开通所需的应用身份权限：[im:message, im:message:send_as_bot]，点击链接申请并开通任一权限即可：{link}"
        );
        let error = classify_body(400, json!({"code": 99991672, "msg": msg}));
        assert_eq!(
            error,
            ApiError::MissingScopes {
                code: 99991672,
                scopes: vec!["im:message".into(), "im:message:send_as_bot".into()],
                console_link: Some(link.into()),
            }
        );
        assert!(error.to_string().contains(link));
        // Structured fallbacks when the message is terse.
        let error = classify_body(
            400,
            json!({"code": 99991679, "msg": "Unauthorized", "error": {
                "permission_violations": [{"subject": "im:chat"}],
                "helps": [{"url": "https://open.larksuite.com/app/cli_x/auth?q=im:chat"}]
            }}),
        );
        assert_eq!(
            error,
            ApiError::MissingScopes {
                code: 99991679,
                scopes: vec!["im:chat".into()],
                console_link: Some("https://open.larksuite.com/app/cli_x/auth?q=im:chat".into()),
            }
        );
    }

    #[test]
    fn message_codes_map_to_their_variants() {
        let cases = [
            (230002, "bot_not_in_chat"),
            (230013, "receiver_unavailable"),
            (230006, "bot_capability_disabled"),
            (232025, "bot_capability_disabled"),
            (230001, "content_invalid"),
            (230025, "content_too_large"),
            (230021, "content_too_large"),
            (99991662, "app_unavailable"),
            (99991673, "app_unavailable"),
            (99991663, "token_invalid"),
            (11232, "rate_limited"),
            (230020, "rate_limited"),
            (12345, "platform"),
        ];
        for (code, kind) in cases {
            let error = classify_body(400, json!({"code": code, "msg": "m"}));
            assert_eq!(error.kind(), kind, "code {code}");
            assert_eq!(error.code(), Some(code));
        }
    }

    #[test]
    fn only_the_sdk_token_codes_trigger_a_refresh() {
        assert!(classify_body(400, json!({"code": 99991663})).wants_token_refresh());
        assert!(classify_body(400, json!({"code": 99991668})).wants_token_refresh());
        assert!(!classify_body(400, json!({"code": 99991661})).wants_token_refresh());
        assert!(!classify_body(400, json!({"code": 230002})).wants_token_refresh());
    }

    #[test]
    fn field_violations_are_spelled_out() {
        let error = classify_body(
            400,
            json!({"code": 99992402, "msg": "field validation failed", "error": {
                "field_violations": [{"field": "page_size", "description": "must be 1..100"}]
            }}),
        );
        assert_eq!(
            error,
            ApiError::Platform {
                code: 99992402,
                msg: "field validation failed (page_size: must be 1..100)".into(),
                http_status: 400
            }
        );
    }

    #[test]
    fn configuration_api_refusals_have_their_own_kinds() {
        assert_eq!(
            classify_body(400, json!({"code": 210040, "msg": "app is under review"})),
            ApiError::UnderReview { code: 210040 }
        );
        assert_eq!(
            classify(404, &no_headers(), None).unwrap_err(),
            ApiError::NotSupported
        );
        assert_eq!(
            classify_body(404, json!({"code": 404, "msg": "404 page not found"})).kind(),
            "not_supported"
        );
    }

    #[test]
    fn unreadable_answers_are_server_errors() {
        assert!(matches!(
            classify(502, &no_headers(), None),
            Err(ApiError::Server {
                http_status: 502,
                code: None,
                ..
            })
        ));
        assert!(matches!(
            classify(200, &no_headers(), None),
            Err(ApiError::Server {
                http_status: 200,
                ..
            })
        ));
        assert!(matches!(
            classify(200, &no_headers(), Some(&json!({"ok": true}))),
            Err(ApiError::Decode { .. })
        ));
        assert!(matches!(
            classify(503, &no_headers(), Some(&json!({"code": 1, "msg": "busy"}))),
            Err(ApiError::Server { code: Some(1), .. })
        ));
    }
}
