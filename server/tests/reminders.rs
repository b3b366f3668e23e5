//! The reminder job as an operator runs it: `coop-permits reminders run` against the demo data,
//! with e-mail through a real SMTP server on loopback (a small sink started here that speaks
//! SMTP and records each message). The same command twice sends nothing more; without SMTP the
//! reminder is in the app only.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");

/// An SMTP server on loopback that accepts every message and keeps it (headers and body).
fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&messages);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let kept = Arc::clone(&kept);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
                let _ = stream.write_all(b"220 sink ESMTP\r\n");
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            let _ = stream.write_all(b"354 go ahead\r\n");
                            let mut message = String::new();
                            loop {
                                let mut data = String::new();
                                if reader.read_line(&mut data).unwrap_or(0) == 0 || data == ".\r\n"
                                {
                                    break;
                                }
                                message.push_str(&data);
                            }
                            kept.lock().unwrap().push(message);
                            b"250 kept\r\n"
                        }
                        "QUIT" => {
                            let _ = stream.write_all(b"221 bye\r\n");
                            return;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = stream.write_all(reply);
                }
            });
        }
    });
    (port, messages)
}

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
    let (port, messages) = smtp_sink();
    let url = format!("smtp://127.0.0.1:{port}");
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
    let kept = messages.lock().unwrap().clone();
    assert_eq!(kept.len(), 1);
    let message = kept.first().unwrap();
    assert!(
        message.contains("To: farah@students.coop.example"),
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
    assert_eq!(messages.lock().unwrap().len(), 1);

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
