//! The template engine: minijinja with a JSON-string formatter, the built-in templates embedded
//! in the binary, and a user folder whose files of the same name win.

use std::path::{Path, PathBuf};

use lark_platform::card::{self, CardSchema, Finding};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value as JinjaValue};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::alert::Alert;
use super::context::{self, AlertView};
use super::escape;
use crate::ipc::Language;

/// Which card a template draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    Triggered,
    Acknowledged,
    Resolved,
    /// Several alerts in one card.
    Digest,
}

impl CardKind {
    pub const ALL: [CardKind; 4] = [
        Self::Triggered,
        Self::Acknowledged,
        Self::Resolved,
        Self::Digest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Triggered => "triggered",
            Self::Acknowledged => "acknowledged",
            Self::Resolved => "resolved",
            Self::Digest => "digest",
        }
    }

    /// The status a single-alert card shows; `None` for the digest.
    pub fn status(self) -> Option<super::AlertStatus> {
        match self {
            Self::Triggered => Some(super::AlertStatus::Triggered),
            Self::Acknowledged => Some(super::AlertStatus::Acknowledged),
            Self::Resolved => Some(super::AlertStatus::Resolved),
            Self::Digest => None,
        }
    }

    /// The single-alert card for an alert's status.
    pub fn for_status(status: super::AlertStatus) -> Self {
        match status {
            super::AlertStatus::Triggered => Self::Triggered,
            super::AlertStatus::Acknowledged => Self::Acknowledged,
            super::AlertStatus::Resolved => Self::Resolved,
        }
    }
}

/// The card JSON structure a template produces (the IPC twin of lark-platform's
/// [`CardSchema`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum CardVersion {
    #[serde(rename = "1.0")]
    V1,
    #[serde(rename = "2.0")]
    V2,
}

impl CardVersion {
    pub const ALL: [CardVersion; 2] = [Self::V2, Self::V1];

    fn file_tag(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2 => "v2",
        }
    }
}

impl From<CardVersion> for CardSchema {
    fn from(v: CardVersion) -> Self {
        match v {
            CardVersion::V1 => CardSchema::V1,
            CardVersion::V2 => CardSchema::V2,
        }
    }
}

/// The file name of an English template: `triggered.v2.json.j2`.
pub fn template_file_name(kind: CardKind, version: CardVersion) -> String {
    template_file_name_in(kind, version, Language::English)
}

/// The file name of a template in `language`: `triggered.v2.json.j2` (English, the names from
/// before there were languages, so users' copies keep working), `triggered.v2.zh-CN.json.j2`.
pub fn template_file_name_in(kind: CardKind, version: CardVersion, language: Language) -> String {
    match language {
        Language::English => format!("{}.{}.json.j2", kind.name(), version.file_tag()),
        Language::SimplifiedChinese => {
            format!("{}.{}.zh-CN.json.j2", kind.name(), version.file_tag())
        }
    }
}

/// The languages cards come in, English first.
pub const CARD_LANGUAGES: [Language; 2] = [Language::English, Language::SimplifiedChinese];

/// The built-in templates, embedded so the app works with no files around it.
const BUILTIN: &[(&str, &str)] = &[
    (
        "triggered.v2.json.j2",
        include_str!("../../templates/cards/triggered.v2.json.j2"),
    ),
    (
        "triggered.v1.json.j2",
        include_str!("../../templates/cards/triggered.v1.json.j2"),
    ),
    (
        "acknowledged.v2.json.j2",
        include_str!("../../templates/cards/acknowledged.v2.json.j2"),
    ),
    (
        "acknowledged.v1.json.j2",
        include_str!("../../templates/cards/acknowledged.v1.json.j2"),
    ),
    (
        "resolved.v2.json.j2",
        include_str!("../../templates/cards/resolved.v2.json.j2"),
    ),
    (
        "resolved.v1.json.j2",
        include_str!("../../templates/cards/resolved.v1.json.j2"),
    ),
    (
        "digest.v2.json.j2",
        include_str!("../../templates/cards/digest.v2.json.j2"),
    ),
    (
        "digest.v1.json.j2",
        include_str!("../../templates/cards/digest.v1.json.j2"),
    ),
    (
        "triggered.v2.zh-CN.json.j2",
        include_str!("../../templates/cards/triggered.v2.zh-CN.json.j2"),
    ),
    (
        "triggered.v1.zh-CN.json.j2",
        include_str!("../../templates/cards/triggered.v1.zh-CN.json.j2"),
    ),
    (
        "acknowledged.v2.zh-CN.json.j2",
        include_str!("../../templates/cards/acknowledged.v2.zh-CN.json.j2"),
    ),
    (
        "acknowledged.v1.zh-CN.json.j2",
        include_str!("../../templates/cards/acknowledged.v1.zh-CN.json.j2"),
    ),
    (
        "resolved.v2.zh-CN.json.j2",
        include_str!("../../templates/cards/resolved.v2.zh-CN.json.j2"),
    ),
    (
        "resolved.v1.zh-CN.json.j2",
        include_str!("../../templates/cards/resolved.v1.zh-CN.json.j2"),
    ),
    (
        "digest.v2.zh-CN.json.j2",
        include_str!("../../templates/cards/digest.v2.zh-CN.json.j2"),
    ),
    (
        "digest.v1.zh-CN.json.j2",
        include_str!("../../templates/cards/digest.v1.zh-CN.json.j2"),
    ),
];

