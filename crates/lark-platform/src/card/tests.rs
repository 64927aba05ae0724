//! Unit tests of the validator's rules; the corpus of broken cards is in
//! `tests/card_corpus.rs` + `tests/cards/`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;

fn codes(card: &Value) -> Vec<(Code, String)> {
    validate(card)
        .into_iter()
        .map(|f| (f.code, f.path))
        .collect()
}

/// Each finding's code, path and params.
fn findings(card: &Value) -> Vec<(Code, String, BTreeMap<String, String>)> {
    validate(card)
        .into_iter()
        .map(|f| (f.code, f.path, f.params))
        .collect()
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn good_v2() -> Value {
    json!({
        "schema": "2.0",
        "config": {"update_multi": true},
        "header": {"template": "red", "title": {"tag": "plain_text", "content": "Disk full"}},
        "body": {"elements": [
            {"tag": "markdown", "content": "**Host** db-01\n# Heading is fine in 2.0"},
            {"tag": "hr"},
            {"tag": "column_set", "columns": [
                {"tag": "column", "elements": [
                    {"tag": "button", "type": "primary_filled",
                     "text": {"tag": "plain_text", "content": "Acknowledge"},
                     "behaviors": [{"type": "callback", "value": {"action": "acknowledge"}}]}
                ]},
                {"tag": "column", "elements": [
                    {"tag": "button", "text": {"tag": "plain_text", "content": "Open"},
                     "behaviors": [{"type": "open_url", "default_url": "https://e.x/1"}]}
                ]}
            ]}
        ]}
    })
}

fn good_v1() -> Value {
    json!({
        "config": {"update_multi": true, "wide_screen_mode": true},
        "header": {"template": "orange", "title": {"tag": "plain_text", "content": "CPU"}},
        "elements": [
            {"tag": "div", "text": {"tag": "lark_md", "content": "**CPU** 95%"},
             "fields": [{"is_short": true, "text": {"tag": "lark_md", "content": "a"}}]},
            {"tag": "action", "actions": [
                {"tag": "button", "type": "danger", "text": {"tag": "plain_text", "content": "Resolve"},
                 "value": {"action": "resolve"}},
                {"tag": "button", "text": {"tag": "plain_text", "content": "Open"},
                 "url": "https://e.x/1"}
            ]},
            {"tag": "note", "elements": [{"tag": "plain_text", "content": "via relay"}]}
        ]
    })
}

#[test]
fn card_good_cards_have_no_findings() {
    assert_eq!(codes(&good_v2()), vec![]);
    assert_eq!(codes(&good_v1()), vec![]);
    assert_eq!(detect_schema(&good_v2()), CardSchema::V2);
    assert_eq!(detect_schema(&good_v1()), CardSchema::V1);
}

#[test]
fn card_v2_removed_components_and_placement() {
    let mut card = good_v2();
    card["body"]["elements"][1] = json!({"tag": "note", "elements": []});
    card["body"]["elements"][2]["columns"][0]["elements"][0] = json!({"tag": "table"});
    assert_eq!(
        findings(&card),
        vec![
            (
                Code::V2RemovedComponent,
                "$.body.elements[1].tag".into(),
                params(&[("tag", "note")])
            ),
            (
                Code::TagNotAllowedHere,
                "$.body.elements[2].columns[0].elements[0].tag".into(),
                params(&[("tag", "table"), ("container", "column")])
            ),
        ]
    );
}

#[test]
fn card_v1_button_outside_action() {
    let mut card = good_v1();
    card["elements"][1] = json!({"tag": "button", "text": {"tag": "plain_text", "content": "x"},
                                 "value": {"a": 1}});
    assert_eq!(
        findings(&card),
        vec![(
            Code::V1NeedsActionModule,
            "$.elements[1].tag".into(),
            params(&[("tag", "button")])
        )]
    );
}

#[test]
fn card_button_rules() {
    let mut card = good_v1();
    card["elements"][1]["actions"][0]["type"] = json!("laser");
    card["elements"][1]["actions"][0]["value"] = json!("resolve");
    card["elements"][1]["actions"][1]["value"] = json!({"a": 1});
    assert_eq!(
        codes(&card),
        vec![
            (
                Code::ButtonValueString,
                "$.elements[1].actions[0].value".into()
            ),
            (
                Code::ButtonValueIgnored,
                "$.elements[1].actions[1].value".into()
            ),
        ]
    );
    card["elements"][1]["actions"][0]["type"] = json!("success");
    assert!(findings(&card).contains(&(
        Code::ButtonTypeInvalid,
        "$.elements[1].actions[0].type".into(),
        params(&[
            ("value", "\"success\""),
            ("allowed", &tags::BUTTON_TYPES.join(", ")),
        ])
    )));
}

#[test]
fn card_header_rules() {
    let mut card = good_v2();
    card["header"] = json!({"template": "pink"});
    assert_eq!(
        findings(&card),
        vec![
            (
                Code::HeaderTitleMissing,
                "$.header.title".into(),
                params(&[])
            ),
            (
                Code::HeaderTemplateUnknown,
                "$.header.template".into(),
                params(&[
                    ("template", "pink"),
                    ("allowed", &tags::HEADER_TEMPLATES.join(", ")),
                ])
            ),
        ]
    );
}

#[test]
fn card_v2_element_ids() {
    let mut card = good_v2();
    card["body"]["elements"][0]["element_id"] = json!("md_1");
    card["body"]["elements"][1]["element_id"] = json!("md_1");
    card["body"]["elements"][2]["element_id"] = json!("1bad");
    assert_eq!(
        findings(&card),
        vec![
            (
                Code::ElementIdDuplicate,
                "$.body.elements[1].element_id".into(),
                params(&[("id", "md_1"), ("first", "$.body.elements[0].element_id")])
            ),
            (
                Code::ElementIdInvalid,
                "$.body.elements[2].element_id".into(),
                params(&[("id", "1bad"), ("limit", "20")])
            ),
        ]
    );
}

#[test]
fn card_v2_element_cap() {
    let elements: Vec<Value> = (0..V2_MAX_ELEMENTS).map(|_| json!({"tag": "hr"})).collect();
    let mut card = json!({"schema": "2.0", "body": {"elements": elements}});
    assert_eq!(codes(&card), vec![]);
    card["body"]["elements"]
        .as_array_mut()
        .unwrap()
        .push(json!({"tag": "hr"}));
    assert_eq!(
        findings(&card),
        vec![(
            Code::TooManyElements,
            "$.body".into(),
            params(&[("found", "201"), ("limit", "200")])
        )]
    );
}

/// A 2.0 card whose `content` string is exactly `bytes` long.
fn card_of_size(bytes: usize) -> Value {
    let mut card =
        json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": ""}]}});
    let base = content_size(&card);
    assert!(bytes >= base);
    card["body"]["elements"][0]["content"] = json!("x".repeat(bytes - base));
    assert_eq!(content_size(&card), bytes);
    card
}

#[test]
fn card_size_rule_at_the_boundary() {
    assert_eq!(CONTENT_LIMIT_BYTES, 30_720);
    assert_eq!(codes(&card_of_size(CONTENT_WARN_BYTES)), vec![]);
    assert_eq!(
        codes(&card_of_size(CONTENT_WARN_BYTES + 1)),
        vec![(Code::CardNearSizeLimit, "$".into())]
    );
    assert_eq!(
        codes(&card_of_size(CONTENT_LIMIT_BYTES)),
        vec![(Code::CardNearSizeLimit, "$".into())]
    );
    assert_eq!(
        findings(&card_of_size(CONTENT_LIMIT_BYTES + 1)),
        vec![(
            Code::CardTooLarge,
            "$".into(),
            params(&[("size", "30721"), ("limit", "30720")])
        )]
    );
}

#[test]
fn card_size_counts_utf8_bytes_of_compact_json() {
    // 4 Chinese characters are 12 bytes; escapes count as sent ("\n" is two bytes).
    let card = json!({"a": "告警恢复", "b": "x\ny"});
    assert_eq!(content_size(&card), r#"{"a":"告警恢复","b":"x\ny"}"#.len());
    assert_eq!(content_size(&card), 31);
}

#[test]
fn card_validate_str_reports_syntax_position() {
    let findings = validate_str("{\n  \"schema\": \"2.0\",\n  \"body\": {\"elements\": [}\n}");
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.code, Code::JsonSyntax);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!((f.line, f.column), (Some(3), Some(25)));
    assert_eq!(
        f.params,
        params(&[
            ("line", "3"),
            ("column", "25"),
            ("detail", "expected value")
        ])
    );
}

#[test]
fn card_validate_str_decodes_a_content_string_once() {
    let inner = serde_json::to_string(&good_v2()).unwrap();
    let outer = serde_json::to_string(&inner).unwrap();
    let findings = validate_str(&outer);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, Code::DoubleEncoded);
    assert_eq!(findings[0].severity, Severity::Warning);
}

