//! The component schemas: `schema_v2.json` (JSON 2.0) and `schema_v1.json` (the few checks the
//! 1.0 pages state), embedded and parsed once.
//!
//! The file says, per component, per card-level object (`config`, `header`, `card_link`,
//! `body`, a column) and per sub-object (icon, confirm, behavior, options, table column, ...),
//! which properties 2.0 accepts, of which JSON type, from which closed list
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
const SOURCE_V1: &str = include_str!("schema_v1.json");

/// What a property the entry does not list is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Unknown {
    /// An error (2.0: "传入不支持的属性将报错").
    #[default]
    Error,
    /// Not reported (1.0: "传入不支持的属性作忽略处理").
    Ignore,
}

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
        /// An object checked against this sub-object entry (`subobjects`, then `objects`).
        #[serde(default)]
        schema: Option<String>,
        /// An array whose object items are checked against this sub-object entry.
        #[serde(default)]
        items: Option<String>,
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

    /// The sub-object entry an object value (`schema`) or each object item of an array value
    /// (`items`) is checked against.
    fn references(&self) -> (Option<&str>, Option<&str>) {
        match self {
            PropSpec::Type(_) => (None, None),
            PropSpec::Full { schema, items, .. } => (schema.as_deref(), items.as_deref()),
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
    /// The property whose value picks one of `variants` (a behavior's `type`).
    #[serde(default)]
    pub variant_by: Option<String>,
    /// Further properties per value of `variant_by`.
    #[serde(default)]
    pub variants: BTreeMap<String, BTreeMap<String, PropSpec>>,
}

fn any_nesting() -> Nesting {
    Nesting::Any
}

#[derive(Debug, Deserialize)]
pub(crate) struct Schema {
    #[serde(default)]
    unknown: Unknown,
    common: BTreeMap<String, PropSpec>,
    objects: BTreeMap<String, Entry>,
    components: BTreeMap<String, Entry>,
    /// Objects inside components (icons, `confirm`, `behaviors` entries, options, table
    /// columns, ...), referenced from a property's `schema` or `items`.
    #[serde(default)]
    subobjects: BTreeMap<String, Entry>,
}

/// The parsed schema (parsed on first use; the file is checked by a unit test).
pub(crate) fn v2() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SOURCE).expect("schema_v2.json parses"))
}

/// The 1.0 schema: the few checks the 1.0 pages state; unknown properties are ignored.
pub(crate) fn v1() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SOURCE_V1).expect("schema_v1.json parses"))
}

/// The JSON 2.0 components' tags (the overview's 26, as `schema_v2.json` lists them), sorted.
pub fn json2_component_tags() -> impl Iterator<Item = &'static str> {
    v2().components.keys().map(String::as_str)
}

impl Schema {
    pub fn component(&self, tag: &str) -> Option<&Entry> {
        self.components.get(tag)
    }

    /// Checks a component's properties (the common ones included).
    pub fn check_component(&self, tag: &str, obj: &Map<String, Value>, at: &str) -> Vec<Finding> {
        match self.components.get(tag) {
            Some(entry) => self.check(tag, entry, &[&entry.props, &self.common], obj, at),
            None => Vec::new(),
        }
    }

    /// Checks a card-level object (`config`, `header`, `card_link`, `body`, `column`).
    pub fn check_object(&self, name: &str, obj: &Map<String, Value>, at: &str) -> Vec<Finding> {
        match self.objects.get(name) {
            Some(entry) => self.check(name, entry, &[&entry.props], obj, at),
            None => Vec::new(),
        }
    }

    /// A sub-object entry by name: `subobjects` first, then the card-level `objects` (text
    /// objects).
    fn sub_entry(&self, name: &str) -> Option<&Entry> {
        self.subobjects.get(name).or_else(|| self.objects.get(name))
    }

    /// Checks a sub-object; with `variant_by`, the variant its value names adds its
    /// properties, and a value naming no variant is left to the walker (which reports it).
    fn check_sub(&self, name: &str, obj: &Map<String, Value>, at: &str) -> Vec<Finding> {
        let Some(entry) = self.sub_entry(name) else {
            return Vec::new();
        };
        let mut props = vec![&entry.props];
        if let Some(key) = &entry.variant_by {
            let variant = obj
                .get(key)
                .and_then(Value::as_str)
                .and_then(|v| entry.variants.get(v));
            match variant {
                Some(variant) => props.push(variant),
                None => return Vec::new(),
            }
        }
        self.check_with(name, entry, &props, SUB_SHAPE_CHECKED_ELSEWHERE, obj, at)
    }