/// The built-in source of a template, by file name.
pub fn builtin_source(file_name: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(name, _)| *name == file_name)
        .map(|(_, source)| *source)
}

/// Where a loaded template came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TemplateOrigin {
    Builtin,
    User { path: String },
}

/// One template of a [`TemplateSet`], for a gallery or an editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    pub file_name: String,
    pub kind: CardKind,
    pub version: CardVersion,
    /// The language of the card's own words (titles, labels, buttons).
    pub language: Language,
    pub origin: TemplateOrigin,
}

/// Why a template could not be loaded or rendered. Messages name the file and, where known,
/// the line, so a user editing a copy can find the mistake.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("The template file {path} could not be read: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("The template folder {path} could not be written: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{name}{}: {message}", line_suffix(.line))]
    Template {
        name: String,
        line: Option<usize>,
        message: String,
    },
    #[error(
        "{name} did not produce valid JSON (line {line}, column {column} of the output: {message}). \
         The line reads: {context}"
    )]
    InvalidJson {
        name: String,
        line: usize,
        column: usize,
        message: String,
        context: String,
    },
}

fn line_suffix(line: &Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

impl TemplateError {
    fn from_jinja(name: &str, err: &minijinja::Error) -> Self {
        let message = match err.detail() {
            Some(detail) => format!("{}: {detail}", err.kind()),
            None => err.kind().to_string(),
        };
        Self::Template {
            name: err.name().unwrap_or(name).to_string(),
            line: err.line(),
            message,
        }
    }
}

/// A rendered card and what the validator says about it.
#[derive(Debug, Clone)]
pub struct RenderedCard {
    pub card: Value,
    pub findings: Vec<Finding>,
}

/// The sixteen templates (four cards, two schemas, two languages), ready to render.
pub struct TemplateSet {
    env: Environment<'static>,
    infos: Vec<TemplateInfo>,
}

impl TemplateSet {
    /// The built-in templates only.
    pub fn builtin() -> Self {
        match Self::build(|_| Ok(None)) {
            Ok(set) => set,
            // The built-ins are compiled by the tests; failing here is a build defect.
            Err(err) => panic!("built-in card template is broken: {err}"),
        }
    }

    /// The built-ins, each replaced by the file of the same name in `user_dir` when there is
    /// one (users copy a built-in there with [`export_builtins`] and edit it). A missing folder
    /// means "no user templates".
    pub fn load(user_dir: &Path) -> Result<Self, TemplateError> {
        Self::build(|file_name| {
            let path = user_dir.join(file_name);
            match std::fs::read_to_string(&path) {
                Ok(source) => Ok(Some((source, path))),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(TemplateError::Read {
                    path: path.display().to_string(),
                    source,
                }),
            }
        })
    }

    fn build(
        user: impl Fn(&str) -> Result<Option<(String, PathBuf)>, TemplateError>,
    ) -> Result<Self, TemplateError> {
        let mut env = new_environment();
        let mut infos = Vec::new();
        for kind in CardKind::ALL {
            for version in CardVersion::ALL {
                for language in CARD_LANGUAGES {
                    let file_name = template_file_name_in(kind, version, language);
                    let (source, origin) = match user(&file_name)? {
                        Some((source, path)) => (
                            source,
                            TemplateOrigin::User {
                                path: path.display().to_string(),
                            },
                        ),
                        None => (
                            builtin_source(&file_name).unwrap_or_default().to_string(),
                            TemplateOrigin::Builtin,
                        ),
                    };
                    env.add_template_owned(file_name.clone(), source)
                        .map_err(|e| TemplateError::from_jinja(&file_name, &e))?;
                    infos.push(TemplateInfo {
                        file_name,
                        kind,
                        version,
                        language,
                        origin,
                    });
                }
            }
        }
        Ok(Self { env, infos })
    }

    pub fn templates(&self) -> &[TemplateInfo] {
        &self.infos
    }

    /// Renders a single-alert card in English; see [`render_alert_in`](Self::render_alert_in).
    pub fn render_alert(
        &self,
        kind: CardKind,
        version: CardVersion,
        alert: &Alert,
    ) -> Result<Value, TemplateError> {
        self.render_alert_in(kind, version, Language::English, alert)
    }

    /// Renders a single-alert card with the template of `language`. The card's kind decides the
    /// status it shows (rendering `Resolved` for a triggered alert previews that alert's
    /// resolved card); for [`CardKind::Digest`] a digest of this one alert is drawn.
    pub fn render_alert_in(
        &self,
        kind: CardKind,
        version: CardVersion,
        language: Language,
        alert: &Alert,
    ) -> Result<Value, TemplateError> {
        let Some(status) = kind.status() else {
            return self.render_digest_in(version, language, std::slice::from_ref(alert));
        };
        let shown = Alert {
            status,
            ..alert.clone()
        };
        let ctx = json!({ "alert": AlertView::new(&shown, language) });
        self.render(&template_file_name_in(kind, version, language), ctx)
    }

    /// Renders the English digest card for `alerts`.
    pub fn render_digest(
        &self,
        version: CardVersion,
        alerts: &[Alert],
    ) -> Result<Value, TemplateError> {
        self.render_digest_in(version, Language::English, alerts)
    }

    /// Renders the digest card for `alerts` in `language`.
    pub fn render_digest_in(
        &self,
        version: CardVersion,
        language: Language,
        alerts: &[Alert],
    ) -> Result<Value, TemplateError> {
        let (digest, shown) = context::digest(alerts, language);
        let ctx = json!({ "digest": digest, "alerts": shown });
        self.render(
            &template_file_name_in(CardKind::Digest, version, language),
            ctx,
        )
    }

    /// [`render_alert_in`](Self::render_alert_in) plus the validator's findings for the result.
    pub fn render_alert_checked(
        &self,
        kind: CardKind,
        version: CardVersion,
        language: Language,
        alert: &Alert,
    ) -> Result<RenderedCard, TemplateError> {
        let card = self.render_alert_in(kind, version, language, alert)?;
        let findings = card::validate(&card);
        Ok(RenderedCard { card, findings })
    }

    fn render(&self, name: &str, ctx: Value) -> Result<Value, TemplateError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| TemplateError::from_jinja(name, &e))?;
        let text = template
            .render(JinjaValue::from(Serde(ctx)))
            .map_err(|e| TemplateError::from_jinja(name, &e))?;
        serde_json::from_str(&text).map_err(|e| TemplateError::InvalidJson {
            name: name.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
            context: text
                .lines()
                .nth(e.line().saturating_sub(1))
                .unwrap_or_default()
                .trim()
                .chars()
                .take(200)
                .collect(),
        })
    }
}

