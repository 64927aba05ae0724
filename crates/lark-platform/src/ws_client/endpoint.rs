//! Endpoint discovery and the long connection's errors.

use crate::secret::Secret;
use crate::ws_types::{
    endpoint_codes, EndpointData, EndpointRequest, EndpointResponse, ENDPOINT_PATH,
};

/// Why a long connection could not be made. No message contains the App Secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WsError {
    #[error(
        "the platform refused the App ID / App Secret for the long connection (code 514, auth \
         failed): check both in the developer console (Credentials & Basic Info)"
    )]
    AuthFailed,
    #[error(
        "the platform forbids a long connection for this app (code 403: {msg}); only custom \
         (self-built) apps may use it, and the app must be published"
    )]
    Forbidden { msg: String },
    #[error(
        "the app has reached the platform's limit of long connections (code 1000040350, at most \
         50 per app): stop another relay or SDK client of this app"
    )]
    ConnectionLimit,
    #[error("the platform is busy (code {code}: {msg}); retrying")]
    Busy { code: i64, msg: String },
    #[error("endpoint discovery failed with code {code}: {msg}")]
    Endpoint { code: i64, msg: String },
    #[error("could not reach {url}: {detail}")]
    Http { url: String, detail: String },
    #[error("the endpoint answer was not understood: {0}")]
    BadAnswer(String),
    #[error("the WebSocket handshake was refused (HTTP {status}: {msg})")]
    Handshake { status: u16, msg: String },
    #[error("the WebSocket failed: {0}")]
    Socket(String),
}

impl WsError {
    /// Retrying cannot help: the credentials or the app are wrong.
    pub fn is_fatal(&self) -> bool {
        matches!(self, WsError::AuthFailed | WsError::Forbidden { .. })
    }

    /// Not worth retrying before the first connection succeeded (a limit that is reached when
    /// starting is a configuration problem; once running, another client may let go).
    pub fn is_fatal_at_start(&self) -> bool {
        self.is_fatal() || matches!(self, WsError::ConnectionLimit)
    }

    /// The error for a non-zero discovery code.
    pub fn from_code(code: i64, msg: &str, secret: &Secret) -> Self {
        let msg = scrub(msg, secret);
        match code {
            endpoint_codes::AUTH_FAILED => WsError::AuthFailed,
            endpoint_codes::FORBIDDEN => WsError::Forbidden { msg },
            endpoint_codes::CONNECTION_LIMIT => WsError::ConnectionLimit,
            c if endpoint_codes::is_retryable(c) => WsError::Busy { code, msg },
            _ => WsError::Endpoint { code, msg },
        }
    }
}

/// Removes the secret from text that came back from the network (it should never be there).
pub(crate) fn scrub(text: &str, secret: &Secret) -> String {
    let s = secret.expose();
    if s.is_empty() {
        text.to_string()
    } else {
        text.replace(s, "***")
    }
}

/// `POST <base>/callback/ws/endpoint`: the one-time WebSocket URL and the client config.
pub async fn discover(
    http: &reqwest::Client,
    base_url: &str,
    app_id: &str,
    app_secret: &Secret,
) -> Result<EndpointData, WsError> {
    let url = format!("{}{ENDPOINT_PATH}", base_url.trim_end_matches('/'));
    let request = EndpointRequest {
        app_id: app_id.to_string(),
        app_secret: app_secret.clone(),
    };
    let response = http
        .post(&url)
        .header("locale", "zh")
        .json(&request)
        .send()
        .await
        .map_err(|e| WsError::Http {
            url: url.clone(),
            detail: scrub(&e.to_string(), app_secret),
        })?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| WsError::Http {
        url: url.clone(),
        detail: scrub(&e.to_string(), app_secret),
    })?;
    let answer: EndpointResponse = serde_json::from_slice(&bytes).map_err(|e| {
        WsError::BadAnswer(format!(
            "HTTP {status}, {e}: {}",
            scrub(
                &String::from_utf8_lossy(&bytes[..bytes.len().min(200)]),
                app_secret
            )
        ))
    })?;
    if answer.code != endpoint_codes::OK {
        return Err(WsError::from_code(answer.code, &answer.msg, app_secret));
    }
    let data = answer
        .data
        .ok_or_else(|| WsError::BadAnswer("code 0 without data".into()))?;
    if data.url.is_empty() {
        return Err(WsError::BadAnswer("code 0 without a URL".into()));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_typed_errors_without_the_secret() {
        let secret = Secret::new("very-secret-value");
        assert_eq!(
            WsError::from_code(514, "auth failed very-secret-value", &secret),
            WsError::AuthFailed
        );
        assert_eq!(
            WsError::from_code(1_000_040_350, "limit", &secret),
            WsError::ConnectionLimit
        );
        let busy = WsError::from_code(1, "busy very-secret-value", &secret);
        assert!(matches!(busy, WsError::Busy { .. }));
        assert!(!busy.to_string().contains("very-secret-value"));
        let forbidden = WsError::from_code(403, "no", &secret);
        assert!(forbidden.is_fatal());
        assert!(WsError::ConnectionLimit.is_fatal_at_start());
        assert!(!WsError::ConnectionLimit.is_fatal());
        assert!(WsError::AuthFailed.to_string().contains("514"));
    }
}
