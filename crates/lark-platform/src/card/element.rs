//! Components: tags and where they may sit, text objects, images, buttons, and the containers
//! that recurse into further elements.

use serde_json::{Map, Value};

use super::finding::{Code, Finding};
use super::markdown::{self, Flavor};
use super::path;
use super::schema::{self, Nesting};
use super::tags::{self, contains};
use super::{wrong_type, CardSchema};

/// The longest 2.0 `element_id`.
const ELEMENT_ID_MAX: usize = 20;
/// How deep containers may nest ("容器类组件最多支持嵌套五层组件", the form container and
/// column set pages; a column does not count apart from its column set).
const NESTING_LIMIT: usize = 5;
/// The most `table` components in one card ("单张卡片最多支持放置五个表格组件", table pages).
const TABLE_LIMIT: usize = 5;
/// The longest button text ("文本的内容，最多支持 100 个字符", the 2.0 button page).
const BUTTON_TEXT_MAX: usize = 100;

/// Where an element sits; decides which tags are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `elements` (1.0) or `body.elements` (2.0).
    Root,
    /// The `elements` of a container (`form`, `column`, ...).
    Container(&'static str),
    /// 1.0 `action.actions`.
    Action,
    /// 1.0 `note.elements`.
    Note,
    /// 1.0 `div.extra`.
    DivExtra,
}

/// The walk's state: schema, findings, and the `element_id`s seen (2.0 wants them unique).
pub(crate) struct Walker {
    pub schema: CardSchema,
    pub findings: Vec<Finding>,
    element_ids: Vec<(String, String)>,
    /// How many `form`s enclose the element being walked.
    form_depth: usize,
    /// How many containers enclose the element being walked.
    depth: usize,
    depth_reported: bool,
    /// `table` components seen in this card (or this language of `i18n_elements`).
    pub tables: usize,
    /// Form and form field `name`s seen, with the path of each.
    names: Vec<(String, String)>,
    /// Custom colours of `config.style.color`, which `<font color>` may name.
    pub custom_colors: Vec<String>,
    /// Per enclosing form, whether a submit button was seen in it.
    form_submits: Vec<bool>,
    /// The path of the first `audio` component, if any (a card with one must not be
    /// forwardable).
    pub audio: Option<String>,
}

impl Walker {
    pub fn new(schema: CardSchema) -> Self {
        Self {
            schema,
            findings: Vec::new(),
            element_ids: Vec::new(),
            form_depth: 0,
            depth: 0,
            depth_reported: false,
            tables: 0,
            names: Vec::new(),
            custom_colors: Vec::new(),
            form_submits: Vec::new(),
            audio: None,
        }
    }

    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Walks an `elements` array; `value` must be an array.
    pub fn elements(&mut self, value: &Value, at: &str, slot: Slot) {
        let Some(items) = value.as_array() else {
            self.push(wrong_type(
                at,
                "elements",
                "array",
                r#"[{"tag": "markdown", "content": "..."}]"#,
            ));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            self.element(item, &path::index(at, i), slot);
        }
    }

    fn element(&mut self, value: &Value, at: &str, slot: Slot) {
        let Some(obj) = value.as_object() else {
            self.push(Finding::error(Code::ElementNotObject, at));
            return;
        };
        let tag_path = path::key(at, "tag");
        let Some(tag) = obj.get("tag").and_then(Value::as_str) else {
            self.push(Finding::error(Code::TagMissing, tag_path));
            return;
        };
        self.element_id(obj, at);
        if !self.placement_ok(tag, &tag_path, slot) {
            return;
        }
        let found = match self.schema {
            CardSchema::V2 => schema::v2().check_component(tag, obj, at),
            CardSchema::V1 => schema::v1().check_component(tag, obj, at),
        };
        self.findings.extend(found);
        if (self.form_depth > 0 && contains(tags::FORM_FIELDS, tag)) || tag == "form" {
            self.form_name(obj, tag, at);
        }
        if tag == "table" {
            self.tables += 1;
            if self.tables == TABLE_LIMIT + 1 {
                self.push(
                    Finding::error(Code::TooManyTables, tag_path.as_str())
                        .param("limit", TABLE_LIMIT),
                );
            }
        }
        let container = matches!(
            tag,
            "column_set" | "form" | "interactive_container" | "collapsible_panel"
        );
        if container {
            self.depth += 1;
            if self.depth > NESTING_LIMIT && !self.depth_reported {
                self.depth_reported = true;
                self.push(
                    Finding::error(Code::NestingTooDeep, tag_path.as_str())
                        .param("depth", self.depth)
                        .param("limit", NESTING_LIMIT),
                );
            }
        }
        self.component(obj, tag, at, slot);
        if container {
            self.depth -= 1;
        }
    }

