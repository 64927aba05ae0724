//! What the validator reports: one [`Finding`] per problem, with a JSON path, a severity, a
//! stable [`Code`] and the values its sentence names ([`Finding::params`]).
//!
//! No sentence lives here: the words are the app's (companion renders `cards.finding.<code>`
//! from its catalogue with the params filled in), so the validator stays one thing in every
//! language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How bad a finding is.
///
/// - `Error`: the platform rejects the card, or the part cannot work as written (a button whose
///   callback the SDKs drop, a JSON 2.0 property 2.0 refuses).
/// - `Warning`: the card is accepted but renders or behaves differently than the author most
///   likely meant (a `#` heading shown as text, a size close to the limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable finding codes. The serialized (snake_case) names are part of the IPC contract: add
/// new ones, never rename. [`Code::ALL`] lets the catalogues be checked for every code. Each
/// variant's documentation names the params its findings carry.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CardFindingCode"))]
pub enum Code {
    /// The text is not JSON; the finding carries line and column. Params: `line`, `column`,
    /// `detail` (the JSON parser's own description).
    JsonSyntax,
    /// The card (after parsing) is not a JSON object.
    CardNotObject,
    /// The card was given as a JSON string holding JSON (the send request's `content`); it was
    /// validated after decoding once.
    DoubleEncoded,
    /// `schema` is neither `"1.0"` nor `"2.0"`. Params: `value` (the schema given, as JSON).
    SchemaInvalid,
    /// A field has the wrong JSON type. Params: `field` (its name), `expected` (`object`,
    /// `array` or `string`), `example` (JSON of the right shape).
    WrongType,
    /// A required field is missing. Params: `tag` (the component), `field` (its path inside it:
    /// `content`, `fields[1].text`, `behaviors[0].value`, `text`).
    FieldMissing,
    /// A field the schema does not document (2.0 rejects unsupported properties). Params:
    /// `field`, `schema`.
    UnknownField,
    /// A 2.0 card without `body`: only the header would show.
    BodyMissing,
    /// No `elements` (1.0) or `body.elements` (2.0). Params: `field` (which of the two).
    ElementsMissing,
    /// A 2.0 card with top-level `elements` (the 1.0 place); 2.0 wants `body.elements`.
    V2ElementsOutsideBody,
    /// A 1.0 field that 2.0 no longer supports (`i18n_elements`).
    V2UnsupportedField,
    /// `body` without `"schema": "2.0"`: a 1.0 card ignores `body`, so nothing would show.
    BodyWithoutSchema,
    /// An entry of an elements list is not an object.
    ElementNotObject,
    /// A component has no string `tag`.
    TagMissing,
    /// A `tag` this schema does not know. Params: `tag`, `schema`.
    UnknownTag,
    /// A known tag in a place that does not accept it (a table in a column, a form in a form).
    /// Params: `tag`, `container` (the enclosing tag, or `elements`, `extra` for the card's
    /// elements and a div's extra).
    TagNotAllowedHere,
    /// `note` or `action` in a 2.0 card; 2.0 removed both. Params: `tag`.
    V2RemovedComponent,
    /// A 1.0 button, select, overflow or picker directly in `elements`; it must sit in an
    /// `action` module. Params: `tag`.
    V1NeedsActionModule,
    /// A header without `title`.
    HeaderTitleMissing,
    /// A header title with empty content.
    HeaderTitleEmpty,
    /// `header.template` is not one of the platform's colours. Params: `template`, `allowed`.
    HeaderTemplateUnknown,
    /// A text object whose `tag` is not `plain_text` or `lark_md`. Params: `value` (the tag
    /// given, as JSON; `null` when there is none).
    TextTagInvalid,
    /// A button `type` the platform does not list. Params: `value` (as JSON), `allowed`.
    ButtonTypeInvalid,
    /// A button (or callback behaviour) `value` that is not a JSON object.
    ButtonValueNotObject,
    /// A button with both `url` and `multi_url`.
    ButtonUrlConflict,
    /// A 1.0 button with both a link and a `value`: only the link works unless
    /// `complex_interaction` is true.
    ButtonValueIgnored,
    /// A button that neither opens a link nor calls back.
    ButtonNoAction,
    /// A `behaviors` entry with an unknown `type`. Params: `value` (as JSON; `null` when there
    /// is none), `allowed`.
    BehaviorTypeInvalid,
    /// An `open_url` behaviour without `default_url`.
    BehaviorUrlMissing,
    /// An `img` without `img_key`.
    ImgKeyMissing,
    /// A 2.0 `element_id` that breaks the rule (letter first, letters/digits/_, at most 20).
    /// Params: `id`, `limit`.
    ElementIdInvalid,
    /// The same `element_id` twice in one card. Params: `id`, `first` (the path of the first).
    ElementIdDuplicate,
    /// More than 200 components and text elements in one 2.0 card. Params: `found`, `limit`.
    TooManyElements,
    /// A 1.0 card without `config.update_multi: true`: it cannot be updated for everyone later.
    UpdateMultiOff,
    /// A 2.0 card with `config.update_multi: false`; 2.0 supports only `true`.
    V2UpdateMultiFalse,
    /// A 2.0 card with a top-level `fallback`, which 2.0 does not support yet.
    V2FallbackIgnored,
    /// The send request's `content` would exceed 30 KB. Params: `size`, `limit` (bytes).
    CardTooLarge,
    /// The `content` is within 10% of the 30 KB limit. Params: `size`, `limit` (bytes).
    CardNearSizeLimit,
    /// A `#` heading where the platform shows it as plain text (1.0 markdown, any lark_md).
    /// Params: `tag` (`markdown` or `lark_md`), `schema`.
    MarkdownHeadingUnsupported,
    /// A markdown table where the platform shows it as plain text. Params: `tag`, `schema`.
    MarkdownTableUnsupported,
    /// A `>` quote where the platform shows it as plain text. Params: `tag`, `schema`.
    MarkdownQuoteUnsupported,
    /// An HTML tag the markdown renderer does not support. Params: `html` (the tag's name),
    /// `allowed`, `tag`, `schema`.
    MarkdownHtmlUnsupported,
    /// A markdown image whose source is not an uploaded image key (`img_...`). Params:
    /// `source`.
    MarkdownImageSource,
    /// A markdown image inside `lark_md` text, which does not render images.
    LarkMdImageUnsupported,
    /// A JSON 2.0 component (or `config`, `header`, `card_link`, `body`, column) property that
    /// the component's schema does not list; 2.0 rejects unsupported properties. Params:
    /// `component`, `property`.
    PropertyUnknown,
    /// A JSON 2.0 property of the wrong JSON type. Params: `component`, `property`, `expected`
    /// (`string`, `number`, `boolean`, `object`, `array`, or several joined by " or "), `value`
    /// (as JSON).
    PropertyType,
    /// A JSON 2.0 property whose value is not one of the documented ones. Params: `component`,
    /// `property`, `value` (as JSON), `allowed`.
    PropertyValue,
    /// A JSON 2.0 property the component requires is missing. Params: `component`, `property`.
    PropertyMissing,
    /// A multi-select component (`multi_select_static`, `multi_select_person`) outside a form;
    /// it only works inside a form. Params: `tag`.
    MultiSelectOutsideForm,
    /// 2.0 markdown using the 1.0 `[text]($var)` link-variable syntax (with `href`), which 2.0
    /// no longer supports. Params: `variable`.
    MarkdownUrlVariable,
    /// Containers nested more than five deep (the container pages: "最多支持嵌套五层组件").
    /// Params: `depth`, `limit`.
    NestingTooDeep,
    /// More than five `table` components in one card (or one language of a 1.0 card's
    /// `i18n_elements`). Params: `limit`.
    TooManyTables,
    /// More than four markdown tables in one markdown component. Params: `found`, `limit`.
    MarkdownTooManyTables,
    /// An interactive component inside a form without the `name` the form submits it under.
    /// Params: `tag`.
    FormNameMissing,
    /// A form or form field `name` used twice in one card. Params: `name`, `first` (the path of
    /// the first).
    FormNameDuplicate,
    /// A button inside a form without `form_action_type` (`submit` or `reset`; 1.0 also
    /// `action_type` `form_submit`/`form_reset`).
    FormButtonActionMissing,
    /// A JSON 2.0 button whose text is not `plain_text`. Params: `value` (the tag given, as
    /// JSON).
    ButtonTextNotPlain,
    /// A button text longer than the documented maximum. Params: `length`, `limit`.
    ButtonTextTooLong,
    /// `card_link` with neither `url` nor all three of `android_url`, `ios_url`, `pc_url`.
    CardLinkIncomplete,
    /// An `img_key` that is a web URL; cards only take uploaded image keys. Params: `value`.
    ImgKeyIsUrl,
    /// A text tag colour (`text_tag_list[].color`, `<text_tag color>`) outside the documented
    /// list. Params: `color`, `allowed`.
    TextTagColorUnknown,
    /// A `<font color>` that is neither a documented colour nor a custom colour of
    /// `config.style.color`. Params: `color`.
    FontColorUnknown,
    /// A callback `value` given as a string: the component pages accept it, the SDKs (and this
    /// app's relay) only pass objects on, so the documentation is ambiguous.
    ButtonValueString,
    /// A retired JSON 2.0 property that the structure pages no longer list but an official
    /// example still sends (`config.wide_screen_mode`): the docs disagree, so a warning.
    /// Params: `component`, `property`, `instead` (what replaces it).
    PropertyDeprecated,
    /// A form without a submit button (`form_action_type: "submit"`, 1.0 `action_type:
    /// "form_submit"`); the form container pages require one.
    FormSubmitMissing,
    /// A card with an `audio` component that may be forwarded: the audio page requires
    /// `config.enable_forward: false`, "否则会导致卡片发送失败". Params: `audio` (the path of the
    /// audio component).
    AudioForwardEnabled,
}

