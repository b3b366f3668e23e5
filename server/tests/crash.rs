//! Crash safety: the server is killed with SIGKILL while students upload documents and staff
//! decide them, three times over, and restarted on the same SQLite data folder. Every upload
//! and decision the server acknowledged is there after each restart; no record names a file
//! that is missing or unreadable; an upload retried with its idempotency key after the crash is
//! stored exactly once; the files an interrupted upload left behind (written, never named) are
//! removed by the retention job once older than its grace period; and the restarted server logs
//! no error. (A reminder runner killed between claiming and delivering is
//! `month_of_reminders.rs`.)
#![cfg(unix)]
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use coop_store::Store;
use coop_store::entity::{document, file};
use coop_store::vault::{FileKey, Vault};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");
const PASSWORD: &str = "demo maple ferry 2026";
const STUDENTS: [&str; 3] = [
    "ana@students.coop.example",
    "farah@students.coop.example",
    "mateo@students.coop.example",
];

/// One HTTP/1.1 exchange on a new connection: the status and body, or `None` when the server
/// did not answer (it was killed).
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<(u16, String, String)> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.get(9..12)?.parse().ok()?;
    Some((status, head.to_owned(), body.to_owned()))
}

fn upload(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "crash-boundary-41c9";
    let mut body = Vec::new();
    for (name, value) in [
        ("kind", "study_permit"),
        ("number", "F123456789"),
        ("uci", "1234-5678"),
        ("issued_on", "2026-01-04"),
        ("expires_on", "2029-01-04"),
        ("on_campus_work", "true"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"permit.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn id_in(body: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(body).ok()?["id"].as_i64()
}

fn start(dir: &Path, port: u16) -> Child {
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--public-url", &format!("http://127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir)
        .env_remove("COOP_FILE_KEY")
        .env_remove("DATABASE_URL")
        .env_remove("COOP_SMTP_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while http(port, "GET", "/healthz", &[], b"").map(|r| r.0) != Some(200) {
        assert!(Instant::now() < deadline, "the server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn sign_in(port: u16, email: &str) -> String {
    let body = serde_json::json!({"email": email, "password": PASSWORD}).to_string();
    let (status, head, text) = http(
        port,
        "POST",
        "/api/v1/session",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 200, "{text}");
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase().starts_with("set-cookie:").then(|| {
                l.split_once(':')
                    .unwrap()
                    .1
                    .trim()
                    .split(';')
                    .next()
                    .unwrap()
                    .to_owned()
            })
        })
        .unwrap()
}

/// What clients were told was done.
#[derive(Default)]
struct Acknowledged {
    /// Documents created: (idempotency key, id).
    uploads: Vec<(String, i64)>,
    /// Uploads sent without an answer: the sender's cookie, the key and the file, to retry.
    unanswered: Vec<(String, String, Vec<u8>)>,
    /// Documents verified.
    verified: Vec<i64>,
}

/// Students upload and staff verify until `stop`.
fn traffic(
    port: u16,
    token: &str,
    stop: &Arc<AtomicBool>,
    acked: &Arc<Mutex<Acknowledged>>,
) -> Vec<std::thread::JoinHandle<()>> {
    let mut threads = Vec::new();
    for email in STUDENTS {
        let cookie = sign_in(port, email);
        let (stop, acked) = (Arc::clone(stop), Arc::clone(acked));
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let key = uuid::Uuid::new_v4().to_string();
                let bytes = format!("%PDF-1.7\n% {key}\n%%EOF\n").into_bytes();
                let (content_type, body) = upload(&bytes);
                match http(
                    port,
                    "POST",
                    "/api/v1/me/documents",
                    &[
                        ("Cookie", &cookie),
                        ("Content-Type", &content_type),
                        ("Idempotency-Key", &key),
                    ],
                    &body,
                ) {
                    Some((201, _, text)) => acked
                        .lock()
                        .unwrap()
                        .uploads
                        .push((key, id_in(&text).unwrap())),
                    Some((status, _, text)) => panic!("upload answered {status}: {text}"),
                    None => {
                        acked.lock().unwrap().unanswered.push((cookie, key, bytes));
                        return;
                    }
                }
            }
        }));
    }
    let (stop, acked, bearer) = (
        Arc::clone(stop),
        Arc::clone(acked),
        format!("Bearer {token}"),
    );
    threads.push(std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            let Some((200, _, queue)) = http(
                port,
                "GET",
                "/api/v1/documents",
                &[("Authorization", &bearer)],
                b"",
            ) else {
                return;
            };
            let queue: serde_json::Value = serde_json::from_str(&queue).unwrap();
            let Some(id) = queue["items"]
                .as_array()
                .and_then(|i| i.first())
                .and_then(|d| d["id"].as_i64())
            else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            match http(
                port,
                "POST",
                &format!("/api/v1/documents/{id}/decision"),
                &[
                    ("Authorization", &bearer),
                    ("Content-Type", "application/json"),
                ],
                br#"{"decision":"verify"}"#,
            ) {
                Some((200, _, _)) => acked.lock().unwrap().verified.push(id),
                Some((409, _, _)) => {}
                Some((status, _, text)) => panic!("decision answered {status}: {text}"),
                None => return,
            }
        }
    }));
    threads
}

