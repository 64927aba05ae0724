//! What the Cards screen and `lark-companion-cli card` need from the templates: the user's
//! template folder (under the data folder), the list of templates with where each comes from,
//! copies of the built-ins to edit, and a render that returns the card as editor text with the
//! validator's verdict.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::{check_value, CardCheck};
use super::{export_builtins, Alert, CardKind, CardVersion, TemplateInfo, TemplateSet};
use crate::ipc::Language;
use crate::problem::{Problem, ProblemCode as C};
use crate::{Error, Result};

/// The user's template folder inside the app's data folder: `<data>/templates/cards`. Files
/// there replace the built-in of the same name.
pub fn templates_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("templates").join("cards")
}

/// The templates in use and the folder that can override them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateList {
    pub folder: String,
    pub folder_exists: bool,
    pub templates: Vec<TemplateInfo>,
}

/// Lists the eight templates, each built-in or the user's copy.
pub fn list_templates(dir: &Path) -> Result<TemplateList> {
    let set = TemplateSet::load(dir)?;
    Ok(TemplateList {
        folder: dir.display().to_string(),
        folder_exists: dir.is_dir(),
        templates: set.templates().to_vec(),
    })
}

/// The result of copying the built-ins into the user's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportedTemplates {
    pub folder: String,
    /// File names written; files that already existed are left alone and not listed.
    pub written: Vec<String>,
}

/// Copies the built-in templates (and their README) into `dir` for editing.
pub fn export_templates(dir: &Path) -> Result<ExportedTemplates> {
    let written = export_builtins(dir)?;
    Ok(ExportedTemplates {
        folder: dir.display().to_string(),
        written,
    })
}

/// Which card to draw, for what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderRequest {
    pub kind: CardKind,
    pub version: CardVersion,
    /// Single-alert cards draw the first; the digest draws them all.
    pub alerts: Vec<Alert>,
    /// The template language; omitted means English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub language: Option<Language>,
}

/// A rendered card as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenderedView {
    /// The card JSON, indented for the editor.
    pub text: String,
    pub check: CardCheck,
    pub template: TemplateInfo,
}

