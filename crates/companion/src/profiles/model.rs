//! The validated parts of a profile. Each `parse` returns a message that says what a correct
//! value looks like and where to find it, because these are typed or pasted by people.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::ids::ProfileUid;
use crate::problem::{Problem, ProblemCode as C};
use crate::{Error, Result};

pub const NAME_MAX_CHARS: usize = 64;

/// A profile name: 1 to 64 characters after trimming, no control characters. Unique without
/// regard to ASCII case (the database enforces it too).
pub fn parse_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", C::ProfileNameEmpty));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(Problem::invalid("name", C::ProfileNameTooLong)
            .param("max", NAME_MAX_CHARS)
            .into());
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid("name", C::ProfileNameControl));
    }
    Ok(name.to_owned())
}

/// A custom app's App ID: `cli_` followed by 16 lowercase hex digits.
pub fn parse_app_id(raw: &str) -> Result<String> {
    let id = raw.trim();
    let valid = id.len() == 20
        && id.starts_with("cli_")
        && id[4..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !valid {
        return Err(Error::invalid("appId", C::AppIdFormat));
    }
    Ok(id.to_owned())
}

/// Which Open Platform a profile talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Platform {
    /// open.feishu.cn (mainland China).
    Feishu,
    /// open.larksuite.com (international).
    Lark,
    /// Another base URL: a private deployment, a proxy, or the simulator.
    #[serde(rename_all = "camelCase")]
    Custom { base_url: String },
}

impl Platform {
    pub const FEISHU_BASE: &'static str = "https://open.feishu.cn";
    pub const LARK_BASE: &'static str = "https://open.larksuite.com";

    /// `feishu`, `lark` (any case) or an http(s) base URL.
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim();
        match value.to_ascii_lowercase().as_str() {
            "feishu" => Ok(Platform::Feishu),
            "lark" | "larksuite" => Ok(Platform::Lark),
            _ if value.contains("://") => Ok(Platform::Custom {
                base_url: parse_platform_url(value)?,
            }),
            _ => Err(Error::invalid("platform", C::PlatformChoice)),
        }
    }

    /// The Open API base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Platform::Feishu => Self::FEISHU_BASE,
            Platform::Lark => Self::LARK_BASE,
            Platform::Custom { base_url } => base_url,
        }
    }

    /// `feishu`, `lark` or the base URL: the inverse of [`Platform::parse`].
    pub fn to_arg(&self) -> String {
        match self {
            Platform::Feishu => "feishu".into(),
            Platform::Lark => "lark".into(),
            Platform::Custom { base_url } => base_url.clone(),
        }
    }

    pub(crate) fn validated(self) -> Result<Self> {
        match self {
            Platform::Custom { base_url } => Ok(Platform::Custom {
                base_url: parse_platform_url(&base_url)?,
            }),
            other => Ok(other),
        }
    }
}

/// A custom Open Platform base URL: https, or http only on this computer (the App Secret goes
/// to its token endpoint and must not cross a network in clear text).
fn parse_platform_url(raw: &str) -> Result<String> {
    let url = parse_url("platform", raw)?;
    let parsed = url::Url::parse(&url).map_err(|e| {
        Problem::invalid("platform", C::PlatformUrlInvalid)
            .param("value", &url)
            .param("detail", e)
    })?;
    if parsed.scheme() != "https" && !lark_platform::client::is_loopback(&parsed) {
        return Err(Problem::invalid("platform", C::PlatformUrlNotHttps)
            .param("value", url)
            .into());
    }
    Ok(url)
}

/// An absolute http(s) URL, trimmed, without a trailing slash.
pub fn parse_url(field: &str, raw: &str) -> Result<String> {
    let value = raw.trim();
    let parsed = url::Url::parse(value).map_err(|e| {
        Problem::invalid(field, C::UrlNotFull)
            .param("value", value)
            .param("detail", e)
    })?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(Problem::invalid(field, C::UrlNotHttp)
            .param("value", value)
            .into());
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// The three URLs the integration gives back, to paste into the developer console. Each is
/// empty until the admin copies it from the integration's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntegrationUrls {
    /// Web App desktop and mobile homepage.
    #[serde(default)]
    pub web_config_url: Option<String>,
    /// Security Settings > Redirect URLs.
    #[serde(default)]
    pub redirect_url: Option<String>,
    /// Events & Callbacks: request URL for events and card callbacks.
    #[serde(default)]
    pub card_request_url: Option<String>,
}

