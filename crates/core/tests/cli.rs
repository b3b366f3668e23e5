//! The `permit-check` binary: output per case, error lines, exit codes, input forms.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on a broken fixture"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_permit-check"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const GOOD: &str = r#"{"id": "a", "now": "2026-11-27T07:30:00Z", "student": {"coop_program": true, "coop1101": "registered", "continuance_met": true}, "study_permit": {"expires": "2026-11-26"}}"#;

#[test]
fn vectors_file_gives_one_result_per_line_and_exit_0() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/rules-v1.jsonl");
    let out = run(&[path], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = lines(&out);
    let vectors: Vec<Value> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), vectors.len());
    for (result, vector) in results.iter().zip(&vectors) {
        assert_eq!(result["id"], vector["case"]["id"]);
        for (field, want) in vector["expect"].as_object().unwrap() {
            assert_eq!(&result[field], want, "{} {field}", result["id"]);
        }
    }
}

#[test]
fn bad_cases_give_error_lines_and_the_rest_are_evaluated() {
    let input = format!(
        "{GOOD}\n\n{}\nnot json\n{}\n",
        r#"{"id": "typo", "now": "2026-11-27T07:30:00Z", "student": {"coop_program": true, "coop1101": "registered", "continuance_met": true}, "study_permit": {"expires": "2026-11-31"}}"#,
        r#"{"id": "later", "now": "2026-11-27T07:30:00", "student": {"coop_program": true, "coop1101": "registered", "continuance_met": true}}"#
    );
    let out = run(&[], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out);
    assert_eq!(results.len(), 4, "the blank line is skipped");
    assert_eq!(results[0]["today"], "2026-11-27");
    assert_eq!(results[1]["id"], "typo");
    assert_eq!(results[1]["error"]["line"], 3);
    assert_eq!(results[1]["error"]["field"], "study_permit.expires");
    assert_eq!(results[2]["id"], Value::Null);
    assert_eq!(results[2]["error"]["line"], 4);
    assert_eq!(results[2]["error"]["field"], Value::Null);
    assert!(
        results[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );
    assert_eq!(results[3]["id"], "later");
    assert_eq!(results[3]["error"]["field"], "now");
    assert!(
        results[3]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("offset")
    );
}

#[test]
fn invalid_utf8_is_an_error_line_not_a_crash() {
    let out = run(&["-"], b"\xff\xfe{}\n");
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out);
    assert!(
        results[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
}

#[test]
fn json_file_with_one_case_or_an_array() {
    let dir = std::env::temp_dir().join(format!("permit-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let one = dir.join("one.json");
    std::fs::write(&one, GOOD).unwrap();
    let many = dir.join("many.json");
    std::fs::write(&many, format!("[\n{GOOD},\n{{\"now\": 1}}\n]")).unwrap();
    let out = run(&[one.to_str().unwrap(), many.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let results = lines(&out);
    assert_eq!(results.len(), 3);
    assert_eq!(results[1]["id"], "a");
    assert_eq!(results[2]["error"]["line"], 2, "position in the array");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_file_and_bad_option_exit_2() {
    let out = run(&["/nonexistent/cases.jsonl"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = run(&["--frobnicate"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--help"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Exit status"));
}
