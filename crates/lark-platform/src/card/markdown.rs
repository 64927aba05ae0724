//! Markdown the platform does not render, reported as warnings (the card is still accepted; the
//! syntax just shows up as literal text or is dropped).
//!
//! Sources: "富文本（Markdown）" for 1.0 (feishu-cards/card-components/content-components/
//! rich-text): headings, quotes, tables and number tags are 2.0-only; supported HTML is `<br>`,
//! `<at>`, `<a>`, `<font>`, `<text_tag>`, `<link>`, `<person>`; images are `![hover](image_key)`
//! with an uploaded image key. "卡片 JSON 2.0 版本更新说明" for 2.0: all CommonMark except HTML
//! blocks, and the HTML tags `br hr person local_datetime at a text_tag raw link font`
//! (`number_tag` from the 1.0 page's list of 2.0-only syntax; `audio` from the 2.0 rich-text page). The old message-card "Markdown"
//! page for `lark_md` text: no image or divider syntax in text elements.

use super::finding::{Code, Finding};
use super::tags;
use super::CardSchema;

/// The most markdown tables one 2.0 markdown component may hold (the 2.0 rich-text page).
const MARKDOWN_TABLE_LIMIT: usize = 4;

/// Which renderer the text goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// The `markdown` component.
    Markdown,
    /// A text object with `"tag": "lark_md"`.
    LarkMd,
}

const V2_HTML: &[&str] = &[
    "br",
    "hr",
    "person",
    "local_datetime",
    "at",
    "a",
    "text_tag",
    "raw",
    "link",
    "font",
    "number_tag",
    // The 2.0 rich-text page documents <audio file_key=... audio_id=...>.
    "audio",
];
const V1_HTML: &[&str] = &["br", "at", "a", "font", "text_tag", "link", "person"];

/// Checks one markdown string; `path` is the path of the string itself.
pub(crate) fn check(
    text: &str,
    flavor: Flavor,
    schema: CardSchema,
    custom_colors: &[String],
    path: &str,
    out: &mut Vec<Finding>,
) {
    // Full CommonMark blocks only render in the 2.0 markdown component.
    let blocks_render = flavor == Flavor::Markdown && schema == CardSchema::V2;
    // Where the text is, for the sentences: the tag and the card's schema.
    let here = |code: Code| {
        let tag = match flavor {
            Flavor::Markdown => "markdown",
            Flavor::LarkMd => "lark_md",
        };
        Finding::warning(code, path)
            .param("tag", tag)
            .param("schema", schema.as_str())
    };
    let lines = prose_lines(text);

    if !blocks_render {
        if lines.iter().any(|l| is_heading(l)) {
            out.push(here(Code::MarkdownHeadingUnsupported));
        }
        if lines
            .windows(2)
            .any(|w| is_table_row(&w[0]) && is_table_rule(&w[1]))
        {
            out.push(here(Code::MarkdownTableUnsupported));
        }
        if lines.iter().any(|l| l.trim_start().starts_with('>')) {
            out.push(here(Code::MarkdownQuoteUnsupported));
        }
    }

    let allowed = if schema == CardSchema::V2 && flavor == Flavor::Markdown {
        V2_HTML
    } else {
        V1_HTML
    };
    let mut reported: Vec<String> = Vec::new();
    for line in &lines {
        for tag in html_tags(line) {
            let lower = tag.to_ascii_lowercase();
            if !allowed.contains(&lower.as_str()) && !reported.contains(&lower) {
                let supported: Vec<String> = allowed.iter().map(|t| format!("<{t}>")).collect();
                out.push(
                    here(Code::MarkdownHtmlUnsupported)
                        .param("html", &lower)
                        .param("allowed", supported.join(", ")),
                );
                reported.push(lower);
            }
        }
    }

    if blocks_render {
        let tables = lines
            .windows(2)
            .filter(|w| is_table_row(&w[0]) && is_table_rule(&w[1]))
            .count();
        if tables > MARKDOWN_TABLE_LIMIT {
            out.push(
                Finding::error(Code::MarkdownTooManyTables, path)
                    .param("found", tables)
                    .param("limit", MARKDOWN_TABLE_LIMIT),
            );
        }
    }
    for line in &lines {
        for color in attr_values(line, "font", "color") {
            let custom = custom_colors.iter().any(|c| c == &color);
            if !custom && !tags::is_documented_color(&color) {
                out.push(Finding::warning(Code::FontColorUnknown, path).param("color", &color));
            }
        }
        for color in attr_values(line, "text_tag", "color") {
            if !tags::TEXT_TAG_COLORS.contains(&color.as_str()) {
                out.push(
                    Finding::warning(Code::TextTagColorUnknown, path)
                        .param("color", &color)
                        .param("allowed", tags::TEXT_TAG_COLORS.join(", ")),
                );
            }
        }
    }

    if blocks_render {
        if let Some(variable) = lines.iter().find_map(|l| url_variable(l)) {
            out.push(Finding::warning(Code::MarkdownUrlVariable, path).param("variable", variable));
        }
    }

    let sources: Vec<String> = lines.iter().flat_map(|l| image_sources(l)).collect();
    if flavor == Flavor::LarkMd {
        if !sources.is_empty() {
            out.push(Finding::warning(Code::LarkMdImageUnsupported, path));
        }
    } else if let Some(bad) = sources.iter().find(|s| !s.starts_with("img_")) {
        out.push(Finding::warning(Code::MarkdownImageSource, path).param("source", bad));
    }
}