#[test]
fn card_not_an_object() {
    assert_eq!(codes(&json!([1])), vec![(Code::CardNotObject, "$".into())]);
}

#[test]
fn card_wrong_types_name_the_field_the_type_and_an_example() {
    let card = json!({"schema": "2.0", "config": {"update_multi": true},
    "header": {"title": "Disk full"}, "body": {"elements": [
        {"tag": "markdown", "content": 3},
        {"tag": "button", "text": {"tag": "plain_text", "content": "Open"},
         "behaviors": [{"type": "jump"}, {"type": "callback"}]},
        {"tag": "div", "fields": [{"is_short": true}]}
    ]}});
    assert_eq!(
        findings(&card),
        vec![
            (
                Code::WrongType,
                "$.body.elements[0].content".into(),
                params(&[
                    ("field", "content"),
                    ("expected", "string"),
                    ("example", "\"...\"")
                ])
            ),
            (
                Code::BehaviorTypeInvalid,
                "$.body.elements[1].behaviors[0].type".into(),
                params(&[
                    ("value", "\"jump\""),
                    ("allowed", "open_url, callback, form_action")
                ])
            ),
            (
                Code::FieldMissing,
                "$.body.elements[1].behaviors[1].value".into(),
                params(&[("tag", "button"), ("field", "behaviors[1].value")])
            ),
            (
                Code::FieldMissing,
                "$.body.elements[2].fields[0].text".into(),
                params(&[("tag", "div"), ("field", "fields[0].text")])
            ),
            (
                Code::WrongType,
                "$.header.title".into(),
                params(&[
                    ("field", "title"),
                    ("expected", "object"),
                    ("example", r#"{"tag": "plain_text", "content": "..."}"#)
                ])
            ),
        ]
    );
}

#[test]
fn card_a_text_without_a_tag_names_null() {
    let mut card = good_v1();
    card["elements"][0]["text"] = json!({"content": "x"});
    assert_eq!(
        findings(&card),
        vec![(
            Code::TextTagInvalid,
            "$.elements[0].text.tag".into(),
            params(&[("value", "null")])
        )]
    );
}

#[test]
fn card_unknown_fields_and_missing_elements_name_the_schema_and_field() {
    assert_eq!(
        findings(&json!({"config": {"update_multi": true}, "footer": 1})),
        vec![
            (
                Code::UnknownField,
                "$.footer".into(),
                params(&[("field", "footer"), ("schema", "1.0")])
            ),
            (
                Code::ElementsMissing,
                "$.elements".into(),
                params(&[("field", "elements")])
            ),
        ]
    );
    assert_eq!(
        findings(&json!({"schema": "2.0", "body": {}})),
        vec![(
            Code::ElementsMissing,
            "$.body.elements".into(),
            params(&[("field", "body.elements")])
        )]
    );
}