/// Writes the built-in templates (and the README) into `dir` so a user can edit them; files
/// that already exist are left alone. Returns the names written.
pub fn export_builtins(dir: &Path) -> Result<Vec<String>, TemplateError> {
    let write_err = |source| TemplateError::Write {
        path: dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(write_err)?;
    let files = BUILTIN
        .iter()
        .copied()
        .chain(std::iter::once(("README.md", TEMPLATES_README)));
    let mut written = Vec::new();
    for (name, source) in files {
        let path = dir.join(name);
        if path.exists() {
            continue;
        }
        std::fs::write(&path, source).map_err(write_err)?;
        written.push(name.to_string());
    }
    Ok(written)
}

const TEMPLATES_README: &str = include_str!("../../templates/cards/README.md");

/// The engine: every `{{ }}` JSON-string-escaped by the formatter (so no value can break the
/// card's JSON), `md`/`mdurl` for markdown, `tojson` for whole values, strict about undefined
/// names so a typo in an edited template is an error, not an empty field.
fn new_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_formatter(escape::json_string_formatter);
    if let Ok(syntax) = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_filter("md", escape::md_filter);
    env.add_filter("mdurl", escape::mdurl_filter);
    env
}

/// A template error in the one error type: storage for a file that could not be read or
/// written, invalid input for a template that does not parse or render.
impl From<TemplateError> for crate::Error {
    fn from(error: TemplateError) -> Self {
        use crate::problem::{Problem, ProblemCode as C};
        match error {
            TemplateError::Read { path, source } => Problem::new(C::TemplateRead)
                .param("path", path)
                .param("detail", source),
            TemplateError::Write { path, source } => Problem::new(C::TemplateWrite)
                .param("path", path)
                .param("detail", source),
            TemplateError::Template {
                name,
                line: Some(line),
                message,
            } => Problem::new(C::TemplateInvalidAt)
                .param("name", name)
                .param("line", line)
                .param("detail", message),
            TemplateError::Template { name, message, .. } => Problem::new(C::TemplateInvalid)
                .param("name", name)
                .param("detail", message),
            TemplateError::InvalidJson {
                name,
                line,
                column,
                message,
                context,
            } => Problem::new(C::TemplateOutputNotJson)
                .param("name", name)
                .param("line", line)
                .param("column", column)
                .param("detail", message)
                .param("context", context),
        }
        .into()
    }
}