/// The lines outside fenced code blocks, with inline code spans removed, so that code samples
/// are never reported.
fn prose_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence {
            out.push(strip_code_spans(line));
        }
    }
    out
}

fn strip_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            out.push(c);
        }
    }
    out
}

fn is_heading(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = line.trim_start_matches(' ');
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    (1..=6).contains(&hashes) && {
        let after = &rest[hashes..];
        after.is_empty() || after.starts_with(' ') || after.starts_with('\t')
    }
}

fn is_table_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') || (t.contains('|') && !t.is_empty())
}

fn is_table_rule(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// Tag names of HTML-looking tags: `<name` or `</name` followed by space, `>` or `/`.
fn html_tags(line: &str) -> Vec<String> {
    let bytes = line.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let mut j = i + 1;
            if j < bytes.len() && bytes[j] == b'/' {
                j += 1;
            }
            let start = j;
            if j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                let ends_tag = j < bytes.len()
                    && (bytes[j] == b'>' || bytes[j] == b'/' || bytes[j].is_ascii_whitespace());
                if ends_tag {
                    tags.push(line[start..j].to_string());
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    tags
}

/// The values of `attr` in each `<tag ...>` of the line: `<font color='red'>`,
/// `<font color = "grey">`, `<font color=red>`.
fn attr_values(line: &str, tag: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let open = format!("<{tag}");
    let mut rest = line;
    while let Some(pos) = rest.find(&open) {
        rest = &rest[pos + open.len()..];
        if !rest.starts_with(|c: char| c.is_whitespace()) {
            continue;
        }
        let inside = &rest[..rest.find('>').unwrap_or(rest.len())];
        let mut search = inside;
        while let Some(at) = search.find(attr) {
            let before_ok = search[..at].ends_with(|c: char| c.is_whitespace());
            let after = search[at + attr.len()..].trim_start();
            search = &search[at + attr.len()..];
            let Some(value) = after.strip_prefix('=') else {
                continue;
            };
            if !before_ok {
                continue;
            }
            let value = value.trim_start();
            let parsed = match value.chars().next() {
                Some(q @ ('\'' | '"')) => value[1..].split(q).next().unwrap_or(""),
                _ => value
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or(""),
            };
            out.push(parsed.trim().to_string());
            break;
        }
    }
    out
}

/// The first `$name` link target (`[text]($urlVal)`), the 1.0 `href` variable syntax.
fn url_variable(line: &str) -> Option<String> {
    let pos = line.find("]($")?;
    let rest = &line[pos + 3..];
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty() && rest[name.len()..].starts_with(')')).then(|| format!("${name}"))
}

/// Sources of `![alt](src)` images.
fn image_sources(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(pos) = rest.find("![") {
        rest = &rest[pos + 2..];
        let Some(close) = rest.find("](") else { break };
        let after = &rest[close + 2..];
        let Some(end) = after.find(')') else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, flavor: Flavor, schema: CardSchema) -> Vec<Code> {
        let mut out = Vec::new();
        check(text, flavor, schema, &[], "$.x", &mut out);
        out.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn card_markdown_headings_depend_on_schema_and_flavor() {
        let text = "# Title\nbody";
        assert_eq!(
            codes(text, Flavor::Markdown, CardSchema::V1),
            vec![Code::MarkdownHeadingUnsupported]
        );
        assert!(codes(text, Flavor::Markdown, CardSchema::V2).is_empty());
        assert_eq!(
            codes(text, Flavor::LarkMd, CardSchema::V2),
            vec![Code::MarkdownHeadingUnsupported]
        );
        assert!(codes("#hashtag and C#", Flavor::Markdown, CardSchema::V1).is_empty());
    }

    #[test]
    fn card_markdown_code_is_never_reported() {
        let text = "```\n# not a heading\n<div>\n```\nuse `<div>` here";
        assert!(codes(text, Flavor::Markdown, CardSchema::V1).is_empty());
    }

    #[test]
    fn card_markdown_tables_and_quotes_in_v1() {
        let text = "| a | b |\n|---|:-:|\n| 1 | 2 |\n> quoted";
        assert_eq!(
            codes(text, Flavor::Markdown, CardSchema::V1),
            vec![
                Code::MarkdownTableUnsupported,
                Code::MarkdownQuoteUnsupported
            ]
        );
        assert!(codes(text, Flavor::Markdown, CardSchema::V2).is_empty());
    }

    #[test]
    fn card_markdown_html_allow_lists() {
        let ok = "<font color='red'>x</font><at id=all></at><br/><a href='https://e.x'>y</a>";
        assert!(codes(ok, Flavor::Markdown, CardSchema::V1).is_empty());
        assert_eq!(
            codes(
                "<div>x</div><span>y</span><div>",
                Flavor::Markdown,
                CardSchema::V1
            ),
            vec![Code::MarkdownHtmlUnsupported, Code::MarkdownHtmlUnsupported]
        );
        assert!(codes("<hr/><raw>*</raw>", Flavor::Markdown, CardSchema::V2).is_empty());
        assert_eq!(
            codes("<hr/>", Flavor::Markdown, CardSchema::V1),
            vec![Code::MarkdownHtmlUnsupported]
        );
        assert!(codes(
            "a < b, x<3, <https://e.x>",
            Flavor::Markdown,
            CardSchema::V1
        )
        .is_empty());
    }

    #[test]
    fn card_markdown_findings_name_the_tag_the_text_and_the_schema() {
        let mut out = Vec::new();
        check(
            "<div>x</div>",
            Flavor::LarkMd,
            CardSchema::V2,
            &[],
            "$.x",
            &mut out,
        );
        let params: Vec<(&str, &str)> = out[0]
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            params,
            vec![
                (
                    "allowed",
                    "<br>, <at>, <a>, <font>, <text_tag>, <link>, <person>"
                ),
                ("html", "div"),
                ("schema", "2.0"),
                ("tag", "lark_md"),
            ]
        );
        out.clear();
        check(
            "![a](https://e.x/a.png)",
            Flavor::Markdown,
            CardSchema::V2,
            &[],
            "$.x",
            &mut out,
        );
        assert_eq!(out[0].get("source"), Some("https://e.x/a.png"));
    }

    #[test]
    fn card_markdown_images() {
        assert!(codes("![a](img_v3_abc)", Flavor::Markdown, CardSchema::V2).is_empty());
        assert_eq!(
            codes("![a](https://e.x/a.png)", Flavor::Markdown, CardSchema::V2),
            vec![Code::MarkdownImageSource]
        );
        assert_eq!(
            codes("![a](img_v3_abc)", Flavor::LarkMd, CardSchema::V1),
            vec![Code::LarkMdImageUnsupported]
        );
    }
}

#[cfg(test)]
mod color_tests {
    use super::*;

    fn codes(text: &str, custom: &[String]) -> Vec<(Code, String)> {
        let mut out = Vec::new();
        check(
            text,
            Flavor::Markdown,
            CardSchema::V2,
            custom,
            "$.x",
            &mut out,
        );
        out.into_iter()
            .map(|f| (f.code, f.get("color").unwrap_or("").to_string()))
            .collect()
    }

    #[test]
    fn card_markdown_colours_follow_the_enumeration() {
        let ok = "<font color='red'>a</font><font color = \"grey-650\">b</font>\
                  <font color=default>c</font><text_tag color='neutral'>d</text_tag>";
        assert_eq!(codes(ok, &[]), vec![]);
        assert_eq!(
            codes("<font color='pink'>a</font>", &[]),
            vec![(Code::FontColorUnknown, "pink".into())]
        );
        assert_eq!(
            codes("<font color='cus-0'>a</font>", &["cus-0".into()]),
            vec![]
        );
        assert_eq!(
            codes("<text_tag color='grey'>a</text_tag>", &[]),
            vec![(Code::TextTagColorUnknown, "grey".into())]
        );
    }

    #[test]
    fn card_markdown_more_than_four_tables() {
        let table = "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n";
        assert_eq!(codes(&table.repeat(4), &[]), vec![]);
        let mut out = Vec::new();
        check(
            &table.repeat(5),
            Flavor::Markdown,
            CardSchema::V2,
            &[],
            "$.x",
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::MarkdownTooManyTables);
        assert_eq!(out[0].get("found"), Some("5"));
    }
}
