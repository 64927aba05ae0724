//! Bad input gets a clear answer and changes nothing: each rejection has its status and code,
//! is recorded with a reason that names the check and the secret (never a value), and none
//! reaches the upstream.

use companion::relay::{ForwardMode, RelayKeys, Verdict};
use serde_json::{json, Value};

use crate::common::*;

struct Case {
    name: &'static str,
    status: u16,
    /// Accepted codes (a wrong key can, 1 time in 256, leave valid padding and produce
    /// garbage that fails as JSON instead).
    code: &'static [&'static str],
    /// Words the recorded reason must contain.
    reason: &'static [&'static str],
}

#[tokio::test]
async fn every_rejection_is_answered_recorded_and_kept_from_the_upstream() {
    let sim = sim().await;
    let good = keys_of(&sim);
    let ek = sim.app.encrypt_key.clone().unwrap();
    let vt = sim.app.verification_token.clone();
    let upstream = TestUpstream::start(good.clone()).await;
    let to_upstream = || Some((upstream.url.clone(), ForwardMode::Transparent));
    let h = start(
        sim,
        quick_config(),
        vec![
            ProfileSpec {
                name: "good",
                keys: good.clone(),
                upstream: to_upstream(),
            },
            ProfileSpec {
                name: "wrong-ek",
                keys: RelayKeys::new(Some("not-the-encrypt-key"), Some(&vt)),
                upstream: to_upstream(),
            },
            ProfileSpec {
                name: "wrong-vt",
                keys: RelayKeys::new(Some(&ek), Some("not-the-verification-token")),
                upstream: to_upstream(),
            },
            ProfileSpec {
                name: "swapped",
                keys: RelayKeys::new(Some(&vt), Some(&ek)),
                upstream: to_upstream(),
            },
        ],
    )
    .await;

    let mut results: Vec<(Case, u16, Value)> = Vec::new();
    let mut check = |case: Case, status: u16, body: Value| results.push((case, status, body));

    // Signature made with the Encrypt Key, checked with another one (plain body, so the
    // decryption cannot fail first).
    let r = h
        .deliver("wrong-ek", json!({"kind": "event", "encrypt": false}))
        .await;
    check(
        Case {
            name: "wrong signature",
            status: 401,
            code: &["signature_mismatch"],
            reason: &["SHA-256", "Encrypt Key"],
        },
        status(&r),
        r["body"].clone(),
    );
    // Legacy card signed with the Verification Token, profile holds another.
    let r = h
        .deliver("wrong-vt", json!({"kind": "legacy_card_action"}))
        .await;
    check(
        Case {
            name: "wrong legacy signature",
            status: 401,
            code: &["signature_mismatch"],
            reason: &["SHA-1", "Verification Token"],
        },
        status(&r),
        r["body"].clone(),
    );
    // The challenge carries no signature: its token is what fails.
    let r = h
        .deliver("wrong-vt", json!({"kind": "url_verification"}))
        .await;
    check(
        Case {
            name: "wrong token",
            status: 401,
            code: &["token_mismatch"],
            reason: &["token", "Verification Token"],
        },
        status(&r),
        r["body"].clone(),
    );
    // Swapped fields: the reason says so.
    let r = h
        .deliver("swapped", json!({"kind": "legacy_card_action"}))
        .await;
    check(
        Case {
            name: "swapped secrets",
            status: 401,
            code: &["signature_mismatch"],
            reason: &["swapped"],
        },
        status(&r),
        r["body"].clone(),
    );
    // Encrypted with the real key, decrypted with another.
    let r = h.deliver("wrong-ek", json!({"kind": "card_action"})).await;
    check(
        Case {
            name: "undecryptable",
            status: 400,
            code: &["decrypt_failed", "not_json"],
            reason: &["Decryption", "BadPadding"],
        },
        status(&r),
        r["body"].clone(),
    );
    // Not JSON at all.
    let (s, b) = h
        .post_raw(
            "good",
            &[("Content-Type".into(), "application/json".into())],
            b"{not json".to_vec(),
        )
        .await;
    check(
        Case {
            name: "unparseable",
            status: 400,
            code: &["not_json"],
            reason: &["not JSON"],
        },
        s,
        b,
    );
    // JSON of no known shape.
    let (s, b) = h
        .post_raw("good", &[], br#"{"hello":"world"}"#.to_vec())
        .await;
    check(
        Case {
            name: "unknown shape",
            status: 400,
            code: &["wrong_shape"],
            reason: &["known callback"],
        },
        s,
        b,
    );
    // Signed kinds without their headers.
    let (mut headers, body) = sent(&h.deliver("good", json!({"kind": "event"})).await);
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-lark-signature"));
    let (s, b) = h.post_raw("good", &headers, body).await;
    check(
        Case {
            name: "missing signature",
            status: 401,
            code: &["missing_signature_headers"],
            reason: &["X-Lark-Signature"],
        },
        s,
        b,
    );
    // Over 1 MiB.
    let big = format!("{{\"encrypt\":\"{}\"}}", "A".repeat(1024 * 1024 + 10));
    let (s, b) = h.post_raw("good", &[], big.into_bytes()).await;
    check(
        Case {
            name: "too large",
            status: 413,
            code: &["body_too_large"],
            reason: &["limit"],
        },
        s,
        b,
    );
    // A timestamp ten minutes old: the simulator's clock runs behind.
    h.sim.clock().set_offset_ms(-600_000);
    let r = h.deliver("good", json!({"kind": "card_action"})).await;
    check(
        Case {
            name: "stale",
            status: 401,
            code: &["stale_timestamp"],
            reason: &["s off", "300 s"],
        },
        status(&r),
        r["body"].clone(),
    );
    h.sim.clock().set_offset_ms(0);

    let records = h.records();
    // One accepted event (the one whose bytes were reused without a signature).
    let rejected: Vec<_> = records
        .iter()
        .filter(|r| r.verdict == Verdict::Rejected)
        .collect();
    assert_eq!(rejected.len(), results.len());
    let secrets = [ek.as_str(), vt.as_str()];
    for ((case, status, body), record) in results.iter().zip(rejected.iter().rev()) {
        assert_eq!(*status, case.status, "{}: {body}", case.name);
        let code = body["error"]["code"].as_str().unwrap_or_default();
        assert!(case.code.contains(&code), "{}: {body}", case.name);
        assert_eq!(record.http_status, case.status, "{}", case.name);
        assert_eq!(record.reject_code.as_deref(), Some(code), "{}", case.name);
        let detail = h.relay.detail(record.id).unwrap();
        let reason = detail.reject_reason.clone().unwrap();
        for word in case.reason {
            assert!(
                reason.contains(word),
                "{}: {reason:?} lacks {word:?}",
                case.name
            );
        }
        // The values of the sentence travel apart from it, so the inspector can word it in
        // the UI's language: names and paths, never English with backticks.
        let params = &detail.reject_params;
        for value in params.values() {
            assert!(
                !value.contains('`') && !value.contains("; "),
                "{}: {params:?}",
                case.name
            );
        }
        match code {
            "signature_mismatch" => {
                assert!(params.contains_key("scheme") && params.contains_key("secret"));
            }
            "token_mismatch" => {
                assert_eq!(
                    params.get("secret").map(String::as_str),
                    Some("Verification Token")
                );
                assert!(params.contains_key("path"), "{params:?}");
            }
            _ => {}
        }
        assert_eq!(
            params.get("swapped").is_some(),
            case.name == "swapped secrets",
            "{}: {params:?}",
            case.name
        );
        let all = serde_json::to_string(&detail).unwrap() + &body.to_string();
        for secret in secrets {
            assert!(
                !all.contains(secret),
                "{}: a secret value leaked",
                case.name
            );
        }
    }
    // A rejected request that could be decrypted still shows its body (masked).
    let wrong_sig = h.relay.detail(rejected.last().unwrap().id).unwrap();
    assert_eq!(
        wrong_sig.plaintext.unwrap()["header"]["token"],
        "<redacted>"
    );

    // Only the one accepted event ever reached the upstream.
    wait_for("the accepted event delivered", || {
        (upstream.seen().len() == 1).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let seen = upstream.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].verify_error.is_none());
}

fn status(report: &Value) -> u16 {
    report["status"].as_u64().unwrap() as u16
}

#[tokio::test]
async fn unknown_profiles_and_other_paths_are_refused() {
    let h = start_one(None).await;
    let url = h.url("main").replace("/callback/main", "/callback/nope");
    let response = h.http.post(&url).body("{}").send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = h.http.get(h.url("main")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(h.newest().reject_code.as_deref(), Some("unknown_profile"));
    let detail = h.relay.detail(h.newest().id).unwrap();
    assert_eq!(detail.reject_params["slug"], "nope");
    assert_eq!(detail.reject_params["served"], "main");
}

/// Whoever probes the relay learns no profile: an unknown path gets a plain 404 that names
/// neither the profiles served nor the slug asked for (the owner's record still says both).
#[tokio::test]
async fn a_stranger_learns_no_profile_from_a_404() {
    let sim = sim().await;
    let keys = keys_of(&sim);
    let h = start(
        sim,
        quick_config(),
        vec![ProfileSpec {
            name: "Zebra Ops",
            keys,
            upstream: None,
        }],
    )
    .await;
    let base = h.url("Zebra Ops").replace("/callback/zebra-ops", "");
    for (method, path) in [
        ("POST", "/callback/wombat"),
        ("GET", "/callback/wombat"),
        ("POST", "/wombat"),
        ("GET", "/wombat"),
        ("GET", "/"),
        ("POST", "/callback/"),
    ] {
        let request = match method {
            "GET" => h.http.get(format!("{base}{path}")),
            _ => h.http.post(format!("{base}{path}")).body("{}"),
        };
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert!(
            status == 404 || status == 405,
            "{method} {path}: {status} {body}"
        );
        for name in ["zebra", "Zebra", "wombat"] {
            assert!(!body.contains(name), "{method} {path} names {name}: {body}");
        }
    }
    let response = h
        .http
        .post(format!("{base}/callback/wombat"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "unknown_profile", "{answer}");
    let detail = h.relay.detail(h.newest().id).unwrap();
    assert_eq!(detail.reject_params["slug"], "wombat");
    assert_eq!(detail.reject_params["served"], "zebra-ops");
    assert!(
        !detail.answer.unwrap_or_default().contains("zebra"),
        "the recorded answer is what the stranger got"
    );
}
