//! The JSON 2.0 component schema: `schema_v2.json`, embedded and parsed once.
//!
//! The file says, per component and per card-level object (`config`, `header`, `card_link`,
//! `body`, a column), which properties 2.0 accepts, of which JSON type, from which closed list
//! of values, which are required, and where the component may be nested. The validator derives
//! its 2.0 property checks and its 2.0 tag list from it; every entry names the documentation
//! page it was written from (`source`). See docs/cards.md.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::finding::{Code, Finding};
use super::path;

const SOURCE: &str = include_str!("schema_v2.json");

/// Where a component may be nested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Nesting {
    /// At the root and in containers.
    Any,
    /// In `body.elements` only (form, table).
    Root,
    /// Inside a form only (multi-select components).
    Form,
}

/// One property: its JSON types (`string|object`) and, when closed, its values.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum PropSpec {
    Type(String),
    Full {
        #[serde(rename = "type")]
        kind: String,
        #[serde(rename = "enum", default)]
        values: Vec<String>,
        /// A retired property the platform still takes (an official example sends it) but the
        /// structure pages no longer list; names what replaces it. Reported as a warning.
        #[serde(default)]
        deprecated: Option<String>,
    },
}

impl PropSpec {
    fn kind(&self) -> &str {
        match self {
            PropSpec::Type(kind) | PropSpec::Full { kind, .. } => kind,
        }
    }

    fn deprecated(&self) -> Option<&str> {
        match self {
            PropSpec::Type(_) => None,
            PropSpec::Full { deprecated, .. } => deprecated.as_deref(),
        }
    }

    fn values(&self) -> &[String] {
        match self {
            PropSpec::Type(_) => &[],
            PropSpec::Full { values, .. } => values,
        }
    }
}

/// A component or card-level object.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Entry {
    #[allow(dead_code)]
    pub source: String,
    #[serde(default = "any_nesting")]
    pub nesting: Nesting,
    #[serde(default)]
    pub required: Vec<String>,
    pub props: BTreeMap<String, PropSpec>,
}

fn any_nesting() -> Nesting {
    Nesting::Any
}

#[derive(Debug, Deserialize)]
pub(crate) struct Schema {
    common: BTreeMap<String, PropSpec>,
    objects: BTreeMap<String, Entry>,
    components: BTreeMap<String, Entry>,
}

/// The parsed schema (parsed on first use; the file is checked by a unit test).
pub(crate) fn v2() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SOURCE).expect("schema_v2.json parses"))
}

impl Schema {
    pub fn component(&self, tag: &str) -> Option<&Entry> {
        self.components.get(tag)
    }

    /// Checks a component's properties (the common ones included).
    pub fn check_component(&self, tag: &str, obj: &Map<String, Value>, at: &str) -> Vec<Finding> {
        match self.components.get(tag) {
            Some(entry) => check(tag, entry, Some(&self.common), obj, at),
            None => Vec::new(),
        }
    }

    /// Checks a card-level object (`config`, `header`, `card_link`, `body`, `column`).
    pub fn check_object(&self, name: &str, obj: &Map<String, Value>, at: &str) -> Vec<Finding> {
        match self.objects.get(name) {
            Some(entry) => check(name, entry, None, obj, at),
            None => Vec::new(),
        }
    }
}

/// Properties whose JSON shape the walker already reports (as [`Code::WrongType`] and the
/// like, with an example); the schema only checks that they are allowed here.
const SHAPE_CHECKED_ELSEWHERE: &[&str] = &[
    "content",
    "title",
    "subtitle",
    "template",
    "elements",
    "behaviors",
    "fields",
    "columns",
    "img_key",
    "element_id",
    "text",
    "value",
    "type",
];

fn check(
    component: &str,
    entry: &Entry,
    common: Option<&BTreeMap<String, PropSpec>>,
    obj: &Map<String, Value>,
    at: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (key, value) in obj {
        let prop_path = path::key(at, key);
        let spec = entry
            .props
            .get(key)
            .or_else(|| common.and_then(|c| c.get(key)));
        let Some(spec) = spec else {
            out.push(
                Finding::error(Code::PropertyUnknown, prop_path)
                    .param("component", component)
                    .param("property", key),
            );
            continue;
        };
        if let Some(instead) = spec.deprecated() {
            out.push(
                Finding::warning(Code::PropertyDeprecated, prop_path.as_str())
                    .param("component", component)
                    .param("property", key)
                    .param("instead", instead),
            );
        }
        if !SHAPE_CHECKED_ELSEWHERE.contains(&key.as_str()) && !type_matches(spec.kind(), value) {
            out.push(
                Finding::error(Code::PropertyType, prop_path)
                    .param("component", component)
                    .param("property", key)
                    .param("expected", spec.kind().replace('|', " or "))
                    .param("value", value),
            );
            continue;
        }
        let values = spec.values();
        if !values.is_empty() {
            if let Some(s) = value.as_str() {
                if !values.iter().any(|v| v == s) {
                    out.push(
                        Finding::error(Code::PropertyValue, prop_path)
                            .param("component", component)
                            .param("property", key)
                            .param("value", value)
                            .param("allowed", values.join(", ")),
                    );
                }
            }
        }
    }
    for required in &entry.required {
        if !obj.contains_key(required) {
            out.push(
                Finding::error(Code::PropertyMissing, path::key(at, required))
                    .param("component", component)
                    .param("property", required),
            );
        }
    }
    out
}

fn type_matches(kinds: &str, value: &Value) -> bool {
    kinds.split('|').any(|kind| match kind {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_schema_parses_and_names_its_sources() {
        let schema = v2();
        assert!(schema.components.len() >= 26);
        for (name, entry) in schema.components.iter().chain(schema.objects.iter()) {
            assert!(
                entry.source.starts_with("https://open.feishu.cn/document/"),
                "{name}: {}",
                entry.source
            );
            for spec in entry.props.values().chain(schema.common.values()) {
                for kind in spec.kind().split('|') {
                    assert!(
                        ["string", "number", "boolean", "object", "array", "any"].contains(&kind),
                        "{name}: type {kind}"
                    );
                }
            }
            for required in &entry.required {
                assert!(entry.props.contains_key(required), "{name}: {required}");
            }
        }
    }
}