impl Code {
    /// Every code, in declaration order.
    pub const ALL: &'static [Code] = <Self as strum::VariantArray>::VARIANTS;

    /// The serialized (snake_case) name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One problem in a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Where, as a JSON path from the card's root: `$.body.elements[2].tag`.
    pub path: String,
    pub severity: Severity,
    pub code: Code,
    /// The values the code's sentence names (tag names, field names, sizes, limits, the values
    /// allowed, joined with ", "), by placeholder name; never words.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// 1-based line, for [`Code::JsonSyntax`] only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, for [`Code::JsonSyntax`] only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Finding {
    pub fn error(code: Code, path: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path)
    }

    pub fn warning(code: Code, path: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path)
    }

    fn new(severity: Severity, code: Code, path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            severity,
            code,
            params: BTreeMap::new(),
            line: None,
            column: None,
        }
    }

    /// Adds the value the sentence's `{{name}}` placeholder shows.
    pub fn param(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// The value of one param, if the finding has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_finding_serializes_camel_case_without_empty_position() {
        let f = Finding::error(Code::UnknownTag, "$.elements[0].tag")
            .param("tag", "text")
            .param("schema", "2.0");
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            serde_json::json!({"path":"$.elements[0].tag","severity":"error","code":"unknown_tag",
                "params":{"schema":"2.0","tag":"text"}})
        );
    }
}
