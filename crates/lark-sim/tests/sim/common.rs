//! Shared helpers: a started simulator, a loopback HTTP client, JSON calls.

use std::time::Duration;

use lark_sim::{Sim, SimConfig, SimHandle};
use serde_json::{json, Value};

pub struct Harness {
    pub sim: SimHandle,
    pub http: reqwest::Client,
}

/// A response reduced to what the tests look at.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> i64 {
        self.body["code"].as_i64().unwrap_or(-1)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    }
}

pub async fn start() -> Harness {
    start_with(SimConfig {
        seed: Some(42),
        ..SimConfig::default()
    })
    .await
}

pub async fn start_with(config: SimConfig) -> Harness {
    let sim = Sim::start(config).await.expect("sim starts");
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    Harness { sim, http }
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.base_url, path)
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        let mut request = self.http.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> Answer {
        let request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body);
        Self::answer(request.send().await.expect("send")).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        let mut request = self.http.patch(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }

    /// `POST /_sim/config`, asserting success.
    pub async fn config(&self, patch: Value) -> Value {
        let answer = self.post("/_sim/config", None, &patch).await;
        assert_eq!(answer.status, 200, "config {patch}: {}", answer.body);
        answer.body
    }

    pub async fn token(&self) -> String {
        let app = &self.sim.app;
        self.token_for(&app.app_id, &app.app_secret).await
    }

    /// A tenant access token for any app of the tenant.
    pub async fn token_for(&self, app_id: &str, app_secret: &str) -> String {
        let answer = self
            .post(
                "/open-apis/auth/v3/tenant_access_token/internal",
                None,
                &json!({"app_id": app_id, "app_secret": app_secret}),
            )
            .await;
        assert_eq!(answer.code(), 0, "{}", answer.body);
        answer.body["tenant_access_token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    /// Posts a form (`application/x-www-form-urlencoded`) the way the SDKs and browsers do.
    pub async fn form(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        Self::answer(request.send().await.expect("send")).await
    }

    /// Grants the primary app these scopes on top of its defaults.
    pub async fn grant(&self, scopes: &[&str]) {
        let mut all: Vec<String> = self.sim.tenant().scopes.into_iter().collect();
        all.extend(scopes.iter().map(|s| s.to_string()));
        self.config(json!({ "scopes": all })).await;
    }

    /// A chat the bot is in, and one it is not in.
    pub fn chats(&self) -> (String, String) {
        let tenant = self.sim.tenant();
        let member = tenant
            .chats
            .iter()
            .find(|c| c.bot_member)
            .expect("member chat");
        let outside = tenant
            .chats
            .iter()
            .find(|c| !c.bot_member)
            .expect("other chat");
        (member.chat_id.clone(), outside.chat_id.clone())
    }

    pub async fn send_card(&self, token: &str, id_type: &str, receive_id: &str) -> Answer {
        self.post(
            &format!("/open-apis/im/v1/messages?receive_id_type={id_type}"),
            Some(token),
            &json!({
                "receive_id": receive_id,
                "msg_type": "interactive",
                "content": card(),
            }),
        )
        .await
    }
}

/// A small card JSON 1.0 with a button, as a string (what `content` must be).
pub fn card() -> String {
    json!({
        "config": {"update_multi": true},
        "header": {"title": {"tag": "plain_text", "content": "CPU high"}, "template": "red"},
        "elements": [
            {"tag": "div", "text": {"tag": "lark_md", "content": "**host** web-1"}},
            {"tag": "action", "actions": [{"tag": "button", "text": {"tag": "plain_text", "content": "Ack"}, "type": "primary", "value": {"action": "ack"}}]}
        ]
    })
    .to_string()
}
