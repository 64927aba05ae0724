//! Alert cards, GUI-free: the [`Alert`] model, templates that turn alerts into Feishu/Lark card
//! JSON (2.0 and 1.0), and [`import`] of real alert payloads (Alertmanager, Grafana, generic
//! JSON); the editor's view of them ([`gallery`], [`check`]); and sending a card to chats and
//! people and updating it ([`send`]).
//!
//! Templates are minijinja files (`templates/cards/*.json.j2`), embedded in the binary and
//! overridable by same-named files in a user folder ([`TemplateSet::load`]). Every card exists
//! in English (`triggered.v2.json.j2`) and 简体中文 (`triggered.v2.zh-CN.json.j2`); the labels
//! worked out in Rust (severity, status, the digest's title) follow the template's language. Every rendered
//! built-in card passes [`lark_platform::card::validate`] with no errors (tested).
//!
//! Header colours: a triggered alert takes its severity's colour (critical red, warning orange,
//! info blue, ok green: the platform's semantic colours); an acknowledged alert is yellow ("being
//! handled", distinct from both firing and done); a resolved alert is green. A digest takes the
//! colour of its worst open alert, green when all are resolved.
//!
//! # Button contract (for the relay's built-in handler)
//!
//! The Acknowledge and Resolve buttons send a callback whose `action.value` is exactly
//!
//! ```json
//! {"action": "acknowledge", "incident_id": "<Alert::incident_id>"}
//! {"action": "resolve", "incident_id": "<Alert::incident_id>"}
//! ```
//!
//! - 2.0 cards carry it in `behaviors[{"type":"callback","value":…}]`, 1.0 cards in the button's
//!   `value`; both arrive as `event.action.value` (`card.action.trigger`) or `action.value`
//!   (legacy callback). Values are always JSON objects, as the official SDKs require.
//! - `action` is one of [`ACTION_ACKNOWLEDGE`], [`ACTION_RESOLVE`]; `incident_id` is a
//!   non-empty string (templates leave the buttons out when the id is unknown).
//! - A handler must ignore keys it does not know (templates may add some) and must treat any
//!   other `action` as not its own (forward it upstream unchanged).
//! - "Open incident" is a plain link (`open_url` / `url`) and sends no callback.

mod alert;
pub mod check;
mod context;
mod escape;
pub mod gallery;
pub mod import;
mod render;
pub mod send;
#[cfg(test)]
mod tests;

use ts_rs::TS;

pub use alert::{Alert, AlertLink, AlertSeverity, AlertStatus};
pub use check::{
    check_text, check_value, parse_card, CardCheck, CardFinding, CardFindingCode, FindingSeverity,
};
pub use context::{
    button_value, header_template, ACKNOWLEDGED_TEMPLATE, DIGEST_MAX_ALERTS, RESOLVED_TEMPLATE,
};
pub use gallery::{
    export_templates, list_templates, templates_dir, ExportedTemplates, RenderRequest,
    RenderedView, TemplateList,
};
pub use import::{import, FieldMapping, ImportError, ImportedAlert, PayloadFormat, PayloadImport};
pub use render::{
    builtin_source, export_builtins, template_file_name, template_file_name_in, CardKind,
    CardVersion, RenderedCard, TemplateError, TemplateInfo, TemplateOrigin, TemplateSet,
    CARD_LANGUAGES,
};
pub use send::{
    clean_targets, send_to_targets, update_sent_card, CardUpdate, Delivery, SendTarget, TargetKind,
};

/// `action` of the Acknowledge button's callback value.
pub const ACTION_ACKNOWLEDGE: &str = "acknowledge";
/// `action` of the Resolve button's callback value.
pub const ACTION_RESOLVE: &str = "resolve";

/// The TypeScript declarations of the card types, for `tests/bindings.rs`.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        ("Alert.ts", Alert::export_to_string().unwrap_or_default()),
        (
            "AlertSeverity.ts",
            AlertSeverity::export_to_string().unwrap_or_default(),
        ),
        (
            "AlertStatus.ts",
            AlertStatus::export_to_string().unwrap_or_default(),
        ),
        (
            "AlertLink.ts",
            AlertLink::export_to_string().unwrap_or_default(),
        ),
        (
            "CardKind.ts",
            CardKind::export_to_string().unwrap_or_default(),
        ),
        (
            "CardVersion.ts",
            CardVersion::export_to_string().unwrap_or_default(),
        ),
        (
            "TemplateInfo.ts",
            TemplateInfo::export_to_string().unwrap_or_default(),
        ),
        (
            "TemplateOrigin.ts",
            TemplateOrigin::export_to_string().unwrap_or_default(),
        ),
        (
            "PayloadFormat.ts",
            PayloadFormat::export_to_string().unwrap_or_default(),
        ),
        (
            "PayloadImport.ts",
            PayloadImport::export_to_string().unwrap_or_default(),
        ),
        (
            "ImportedAlert.ts",
            ImportedAlert::export_to_string().unwrap_or_default(),
        ),
        (
            "FieldMapping.ts",
            FieldMapping::export_to_string().unwrap_or_default(),
        ),
        (
            "CardFinding.ts",
            CardFinding::export_to_string().unwrap_or_default(),
        ),
        (
            "CardFindingCode.ts",
            CardFindingCode::export_to_string().unwrap_or_default(),
        ),
        (
            "FindingSeverity.ts",
            FindingSeverity::export_to_string().unwrap_or_default(),
        ),
        (
            "CardCheck.ts",
            CardCheck::export_to_string().unwrap_or_default(),
        ),
        (
            "TemplateList.ts",
            TemplateList::export_to_string().unwrap_or_default(),
        ),
        (
            "ExportedTemplates.ts",
            ExportedTemplates::export_to_string().unwrap_or_default(),
        ),
        (
            "RenderRequest.ts",
            RenderRequest::export_to_string().unwrap_or_default(),
        ),
        (
            "RenderedView.ts",
            RenderedView::export_to_string().unwrap_or_default(),
        ),
        (
            "TargetKind.ts",
            TargetKind::export_to_string().unwrap_or_default(),
        ),
        (
            "SendTarget.ts",
            SendTarget::export_to_string().unwrap_or_default(),
        ),
        (
            "Delivery.ts",
            Delivery::export_to_string().unwrap_or_default(),
        ),
        (
            "CardUpdate.ts",
            CardUpdate::export_to_string().unwrap_or_default(),
        ),
    ]
}
