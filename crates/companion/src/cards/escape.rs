//! Escaping for card templates. Every `{{ value }}` lands inside a JSON string of the card, so
//! the engine's formatter JSON-escapes it; text that also goes through the platform's markdown
//! renderer needs the `md` filter on top, or an alert titled `<at id=all></at>` would ping the
//! whole group.

use minijinja::{Error, Output, State, Value};

/// The engine's formatter: writes `value` escaped for the inside of a JSON string. Values marked
/// safe (the output of `tojson`) are written as they are; none and undefined write nothing.
pub(crate) fn json_string_formatter(
    out: &mut Output,
    _state: &mut State,
    value: &Value,
) -> Result<(), Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    if value.is_safe() {
        return out.write_str(&value.to_string()).map_err(Error::from);
    }
    out.write_str(&json_string_body(&value.to_string()))
        .map_err(Error::from)
}

/// `text` as the inside of a JSON string literal (no surrounding quotes).
pub(crate) fn json_string_body(text: &str) -> String {
    let quoted = serde_json::Value::String(text.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// The `md` filter: makes text show literally in the platform's markdown (lark_md and the
/// markdown component) by turning syntax characters into numeric HTML entities, the escape the
/// platform documents ("特殊字符转义说明" in the rich-text component page: `&#实体编号;`).
/// Line breaks are kept. List markers (`-`, `+`, `1.`) are only escaped at the start of a line,
/// where they mean something.
pub(crate) fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut line_start = true;
    let mut leading_digits = false;
    for c in text.chars() {
        let entity = match c {
            '\\' | '*' | '_' | '~' | '`' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '|' | '!'
            | '&' => true,
            '-' | '+' => line_start,
            '.' => leading_digits,
            _ => false,
        };
        if entity {
            out.push_str(&format!("&#{};", u32::from(c)));
        } else {
            out.push(c);
        }
        match c {
            '\n' => {
                line_start = true;
                leading_digits = false;
            }
            ' ' | '\t' if line_start => {}
            '0'..='9' if line_start || leading_digits => {
                line_start = false;
                leading_digits = true;
            }
            _ => {
                line_start = false;
                leading_digits = false;
            }
        }
    }
    out
}

/// The `mdurl` filter: a URL made safe as a markdown link target `[text](url)` by
/// percent-encoding the characters that would end or break the link.
pub(crate) fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '\'' => out.push_str("%27"),
            '\\' => out.push_str("%5C"),
            '\n' | '\r' | '\t' => {}
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn md_filter(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return String::new();
    }
    markdown_escape(&value.to_string())
}

pub(crate) fn mdurl_filter(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return String::new();
    }
    markdown_url(&value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_markdown_escape_neutralises_syntax() {
        assert_eq!(
            markdown_escape("<at id=all></at> **x**"),
            "&#60;at id=all&#62;&#60;/at&#62; &#42;&#42;x&#42;&#42;"
        );
        assert_eq!(
            markdown_escape("- a\n  1. b\nx-y 2.5"),
            "&#45; a\n  1&#46; b\nx-y 2.5"
        );
        assert_eq!(markdown_escape("db-01 is 95% full"), "db-01 is 95% full");
        assert_eq!(markdown_escape("&#60;"), "&#38;&#35;60;");
    }

    #[test]
    fn cards_markdown_url_keeps_links_intact() {
        assert_eq!(
            markdown_url(" https://e.x/a b(c)?q='1' "),
            "https://e.x/a%20b%28c%29?q=%271%27"
        );
    }

    #[test]
    fn cards_json_string_body_escapes_quotes_and_controls() {
        assert_eq!(
            json_string_body("a\"b\\c\nd\u{1}"),
            "a\\\"b\\\\c\\nd\\u0001"
        );
        assert_eq!(json_string_body("告警"), "告警");
    }
}