    fn component(&mut self, obj: &Map<String, Value>, tag: &str, at: &str, slot: Slot) {
        match tag {
            "plain_text" | "lark_md" => self.text_body(obj, tag, at),
            "markdown" => self.markdown(obj, at),
            "div" => self.div(obj, at),
            "img" => self.img(obj, at),
            "img_combination" => self.img_list(obj, at),
            "button" => self.button(obj, at, slot),
            "column_set" => self.column_set(obj, at),
            "action" => self.child_list(obj, at, "actions", Slot::Action),
            "note" => self.child_list(obj, at, "elements", Slot::Note),
            "form" => {
                self.form_depth += 1;
                self.form_submits.push(false);
                self.child_list(obj, at, "elements", Slot::Container("form"));
                let submits = self.form_submits.pop().unwrap_or(true);
                self.form_depth -= 1;
                // "表单容器内必须包含一个用于提交表单的按钮组件" (the form container pages).
                if !submits {
                    self.push(Finding::error(Code::FormSubmitMissing, at));
                }
            }
            "audio" if self.audio.is_none() => self.audio = Some(at.to_string()),
            "interactive_container" => self.child_list(
                obj,
                at,
                "elements",
                Slot::Container("interactive_container"),
            ),
            "collapsible_panel" => {
                self.child_list(obj, at, "elements", Slot::Container("collapsible_panel"))
            }
            _ => {}
        }
    }

    /// Whether `tag` may sit in `slot`; reports and returns false when not.
    fn placement_ok(&mut self, tag: &str, at: &str, slot: Slot) -> bool {
        match self.schema {
            CardSchema::V2 => self.placement_v2(tag, at, slot),
            CardSchema::V1 => self.placement_v1(tag, at, slot),
        }
    }

    fn placement_v2(&mut self, tag: &str, at: &str, slot: Slot) -> bool {
        if contains(tags::V2_REMOVED, tag) {
            self.push(Finding::error(Code::V2RemovedComponent, at).param("tag", tag));
            return false;
        }
        let Some(entry) = schema::v2().component(tag) else {
            self.push(
                Finding::error(Code::UnknownTag, at)
                    .param("tag", tag)
                    .param("schema", CardSchema::V2.as_str()),
            );
            return false;
        };
        match (entry.nesting, slot) {
            (Nesting::Root, Slot::Container(container)) => {
                self.push(
                    Finding::error(Code::TagNotAllowedHere, at)
                        .param("tag", tag)
                        .param("container", container),
                );
                false
            }
            (Nesting::Form, _) if self.form_depth == 0 => {
                self.push(Finding::error(Code::MultiSelectOutsideForm, at).param("tag", tag));
                false
            }
            _ => true,
        }
    }

