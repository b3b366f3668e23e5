//! The `coop-permits` binary as an operator runs it: help, migrate, serve, SIGTERM, a wrong file key.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;

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
        "--file-key",
        "COOP_FILE_KEY",
        "--privacy-contact-title",
        "COOP_PRIVACY_CONTACT_PHONE",
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

/// A server started with a key other than the one the stored files were encrypted with stops at
/// once, saying so, instead of serving files it cannot read.
#[test]
fn a_file_key_that_does_not_match_the_stored_files_stops_the_start() {
    use coop_store::vault::{FileKey, Vault};
    let dir = temp_dir();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}/coop-permits.db", dir.display());
        let store = coop_store::Store::open_and_migrate(&url).await.unwrap();
        let vault = Vault::new(dir.join("files"), &FileKey::generate().unwrap());
        let student = coop_store::service::students::create(
            store.db(),
            coop_store::service::students::NewStudent::enrolled("1", "a@example.ca", "A"),
            &coop_store::service::audit::Actor::Cli,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        coop_store::service::documents::submit(
            store.db(),
            &vault,
            student.id,
            coop_store::service::documents::Upload {
                kind: coop_core::validation::DocumentKind::StudyPermit,
                number: "F123456789".to_owned(),
                uci: "12345678".to_owned(),
                issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
                expires_on: chrono::NaiveDate::from_ymd_opt(2999, 1, 4).unwrap(),
                on_campus_work: true,
                bytes: pdf_tricks::page("stored with the first key"),
                client_key: None,
            },
            &coop_store::service::audit::Actor::Cli,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        store.close().await.unwrap();
    });
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--file-key"])
        .arg(FileKey::generate().unwrap().to_base64())
        .arg("--data-dir")
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started with the wrong file key");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!status.success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("is not the key the stored files were encrypted with"),
        "{log}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
