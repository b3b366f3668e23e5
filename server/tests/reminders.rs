//! The reminder job as an operator runs it: `coop-permits reminders run` against the demo data,
//! with e-mail through a real SMTP server on loopback (a small sink started here that speaks
//! SMTP and records each message). The same command twice sends nothing more; without SMTP the
//! reminder is in the app only.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::process::{Command, Output};

mod smtp;

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("COOP_SMTP_URL")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn reminders_are_e_mailed_once_through_smtp() {
    let dir = std::env::temp_dir().join(format!("coop-reminders-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(run(&dir, &["demo"]).status.success());
    let sink = smtp::start();
    let url = sink.url();
    let smtp = [
        "--smtp-url",
        url.as_str(),
        "--mail-from",
        "Co-op Office <coop@example.ca>",
    ];
    let first = run(&dir, &[&["reminders", "run"][..], &smtp[..]].concat());
    assert!(first.status.success(), "{}", text(&first));
    // Farah's study permit expires in 60 days (demo data): D-60 is due today.
    assert!(
        text(&first).contains("1 due, 0 taken over, 1 delivered (in the app and by e-mail)"),
        "{}",
        text(&first)
    );
    let kept = sink.kept();
    assert_eq!(kept.len(), 1);
    let message = kept.first().unwrap();
    assert_eq!(
        smtp::header(message, "To").as_deref(),
        Some("farah@students.coop.example"),
        "{message}"
    );
    assert!(
        message.contains("From: \"Co-op Office\" <coop@example.ca>"),
        "{message}"
    );
    assert!(
        message.contains("Subject: Your study permit expires in 60 days"),
        "{message}"
    );
    assert!(
        message.contains("text/plain") && message.contains("text/html"),
        "{message}"
    );

    let again = run(&dir, &[&["reminders", "run"][..], &smtp[..]].concat());
    assert!(
        text(&again).contains("0 due, 0 taken over, 0 delivered"),
        "{}",
        text(&again)
    );
    assert_eq!(sink.kept().len(), 1);

    // A bad --now is refused by name; without SMTP the pass says reminders are in the app only.
    let bad = run(&dir, &["reminders", "run", "--now", "tomorrow"]);
    assert!(!bad.status.success());
    assert!(text(&bad).contains("--now"), "{}", text(&bad));
    let in_app = run(&dir, &["reminders", "run", "--now", "2030-01-01T00:00:00Z"]);
    assert!(
        text(&in_app).contains("in the app only"),
        "{}",
        text(&in_app)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
