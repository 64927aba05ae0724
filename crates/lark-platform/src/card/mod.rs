//! Card JSON validation for Feishu/Lark interactive cards, JSON 1.0 and JSON 2.0.
//!
//! [`validate`] walks a card and returns [`Finding`]s, each with a JSON path, a [`Severity`], a
//! stable [`Code`] and a sentence for people; [`validate_str`] also reports JSON syntax errors
//! with line and column. Both are pure: no I/O, no clock.
//!
//! The schema is chosen the way the platform chooses it: `"schema": "2.0"` means JSON 2.0
//! (`{"schema":"2.0","header":{..},"body":{"elements":[..]}}`); anything else is 1.0
//! (`{"config":..,"header":..,"elements":[..]}`). 2.0 rejects properties it does not support,
//! 1.0 ignores them; severities follow that (see [`Severity`]).
//!
//! What is checked, and where the rules come from (open.feishu.cn developer documentation, the
//! "飞书卡片" section, read through mirrors of the official pages that carry their source URL and
//! update time; the official Go SDK's `larkcard` package for the 1.0 element model):
//! - Shape: "卡片 JSON 2.0 结构" and "卡片 JSON 1.0 结构" (top-level fields; a blank `{}` card is
//!   accepted, so a missing body or elements list is a warning), "卡片 JSON 2.0 版本更新说明"
//!   (body wraps elements; no `i18n_elements`; no `fallback`; `update_multi` only `true`; `note`
//!   and `action` removed; unsupported properties are errors; `element_id` rule; what containers
//!   may hold). The 200-element cap of a 2.0 card is from the 2.0 structure page.
//! - Tags per schema and nesting: see `tags.rs` for the list and the page behind each entry.
//! - Header: "标题" pages: `title` is required, `template` is one of thirteen colours.
//! - Buttons: "按钮" pages of both schemas: nine `type`s in both (the retired "message card"
//!   page listed only default/primary/danger for 1.0); `behaviors` with `open_url`/`callback`/
//!   `form_action`; the callback `value` "支持 object … 开放平台 SDK 仅支持 object 类型"; the 1.0
//!   history fields `url`/`multi_url` (not both) and `value` (key-value JSON only), and
//!   `complex_interaction`, without which a button with a link never calls back.
//! - Markdown: see `markdown.rs`.
//! - Size: see `size.rs` (the 30 KB rule on the send request's `content` string).

mod element;
mod finding;
mod markdown;
mod path;
mod size;
mod tags;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use finding::{Code, Finding, Severity};
pub use size::{content_size, CONTENT_LIMIT_BYTES, CONTENT_WARN_BYTES};

use element::{Slot, Walker};

/// Which card JSON structure a card uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CardSchema {
    #[serde(rename = "1.0")]
    V1,
    #[serde(rename = "2.0")]
    V2,
}

/// The most components and text elements one 2.0 card may hold.
pub const V2_MAX_ELEMENTS: usize = 200;

/// The schema the platform will read the card as: 2.0 only when declared.
pub fn detect_schema(card: &Value) -> CardSchema {
    match card.get("schema").and_then(Value::as_str) {
        Some("2.0") => CardSchema::V2,
        _ => CardSchema::V1,
    }
}

/// Validates a parsed card. An empty result means nothing to report.
pub fn validate(card: &Value) -> Vec<Finding> {
    let Some(obj) = card.as_object() else {
        return vec![Finding::error(
            Code::CardNotObject,
            "$",
            "A card must be a JSON object, like {\"schema\":\"2.0\",\"body\":{\"elements\":[]}}.",
        )];
    };
    let schema = detect_schema(card);
    let mut walker = Walker::new(schema);
    check_schema_field(obj, &mut walker.findings);
    match schema {
        CardSchema::V2 => top_level_v2(obj, &mut walker),
        CardSchema::V1 => top_level_v1(obj, &mut walker),
    }
    if let Some(header) = obj.get("header") {
        check_header(header, &mut walker);
    }
    check_config(obj, schema, &mut walker.findings);
    if schema == CardSchema::V2 {
        let count = obj.get("body").map(count_tagged).unwrap_or(0);
        if count > V2_MAX_ELEMENTS {
            walker.findings.push(Finding::error(
                Code::TooManyElements,
                "$.body",
                format!(
                    "This card has {count} components and text elements; a JSON 2.0 card may \
                     have at most {V2_MAX_ELEMENTS}."
                ),
            ));
        }
    }
    check_size(card, &mut walker.findings);
    walker.findings
}

