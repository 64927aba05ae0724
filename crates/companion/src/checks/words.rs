//! A check's finding in English, from the UI's catalogue (`checks.findings.*`, `checks.fixes.*`):
//! the CLI prints the same sentences the window shows. The values are put the way the window's
//! `useCheckText` puts them in English: lists joined with ", ", the URL fields' keys named, an
//! empty list read as "none", a URL that is not saved yet described.

use std::collections::BTreeMap;

use super::CheckFinding;
use crate::problem::{catalogue_str, catalogue_text};

/// Params holding a list, with the separator Rust joined them with and, for lists of keys,
/// where the keys' names are.
const LISTS: [(&str, &str, Option<&str>); 5] = [
    ("missing", ",", Some("setup.integration.fields")),
    ("scopes", ",", None),
    ("events", ",", None),
    ("callbacks", ",", None),
    ("names", "\n", None),
];

/// Params that come empty when the platform has nothing there.
const EMPTY_MEANS_NONE: [&str; 3] = ["current", "events", "callbacks"];

pub(super) fn finding(finding: CheckFinding, params: &BTreeMap<String, String>) -> String {
    catalogue_text(&["checks", "findings", finding.as_str()], &english(params))
}

pub(super) fn fix(finding: CheckFinding, params: &BTreeMap<String, String>) -> String {
    catalogue_text(&["checks", "fixes", finding.as_str()], &english(params))
}

fn field_name(key: &str) -> String {
    let path: Vec<&str> = "setup.integration.fields".split('.').chain([key]).collect();
    catalogue_str(&path).unwrap_or(key).to_owned()
}

fn english(params: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = params.clone();
    let separator = catalogue_str(&["checks", "listSeparator"]).unwrap_or(", ");
    for (name, split, keys) in LISTS {
        let Some(value) = params.get(name) else {
            continue;
        };
        let words: Vec<String> = value
            .split(split)
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| match keys {
                Some(_) => field_name(item),
                None => item.to_owned(),
            })
            .collect();
        out.insert(name.to_owned(), words.join(separator));
    }
    let none = catalogue_str(&["checks", "noneValue"]).unwrap_or("none");
    for name in EMPTY_MEANS_NONE {
        if params.get(name).is_some_and(String::is_empty) {
            out.insert(name.to_owned(), none.to_owned());
        }
    }
    if let (None, Some(field)) = (params.get("url"), params.get("field")) {
        let unsaved = catalogue_str(&["checks", "unsavedUrl"]).unwrap_or("{{field}}");
        let described = crate::problem::interpolate(
            unsaved,
            &BTreeMap::from([("field".to_owned(), field_name(field))]),
        );
        out.insert("url".to_owned(), described);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use strum::IntoEnumIterator;

    use super::*;

    use crate::problem::testing::{catalogues, placeholders};

    /// Every finding has its sentence, and every finding with a fix its fix, in English and in
    /// Chinese, naming the same values; no sentence is left for a finding that is gone.
    #[test]
    fn every_finding_has_its_words_in_both_languages() {
        let (en, zh) = catalogues();
        let mut missing = Vec::new();
        for f in CheckFinding::iter() {
            let mut groups = vec!["findings"];
            if f.has_fix() {
                groups.push("fixes");
            }
            for group in groups {
                let (e, z) = (
                    en["checks"][group][f.as_str()].as_str(),
                    zh["checks"][group][f.as_str()].as_str(),
                );
                match (e, z) {
                    (Some(e), Some(z)) => assert_eq!(
                        placeholders(e),
                        placeholders(z),
                        "checks.{group}.{}",
                        f.as_str()
                    ),
                    _ => missing.push(format!("checks.{group}.{}", f.as_str())),
                }
            }
        }
        assert!(missing.is_empty(), "no sentence for {missing:?}");
        let known: BTreeSet<&str> = CheckFinding::iter().map(CheckFinding::as_str).collect();
        for group in ["findings", "fixes"] {
            for key in en["checks"][group].as_object().unwrap().keys() {
                assert!(
                    known.contains(key.as_str()),
                    "checks.{group}.{key} has no finding"
                );
            }
        }
    }

    #[test]
    fn lists_are_named_and_joined_and_an_unsaved_url_is_described() {
        let params = BTreeMap::from([
            ("missing".to_owned(), "webConfigUrl,redirectUrl".to_owned()),
            ("events".to_owned(), String::new()),
            ("field".to_owned(), "cardRequestUrl".to_owned()),
        ]);
        let out = english(&params);
        assert_eq!(out["missing"], "Web Configuration URL, Redirect URL");
        assert_eq!(out["events"], "none");
        assert!(
            out["url"].contains("Message Card Request URL"),
            "{}",
            out["url"]
        );
    }
}
