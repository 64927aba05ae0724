//! The signature lab on requests the simulator really sent: valid ones pass, and a profile with
//! the two secrets exchanged is told exactly that.

use companion::relay::{
    LabFindingCode, LabInput, LabScheme, LabSummaryCode, RelayKeys, RequestKind, SecretField,
};
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
    assert_eq!(lab.summary_key.code, LabSummaryCode::Swapped);
    assert!(lab
        .attempts
        .iter()
        .any(|a| a.scheme == LabScheme::Sha1 && a.secret == SecretField::EncryptKey && a.matches));

    // Encrypted card action against the swapped profile: it decrypts only with the other field.
    let lab = h.relay.lab("swapped", &pasted(&card)).unwrap();
    assert!(lab.swapped && !lab.valid, "{lab:?}");
    assert_eq!(lab.kind, RequestKind::CardAction);
    assert!(lab
        .finding_keys
        .iter()
        .any(|f| f.code == LabFindingCode::DecryptsWithToken));

    // A plain event against the swapped profile: SHA-256 matches the Verification Token field.
    let lab = h.relay.lab("swapped", &pasted(&event)).unwrap();
    assert!(lab.swapped, "{lab:?}");
    assert_eq!(lab.wrong_field, Some(SecretField::EncryptKey));

    // Only the Verification Token is wrong: the lab says so and leaves the Encrypt Key alone.
    let lab = h.relay.lab("stale-vt", &pasted(&card)).unwrap();
    assert!(!lab.valid && !lab.swapped, "{lab:?}");
    assert_eq!(lab.token_matches, Some(false));
    assert_eq!(lab.wrong_field, Some(SecretField::VerificationToken));
    assert_eq!(lab.summary_key.code, LabSummaryCode::WrongField);
    assert_eq!(lab.summary_key.params["secret"], "Verification Token");
    assert!(lab
        .finding_keys
        .iter()
        .any(|f| f.code == LabFindingCode::TokenDiffers));

    // A card action whose signature was changed on the way: no secret produces it, and the
    // verdict names the Encrypt Key, which SHA-256 signatures use.
    let mut tampered = pasted(&card);
    tampered.headers = tampered
        .headers
        .lines()
        .map(|line| match line.split_once(": ") {
            Some((name, sig)) if name.eq_ignore_ascii_case("X-Lark-Signature") => {
                let flipped = if sig.starts_with('0') { "1" } else { "0" };
                format!("{name}: {flipped}{}", &sig[1..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let lab = h.relay.lab("good", &tampered).unwrap();
    assert!(!lab.valid && !lab.swapped, "{lab:?}");
    let codes: Vec<_> = lab.finding_keys.iter().map(|f| f.code).collect();
    assert_eq!(codes, [LabFindingCode::NoSecretMatches], "{lab:?}");
    assert_eq!(lab.finding_keys[0].params["secret"], "Encrypt Key");
    assert_eq!(lab.summary_key.code, LabSummaryCode::WrongField);
    assert_eq!(lab.summary_key.params["secret"], "Encrypt Key");

    // Nothing in a report shows a secret value.
    for profile in ["good", "swapped", "stale-vt"] {
        for report in [&legacy, &card, &event] {
            let text =
                serde_json::to_string(&h.relay.lab(profile, &pasted(report)).unwrap()).unwrap();
            assert!(!text.contains(&ek) && !text.contains(&vt));
        }
    }
}
