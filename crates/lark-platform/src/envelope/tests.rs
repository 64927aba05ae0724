use super::*;
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::json;

const EK: &str = "enc-key-123";
const VT: &str = "verif-token-456";
const TS: &str = "1700000000";
const NONCE: &str = "nonce-1";

fn ek() -> Secret {
    Secret::new(EK)
}
fn vt() -> Secret {
    Secret::new(VT)
}

fn event_v2_json(token: &str) -> Value {
    json!({
        "schema": "2.0",
        "header": {"event_id": "ev-1", "event_type": "im.message.receive_v1",
                   "create_time": "1700000000000", "token": token,
                   "app_id": "cli_x", "tenant_key": "tk"},
        "event": {"message": {"chat_id": "oc_1"}}
    })
}

fn card_trigger_json(token: &str) -> Value {
    json!({
        "schema": "2.0",
        "header": {"event_id": "ev-2", "event_type": "card.action.trigger",
                   "create_time": "1700000000000000", "token": token,
                   "app_id": "cli_x", "tenant_key": "tk"},
        "event": {
            "operator": {"open_id": "ou_1", "user_id": "u1", "union_id": "on_1", "tenant_key": "tk"},
            "token": "c-update-token",
            "action": {"value": {"alert": "42", "op": "ack"}, "tag": "button"},
            "host": "im_message",
            "context": {"open_message_id": "om_1", "open_chat_id": "oc_1"}
        }
    })
}

fn legacy_card_json() -> Value {
    json!({"open_id": "ou_1", "user_id": "u1", "open_message_id": "om_1", "open_chat_id": "oc_1",
           "tenant_key": "tk", "token": "c-legacy-update", "action": {"value": {"k": "v"}, "tag": "button"}})
}

/// Encrypts `plain` into `{"encrypt": ...}` and signs the resulting raw body with SHA-256.
fn encrypted_signed(plain: &Value) -> (SignatureHeaders, Vec<u8>) {
    let enc = crypto::encrypt(EK, plain.to_string().as_bytes());
    let body = json!({ "encrypt": enc }).to_string().into_bytes();
    let sig = crypto::event_signature(TS, NONCE, EK, &body);
    (headers(&sig), body)
}

fn headers(sig: &str) -> SignatureHeaders {
    SignatureHeaders {
        timestamp: Some(TS.into()),
        nonce: Some(NONCE.into()),
        signature: Some(sig.into()),
    }
}

fn both<'a>(e: &'a Secret, v: &'a Secret) -> CallbackKeys<'a> {
    CallbackKeys {
        encrypt_key: Some(e),
        verification_token: Some(v),
    }
}

