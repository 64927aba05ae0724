//! With no upstream, Acknowledge and Resolve clicks on alert cards get the updated card back, in
//! the new callback's shape (toast + raw card) and the legacy one (the whole 1.0 card).

use std::sync::Arc;

use companion::cards::{Alert, AlertSeverity, AlertStatus, CardVersion};
use companion::relay::{AnsweredBy, KnownAlerts, Relay, RelayCore, RelayProfile, RelayStore};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn acknowledge_and_resolve_return_the_updated_card() {
    let h = start_one(None).await;
    let ack = h
        .deliver(
            "main",
            json!({"kind": "card_action",
            "value": {"action": "acknowledge", "incident_id": "INC-42"}}),
        )
        .await;
    let body = &ack["body"];
    assert_eq!(body["toast"]["type"], "success");
    assert_eq!(body["card"]["type"], "raw");
    assert_eq!(body["card"]["data"]["schema"], "2.0");
    assert_eq!(body["card"]["data"]["header"]["template"], "yellow");
    assert!(body["card"]["data"]["header"]["title"]["content"]
        .as_str()
        .unwrap()
        .contains("INC-42"));
    let record = h.newest();
    assert_eq!(record.answered_by, AnsweredBy::BuiltIn);
    assert!(record.answer_ms < 3000.0);

    let resolve = h
        .deliver(
            "main",
            json!({"kind": "card_action",
            "value": {"action": "resolve", "incident_id": "INC-42"}}),
        )
        .await;
    assert_eq!(
        resolve["body"]["card"]["data"]["header"]["template"],
        "green"
    );

    // Legacy callbacks answer with the whole 1.0 card.
    let legacy = h
        .deliver(
            "main",
            json!({"kind": "legacy_card_action",
            "value": {"action": "acknowledge", "incident_id": "INC-43"}}),
        )
        .await;
    assert_eq!(legacy["body"]["header"]["template"], "yellow");
    assert!(legacy["body"]["elements"].is_array());
    assert!(legacy["body"].get("schema").is_none());

    // Someone else's button: acknowledged, card unchanged.
    let other = h
        .deliver(
            "main",
            json!({"kind": "card_action", "value": {"action": "snooze"}}),
        )
        .await;
    assert_eq!(other["status"], 200);
    assert!(other["body"].get("card").is_none());
}

#[tokio::test]
async fn known_alerts_keep_their_title_and_schema() {
    let sim = sim().await;
    let keys = keys_of(&sim);
    let alerts = Arc::new(KnownAlerts::default());
    alerts.remember(
        Alert {
            title: "Disk full on db-1".into(),
            severity: AlertSeverity::Critical,
            status: AlertStatus::Triggered,
            description: String::new(),
            labels: Default::default(),
            started_at: chrono::Utc::now(),
            assignees: vec![],
            links: vec![],
            incident_id: "INC-9".into(),
            incident_url: None,
        },
        CardVersion::V1,
    );
    let dir = tempfile::tempdir().unwrap();
    let core = RelayCore::new(
        quick_config(),
        vec![RelayProfile::new("main", keys, None)],
        RelayStore::open(dir.path()).unwrap(),
    )
    .unwrap()
    .with_alerts(alerts.clone());
    let relay = Relay::start(core).await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let report: serde_json::Value = http
        .post(format!("{}/_sim/callbacks", sim.base_url))
        .json(
            &json!({"url": relay.url("main").unwrap(), "kind": "card_action",
            "value": {"action": "resolve", "incident_id": "INC-9"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let card = &report["body"]["card"]["data"];
    // Sent as a 1.0 card, so it is updated with a 1.0 card.
    assert!(card.get("schema").is_none(), "{card}");
    assert!(card.to_string().contains("Disk full on db-1"));
    assert_eq!(card["header"]["template"], "green");
    relay.stop().await;
}
