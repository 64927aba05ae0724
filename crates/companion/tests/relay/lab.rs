//! The signature lab on requests the simulator really sent: valid ones pass, and a profile with
//! the two secrets exchanged is told exactly that.

use companion::relay::{LabInput, LabScheme, RelayKeys, RequestKind, SecretField};
use serde_json::{json, Value};

use crate::common::*;

fn pasted(report: &Value) -> LabInput {
    let (headers, body) = sent(report);
    LabInput {
        headers: headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        body: String::from_utf8(body).unwrap(),
    }
}

#[tokio::test]
async fn the_lab_names_the_swapped_secret() {
    let sim = sim().await;
    let ek = sim.app.encrypt_key.clone().unwrap();
    let vt = sim.app.verification_token.clone();
    let good = keys_of(&sim);
    let h = start(
        sim,
        quick_config(),
        vec![
            ProfileSpec {
                name: "good",
                keys: good,
                upstream: None,
            },
            ProfileSpec {
                name: "swapped",
                keys: RelayKeys::new(Some(&vt), Some(&ek)),
                upstream: None,
            },
            ProfileSpec {
                name: "stale-vt",
                keys: RelayKeys::new(Some(&ek), Some("an-old-verification-token")),
                upstream: None,
            },
        ],
    )
    .await;
    let legacy = h
        .deliver("good", json!({"kind": "legacy_card_action"}))
        .await;
    let card = h.deliver("good", json!({"kind": "card_action"})).await;
    let event = h
        .deliver("good", json!({"kind": "event", "encrypt": false}))
        .await;

    for report in [&legacy, &card, &event] {
        let lab = h.relay.lab("good", &pasted(report)).unwrap();
        assert!(lab.valid, "{lab:?}");
        assert!(lab.decrypted.is_some());
        assert!(lab.clock_skew_secs.unwrap().abs() < 60);
    }

    // Legacy card (SHA-1, Verification Token) against the swapped profile.
    let lab = h.relay.lab("swapped", &pasted(&legacy)).unwrap();
    assert!(!lab.valid);
    assert!(lab.swapped, "{lab:?}");
    assert_eq!(lab.expected_scheme, Some(LabScheme::Sha1));
    assert_eq!(lab.wrong_field, Some(SecretField::VerificationToken));
    assert!(lab.summary.contains("swapped"), "{}", lab.summary);
    assert!(lab
        .attempts
        .iter()
        .any(|a| a.scheme == LabScheme::Sha1 && a.secret == SecretField::EncryptKey && a.matches));

    // Encrypted card action against the swapped profile: it decrypts only with the other field.
    let lab = h.relay.lab("swapped", &pasted(&card)).unwrap();
    assert!(lab.swapped && !lab.valid, "{lab:?}");
    assert_eq!(lab.kind, RequestKind::CardAction);
    assert!(lab
        .findings
        .iter()
        .any(|f| f.contains("decrypts with the value in the Verification Token field")));

    // A plain event against the swapped profile: SHA-256 matches the Verification Token field.
    let lab = h.relay.lab("swapped", &pasted(&event)).unwrap();
    assert!(lab.swapped, "{lab:?}");
    assert_eq!(lab.wrong_field, Some(SecretField::EncryptKey));

    // Only the Verification Token is wrong: the lab says so and leaves the Encrypt Key alone.
    let lab = h.relay.lab("stale-vt", &pasted(&card)).unwrap();
    assert!(!lab.valid && !lab.swapped, "{lab:?}");
    assert_eq!(lab.token_matches, Some(false));
    assert_eq!(lab.wrong_field, Some(SecretField::VerificationToken));
    assert!(
        lab.summary.contains("Verification Token"),
        "{}",
        lab.summary
    );

    // Nothing in a report shows a secret value.
    for profile in ["good", "swapped", "stale-vt"] {
        for report in [&legacy, &card, &event] {
            let text =
                serde_json::to_string(&h.relay.lab(profile, &pasted(report)).unwrap()).unwrap();
            assert!(!text.contains(&ek) && !text.contains(&vt));
        }
    }
}
