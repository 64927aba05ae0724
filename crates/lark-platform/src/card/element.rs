//! Components: tags and where they may sit, text objects, images, buttons, and the containers
//! that recurse into further elements.

use serde_json::{Map, Value};

use super::finding::{Code, Finding};
use super::markdown::{self, Flavor};
use super::path;
use super::tags::{self, contains};
use super::CardSchema;

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
}

impl Walker {
    pub fn new(schema: CardSchema) -> Self {
        Self {
            schema,
            findings: Vec::new(),
            element_ids: Vec::new(),
            form_depth: 0,
        }
    }

    fn error(&mut self, code: Code, path: &str, message: impl Into<String>) {
        self.findings.push(Finding::error(code, path, message));
    }

    fn warning(&mut self, code: Code, path: &str, message: impl Into<String>) {
        self.findings.push(Finding::warning(code, path, message));
    }

    /// Walks an `elements` array; `value` must be an array.
    pub fn elements(&mut self, value: &Value, at: &str, slot: Slot) {
        let Some(items) = value.as_array() else {
            self.error(
                Code::WrongType,
                at,
                "elements must be an array of components.",
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            self.element(item, &path::index(at, i), slot);
        }
    }

    fn element(&mut self, value: &Value, at: &str, slot: Slot) {
        let Some(obj) = value.as_object() else {
            self.error(
                Code::ElementNotObject,
                at,
                "Each component must be a JSON object with a tag.",
            );
            return;
        };
        let tag_path = path::key(at, "tag");
        let Some(tag) = obj.get("tag").and_then(Value::as_str) else {
            self.error(
                Code::TagMissing,
                &tag_path,
                "This component has no \"tag\" string, so the platform cannot tell what it is.",
            );
            return;
        };
        self.element_id(obj, at);
        if !self.placement_ok(tag, &tag_path, slot) {
            return;
        }
        match tag {
            "plain_text" | "lark_md" => self.text_body(obj, tag, at),
            "markdown" => self.markdown(obj, at),
            "div" => self.div(obj, at),
            "img" => self.img(obj, at),
            "button" => self.button(obj, at, slot),
            "column_set" => self.column_set(obj, at),
            "action" => self.child_list(obj, at, "actions", Slot::Action),
            "note" => self.child_list(obj, at, "elements", Slot::Note),
            "form" => {
                self.form_depth += 1;
                self.child_list(obj, at, "elements", Slot::Container("form"));
                self.form_depth -= 1;
            }
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
        if let Some((_, instead)) = tags::V2_REMOVED.iter().find(|(t, _)| *t == tag) {
            self.error(
                Code::V2RemovedComponent,
                at,
                format!("JSON 2.0 cards no longer support \"{tag}\"; {instead}."),
            );
            return false;
        }
        if !contains(tags::V2_COMPONENTS, tag) {
            self.error(
                Code::UnknownTag,
                at,
                format!("\"{tag}\" is not a JSON 2.0 card component."),
            );
            return false;
        }
        if let Slot::Container(container) = slot {
            if contains(tags::V2_NOT_IN_CONTAINERS, tag) {
                self.error(
                    Code::TagNotAllowedHere,
                    at,
                    format!(
                        "A \"{tag}\" cannot be nested in a \"{container}\"; put it directly in \
                         body.elements."
                    ),
                );
                return false;
            }
        }
        true
    }

    fn placement_v1(&mut self, tag: &str, at: &str, slot: Slot) -> bool {
        let known = contains(tags::V1_ROOT, tag)
            || contains(tags::V1_ACTION_ELEMENTS, tag)
            || contains(tags::V1_NOTE_ELEMENTS, tag);
        if !known {
            let hint = if tag == "audio" {
                " Audio needs a JSON 2.0 card."
            } else {
                ""
            };
            self.error(
                Code::UnknownTag,
                at,
                format!("\"{tag}\" is not a JSON 1.0 card component.{hint}"),
            );
            return false;
        }
        let (allowed, place) = match slot {
            Slot::Root => (contains(tags::V1_ROOT, tag), "the card's elements"),
            Slot::Container(c) => (
                !contains(tags::V1_NOTE_ONLY, tag) && !tags::v1_container_forbids(c, tag),
                c,
            ),
            Slot::Action => (contains(tags::V1_ACTION_ELEMENTS, tag), "an action module"),
            Slot::Note => (contains(tags::V1_NOTE_ELEMENTS, tag), "a note"),
            Slot::DivExtra => (contains(tags::V1_DIV_EXTRA, tag), "a div's extra"),
        };
        if allowed {
            return true;
        }
        if slot == Slot::Root && contains(tags::V1_ACTION_ELEMENTS, tag) {
            self.error(
                Code::V1NeedsActionModule,
                at,
                format!(
                    "In a JSON 1.0 card a \"{tag}\" at the top level must be inside an action \
                     module: {{\"tag\":\"action\",\"actions\":[...]}}."
                ),
            );
        } else {
            self.error(
                Code::TagNotAllowedHere,
                at,
                format!("A \"{tag}\" cannot be placed in {place}."),
            );
        }
        false
    }

    /// 2.0 `element_id`: letter first, then letters, digits or `_`, at most 20, unique.
    fn element_id(&mut self, obj: &Map<String, Value>, at: &str) {
        if self.schema != CardSchema::V2 {
            return;
        }
        let Some(id) = obj.get("element_id") else {
            return;
        };
        let id_path = path::key(at, "element_id");
        let Some(id) = id.as_str() else {
            self.error(Code::WrongType, &id_path, "element_id must be a string.");
            return;
        };
        let valid = id.len() <= 20
            && id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            self.error(
                Code::ElementIdInvalid,
                &id_path,
                format!(
                    "element_id \"{id}\" must start with a letter, use only letters, digits and \
                     _, and be at most 20 characters."
                ),
            );
        } else if let Some((_, first)) = self.element_ids.iter().find(|(seen, _)| seen == id) {
            let first = first.clone();
            self.error(
                Code::ElementIdDuplicate,
                &id_path,
                format!("element_id \"{id}\" is already used at {first}; it must be unique."),
            );
        } else {
            self.element_ids.push((id.to_string(), id_path));
        }
    }

    /// A text object: `{"tag": "plain_text"|"lark_md", "content": ...}`.
    pub fn text(&mut self, value: &Value, at: &str) {
        let Some(obj) = value.as_object() else {
            self.error(
                Code::WrongType,
                at,
                "A text must be an object like {\"tag\":\"plain_text\",\"content\":\"...\"}.",
            );
            return;
        };
        match obj.get("tag").and_then(Value::as_str) {
            Some(tag) if contains(tags::TEXT_TAGS, tag) => self.text_body(obj, tag, at),
            Some(tag) => self.error(
                Code::TextTagInvalid,
                &path::key(at, "tag"),
                format!("A text's tag must be \"plain_text\" or \"lark_md\", not \"{tag}\"."),
            ),
            None => self.error(
                Code::TextTagInvalid,
                &path::key(at, "tag"),
                "A text needs \"tag\": \"plain_text\" or \"lark_md\".",
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
                    &content_path,
                    &mut self.findings,
                );
            }
            Some(Value::String(_)) | None => {}
            Some(_) => self.error(Code::WrongType, &content_path, "content must be a string."),
        }
    }

