//! What the relay does for every request: verify the signature, decrypt, and parse a typical
//! ~2 KB encrypted card.action.trigger callback (and a plain schema 2.0 event for comparison).
//! Figures are recorded in docs/benchmarks.md.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use lark_platform::crypto;
use lark_platform::envelope::{self, CallbackKeys, SignatureHeaders, DEFAULT_MAX_BODY};
use lark_platform::secret::Secret;
use serde_json::json;

const ENCRYPT_KEY: &str = "bench-encrypt-key-0123456789";
const TOKEN: &str = "bench-verification-token";

/// A card click as Feishu sends it, padded with realistic form values to about 2 KB of JSON.
fn card_action_json() -> String {
    let labels: serde_json::Map<String, serde_json::Value> = (0..24)
        .map(|i| {
            (
                format!("label_{i:02}"),
                json!(format!("value-{i:02}-abcdefghij")),
            )
        })
        .collect();
    json!({
        "schema": "2.0",
        "header": {
            "event_id": "f7984f25108f8137722bb63cee927e66",
            "token": TOKEN,
            "create_time": "1700000000000000",
            "event_type": "card.action.trigger",
            "tenant_key": "2d2a1e4f2a8c975e",
            "app_id": "cli_a1b2c3d4e5f60718"
        },
        "event": {
            "operator": { "tenant_key": "2d2a1e4f2a8c975e", "user_id": "8b1e3c2d", "open_id": "ou_0123456789abcdef0123456789abcdef", "union_id": "on_0123456789abcdef0123456789abcdef" },
            "token": "c-0123456789abcdef0123456789abcdef",
            "action": { "value": { "action": "acknowledge", "incident_id": "INC-20261127-0042" }, "tag": "button", "form_value": labels },
            "host": "im_message",
            "context": { "open_message_id": "om_0123456789abcdef0123456789abcdef", "open_chat_id": "oc_0123456789abcdef0123456789abcdef" }
        }
    })
    .to_string()
}

fn signed(body: &str) -> SignatureHeaders {
    let (ts, nonce) = ("1700000000", "bench-nonce-42");
    SignatureHeaders {
        timestamp: Some(ts.into()),
        nonce: Some(nonce.into()),
        signature: Some(crypto::event_signature(
            ts,
            nonce,
            ENCRYPT_KEY,
            body.as_bytes(),
        )),
    }
}

fn bench(c: &mut Criterion) {
    let encrypt_key = Secret::new(ENCRYPT_KEY);
    let token = Secret::new(TOKEN);
    let keys = CallbackKeys {
        encrypt_key: Some(&encrypt_key),
        verification_token: Some(&token),
    };
    let plain = card_action_json();
    let encrypted =
        json!({ "encrypt": crypto::encrypt(ENCRYPT_KEY, plain.as_bytes()) }).to_string();

    let mut group = c.benchmark_group("callback");
    for (name, body) in [
        ("encrypted_card_action_2kb", &encrypted),
        ("plain_card_action_2kb", &plain),
    ] {
        let headers = signed(body);
        // A bench of a failing path would measure the wrong thing: check once first.
        envelope::verify(&headers, body.as_bytes(), &keys, DEFAULT_MAX_BODY)
            .expect("valid callback");
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                envelope::verify(
                    black_box(&headers),
                    black_box(body.as_bytes()),
                    &keys,
                    DEFAULT_MAX_BODY,
                )
                .expect("valid callback")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