/// Validates card text: JSON syntax first (with line and column), then [`validate`].
///
/// A JSON string that itself holds a card (the send request's `content`, pasted as is) is
/// decoded once, reported as [`Code::DoubleEncoded`], and validated.
pub fn validate_str(text: &str) -> Vec<Finding> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => return vec![syntax_finding(&err)],
    };
    if let Value::String(inner) = &value {
        if let Ok(card @ Value::Object(_)) = serde_json::from_str::<Value>(inner) {
            let mut findings = vec![Finding::warning(
                Code::DoubleEncoded,
                "$",
                "This is a JSON string holding a card (the form the send request's content \
                 takes); it was decoded once. Paste the card object itself.",
            )];
            findings.extend(validate(&card));
            return findings;
        }
    }
    validate(&value)
}

fn syntax_finding(err: &serde_json::Error) -> Finding {
    let mut finding = Finding::error(
        Code::JsonSyntax,
        "$",
        format!("This is not valid JSON: {err}."),
    );
    if err.line() > 0 {
        finding.line = Some(err.line());
        finding.column = Some(err.column());
    }
    finding
}

fn check_schema_field(obj: &Map<String, Value>, out: &mut Vec<Finding>) {
    if let Some(schema) = obj.get("schema") {
        if !matches!(schema.as_str(), Some("1.0" | "2.0")) {
            out.push(Finding::error(
                Code::SchemaInvalid,
                "$.schema",
                format!(
                    "schema must be \"2.0\" or \"1.0\", not {schema}; the card is read as 1.0."
                ),
            ));
        }
    }
}

fn top_level_v2(obj: &Map<String, Value>, walker: &mut Walker) {
    for key in obj.keys() {
        let at = path::key("$", key);
        match key.as_str() {
            "elements" => walker.findings.push(Finding::error(
                Code::V2ElementsOutsideBody,
                at,
                "In a JSON 2.0 card the components go in body.elements, not in a top-level \
                 elements list.",
            )),
            "i18n_elements" => walker.findings.push(Finding::error(
                Code::V2UnsupportedField,
                at,
                "JSON 2.0 cards do not support i18n_elements; use per-component i18n fields \
                 (i18n_content) instead.",
            )),
            "fallback" => walker.findings.push(Finding::warning(
                Code::V2FallbackIgnored,
                at,
                "JSON 2.0 cards do not support a card-wide fallback yet.",
            )),
            k if tags::contains(tags::V2_TOP_LEVEL, k) => {}
            _ => walker.findings.push(Finding::warning(
                Code::UnknownField,
                at,
                format!(
                    "\"{key}\" is not a documented JSON 2.0 card field, and 2.0 rejects \
                     unsupported properties."
                ),
            )),
        }
    }
    match obj.get("body") {
        None => walker.findings.push(Finding::warning(
            Code::BodyMissing,
            "$.body",
            "This 2.0 card has no body, so only its header will show.",
        )),
        Some(Value::Object(body)) => match body.get("elements") {
            Some(elements) => walker.elements(elements, "$.body.elements", Slot::Root),
            None => walker.findings.push(Finding::warning(
                Code::ElementsMissing,
                "$.body.elements",
                "The body has no elements list, so the card body is empty.",
            )),
        },
        Some(_) => walker.findings.push(Finding::error(
            Code::WrongType,
            "$.body",
            "body must be an object like {\"elements\": [...]}.",
        )),
    }
}

fn top_level_v1(obj: &Map<String, Value>, walker: &mut Walker) {
    for key in obj.keys() {
        let at = path::key("$", key);
        match key.as_str() {
            "body" => walker.findings.push(Finding::error(
                Code::BodyWithoutSchema,
                at,
                "body is a JSON 2.0 field, but this card does not declare \"schema\": \"2.0\", so \
                 it is read as 1.0 and body is ignored. Add \"schema\": \"2.0\".",
            )),
            k if tags::contains(tags::V1_TOP_LEVEL, k) => {}
            _ => walker.findings.push(Finding::warning(
                Code::UnknownField,
                at,
                format!("\"{key}\" is not a JSON 1.0 card field; the platform ignores it."),
            )),
        }
    }
    let mut any_elements = false;
    if let Some(elements) = obj.get("elements") {
        any_elements = true;
        walker.elements(elements, "$.elements", Slot::Root);
    }
    if let Some(i18n) = obj.get("i18n_elements") {
        any_elements = true;
        match i18n.as_object() {
            Some(langs) => {
                for (lang, elements) in langs {
                    let at = path::key("$.i18n_elements", lang);
                    walker.elements(elements, &at, Slot::Root);
                }
            }
            None => walker.findings.push(Finding::error(
                Code::WrongType,
                "$.i18n_elements",
                "i18n_elements must be an object of language codes to element lists.",
            )),
        }
    }
    if !any_elements && !obj.contains_key("body") {
        walker.findings.push(Finding::warning(
            Code::ElementsMissing,
            "$.elements",
            "This card has no elements, so only its header will show.",
        ));
    }
}