    fn placement_v1(&mut self, tag: &str, at: &str, slot: Slot) -> bool {
        if contains(tags::MULTI_SELECT, tag) {
            return match slot {
                Slot::Action | Slot::Note | Slot::DivExtra => {
                    let place = match slot {
                        Slot::Action => "action",
                        Slot::Note => "note",
                        _ => "extra",
                    };
                    self.push(
                        Finding::error(Code::TagNotAllowedHere, at)
                            .param("tag", tag)
                            .param("container", place),
                    );
                    false
                }
                _ if self.form_depth == 0 => {
                    self.push(Finding::error(Code::MultiSelectOutsideForm, at).param("tag", tag));
                    false
                }
                _ => true,
            };
        }
        let known = contains(tags::V1_ROOT, tag)
            || contains(tags::V1_ACTION_ELEMENTS, tag)
            || contains(tags::V1_NOTE_ELEMENTS, tag);
        if !known {
            self.push(
                Finding::error(Code::UnknownTag, at)
                    .param("tag", tag)
                    .param("schema", CardSchema::V1.as_str()),
            );
            return false;
        }
        let (allowed, place) = match slot {
            Slot::Root => (contains(tags::V1_ROOT, tag), "elements"),
            Slot::Container(c) => (
                !contains(tags::V1_NOTE_ONLY, tag) && !tags::v1_container_forbids(c, tag),
                c,
            ),
            Slot::Action => (contains(tags::V1_ACTION_ELEMENTS, tag), "action"),
            Slot::Note => (contains(tags::V1_NOTE_ELEMENTS, tag), "note"),
            Slot::DivExtra => (contains(tags::V1_DIV_EXTRA, tag), "extra"),
        };
        if allowed {
            return true;
        }
        if slot == Slot::Root && contains(tags::V1_ACTION_ELEMENTS, tag) {
            self.push(Finding::error(Code::V1NeedsActionModule, at).param("tag", tag));
        } else {
            self.push(
                Finding::error(Code::TagNotAllowedHere, at)
                    .param("tag", tag)
                    .param("container", place),
            );
        }
        false
    }

