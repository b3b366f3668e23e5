//! The `coop-permits` binary as an operator runs it: help, migrate, serve, SIGTERM.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");

fn temp_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("coop-process-{}", uuid::Uuid::new_v4()))
}

#[test]
fn help_documents_every_setting() {
    let out = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--listen",
        "--data-dir",
        "--database-url",
        "--public-url",
        "--site-root",
        "COOP_LISTEN",
        "DATABASE_URL",
        "LEPTOS_SITE_ROOT",
    ] {
        assert!(help.contains(flag), "serve --help lacks {flag}");
    }
}

#[test]
fn migrate_creates_the_sqlite_file_and_reports() {
    let dir = temp_dir();
    let out = Command::new(BIN)
        .args(["migrate", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("applied m20261127_000001_create_students")
    );
    assert!(dir.join("coop-permits.db").is_file());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_bad_setting_stops_with_its_name() {
    let out = Command::new(BIN)
        .args(["serve", "--public-url", "coop.example.ca", "--data-dir"])
        .arg(temp_dir())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--public-url / COOP_PUBLIC_URL"));
}

#[cfg(unix)]
#[test]
fn serves_and_stops_cleanly_on_sigterm() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = temp_dir();
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(&dir)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut up = false;
    while Instant::now() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Write;
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).unwrap();
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "the server did not come up");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("shutting down") && log.contains("stopped"),
        "{log}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