fn check_header(header: &Value, walker: &mut Walker) {
    let Some(obj) = header.as_object() else {
        walker.findings.push(Finding::error(
            Code::WrongType,
            "$.header",
            "header must be an object with a title.",
        ));
        return;
    };
    match obj.get("title") {
        None => walker.findings.push(Finding::error(
            Code::HeaderTitleMissing,
            "$.header.title",
            "A header needs a title: {\"tag\":\"plain_text\",\"content\":\"...\"}.",
        )),
        Some(title) => {
            walker.text(title, "$.header.title");
            let empty = title
                .get("content")
                .and_then(Value::as_str)
                .is_none_or(|c| c.trim().is_empty());
            let has_i18n = title.get("i18n").is_some() || title.get("i18n_content").is_some();
            if title.is_object() && empty && !has_i18n {
                walker.findings.push(Finding::warning(
                    Code::HeaderTitleEmpty,
                    "$.header.title.content",
                    "The header title is empty.",
                ));
            }
        }
    }
    if let Some(subtitle) = obj.get("subtitle") {
        walker.text(subtitle, "$.header.subtitle");
    }
    if let Some(template) = obj.get("template") {
        match template.as_str() {
            Some(t) if tags::contains(tags::HEADER_TEMPLATES, t) => {}
            Some(t) => walker.findings.push(Finding::warning(
                Code::HeaderTemplateUnknown,
                "$.header.template",
                format!(
                    "\"{t}\" is not a header colour, so the default style is shown. Use one of {}.",
                    tags::HEADER_TEMPLATES.join(", ")
                ),
            )),
            None => walker.findings.push(Finding::error(
                Code::WrongType,
                "$.header.template",
                "template must be a string naming a colour.",
            )),
        }
    }
}

fn check_config(obj: &Map<String, Value>, schema: CardSchema, out: &mut Vec<Finding>) {
    let config = obj.get("config");
    if let Some(config) = config {
        if !config.is_object() {
            out.push(Finding::error(
                Code::WrongType,
                "$.config",
                "config must be an object.",
            ));
            return;
        }
    }
    let update_multi = config.and_then(|c| c.get("update_multi"));
    match (schema, update_multi) {
        (CardSchema::V2, Some(Value::Bool(false))) => out.push(Finding::warning(
            Code::V2UpdateMultiFalse,
            "$.config.update_multi",
            "JSON 2.0 cards only support shared cards; update_multi must be true (the default).",
        )),
        (CardSchema::V1, Some(Value::Bool(true))) | (CardSchema::V2, _) => {}
        (CardSchema::V1, _) => out.push(Finding::warning(
            Code::UpdateMultiOff,
            "$.config.update_multi",
            "Without \"update_multi\": true in config, a 1.0 card cannot be updated for everyone \
             later (an alert card's acknowledged/resolved update would fail).",
        )),
    }
}

fn check_size(card: &Value, out: &mut Vec<Finding>) {
    let bytes = content_size(card);
    if bytes > CONTENT_LIMIT_BYTES {
        out.push(Finding::error(
            Code::CardTooLarge,
            "$",
            format!(
                "As a message this card is {bytes} bytes; the platform accepts at most \
                 {CONTENT_LIMIT_BYTES} (30 KB) and would reject it (error 230025). Shorten texts \
                 or split the card."
            ),
        ));
    } else if bytes > CONTENT_WARN_BYTES {
        out.push(Finding::warning(
            Code::CardNearSizeLimit,
            "$",
            format!(
                "As a message this card is {bytes} bytes, close to the {CONTENT_LIMIT_BYTES}-byte \
                 limit; the platform counts style tags extra, so it may be rejected."
            ),
        ));
    }
}

/// Every object with a `tag` (components and text elements, as the 200 cap counts them).
fn count_tagged(value: &Value) -> usize {
    match value {
        Value::Object(obj) => {
            usize::from(obj.get("tag").is_some_and(Value::is_string))
                + obj.values().map(count_tagged).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(count_tagged).sum(),
        _ => 0,
    }
}
