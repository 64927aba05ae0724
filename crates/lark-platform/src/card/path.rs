//! JSON paths for findings, in the `$.body.elements[2].tag` form editors and people read.

/// `base.key`, or `base['key']` when the key is not a plain identifier.
pub(crate) fn key(base: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        format!("{base}.{key}")
    } else {
        format!(
            "{base}['{}']",
            key.replace('\\', "\\\\").replace('\'', "\\'")
        )
    }
}

/// `base[index]`.
pub(crate) fn index(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

/// The last key of a path without its indexes: `title` for `$.header.title`, `text` for
/// `$.elements[0].fields[1].text`.
pub(crate) fn last_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

#[cfg(test)]
mod tests {
    #[test]
    fn card_paths_quote_odd_keys() {
        assert_eq!(super::key("$", "body"), "$.body");
        assert_eq!(super::key("$", "zh-cn"), "$['zh-cn']");
        assert_eq!(super::key("$", "it's"), "$['it\\'s']");
        assert_eq!(super::index("$.elements", 2), "$.elements[2]");
        assert_eq!(super::last_key("$.header.title"), "title");
        assert_eq!(super::last_key("$.elements[0].fields[1].text"), "text");
        assert_eq!(super::last_key("$.elements[0]"), "elements");
    }
}