    fn markdown(&mut self, obj: &Map<String, Value>, at: &str) {
        let content_path = path::key(at, "content");
        match obj.get("content") {
            Some(Value::String(content)) => markdown::check(
                content,
                Flavor::Markdown,
                self.schema,
                &content_path,
                &mut self.findings,
            ),
            Some(_) => self.error(Code::WrongType, &content_path, "content must be a string."),
            None => self.error(
                Code::FieldMissing,
                &content_path,
                "A markdown component needs a \"content\" string.",
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
                            None => self.error(
                                Code::FieldMissing,
                                &path::key(&field_path, "text"),
                                "Each div field needs a \"text\".",
                            ),
                        }
                    }
                }
                None => self.error(Code::WrongType, &fields_path, "fields must be an array."),
            }
        }
        if let Some(extra) = obj.get("extra") {
            self.element(extra, &path::key(at, "extra"), Slot::DivExtra);
        }
    }

    fn img(&mut self, obj: &Map<String, Value>, at: &str) {
        match obj.get("img_key") {
            Some(Value::String(key)) if !key.trim().is_empty() => {}
            Some(Value::String(_)) | None => self.error(
                Code::ImgKeyMissing,
                &path::key(at, "img_key"),
                "An image needs an img_key from the upload-image API; URLs are not accepted.",
            ),
            Some(_) => self.error(
                Code::WrongType,
                &path::key(at, "img_key"),
                "img_key must be a string.",
            ),
        }
    }

    fn column_set(&mut self, obj: &Map<String, Value>, at: &str) {
        let columns_path = path::key(at, "columns");
        let Some(columns) = obj.get("columns") else {
            return;
        };
        let Some(columns) = columns.as_array() else {
            self.error(Code::WrongType, &columns_path, "columns must be an array.");
            return;
        };
        for (i, column) in columns.iter().enumerate() {
            let column_path = path::index(&columns_path, i);
            let Some(column_obj) = column.as_object() else {
                self.error(
                    Code::ElementNotObject,
                    &column_path,
                    "A column must be an object.",
                );
                continue;
            };
            match column_obj.get("tag").and_then(Value::as_str) {
                Some("column") => {}
                Some(other) => {
                    self.error(
                        Code::TagNotAllowedHere,
                        &path::key(&column_path, "tag"),
                        format!("A column_set holds only \"column\" entries, not \"{other}\"."),
                    );
                    continue;
                }
                None => {
                    self.error(
                        Code::TagMissing,
                        &path::key(&column_path, "tag"),
                        "A column needs \"tag\": \"column\".",
                    );
                    continue;
                }
            }
            self.element_id(column_obj, &column_path);
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
                _ => self.error(
                    Code::ButtonTypeInvalid,
                    &type_path,
                    format!(
                        "{kind} is not a button type; use one of {}.",
                        tags::BUTTON_TYPES.join(", ")
                    ),
                ),
            }
        }
        match obj.get("text") {
            Some(text) => self.text(text, &path::key(at, "text")),
            None => self.warning(
                Code::FieldMissing,
                &path::key(at, "text"),
                "This button has no text, so it shows as an empty button.",
            ),
        }
        if let Some(value) = obj.get("value") {
            self.callback_value(value, &path::key(at, "value"));
        }
        if obj.contains_key("url") && obj.contains_key("multi_url") {
            self.error(
                Code::ButtonUrlConflict,
                &path::key(at, "multi_url"),
                "A button may set url or multi_url, not both.",
            );
        }
        let has_link = obj.contains_key("url") || obj.contains_key("multi_url");
        if self.schema == CardSchema::V1
            && has_link
            && obj.contains_key("value")
            && obj.get("complex_interaction") != Some(&Value::Bool(true))
        {
            self.warning(
                Code::ButtonValueIgnored,
                &path::key(at, "value"),
                "This button has a link and a value: only the link works, and no callback is \
                 sent, unless \"complex_interaction\": true is set.",
            );
        }
        let behaviors = self.behaviors(obj, at);
        // Form buttons submit or reset their form: `form_action_type` (2.0) or `action_type`
        // (1.0), wherever in the form they sit (a column inside a form included).
        let in_form = slot == Slot::Container("form") || self.form_depth > 0;
        let form_button = obj.contains_key("form_action_type") || obj.contains_key("action_type");
        let acts = behaviors || has_link || obj.contains_key("value") || form_button;
        if !acts && !in_form {
            self.warning(
                Code::ButtonNoAction,
                at,
                "This button neither opens a link nor sends a callback: add behaviors (2.0), or \
                 a value or url (1.0).",
            );
        }
    }

    /// Checks `behaviors`; returns whether there is at least one.
    fn behaviors(&mut self, obj: &Map<String, Value>, at: &str) -> bool {
        let Some(behaviors) = obj.get("behaviors") else {
            return false;
        };
        let behaviors_path = path::key(at, "behaviors");
        let Some(items) = behaviors.as_array() else {
            self.error(
                Code::WrongType,
                &behaviors_path,
                "behaviors must be an array.",
            );
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
                        self.error(
                            Code::BehaviorUrlMissing,
                            &path::key(&b_path, "default_url"),
                            "An open_url behaviour needs a default_url.",
                        );
                    }
                }
                Some("callback") => match behavior.get("value") {
                    Some(value) => self.callback_value(value, &path::key(&b_path, "value")),
                    None => self.error(
                        Code::FieldMissing,
                        &path::key(&b_path, "value"),
                        "A callback behaviour needs a value object, which the callback receives.",
                    ),
                },
                Some("form_action") => {}
                _ => self.error(
                    Code::BehaviorTypeInvalid,
                    &path::key(&b_path, "type"),
                    format!(
                        "A behaviour's type must be one of {}.",
                        tags::BEHAVIOR_TYPES.join(", ")
                    ),
                ),
            }
        }
        !items.is_empty()
    }

    fn callback_value(&mut self, value: &Value, at: &str) {
        if !value.is_object() {
            self.error(
                Code::ButtonValueNotObject,
                at,
                "The callback value must be a JSON object like {\"action\":\"...\"}: the official \
                 SDKs (and this app's relay) only pass object values on, so clicks would be \
                 dropped.",
            );
        }
    }
}