    fn check(
        &self,
        component: &str,
        entry: &Entry,
        props: &[&BTreeMap<String, PropSpec>],
        obj: &Map<String, Value>,
        at: &str,
    ) -> Vec<Finding> {
        self.check_with(component, entry, props, SHAPE_CHECKED_ELSEWHERE, obj, at)
    }

    /// [`check_props`], then each property that names a sub-object entry (`schema` for an
    /// object value, `items` for the object items of an array value).
    fn check_with(
        &self,
        component: &str,
        entry: &Entry,
        props: &[&BTreeMap<String, PropSpec>],
        shape_checked: &[&str],
        obj: &Map<String, Value>,
        at: &str,
    ) -> Vec<Finding> {
        let mut out = check_props(
            component,
            entry,
            props,
            shape_checked,
            self.unknown,
            obj,
            at,
        );
        for (key, value) in obj {
            let Some(spec) = props.iter().find_map(|p| p.get(key)) else {
                continue;
            };
            let prop_path = path::key(at, key);
            match (spec.references(), value) {
                ((Some(sub), _), Value::Object(inner)) => {
                    out.extend(self.check_sub(sub, inner, &prop_path))
                }
                ((_, Some(sub)), Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Value::Object(inner) = item {
                            out.extend(self.check_sub(sub, inner, &path::index(&prop_path, i)));
                        }
                    }
                }
                _ => {}
            }
        }
        out
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

/// The same for sub-objects: a behavior's `type` (the walker reports an unknown one).
const SUB_SHAPE_CHECKED_ELSEWHERE: &[&str] = &["type"];

/// The property checks of one object: `props` are the maps its properties may come from (the
/// entry's own, then the common ones or a variant's).
fn check_props(
    component: &str,
    entry: &Entry,
    props: &[&BTreeMap<String, PropSpec>],
    shape_checked: &[&str],
    unknown: Unknown,
    obj: &Map<String, Value>,
    at: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (key, value) in obj {
        let prop_path = path::key(at, key);
        let spec = props.iter().find_map(|p| p.get(key));
        let Some(spec) = spec else {
            if unknown == Unknown::Ignore {
                continue;
            }
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
        if !shape_checked.contains(&key.as_str()) && !type_matches(spec.kind(), value) {
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
        assert!(v2().components.len() >= 26);
        assert!(v2().subobjects.len() >= 10);
        assert_eq!(v2().unknown, Unknown::Error);
        assert_eq!(v1().unknown, Unknown::Ignore);
        for schema in [v2(), v1()] {
            check_schema_file(schema);
        }
    }

    fn check_schema_file(schema: &Schema) {
        let entries = schema
            .components
            .iter()
            .chain(schema.objects.iter())
            .chain(schema.subobjects.iter());
        for (name, entry) in entries {
            assert!(
                entry.source.starts_with("https://open.feishu.cn/document/"),
                "{name}: {}",
                entry.source
            );
            let specs = entry
                .props
                .values()
                .chain(schema.common.values())
                .chain(entry.variants.values().flat_map(|v| v.values()));
            for spec in specs {
                for kind in spec.kind().split('|') {
                    assert!(
                        ["string", "number", "boolean", "object", "array", "any"].contains(&kind),
                        "{name}: type {kind}"
                    );
                }
                let (object, items) = spec.references();
                if let Some(sub) = object {
                    assert!(spec.kind().contains("object"), "{name}: schema {sub}");
                    assert!(schema.sub_entry(sub).is_some(), "{name}: schema {sub}");
                }
                if let Some(sub) = items {
                    assert!(spec.kind().contains("array"), "{name}: items {sub}");
                    assert!(schema.sub_entry(sub).is_some(), "{name}: items {sub}");
                }
            }
            if let Some(key) = &entry.variant_by {
                assert!(entry.props.contains_key(key), "{name}: variant_by {key}");
                assert!(!entry.variants.is_empty(), "{name}: no variants");
            }
            for required in &entry.required {
                assert!(entry.props.contains_key(required), "{name}: {required}");
            }
        }
    }
}