impl IntegrationUrls {
    /// Each present URL validated; blank ones become absent.
    pub fn validated(self) -> Result<Self> {
        let check = |field: &str, v: Option<String>| -> Result<Option<String>> {
            match v {
                Some(s) if !s.trim().is_empty() => Ok(Some(parse_url(field, &s)?)),
                _ => Ok(None),
            }
        };
        Ok(Self {
            web_config_url: check("webConfigUrl", self.web_config_url)?,
            redirect_url: check("redirectUrl", self.redirect_url)?,
            card_request_url: check("cardRequestUrl", self.card_request_url)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Prod  ").unwrap(), "Prod");
        assert_eq!(parse_name(&"飞".repeat(64)).unwrap().chars().count(), 64);
        assert!(parse_name(&"a".repeat(65)).is_err());
        assert!(parse_name("   ").is_err());
        assert!(parse_name("a\nb").is_err());
    }

    #[test]
    fn app_id_needs_cli_and_16_hex_digits() {
        assert_eq!(
            parse_app_id(" cli_a1b2c3d4e5f60718 ").unwrap(),
            "cli_a1b2c3d4e5f60718"
        );
        for bad in [
            "",
            "cli_a1b2",
            "cla_a1b2c3d4e5f60718",
            "cli_a1b2c3d4e5f6071g",
            "cli_A1B2C3D4E5F60718",
            "cli_a1b2c3d4e5f607181",
        ] {
            let err = parse_app_id(bad).unwrap_err();
            assert!(err.to_string().contains("16 hex digits"), "{bad}: {err}");
        }
    }

    #[test]
    fn platform_parses_names_and_urls_and_serializes_tagged() {
        assert_eq!(Platform::parse("Feishu").unwrap(), Platform::Feishu);
        assert_eq!(Platform::parse("lark").unwrap(), Platform::Lark);
        let custom = Platform::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(custom.base_url(), "http://127.0.0.1:8080");
        assert_eq!(
            serde_json::to_value(&custom).unwrap(),
            serde_json::json!({"kind": "custom", "baseUrl": "http://127.0.0.1:8080"})
        );
        assert_eq!(
            serde_json::to_value(Platform::Feishu).unwrap(),
            serde_json::json!({"kind": "feishu"})
        );
        assert!(Platform::parse("weixin").is_err());
        assert!(Platform::parse("ftp://x").is_err());
    }

    #[test]
    fn a_plain_http_platform_is_only_accepted_on_this_computer() {
        // The App Secret goes to the platform's token endpoint: never in clear text over a
        // network. Loopback (the simulator, a local proxy) is fine.
        for ok in [
            "http://127.0.0.1:9300",
            "http://localhost:8080",
            "http://[::1]:1",
            "https://open.example.com",
        ] {
            assert!(Platform::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["http://open.example.com", "http://10.0.0.5:8080"] {
            let error = Platform::parse(bad).unwrap_err();
            assert!(error.to_string().contains("https://"), "{bad}: {error}");
            let custom = Platform::Custom {
                base_url: bad.into(),
            };
            assert!(custom.validated().is_err(), "import must refuse {bad}");
        }
    }

    #[test]
    fn urls_are_validated_and_blank_ones_dropped() {
        let urls = IntegrationUrls {
            web_config_url: Some(" https://example.test/web/ ".into()),
            redirect_url: Some("".into()),
            card_request_url: None,
        }
        .validated()
        .unwrap();
        assert_eq!(
            urls.web_config_url.as_deref(),
            Some("https://example.test/web")
        );
        assert_eq!(urls.redirect_url, None);
        let err = IntegrationUrls {
            card_request_url: Some("example.test/cb".into()),
            ..Default::default()
        }
        .validated()
        .unwrap_err();
        assert!(err.to_string().starts_with("cardRequestUrl"), "{err}");
    }
}
