//! Card JSON validation for Feishu/Lark interactive cards, JSON 1.0 and JSON 2.0.
//!
//! [`validate`] walks a card and returns [`Finding`]s, each with a JSON path, a [`Severity`], a
//! stable [`Code`] and the values its sentence names (the sentences are the app's, by code);
//! [`validate_str`] also reports JSON syntax errors with line and column. Both are pure: no I/O,
//! no clock.
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
//! - JSON 2.0 components and card-level objects: `schema_v2.json` (read by `schema.rs`) lists
//!   each one's properties, their types and closed value lists, required fields and where the
//!   component may be nested, with the page each entry was written from; a property it does not
//!   list is an error, as 2.0 refuses it.
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
mod schema;
mod size;
mod tags;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use finding::{Code, Finding, Severity};
pub use schema::json2_component_tags;
pub use size::{content_size, CONTENT_LIMIT_BYTES, CONTENT_WARN_BYTES};
pub use tags::HEADER_TEMPLATES;

use element::{Slot, Walker};

/// Which card JSON structure a card uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CardSchema {
    #[serde(rename = "1.0")]
    V1,
    #[serde(rename = "2.0")]
    V2,
}

impl CardSchema {
    /// `"1.0"` or `"2.0"`, as the card's `schema` field writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CardSchema::V1 => "1.0",
            CardSchema::V2 => "2.0",
        }
    }
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
        return vec![Finding::error(Code::CardNotObject, "$")];
    };
    let schema = detect_schema(card);
    let mut walker = Walker::new(schema);
    walker.custom_colors = custom_colors(obj);
    check_schema_field(obj, &mut walker.findings);
    match schema {
        CardSchema::V2 => top_level_v2(obj, &mut walker),
        CardSchema::V1 => top_level_v1(obj, &mut walker),
    }
    if let Some(header) = obj.get("header") {
        check_header(header, &mut walker);
    }
    check_config(obj, schema, &mut walker.findings);
    check_card_link(obj, &mut walker.findings);
    if let Some(audio) = walker.audio.take() {
        let forward = obj.get("config").and_then(|c| c.get("enable_forward"));
        if forward != Some(&Value::Bool(false)) {
            walker.findings.push(
                Finding::error(Code::AudioForwardEnabled, "$.config.enable_forward")
                    .param("audio", audio),
            );
        }
    }
    if schema == CardSchema::V2 {
        check_v2_objects(obj, &mut walker.findings);
    }
    if schema == CardSchema::V2 {
        let count = obj.get("body").map(count_tagged).unwrap_or(0);
        if count > V2_MAX_ELEMENTS {
            walker.findings.push(
                Finding::error(Code::TooManyElements, "$.body")
                    .param("found", count)
                    .param("limit", V2_MAX_ELEMENTS),
            );
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
            let mut findings = vec![Finding::warning(Code::DoubleEncoded, "$")];
            findings.extend(validate(&card));
            return findings;
        }
    }
    validate(&value)
}

/// A syntax error with its position, as fields and as params; `detail` is the parser's own
/// description without the position it appends.
fn syntax_finding(err: &serde_json::Error) -> Finding {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    let detail = text.strip_suffix(&position).unwrap_or(&text);
    let mut finding = Finding::error(Code::JsonSyntax, "$")
        .param("line", err.line())
        .param("column", err.column())
        .param("detail", detail);
    if err.line() > 0 {
        finding.line = Some(err.line());
        finding.column = Some(err.column());
    }
    finding
}

fn check_schema_field(obj: &Map<String, Value>, out: &mut Vec<Finding>) {
    if let Some(schema) = obj.get("schema") {
        if !matches!(schema.as_str(), Some("1.0" | "2.0")) {
            out.push(Finding::error(Code::SchemaInvalid, "$.schema").param("value", schema));
        }
    }
}