#[test]
fn encrypted_signed_event_v2_passes_all_checks() {
    let (e, v) = (ek(), vt());
    let (h, body) = encrypted_signed(&event_v2_json(VT));
    let ok = verify(&h, &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap();
    assert_eq!(
        ok.checks,
        vec![
            Check::Decrypted,
            Check::Signature(SignatureScheme::EventSha256),
            Check::Token(TokenLocation::Header)
        ]
    );
    match ok.envelope {
        Envelope::EventV2 {
            event_id,
            event_type,
            create_time,
            app_id,
            ..
        } => {
            assert_eq!(event_id, "ev-1");
            assert_eq!(event_type, "im.message.receive_v1");
            assert_eq!(create_time.as_deref(), Some("1700000000000"));
            assert_eq!(app_id.as_deref(), Some("cli_x"));
        }
        other => panic!("wrong kind {other:?}"),
    }
}

#[test]
fn encrypted_challenge_needs_no_signature_and_checks_top_level_token() {
    let (e, v) = (ek(), vt());
    let plain = json!({"challenge": "ch-1", "token": VT, "type": "url_verification"});
    let enc = crypto::encrypt(EK, plain.to_string().as_bytes());
    let body = json!({ "encrypt": enc }).to_string();
    let ok = verify(
        &SignatureHeaders::default(),
        body.as_bytes(),
        &both(&e, &v),
        DEFAULT_MAX_BODY,
    )
    .unwrap();
    assert_eq!(
        ok.envelope,
        Envelope::UrlVerification {
            challenge: "ch-1".into(),
            token: VT.into(),
            encrypted: true
        }
    );
    assert_eq!(
        ok.checks,
        vec![Check::Decrypted, Check::Token(TokenLocation::TopLevel)]
    );

    let bad = json!({"challenge": "ch-1", "token": "other", "type": "url_verification"});
    let err = verify(
        &SignatureHeaders::default(),
        bad.to_string().as_bytes(),
        &both(&e, &v),
        DEFAULT_MAX_BODY,
    )
    .unwrap_err();
    assert_eq!(
        err,
        VerifyError::TokenMismatch {
            location: TokenLocation::TopLevel,
            secret: "Verification Token",
            hint: None
        }
    );
}

#[test]
fn node_sdk_challenge_vector_through_verify() {
    let key = Secret::new("mazhe.nerd");
    let token = Secret::new("iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6");
    let body = r#"{"encrypt":"tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e"}"#;
    let ok = verify(
        &SignatureHeaders::default(),
        body.as_bytes(),
        &both(&key, &token),
        DEFAULT_MAX_BODY,
    )
    .unwrap();
    match ok.envelope {
        Envelope::UrlVerification { challenge, .. } => {
            assert_eq!(challenge, "5634b122-c042-4634-bc7f-b07a3c3e77ad")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn card_action_trigger_parses_and_uses_sha256() {
    let (e, v) = (ek(), vt());
    let (h, body) = encrypted_signed(&card_trigger_json(VT));
    let ok = verify(&h, &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap();
    let Envelope::CardActionTrigger(c) = ok.envelope else {
        panic!("wrong kind")
    };
    assert_eq!(c.operator.open_id.as_deref(), Some("ou_1"));
    assert_eq!(c.action_value, json!({"alert": "42", "op": "ack"}));
    assert_eq!(c.action_tag.as_deref(), Some("button"));
    assert_eq!(c.open_message_id.as_deref(), Some("om_1"));
    assert_eq!(c.open_chat_id.as_deref(), Some("oc_1"));
    assert_eq!(c.update_token.as_deref(), Some("c-update-token"));
    assert_eq!(c.token, VT);
    assert_eq!(c.create_time.as_deref(), Some("1700000000000000"));
}

#[test]
fn legacy_card_uses_sha1_with_verification_token_and_ignores_update_token() {
    let (e, v) = (ek(), vt());
    let body = legacy_card_json().to_string().into_bytes();
    let sig = crypto::legacy_card_signature(TS, NONCE, VT, &body);
    let ok = verify(&headers(&sig), &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap();
    assert_eq!(
        ok.checks,
        vec![Check::Signature(SignatureScheme::LegacyCardSha1)]
    );
    let Envelope::LegacyCardAction(c) = ok.envelope else {
        panic!("wrong kind")
    };
    assert_eq!(c.update_token.as_deref(), Some("c-legacy-update"));
    assert_eq!(c.open_message_id, "om_1");
    assert_eq!(c.open_chat_id.as_deref(), Some("oc_1"));
    assert_eq!(c.action["value"], json!({"k": "v"}));

    // signed with the Encrypt Key instead: mismatch, and the hint says the fields look swapped
    let wrong = crypto::legacy_card_signature(TS, NONCE, EK, &body);
    let err = verify(&headers(&wrong), &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap_err();
    match err {
        VerifyError::SignatureMismatch {
            scheme: SignatureScheme::LegacyCardSha1,
            secret: "Verification Token",
            hint: Some(_),
        } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn event_signature_mismatch_names_encrypt_key() {
    let (e, v) = (ek(), vt());
    let (_, body) = encrypted_signed(&event_v2_json(VT));
    let sig = crypto::event_signature(TS, NONCE, "some other key", &body);
    let err = verify(&headers(&sig), &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap_err();
    assert_eq!(
        err,
        VerifyError::SignatureMismatch {
            scheme: SignatureScheme::EventSha256,
            secret: "Encrypt Key",
            hint: None
        }
    );
    assert!(!err.to_string().contains(EK));
    assert!(!format!("{err:?}").contains(EK));
    assert_eq!(err.code(), "signature_mismatch");
    assert!(err.fix().is_some());
}

#[test]
fn event_token_mismatch_in_header() {
    let (e, v) = (ek(), vt());
    let (h, body) = encrypted_signed(&event_v2_json(EK));
    let err = verify(&h, &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap_err();
    assert_eq!(
        err,
        VerifyError::TokenMismatch {
            location: TokenLocation::Header,
            secret: "Verification Token",
            hint: Some(
                "the configured Encrypt Key equals the received token: the two fields look swapped"
            )
        }
    );
    assert!(!err.to_string().contains(VT) && !err.to_string().contains(EK));
}

#[test]
fn plain_event_without_encrypt_key_checks_only_the_token() {
    let v = vt();
    let keys = CallbackKeys {
        encrypt_key: None,
        verification_token: Some(&v),
    };
    let body = event_v2_json(VT).to_string();
    let ok = verify(
        &SignatureHeaders::default(),
        body.as_bytes(),
        &keys,
        DEFAULT_MAX_BODY,
    )
    .unwrap();
    assert_eq!(
        ok.checks,
        vec![
            Check::SignatureSkippedNoSecret(SignatureScheme::EventSha256),
            Check::Token(TokenLocation::Header)
        ]
    );
}

#[test]
fn schema_v1_event_top_level_token() {
    let v = vt();
    let keys = CallbackKeys {
        encrypt_key: None,
        verification_token: Some(&v),
    };
    let body = json!({"uuid": "u-1", "token": VT, "ts": "1", "type": "event_callback",
                      "event": {"type": "message", "app_id": "cli_x"}})
    .to_string();
    let ok = verify(
        &SignatureHeaders::default(),
        body.as_bytes(),
        &keys,
        DEFAULT_MAX_BODY,
    )
    .unwrap();
    assert_eq!(ok.envelope.kind(), "event_v1");
    assert_eq!(ok.envelope.dedup_id(), Some("u-1"));
    assert!(ok.checks.contains(&Check::Token(TokenLocation::TopLevel)));
}

#[test]
fn missing_headers_are_named() {
    let (e, v) = (ek(), vt());
    let (_, body) = encrypted_signed(&event_v2_json(VT));
    let h = SignatureHeaders {
        timestamp: Some(TS.into()),
        ..Default::default()
    };
    assert_eq!(
        verify(&h, &body, &both(&e, &v), DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::MissingSignatureHeaders {
            scheme: SignatureScheme::EventSha256,
            missing: vec![HEADER_NONCE, HEADER_SIGNATURE]
        }
    );
}

#[test]
fn headers_from_pairs_case_insensitive() {
    let h = SignatureHeaders::from_pairs([
        ("x-lark-request-timestamp", "1"),
        ("X-LARK-REQUEST-NONCE", "n"),
        ("x-lark-signature", "s"),
        ("content-type", "application/json"),
    ]);
    assert_eq!(h, {
        SignatureHeaders {
            timestamp: Some("1".into()),
            nonce: Some("n".into()),
            signature: Some("s".into()),
        }
    });
}

#[test]
fn encrypted_without_key() {
    let v = vt();
    let keys = CallbackKeys {
        encrypt_key: None,
        verification_token: Some(&v),
    };
    let (h, body) = encrypted_signed(&event_v2_json(VT));
    assert_eq!(
        verify(&h, &body, &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::EncryptedButNoKey
    );
    // an empty configured key counts as none
    let empty = Secret::new("");
    let keys = CallbackKeys {
        encrypt_key: Some(&empty),
        verification_token: Some(&v),
    };
    assert_eq!(
        verify(&h, &body, &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::EncryptedButNoKey
    );
}

#[test]
fn decrypt_failures_are_typed() {
    let (e, v) = (ek(), vt());
    let keys = both(&e, &v);
    let none = SignatureHeaders::default();
    let good = crypto::encrypt(EK, b"{}");
    let cases: Vec<(String, VerifyError)> = vec![
        // truncated base64
        (
            good[..good.len() - 3].to_string(),
            VerifyError::Decrypt(CryptoError::BadBase64),
        ),
        // not a block multiple: IV + 17 bytes
        (
            base64::engine::general_purpose::STANDARD.encode([7u8; 33]),
            VerifyError::Decrypt(CryptoError::NotBlockMultiple { len: 17 }),
        ),
        // too short
        (
            base64::engine::general_purpose::STANDARD.encode([7u8; 8]),
            VerifyError::Decrypt(CryptoError::TooShort { len: 8 }),
        ),
        // wrong key (doc vector under our key): invalid padding
        (
            "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=".to_string(),
            VerifyError::Decrypt(CryptoError::BadPadding),
        ),
    ];
    for (enc, expected) in cases {
        let body = json!({ "encrypt": enc }).to_string();
        assert_eq!(
            verify(&none, body.as_bytes(), &keys, DEFAULT_MAX_BODY).unwrap_err(),
            expected,
            "for {enc}"
        );
    }
    // wrong padding: a valid-length ciphertext whose last block decrypts to bad padding
    let mut blob = base64::engine::general_purpose::STANDARD
        .decode(crypto::encrypt(EK, b"{\"a\":1}"))
        .unwrap();
    let n = blob.len();
    blob[n - 17] ^= 0x01; // flips the last plaintext byte (the padding count) via CBC
    let body = json!({"encrypt": base64::engine::general_purpose::STANDARD.encode(blob)});
    assert_eq!(
        verify(&none, body.to_string().as_bytes(), &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::Decrypt(CryptoError::BadPadding)
    );
    // decrypts fine but is not UTF-8 / not JSON
    let body = json!({"encrypt": crypto::encrypt(EK, &[0xff, 0xfe])}).to_string();
    assert_eq!(
        verify(&none, body.as_bytes(), &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::Decrypt(CryptoError::NotUtf8)
    );
    let body = json!({"encrypt": crypto::encrypt(EK, b"hello world")}).to_string();
    assert!(matches!(
        verify(&none, body.as_bytes(), &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::NotJson {
            decrypted: true,
            ..
        }
    ));
    let body = json!({"encrypt": 5}).to_string();
    assert!(matches!(
        verify(&none, body.as_bytes(), &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::WrongShape { .. }
    ));
}

#[test]
fn ten_megabyte_body_is_refused_before_parsing() {
    let body = vec![b'{'; 10 * 1024 * 1024];
    let (e, v) = (ek(), vt());
    assert_eq!(
        verify(
            &SignatureHeaders::default(),
            &body,
            &both(&e, &v),
            DEFAULT_MAX_BODY
        )
        .unwrap_err(),
        VerifyError::BodyTooLarge {
            len: 10 * 1024 * 1024,
            limit: DEFAULT_MAX_BODY
        }
    );
}

#[test]
fn invalid_utf8_and_wrong_shapes() {
    let (e, v) = (ek(), vt());
    let keys = both(&e, &v);
    let none = SignatureHeaders::default();
    assert!(matches!(
        verify(&none, b"{\"a\":\"\xff\xfe\"}", &keys, DEFAULT_MAX_BODY).unwrap_err(),
        VerifyError::NotJson {
            decrypted: false,
            ..
        }
    ));
    for body in [
        r#"[1,2,3]"#,
        r#"{"hello":"world"}"#,
        r#"{"schema":"2.0"}"#,
        r#"{"schema":"3.0","header":{}}"#,
        r#"{"schema":"2.0","header":{"event_type":"x"}}"#,
        r#"{"schema":"2.0","header":{"event_id":"1","event_type":"card.action.trigger"},"event":{}}"#,
        r#"{"uuid":"u","event":{}}"#,
        r#"{"type":"url_verification"}"#,
        r#"{"open_message_id":"om","action":"click"}"#,
    ] {
        let err = verify(&none, body.as_bytes(), &keys, DEFAULT_MAX_BODY).unwrap_err();
        assert!(
            matches!(err, VerifyError::WrongShape { .. }),
            "{body}: {err:?}"
        );
    }
}

#[test]
fn parse_without_checks() {
    let env = parse(card_trigger_json("x").to_string().as_bytes()).unwrap();
    assert_eq!(env.kind(), "card.action.trigger");
    assert_eq!(env.dedup_id(), Some("ev-2"));
    assert_eq!(env.signature_scheme(), Some(SignatureScheme::EventSha256));
    let env = parse(legacy_card_json().to_string().as_bytes()).unwrap();
    assert_eq!(env.token_location(), None);
    assert_eq!(
        env.signature_scheme(),
        Some(SignatureScheme::LegacyCardSha1)
    );
}

fn valid_bodies() -> Vec<(Vec<u8>, SignatureHeaders)> {
    let mut out = vec![encrypted_signed(&event_v2_json(VT))];
    out.push(encrypted_signed(&card_trigger_json(VT)));
    let legacy = legacy_card_json().to_string().into_bytes();
    let sig = crypto::legacy_card_signature(TS, NONCE, VT, &legacy);
    out.push((headers(&sig), legacy));
    out.into_iter().map(|(h, b)| (b, h)).collect()
}

/// Small JSON-ish objects with the keys the parser looks at, to reach the shape checks.
fn json_like() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "type",
        "challenge",
        "token",
        "schema",
        "header",
        "event",
        "uuid",
        "encrypt",
        "open_message_id",
        "action",
        "event_type",
        "event_id",
    ]);
    let val = prop::sample::select(vec![
        "\"url_verification\"",
        "\"2.0\"",
        "{}",
        "null",
        "1",
        "\"x\"",
        "[]",
        "{\"event_type\":\"card.action.trigger\",\"event_id\":\"e\"}",
        "{\"type\":\"t\",\"action\":{}}",
    ]);
    proptest::collection::vec((key, val), 0..6).prop_map(|kv| {
        let inner: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", inner.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let (e, v) = (ek(), vt());
        let r = verify(&SignatureHeaders::default(), &body, &both(&e, &v), DEFAULT_MAX_BODY);
        // random bytes essentially never form a valid signed callback
        let may_be_json_object = body.first() == Some(&0x7b);
        prop_assert!(r.is_err() || may_be_json_object);
    }

    #[test]
    fn mutated_valid_bodies_never_pass_or_panic(
        which in 0usize..3,
        pos in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        truncate in any::<bool>(),
    ) {
        let (e, v) = (ek(), vt());
        let (mut body, h) = valid_bodies().swap_remove(which);
        let i = pos.index(body.len());
        if truncate {
            body.truncate(i);
        } else {
            prop_assume!(body[i] != byte);
            body[i] = byte;
        }
        // every accepted body is signed, so any change must be rejected with a typed error
        let r = verify(&h, &body, &both(&e, &v), DEFAULT_MAX_BODY);
        prop_assert!(r.is_err(), "mutated body accepted: {:?}", String::from_utf8_lossy(&body));
    }

    #[test]
    fn arbitrary_json_values_never_panic(s in json_like()) {
        let (e, v) = (ek(), vt());
        let _ = verify(&SignatureHeaders::default(), s.as_bytes(), &both(&e, &v), DEFAULT_MAX_BODY);
        let _ = parse(s.as_bytes());
    }
}
