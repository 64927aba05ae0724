//! `card render` draws the card in the language asked for (`--language`), else in the profile's
//! card language (`--profile`), else in English. `card validate` prints the validator's findings
//! in English, from the UI's catalogue.

use std::process::{Command, Output};

use companion::db::Database;
use companion::ipc::Language;
use companion::keychain::OsKeychain;
use companion::profiles::{self, ProfileInput};

fn render(data: &std::path::Path, extra: &[&str]) -> Output {
    let alert = data.join("alert.json");
    std::fs::write(
        &alert,
        r#"{"title": "Disk almost full", "severity": "warning", "status": "triggered",
            "startedAt": "2024-05-01T12:34:56Z", "incidentId": "inc_1"}"#,
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
        .arg("--data-dir")
        .arg(data)
        .args(["card", "render", "--template", "triggered", "--alert"])
        .arg(&alert)
        .args(extra)
        .output()
        .expect("run card render")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn card_render_speaks_the_language_asked_for_then_the_profiles() {
    let data = tempfile::tempdir().unwrap();
    let english = stdout(&render(data.path(), &[]));
    assert!(english.contains("\"Acknowledge\""), "{english}");

    for schema in ["2", "1"] {
        let chinese = stdout(&render(
            data.path(),
            &["--language", "zh-CN", "--schema", schema],
        ));
        assert!(chinese.contains("\"认领\""), "{chinese}");
        assert!(chinese.contains("警告"), "{chinese}");
        assert!(!chinese.contains("Acknowledge"), "{chinese}");
    }

    // A profile set to Chinese cards: its renders are Chinese unless --language says otherwise.
    {
        let db = Database::open(data.path()).unwrap();
        let input: ProfileInput = serde_json::from_value(serde_json::json!({
            "name": "Prod", "platform": {"kind": "feishu"}, "appId": "cli_a1b2c3d4e5f60718"
        }))
        .unwrap();
        profiles::add(&db, &OsKeychain::new(), input, chrono::Utc::now()).unwrap();
        profiles::set_card_language(
            &db,
            "Prod",
            Some(Language::SimplifiedChinese),
            chrono::Utc::now(),
        )
        .unwrap();
    }
    let profile = stdout(&render(data.path(), &["--profile", "Prod"]));
    assert!(profile.contains("\"认领\""), "{profile}");
    let forced = stdout(&render(
        data.path(),
        &["--profile", "Prod", "--language", "en"],
    ));
    assert!(forced.contains("\"Acknowledge\""), "{forced}");

    let bad = render(data.path(), &["--language", "fr"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("en or zh-CN"));
}

#[test]
fn card_validate_prints_each_finding_in_english_with_its_values() {
    let data = tempfile::tempdir().unwrap();
    let card = data.path().join("card.json");
    std::fs::write(
        &card,
        r#"{"schema": "2.0", "header": {"template": "pink", "title": {"tag": "plain_text", "content": "Disk"}},
            "body": {"elements": [{"tag": "text", "content": "x"}]}}"#,
    )
    .unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lark-companion-cli"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["card", "validate"])
            .arg(&card)
            .args(extra)
            .output()
            .expect("run card validate")
    };

    let output = run(&[]);
    assert_eq!(output.status.code(), Some(1), "an error fails the command");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "error    $.body.elements[0].tag  [unknown_tag]  \"text\" is not a JSON 2.0 card component."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "[header_template_unknown]  \"pink\" is not one of the documented header colours"
        ) && text.contains("(blue, wathet,"),
        "{text}"
    );
    assert!(!text.contains("{{"), "every value is filled in: {text}");
    assert!(text.contains("1 error(s), 1 warning(s)"), "{text}");

    let json: serde_json::Value = serde_json::from_slice(&run(&["--json"]).stdout).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["code"], "unknown_tag");
    assert_eq!(
        finding["params"],
        serde_json::json!({"tag": "text", "schema": "2.0"})
    );
    assert!(finding.get("message").is_none(), "{finding}");
}
