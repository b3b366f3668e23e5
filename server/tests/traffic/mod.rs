//! Client traffic for the crash, concurrency and soak tests: HTTP/1.1 on new connections,
//! document uploads by students and decisions by staff, across one or more instances, with what
//! each client was told recorded for the checks afterwards.
#![allow(dead_code, reason = "each test binary uses part of it")]

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");
pub const PASSWORD: &str = "demo maple ferry 2026";
pub const STUDENTS: [&str; 3] = [
    "ana@students.coop.example",
    "farah@students.coop.example",
    "mateo@students.coop.example",
];

/// One HTTP/1.1 exchange on a new connection: the status and body, or `None` when the server
/// did not answer (it was killed).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<(u16, String, String)> {
    exchange(port, method, path, headers, body).ok()
}

/// One HTTP/1.1 exchange, or why there was no answer.
pub fn exchange(
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

pub fn upload(bytes: &[u8]) -> (String, Vec<u8>) {
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

pub fn id_in(body: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(body).ok()?["id"].as_i64()
}

pub fn sign_in(port: u16, email: &str) -> String {
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
pub struct Acknowledged {
    /// Documents created: (idempotency key, id).
    pub uploads: Vec<(String, i64)>,
    /// Uploads sent without an answer: the sender's cookie, the key and the file, to retry.
    pub unanswered: Vec<(String, String, Vec<u8>)>,
    /// Why those got no answer.
    pub why: Vec<String>,
    /// Documents verified.
    pub verified: Vec<i64>,
}

/// Students upload and staff verify until `stop`, each request to the next of `ports` in turn
/// (one instance, or several on one database). Any answer but the expected ones fails the test.
pub fn traffic(
    ports: &[u16],
    students: &[&str],
    tokens: &[String],
    stop: &Arc<AtomicBool>,
    acked: &Arc<Mutex<Acknowledged>>,
) -> Vec<std::thread::JoinHandle<()>> {
    let mut threads = Vec::new();
    for email in students.iter().copied() {
        let cookie = sign_in(ports[0], email);
        let (stop, acked, ports) = (Arc::clone(stop), Arc::clone(acked), ports.to_vec());
        threads.push(std::thread::spawn(move || {
            for port in ports.iter().copied().cycle() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let key = uuid::Uuid::new_v4().to_string();
                let bytes = crate::pdf_tricks::page(&key);
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
        let (stop, acked, bearer, ports) = (
            Arc::clone(stop),
            Arc::clone(acked),
            format!("Bearer {token}"),
            ports.to_vec(),
        );
        threads.push(std::thread::spawn(move || {
            for port in ports.iter().copied().cycle() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
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
pub fn cli(dir: &Path, args: &[&str]) -> String {
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

/// A new API token of a staff member (`db` adds `--database-url URL` for PostgreSQL).
pub fn staff_token(dir: &Path, email: &str, db: &[&str]) -> String {
    let args = [
        &["token", "create", "--email", email, "--name", "load"][..],
        db,
    ]
    .concat();
    token_in(&cli(dir, &args))
}

/// The token `coop-permits token create` printed.
pub fn token_in(printed: &str) -> String {
    printed
        .split_whitespace()
        .find(|w| {
            w.len() > 30
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .expect("the token is printed")
        .to_owned()
}

/// A new, empty database on the test PostgreSQL server (`COOP_TEST_POSTGRES_URL`); its URL.
pub fn new_postgres_database(prefix: &str) -> String {
    use sea_orm::{ConnectionTrait, Database};
    let admin_url = std::env::var("COOP_TEST_POSTGRES_URL").expect(
        "COOP_TEST_POSTGRES_URL is not set: run `bash scripts/test.sh`, which starts PostgreSQL",
    );
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let admin = Database::connect(&admin_url).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
    });
    format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)
}