/// Renders `request` with the templates of `dir` (built-ins where the folder has no copy).
pub fn render(dir: &Path, request: &RenderRequest) -> Result<RenderedView> {
    let set = TemplateSet::load(dir)?;
    let language = request.language.unwrap_or(Language::English);
    let card = match request.kind {
        CardKind::Digest => set.render_digest_in(request.version, language, &request.alerts)?,
        kind => {
            let alert = request
                .alerts
                .first()
                .ok_or_else(|| Error::invalid("alerts", C::AlertMissing))?;
            set.render_alert_in(kind, request.version, language, alert)?
        }
    };
    let template = set
        .templates()
        .iter()
        .find(|t| t.kind == request.kind && t.version == request.version && t.language == language)
        .cloned()
        .ok_or_else(|| Error::invalid("template", C::TemplateUnknown))?;
    let text = serde_json::to_string_pretty(&card)
        .map_err(|e| Problem::new(C::CardWrite).param("detail", e))?;
    Ok(RenderedView {
        text,
        check: check_value(&card),
        template,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::{AlertSeverity, AlertStatus, TemplateOrigin};

    fn alert(title: &str) -> Alert {
        Alert {
            title: title.into(),
            severity: AlertSeverity::Warning,
            status: AlertStatus::Triggered,
            description: String::new(),
            labels: Default::default(),
            started_at: chrono::DateTime::UNIX_EPOCH,
            assignees: vec![],
            links: vec![],
            incident_id: "inc_1".into(),
            incident_url: None,
        }
    }

    #[test]
    fn renders_with_the_users_copy_and_says_where_it_came_from() {
        let dir = tempfile::tempdir().unwrap();
        let folder = templates_dir(dir.path());
        let list = list_templates(&folder).unwrap();
        assert!(!list.folder_exists);
        assert!(list
            .templates
            .iter()
            .all(|t| t.origin == TemplateOrigin::Builtin));

        let exported = export_templates(&folder).unwrap();
        assert_eq!(
            exported.written.len(),
            17,
            "sixteen templates (English and Chinese) and the README"
        );
        let name = "resolved.v2.json.j2";
        let edited = std::fs::read_to_string(folder.join(name))
            .unwrap()
            .replace("\"{{ alert.header_template }}\"", "\"violet\"");
        std::fs::write(folder.join(name), edited).unwrap();

        let request = RenderRequest {
            kind: CardKind::Resolved,
            version: CardVersion::V2,
            alerts: vec![alert("Disk full")],
            language: None,
        };
        let view = render(&folder, &request).unwrap();
        assert!(view.text.contains("\"violet\""), "{}", view.text);
        assert!(matches!(view.template.origin, TemplateOrigin::User { .. }));
        assert_eq!(view.check.errors, 0, "{:?}", view.check.findings);
        assert_eq!(view.check.version, Some(CardVersion::V2));
    }

    #[test]
    fn the_request_language_picks_the_chinese_template_and_omitted_is_english() {
        let dir = tempfile::tempdir().unwrap();
        let mut request = RenderRequest {
            kind: CardKind::Triggered,
            version: CardVersion::V2,
            alerts: vec![alert("磁盘将满")],
            language: Some(Language::SimplifiedChinese),
        };
        for version in CardVersion::ALL {
            request.version = version;
            let view = render(dir.path(), &request).unwrap();
            assert_eq!(view.template.language, Language::SimplifiedChinese);
            assert_eq!(
                view.template.file_name,
                format!(
                    "triggered.{}.zh-CN.json.j2",
                    if version == CardVersion::V2 {
                        "v2"
                    } else {
                        "v1"
                    }
                )
            );
            for word in ["认领", "解决", "警告", "已触发"] {
                assert!(view.text.contains(word), "{word} in {}", view.text);
            }
            assert!(!view.text.contains("Acknowledge"), "{}", view.text);
            assert_eq!(view.check.errors, 0, "{:?}", view.check.findings);
        }
        request.language = None;
        let view = render(dir.path(), &request).unwrap();
        assert_eq!(view.template.language, Language::English);
        assert!(view.text.contains("Acknowledge"), "{}", view.text);
        // The UI may leave the field out altogether.
        let parsed: RenderRequest = serde_json::from_value(serde_json::json!({
            "kind": "digest", "version": "2.0", "alerts": []
        }))
        .unwrap();
        assert_eq!(parsed.language, None);
        let parsed: RenderRequest = serde_json::from_value(serde_json::json!({
            "kind": "digest", "version": "2.0", "alerts": [], "language": "zh-CN"
        }))
        .unwrap();
        assert!(render(dir.path(), &parsed)
            .unwrap()
            .text
            .contains("没有告警"));
    }

    #[test]
    fn a_single_alert_card_needs_an_alert_but_a_digest_may_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut request = RenderRequest {
            kind: CardKind::Triggered,
            version: CardVersion::V1,
            alerts: vec![],
            language: None,
        };
        assert!(matches!(
            render(dir.path(), &request),
            Err(e) if e.field().as_deref() == Some("alerts")
        ));
        request.kind = CardKind::Digest;
        let view = render(dir.path(), &request).unwrap();
        assert!(view.text.contains("No alerts"), "{}", view.text);
    }

    #[test]
    fn a_broken_user_template_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("triggered.v2.json.j2"), "{{ alert.titel }}").unwrap();
        let request = RenderRequest {
            kind: CardKind::Triggered,
            version: CardVersion::V2,
            alerts: vec![alert("x")],
            language: None,
        };
        let error = render(dir.path(), &request).unwrap_err();
        assert!(
            error.to_string().contains("triggered.v2.json.j2"),
            "{error}"
        );
        assert_eq!(
            error.problem().kind,
            crate::problem::ProblemKind::InvalidInput
        );
    }
}