#[test]
fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written() {
    let dir = std::env::temp_dir().join(format!("coop-crash-{}", uuid::Uuid::new_v4()));
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .arg("--data-dir")
            .arg(&dir)
            .env_remove("DATABASE_URL")
            .env_remove("COOP_FILE_KEY")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{text}");
        text
    };
    run(&["demo"]);
    let created = run(&[
        "token",
        "create",
        "--email",
        "staff1@coop.example",
        "--name",
        "crash test",
    ]);
    let token = created
        .split_whitespace()
        .find(|w| {
            w.len() > 30
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .expect("the token is printed")
        .to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = format!("sqlite://{}/coop-permits.db", dir.display());

    for round in 0..3 {
        let mut server = start(&dir, port);
        let stop = Arc::new(AtomicBool::new(false));
        let threads = traffic(port, &token, &stop, &acked);
        std::thread::sleep(Duration::from_millis(1500 + 300 * round));
        server.kill().unwrap();
        server.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        for t in threads {
            t.join().unwrap();
        }
    }

    // Restarted: the unanswered uploads are retried by their senders (whose sessions live in
    // the database) with their keys, each stored once whether or not it was before the kill.
    let mut server = start(&dir, port);
    let retried = acked.lock().unwrap().unanswered.clone();
    for (cookie, key, bytes) in &retried {
        let (content_type, body) = upload(bytes);
        let (status, _, text) = http(
            port,
            "POST",
            "/api/v1/me/documents",
            &[
                ("Cookie", cookie),
                ("Content-Type", &content_type),
                ("Idempotency-Key", key),
            ],
            &body,
        )
        .unwrap();
        assert!(matches!(status, 200 | 201), "{status}: {text}");
    }
    let acked = acked.lock().unwrap();
    assert!(
        acked.uploads.len() > 10,
        "only {} uploads acknowledged",
        acked.uploads.len()
    );
    assert!(!acked.verified.is_empty(), "no decision acknowledged");

    runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let key =
            FileKey::from_base64(&std::fs::read_to_string(dir.join("file-key")).unwrap()).unwrap();
        let vault = Vault::new(dir.join("files"), &key);
        for (client_key, id) in &acked.uploads {
            let doc = document::Entity::find_by_id(*id)
                .one(store.db())
                .await
                .unwrap();
            let doc = doc.unwrap_or_else(|| panic!("acknowledged upload {id} is missing"));
            assert_eq!(doc.client_key.as_deref(), Some(client_key.as_str()));
        }
        for id in &acked.verified {
            let doc = document::Entity::find_by_id(*id)
                .one(store.db())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                doc.status, "verified",
                "acknowledged decision on {id} is lost"
            );
        }
        for (_, key, _) in &retried {
            let same = document::Entity::find()
                .filter(document::Column::ClientKey.eq(key.as_str()))
                .all(store.db())
                .await
                .unwrap();
            assert_eq!(same.len(), 1, "the retried upload {key}");
        }
        // No record names a missing or unreadable file.
        let rows = file::Entity::find().all(store.db()).await.unwrap();
        for doc in document::Entity::find().all(store.db()).await.unwrap() {
            if let Some(file_id) = doc.file_id {
                let row = rows
                    .iter()
                    .find(|f| f.id == file_id)
                    .expect("the file row exists");
                vault
                    .get(&row.storage_name)
                    .await
                    .expect("the stored file decrypts");
            }
        }
        // Files written and never named (the upload was killed before its commit) go once older
        // than the grace period; then the folder holds exactly the named files.
        let named: BTreeSet<String> = rows.iter().map(|f| f.storage_name.clone()).collect();
        let on_disk = || -> BTreeSet<String> {
            std::fs::read_dir(dir.join("files"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        };
        assert!(named.is_subset(&on_disk()));
        let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
        let unnamed = on_disk().difference(&named).count();
        let swept = run(&["retention", "run", "--now", &later]);
        assert!(
            swept.contains(&format!("{unnamed} unnamed files")),
            "{swept}"
        );
        assert_eq!(on_disk(), named);
        eprintln!(
            "three kills: {} uploads and {} decisions acknowledged and found, {} unanswered uploads retried once each, {unnamed} unnamed files swept",
            acked.uploads.len(),
            acked.verified.len(),
            retried.len()
        );
        store.close().await.unwrap();
    });

    // The reminder job ran on the restarted server, and nothing logged an error.
    server.kill().unwrap();
    server.wait().unwrap();
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(!log.contains("ERROR"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