fn top_level_v2(obj: &Map<String, Value>, walker: &mut Walker) {
    for key in obj.keys() {
        let at = path::key("$", key);
        match key.as_str() {
            "elements" => walker
                .findings
                .push(Finding::error(Code::V2ElementsOutsideBody, at)),
            "i18n_elements" => walker
                .findings
                .push(Finding::error(Code::V2UnsupportedField, at)),
            "fallback" => walker
                .findings
                .push(Finding::warning(Code::V2FallbackIgnored, at)),
            k if tags::contains(tags::V2_TOP_LEVEL, k) => {}
            _ => walker.findings.push(
                Finding::warning(Code::UnknownField, at)
                    .param("field", key)
                    .param("schema", CardSchema::V2.as_str()),
            ),
        }
    }
    match obj.get("body") {
        None => walker
            .findings
            .push(Finding::warning(Code::BodyMissing, "$.body")),
        Some(Value::Object(body)) => match body.get("elements") {
            Some(elements) => walker.elements(elements, "$.body.elements", Slot::Root),
            None => walker.findings.push(
                Finding::warning(Code::ElementsMissing, "$.body.elements")
                    .param("field", "body.elements"),
            ),
        },
        Some(_) => walker.findings.push(wrong_type(
            "$.body",
            "body",
            "object",
            r#"{"elements": [...]}"#,
        )),
    }
}

fn top_level_v1(obj: &Map<String, Value>, walker: &mut Walker) {
    for key in obj.keys() {
        let at = path::key("$", key);
        match key.as_str() {
            "body" => walker
                .findings
                .push(Finding::error(Code::BodyWithoutSchema, at)),
            k if tags::contains(tags::V1_TOP_LEVEL, k) => {}
            _ => walker.findings.push(
                Finding::warning(Code::UnknownField, at)
                    .param("field", key)
                    .param("schema", CardSchema::V1.as_str()),
            ),
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
                    // The five-table limit counts per language.
                    walker.tables = 0;
                    let at = path::key("$.i18n_elements", lang);
                    walker.elements(elements, &at, Slot::Root);
                }
            }
            None => walker.findings.push(wrong_type(
                "$.i18n_elements",
                "i18n_elements",
                "object",
                r#"{"zh_cn": [...], "en_us": [...]}"#,
            )),
        }
    }
    if !any_elements && !obj.contains_key("body") {
        walker
            .findings
            .push(Finding::warning(Code::ElementsMissing, "$.elements").param("field", "elements"));
    }
}

fn check_header(header: &Value, walker: &mut Walker) {
    let Some(obj) = header.as_object() else {
        walker.findings.push(wrong_type(
            "$.header",
            "header",
            "object",
            r#"{"title": {"tag": "plain_text", "content": "..."}}"#,
        ));
        return;
    };
    match obj.get("title") {
        None => walker
            .findings
            .push(Finding::error(Code::HeaderTitleMissing, "$.header.title")),
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
                ));
            }
        }
    }
    if let Some(subtitle) = obj.get("subtitle") {
        walker.text(subtitle, "$.header.subtitle");
    }
    check_text_tags(obj, walker);
    if let Some(template) = obj.get("template") {
        match template.as_str() {
            Some(t) if tags::contains(tags::HEADER_TEMPLATES, t) => {}
            Some(t) => walker.findings.push(
                Finding::warning(Code::HeaderTemplateUnknown, "$.header.template")
                    .param("template", t)
                    .param("allowed", tags::HEADER_TEMPLATES.join(", ")),
            ),
            None => walker.findings.push(wrong_type(
                "$.header.template",
                "template",
                "string",
                r#""blue""#,
            )),
        }
    }
}

fn check_config(obj: &Map<String, Value>, schema: CardSchema, out: &mut Vec<Finding>) {
    let config = obj.get("config");
    if let Some(config) = config {
        if !config.is_object() {
            out.push(wrong_type(
                "$.config",
                "config",
                "object",
                r#"{"update_multi": true}"#,
            ));
            return;
        }
    }
    let update_multi = config.and_then(|c| c.get("update_multi"));
    match (schema, update_multi) {
        (CardSchema::V2, Some(Value::Bool(false))) => out.push(Finding::warning(
            Code::V2UpdateMultiFalse,
            "$.config.update_multi",
        )),
        (CardSchema::V1, Some(Value::Bool(true))) | (CardSchema::V2, _) => {}
        (CardSchema::V1, _) => out.push(Finding::warning(
            Code::UpdateMultiOff,
            "$.config.update_multi",
        )),
    }
}