    /// 2.0 `element_id`: letter first, then letters, digits or `_`, at most 20, unique among
    /// components and text elements.
    pub fn element_id(&mut self, obj: &Map<String, Value>, at: &str) {
        if self.schema != CardSchema::V2 {
            return;
        }
        let Some(id) = obj.get("element_id") else {
            return;
        };
        let id_path = path::key(at, "element_id");
        let Some(id) = id.as_str() else {
            self.push(wrong_type(
                &id_path,
                "element_id",
                "string",
                r#""status_1""#,
            ));
            return;
        };
        let valid = id.len() <= ELEMENT_ID_MAX
            && id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            self.push(
                Finding::error(Code::ElementIdInvalid, id_path)
                    .param("id", id)
                    .param("limit", ELEMENT_ID_MAX),
            );
        } else if let Some((_, first)) = self.element_ids.iter().find(|(seen, _)| seen == id) {
            let finding = Finding::error(Code::ElementIdDuplicate, id_path)
                .param("id", id)
                .param("first", first);
            self.push(finding);
        } else {
            self.element_ids.push((id.to_string(), id_path));
        }
    }

    /// A text object: `{"tag": "plain_text"|"lark_md", "content": ...}`.
    pub fn text(&mut self, value: &Value, at: &str) {
        let Some(obj) = value.as_object() else {
            self.push(wrong_type(
                at,
                path::last_key(at),
                "object",
                r#"{"tag": "plain_text", "content": "..."}"#,
            ));
            return;
        };
        self.element_id(obj, at);
        match obj.get("tag").and_then(Value::as_str) {
            Some(tag) if contains(tags::TEXT_TAGS, tag) => {
                if self.schema == CardSchema::V2 {
                    let found = schema::v2().check_object("text", obj, at);
                    self.findings.extend(found);
                }
                self.text_body(obj, tag, at)
            }
            _ => self.push(
                Finding::error(Code::TextTagInvalid, path::key(at, "tag"))
                    .param("value", obj.get("tag").unwrap_or(&Value::Null)),
            ),
        }
    }

    fn text_body(&mut self, obj: &Map<String, Value>, tag: &str, at: &str) {
        let content_path = path::key(at, "content");
        match obj.get("content") {
            Some(Value::String(content)) if tag == "lark_md" => {
                markdown::check(
                    content,
                    Flavor::LarkMd,
                    self.schema,
                    &self.custom_colors,
                    &content_path,
                    &mut self.findings,
                );
            }
            Some(Value::String(_)) | None => {}
            Some(_) => self.push(content_not_string(&content_path)),
        }
    }

    fn markdown(&mut self, obj: &Map<String, Value>, at: &str) {
        let content_path = path::key(at, "content");
        match obj.get("content") {
            Some(Value::String(content)) => markdown::check(
                content,
                Flavor::Markdown,
                self.schema,
                &self.custom_colors,
                &content_path,
                &mut self.findings,
            ),
            Some(_) => self.push(content_not_string(&content_path)),
            None => self.push(
                Finding::error(Code::FieldMissing, content_path)
                    .param("tag", "markdown")
                    .param("field", "content"),
            ),
        }
    }

    fn div(&mut self, obj: &Map<String, Value>, at: &str) {
        if let Some(text) = obj.get("text") {
            self.text(text, &path::key(at, "text"));
        }
        if let Some(fields) = obj.get("fields") {
            let fields_path = path::key(at, "fields");
            match fields.as_array() {
                Some(items) => {
                    for (i, field) in items.iter().enumerate() {
                        let field_path = path::index(&fields_path, i);
                        match field.get("text") {
                            Some(text) => self.text(text, &path::key(&field_path, "text")),
                            None => self.push(
                                Finding::error(Code::FieldMissing, path::key(&field_path, "text"))
                                    .param("tag", "div")
                                    .param("field", path::key(&path::index("fields", i), "text")),
                            ),
                        }
                    }
                }
                None => self.push(wrong_type(
                    &fields_path,
                    "fields",
                    "array",
                    r#"[{"is_short": true, "text": {"tag": "lark_md", "content": "..."}}]"#,
                )),
            }
        }
        if let Some(extra) = obj.get("extra") {
            self.element(extra, &path::key(at, "extra"), Slot::DivExtra);
        }
    }

    fn img(&mut self, obj: &Map<String, Value>, at: &str) {
        match obj.get("img_key") {
            Some(Value::String(key)) if is_url(key) => self.push(
                Finding::error(Code::ImgKeyIsUrl, path::key(at, "img_key")).param("value", key),
            ),
            Some(Value::String(key)) if !key.trim().is_empty() => {}
            Some(Value::String(_)) | None => self.push(Finding::error(
                Code::ImgKeyMissing,
                path::key(at, "img_key"),
            )),
            Some(_) => self.push(wrong_type(
                &path::key(at, "img_key"),
                "img_key",
                "string",
                r#""img_v3_...""#,
            )),
        }
    }

    /// `img_combination.img_list[].img_key`: uploaded keys, not URLs.
    fn img_list(&mut self, obj: &Map<String, Value>, at: &str) {
        let Some(Value::Array(items)) = obj.get("img_list") else {
            return;
        };
        let list_path = path::key(at, "img_list");
        for (i, item) in items.iter().enumerate() {
            if let Some(key) = item.get("img_key").and_then(Value::as_str) {
                if is_url(key) {
                    let key_path = path::key(&path::index(&list_path, i), "img_key");
                    self.push(Finding::error(Code::ImgKeyIsUrl, key_path).param("value", key));
                }
            }
        }
    }

    /// A form's or form field's `name`: present (fields) and unique in the card.
    fn form_name(&mut self, obj: &Map<String, Value>, tag: &str, at: &str) {
        let name_path = path::key(at, "name");
        match obj.get("name").and_then(Value::as_str) {
            Some(name) if !name.is_empty() => {
                if let Some((_, first)) = self.names.iter().find(|(seen, _)| seen == name) {
                    let finding = Finding::error(Code::FormNameDuplicate, name_path.as_str())
                        .param("name", name)
                        .param("first", first);
                    self.push(finding);
                } else {
                    self.names.push((name.to_string(), name_path));
                }
            }
            // A form without a name is the schema's `required` (2.0); fields are reported here.
            _ if tag == "form" => {}
            _ => self.push(Finding::error(Code::FormNameMissing, name_path).param("tag", tag)),
        }
    }

    fn column_set(&mut self, obj: &Map<String, Value>, at: &str) {
        let columns_path = path::key(at, "columns");
        let Some(columns) = obj.get("columns") else {
            return;
        };
        let Some(columns) = columns.as_array() else {
            self.push(wrong_type(
                &columns_path,
                "columns",
                "array",
                r#"[{"tag": "column", "elements": [...]}]"#,
            ));
            return;
        };
        for (i, column) in columns.iter().enumerate() {
            let column_path = path::index(&columns_path, i);
            let Some(column_obj) = column.as_object() else {
                self.push(Finding::error(Code::ElementNotObject, column_path));
                continue;
            };
            match column_obj.get("tag").and_then(Value::as_str) {
                Some("column") => {}
                Some(other) => {
                    self.push(
                        Finding::error(Code::TagNotAllowedHere, path::key(&column_path, "tag"))
                            .param("tag", other)
                            .param("container", "column_set"),
                    );
                    continue;
                }
                None => {
                    self.push(Finding::error(
                        Code::TagMissing,
                        path::key(&column_path, "tag"),
                    ));
                    continue;
                }
            }
            self.element_id(column_obj, &column_path);
            if self.schema == CardSchema::V2 {
                let found = schema::v2().check_object("column", column_obj, &column_path);
                self.findings.extend(found);
            }
            self.child_list(
                column_obj,
                &column_path,
                "elements",
                Slot::Container("column"),
            );
        }
    }

    fn child_list(&mut self, obj: &Map<String, Value>, at: &str, field: &str, slot: Slot) {
        if let Some(children) = obj.get(field) {
            self.elements(children, &path::key(at, field), slot);
        }
    }

    fn button(&mut self, obj: &Map<String, Value>, at: &str, slot: Slot) {
        if let Some(kind) = obj.get("type") {
            let type_path = path::key(at, "type");
            match kind.as_str() {
                Some(k) if contains(tags::BUTTON_TYPES, k) => {}
                _ => self.push(
                    Finding::error(Code::ButtonTypeInvalid, type_path)
                        .param("value", kind)
                        .param("allowed", tags::BUTTON_TYPES.join(", ")),
                ),
            }
        }
        match obj.get("text") {
            Some(text) => {
                self.text(text, &path::key(at, "text"));
                self.button_text(text, &path::key(at, "text"));
            }
            None => self.push(
                Finding::warning(Code::FieldMissing, path::key(at, "text"))
                    .param("tag", "button")
                    .param("field", "text"),
            ),
        }
        if let Some(value) = obj.get("value") {
            self.callback_value(value, &path::key(at, "value"));
        }
        if obj.contains_key("url") && obj.contains_key("multi_url") {
            self.push(Finding::error(
                Code::ButtonUrlConflict,
                path::key(at, "multi_url"),
            ));
        }
        let has_link = obj.contains_key("url") || obj.contains_key("multi_url");
        if self.schema == CardSchema::V1
            && has_link
            && obj.contains_key("value")
            && obj.get("complex_interaction") != Some(&Value::Bool(true))
        {
            self.push(Finding::warning(
                Code::ButtonValueIgnored,
                path::key(at, "value"),
            ));
        }
        let behaviors = self.behaviors(obj, at);
        // Form buttons submit or reset their form: `form_action_type` (2.0) or `action_type`
        // (1.0), wherever in the form they sit (a column inside a form included).
        let in_form = slot == Slot::Container("form") || self.form_depth > 0;
        let form_button = obj.contains_key("form_action_type") || obj.contains_key("action_type");
        if in_form && !form_button {
            self.push(Finding::error(Code::FormButtonActionMissing, at));
        }
        let submits = obj.get("form_action_type").and_then(Value::as_str) == Some("submit")
            || obj.get("action_type").and_then(Value::as_str) == Some("form_submit");
        if submits {
            if let Some(seen) = self.form_submits.last_mut() {
                *seen = true;
            }
        }
        let acts = behaviors || has_link || obj.contains_key("value") || form_button;
        if !acts && !in_form {
            self.push(Finding::warning(Code::ButtonNoAction, at));
        }
    }

    /// Checks `behaviors`; returns whether there is at least one.
    fn behaviors(&mut self, obj: &Map<String, Value>, at: &str) -> bool {
        let Some(behaviors) = obj.get("behaviors") else {
            return false;
        };
        let behaviors_path = path::key(at, "behaviors");
        let Some(items) = behaviors.as_array() else {
            self.push(wrong_type(
                &behaviors_path,
                "behaviors",
                "array",
                r#"[{"type": "callback", "value": {"action": "..."}}]"#,
            ));
            return false;
        };
        for (i, behavior) in items.iter().enumerate() {
            let b_path = path::index(&behaviors_path, i);
            let kind = behavior.get("type").and_then(Value::as_str);
            match kind {
                Some("open_url") => {
                    // default_url, or all three per-device URLs, like card_link.
                    let has = |k: &str| behavior.get(k).and_then(Value::as_str).is_some();
                    let all_devices = has("pc_url") && has("ios_url") && has("android_url");
                    if !has("default_url") && !all_devices {
                        self.push(Finding::error(
                            Code::BehaviorUrlMissing,
                            path::key(&b_path, "default_url"),
                        ));
                    }
                }
                Some("callback") => match behavior.get("value") {
                    Some(value) => self.callback_value(value, &path::key(&b_path, "value")),
                    None => self.push(
                        Finding::error(Code::FieldMissing, path::key(&b_path, "value"))
                            .param("tag", "button")
                            .param("field", path::key(&path::index("behaviors", i), "value")),
                    ),
                },
                Some("form_action") => {}
                _ => self.push(
                    Finding::error(Code::BehaviorTypeInvalid, path::key(&b_path, "type"))
                        .param("value", behavior.get("type").unwrap_or(&Value::Null))
                        .param("allowed", tags::BEHAVIOR_TYPES.join(", ")),
                ),
            }
        }
        !items.is_empty()
    }

    fn callback_value(&mut self, value: &Value, at: &str) {
        match value {
            Value::Object(_) => {}
            // The pages allow a string; the SDKs drop it: ambiguous, so a warning.
            Value::String(_) => self.push(Finding::warning(Code::ButtonValueString, at)),
            _ => self.push(Finding::error(Code::ButtonValueNotObject, at)),
        }
    }

    /// 2.0 button text: `plain_text` only, at most 100 characters (the 2.0 button page).
    fn button_text(&mut self, text: &Value, at: &str) {
        if self.schema != CardSchema::V2 {
            return;
        }
        if let Some(tag) = text.get("tag").and_then(Value::as_str) {
            if tag != "plain_text" && contains(tags::TEXT_TAGS, tag) {
                self.push(
                    Finding::error(Code::ButtonTextNotPlain, path::key(at, "tag"))
                        .param("value", Value::from(tag)),
                );
            }
        }
        if let Some(content) = text.get("content").and_then(Value::as_str) {
            let length = content.chars().count();
            if length > BUTTON_TEXT_MAX {
                self.push(
                    Finding::error(Code::ButtonTextTooLong, path::key(at, "content"))
                        .param("length", length)
                        .param("limit", BUTTON_TEXT_MAX),
                );
            }
        }
    }
}

/// A text's `content` that is not a string.
fn content_not_string(path: &str) -> Finding {
    wrong_type(path, "content", "string", r#""...""#)
}

/// A web address where an uploaded key belongs.
fn is_url(key: &str) -> bool {
    let lower = key.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}
