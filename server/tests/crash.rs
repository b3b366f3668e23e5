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
    clippy::expect_used,
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
    exchange(port, method, path, headers, body).ok()
}

/// One HTTP/1.1 exchange, or why there was no answer.
fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(u16, String, String), String> {
    let io = |what: &'static str| move |e: std::io::Error| format!("{what}: {e}");
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(io("connect"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(io("timeout"))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).map_err(io("write"))?;
    stream.write_all(body).map_err(io("write body"))?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(io("read"))?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer: {answer:?}"))?;
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status: {head:?}"))?;
    Ok((status, head.to_owned(), body.to_owned()))
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
        // A file, not a pipe: a pipe nobody reads fills up and the server blocks on its log.
        .stderr(std::fs::File::create(dir.join("server.log")).unwrap())
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
    /// Why those got no answer.
    why: Vec<String>,
    /// Documents verified.
    verified: Vec<i64>,
}

/// Students upload and staff verify until `stop`.
fn traffic(
    port: u16,
    students: &[&str],
    tokens: &[String],
    stop: &Arc<AtomicBool>,
    acked: &Arc<Mutex<Acknowledged>>,
) -> Vec<std::thread::JoinHandle<()>> {
    let mut threads = Vec::new();
    for email in students.iter().copied() {
        let cookie = sign_in(port, email);
        let (stop, acked) = (Arc::clone(stop), Arc::clone(acked));
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let key = uuid::Uuid::new_v4().to_string();
                let bytes = format!("%PDF-1.7\n% {key}\n%%EOF\n").into_bytes();
                let (content_type, body) = upload(&bytes);
                match exchange(
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
                    Ok((201, _, text)) => acked
                        .lock()
                        .unwrap()
                        .uploads
                        .push((key, id_in(&text).unwrap())),
                    Ok((status, _, text)) => panic!("upload answered {status}: {text}"),
                    Err(why) => {
                        let mut acked = acked.lock().unwrap();
                        acked.unanswered.push((cookie, key, bytes));
                        acked.why.push(why);
                        return;
                    }
                }
            }
        }));
    }
    for (k, token) in tokens.iter().enumerate() {
        let (stop, acked, bearer) = (
            Arc::clone(stop),
            Arc::clone(acked),
            format!("Bearer {token}"),
        );
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let Some((status, _, queue)) = http(
                    port,
                    "GET",
                    "/api/v1/documents",
                    &[("Authorization", &bearer)],
                    b"",
                ) else {
                    return;
                };
                assert_eq!(status, 200, "the queue answered {status}: {queue}");
                let queue: serde_json::Value = serde_json::from_str(&queue).unwrap();
                // Each staff member takes a different item, as people share a queue.
                let Some(id) = queue["items"]
                    .as_array()
                    .and_then(|i| i.get(k).or_else(|| i.first()))
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
                    // Another staff member decided it first.
                    Some((409, _, _)) => {}
                    Some((status, _, text)) => panic!("decision answered {status}: {text}"),
                    None => return,
                }
            }
        }));
    }
    threads
}

/// Runs `coop-permits ARGS --data-dir DIR`; its output.
fn cli(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
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
}

/// A new API token of a staff member.
fn staff_token(dir: &Path, email: &str) -> String {
    let created = cli(
        dir,
        &["token", "create", "--email", email, "--name", "load"],
    );
    created
        .split_whitespace()
        .find(|w| {
            w.len() > 30
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .expect("the token is printed")
        .to_owned()
}

#[test]
fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written() {
    let dir = std::env::temp_dir().join(format!("coop-crash-{}", uuid::Uuid::new_v4()));
    let run = |args: &[&str]| cli(&dir, args);
    run(&["demo"]);
    let token = staff_token(&dir, "staff1@coop.example");
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
        let threads = traffic(port, &STUDENTS, std::slice::from_ref(&token), &stop, &acked);
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
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(!log.contains("ERROR"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 8's SQLite check: fifteen clients writing at once to one instance — every demo student
/// uploading, two staff members deciding — for 15 s never get an error (no "database is
/// locked": WAL, a busy timeout and one writer at a time), and every write is stored once with
/// its audit row.
#[test]
fn concurrent_writers_on_sqlite_never_meet_a_locked_database() {
    let dir = std::env::temp_dir().join(format!("coop-writers-{}", uuid::Uuid::new_v4()));
    cli(&dir, &["demo"]);
    let tokens = [
        staff_token(&dir, "staff1@coop.example"),
        staff_token(&dir, "staff2@coop.example"),
    ];
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = start(&dir, port);
    let students = [
        "ana", "bao", "chidi", "dana", "elif", "farah", "gabriel", "hana", "ishaan", "jia",
        "kwame", "lucia", "mateo",
    ]
    .map(|n| format!("{n}@students.coop.example"));
    let emails: Vec<&str> = students.iter().map(String::as_str).collect();
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let threads = traffic(port, &emails, &tokens, &stop, &acked);
    std::thread::sleep(Duration::from_secs(15));
    stop.store(true, Ordering::SeqCst);
    for t in threads {
        t.join().unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    let acked = acked.lock().unwrap();
    let tail: String = log.lines().rev().take(40).collect::<Vec<_>>().join("\n");
    assert!(
        acked.why.is_empty(),
        "requests without an answer: {:?}\nthe server's last lines:\n{tail}",
        acked.why
    );
    assert!(!log.contains("ERROR") && !log.contains("locked"), "{log}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}/coop-permits.db", dir.display());
        let store = Store::open(&url).await.unwrap();
        let uploaded: BTreeSet<i64> = document::Entity::find()
            .filter(document::Column::ClientKey.is_not_null())
            .all(store.db())
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        let acknowledged: BTreeSet<i64> = acked.uploads.iter().map(|(_, id)| *id).collect();
        assert_eq!(
            uploaded, acknowledged,
            "every upload stored once, none unacknowledged"
        );
        let audit = |action: &'static str| {
            let db = store.db().clone();
            async move {
                coop_store::entity::audit_event::Entity::find()
                    .filter(coop_store::entity::audit_event::Column::Action.eq(action))
                    .all(&db)
                    .await
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(audit("document.submit").await, acked.uploads.len());
        assert_eq!(audit("document.verify").await, acked.verified.len());
        store.close().await.unwrap();
    });
    eprintln!(
        "15 clients for 15 s on one SQLite instance: {} uploads and {} decisions, no error",
        acked.uploads.len(),
        acked.verified.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