/// The header's suffix tags (`text_tag_list`, and each language of `i18n_text_tag_list`): a
/// colour from the text tag list, and (2.0) an `element_id` unique among components and text
/// elements.
fn check_text_tags(header: &Map<String, Value>, walker: &mut Walker) {
    let mut lists: Vec<(String, &Vec<Value>)> = Vec::new();
    if let Some(Value::Array(items)) = header.get("text_tag_list") {
        lists.push(("$.header.text_tag_list".to_string(), items));
    }
    if let Some(Value::Object(langs)) = header.get("i18n_text_tag_list") {
        for (lang, items) in langs {
            if let Value::Array(items) = items {
                lists.push((path::key("$.header.i18n_text_tag_list", lang), items));
            }
        }
    }
    for (list_path, items) in lists {
        for (i, item) in items.iter().enumerate() {
            let Some(tag) = item.as_object() else {
                continue;
            };
            let at = path::index(&list_path, i);
            walker.element_id(tag, &at);
            if let Some(color) = tag.get("color").and_then(Value::as_str) {
                if !tags::contains(tags::TEXT_TAG_COLORS, color) {
                    walker.findings.push(
                        Finding::warning(Code::TextTagColorUnknown, path::key(&at, "color"))
                            .param("color", color)
                            .param("allowed", tags::TEXT_TAG_COLORS.join(", ")),
                    );
                }
            }
        }
    }
}

/// `card_link` needs `url`, or all of `android_url`, `ios_url` and `pc_url` (the 1.0 and 2.0
/// structure pages: "url 和各端的链接必填其中一个。如果不填写 url，则必须完整填写 …").
fn check_card_link(obj: &Map<String, Value>, out: &mut Vec<Finding>) {
    let Some(Value::Object(link)) = obj.get("card_link") else {
        return;
    };
    // Present as a string: the 1.0 title page's own example sends all four empty.
    let has = |k: &str| link.get(k).is_some_and(Value::is_string);
    let complete = has("url") || (has("android_url") && has("ios_url") && has("pc_url"));
    if !complete {
        out.push(Finding::error(Code::CardLinkIncomplete, "$.card_link"));
    }
}

/// The custom colour names of `config.style.color`, which `<font color>` may use.
fn custom_colors(obj: &Map<String, Value>) -> Vec<String> {
    obj.get("config")
        .and_then(|c| c.get("style"))
        .and_then(|s| s.get("color"))
        .and_then(Value::as_object)
        .map(|colors| colors.keys().cloned().collect())
        .unwrap_or_default()
}

/// 2.0 card-level objects against `schema_v2.json`: `config`, `header` (and each language of
/// `i18n_header`), `card_link`, `body`.
fn check_v2_objects(obj: &Map<String, Value>, out: &mut Vec<Finding>) {
    let schema = schema::v2();
    for name in ["config", "header", "card_link", "body"] {
        if let Some(Value::Object(inner)) = obj.get(name) {
            out.extend(schema.check_object(name, inner, &path::key("$", name)));
        }
    }
    if let Some(Value::Object(langs)) = obj.get("i18n_header") {
        for (lang, header) in langs {
            if let Value::Object(header) = header {
                let at = path::key("$.i18n_header", lang);
                out.extend(schema.check_object("header", header, &at));
            }
        }
    }
}

fn check_size(card: &Value, out: &mut Vec<Finding>) {
    let bytes = content_size(card);
    if bytes > CONTENT_LIMIT_BYTES {
        out.push(
            Finding::error(Code::CardTooLarge, "$")
                .param("size", bytes)
                .param("limit", CONTENT_LIMIT_BYTES),
        );
    } else if bytes > CONTENT_WARN_BYTES {
        out.push(
            Finding::warning(Code::CardNearSizeLimit, "$")
                .param("size", bytes)
                .param("limit", CONTENT_LIMIT_BYTES),
        );
    }
}

/// A [`Code::WrongType`] error: `field` must be a JSON `expected` (`object`, `array`,
/// `string`), shaped like `example`.
pub(crate) fn wrong_type(path: &str, field: &str, expected: &str, example: &str) -> Finding {
    Finding::error(Code::WrongType, path)
        .param("field", field)
        .param("expected", expected)
        .param("example", example)
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
