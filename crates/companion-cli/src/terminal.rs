//! Text from outside (a rejected request's event type, a server's error) printed on a terminal.
//! A terminal obeys control characters: ESC and the C1 controls start sequences that retitle
//! the window or clear the screen, CR rewrites the line so far, LF starts a line that looks
//! like the relay's own, and bidirectional overrides reorder what is shown. Anyone who can
//! reach the relay can send such text, signed or not, so every field is escaped before it is
//! printed, in text and in JSON lines alike.

/// Characters a terminal may act on instead of showing.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as `\u{..}`: readable, and inert.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A serialized JSON line with every unsafe character written as `\uXXXX`. serde_json escapes
/// C0 controls already, but leaves DEL, the C1 controls and the overrides raw; outside strings a
/// JSON line holds none of them, so the result is the same JSON value.
pub fn json(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_the_text_and_the_json_value() {
        assert_eq!(text("a\u{1b}[2Jb\r\n"), "a\\u{1b}[2Jb\\u{d}\\u{a}");
        assert_eq!(text("事件 ok"), "事件 ok");
        let value = serde_json::json!({"t": "x\u{9b}y\u{202e}\u{7f}"});
        let line = json(&value.to_string());
        assert!(!line.chars().any(is_unsafe), "{line}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&line).unwrap(),
            value
        );
    }
}
