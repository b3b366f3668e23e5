//! Scale-out on PostgreSQL, as two hosts would run it: two instances with separate data folders
//! on one database. A document uploaded through one opens through the other byte for byte, also
//! after the first is killed with SIGKILL, because the files live in the database; files kept in
//! a folder before the move are moved in by `coop-permits files move-to-database`, resumably.
#![cfg(unix)]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod traffic;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use coop_store::Store;
use coop_store::entity::file;
use coop_store::service::audit::Actor;
use coop_store::service::{documents, students};
use coop_store::vault::{FileKey, Vault};
use sea_orm::EntityTrait;

use traffic::{BIN, STUDENTS, http, id_in, sign_in, staff_token, upload};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn temp(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("coop-scale-{label}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An instance on its own data folder, with the deployment's database and file key.
fn start(dir: &Path, port: u16, url: &str, key: &FileKey) -> Child {
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--public-url", &format!("http://127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir)
        .env("DATABASE_URL", url)
        .env("COOP_FILE_KEY", key.to_base64())
        .env_remove("COOP_SMTP_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
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

/// `coop-permits ARGS` on `dir` with the deployment's database and key: exit status and output.
fn command(dir: &Path, url: &str, key: &FileKey, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("DATABASE_URL", url)
        .env("COOP_FILE_KEY", key.to_base64())
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A GET whose body is kept as bytes (a stored PDF is not text).
fn download(port: u16, path: &str, auth: (&str, &str)) -> (u16, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}: {}\r\nConnection: close\r\n\r\n",
        auth.0, auth.1
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let status = head[9..12].parse().unwrap();
    (status, answer[split + 4..].to_vec())
}

fn upload_as(port: u16, cookie: &str, key: &str, bytes: &[u8]) -> i64 {
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
    assert_eq!(status, 201, "{text}");
    id_in(&text).unwrap()
}

fn no_errors_logged(dir: &Path) {
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(!log.contains("ERROR"), "{log}");
}

#[test]
fn two_instances_on_separate_folders_share_every_file_through_postgres() {
    let url = traffic::new_postgres_database("coop_scale");
    let key = FileKey::generate().unwrap();
    let (dir_a, dir_b) = (temp("a"), temp("b"));
    let (ok, out) = command(&dir_a, &url, &key, &["demo"]);
    assert!(ok, "{out}");
    let token = staff_token(&dir_a, "staff1@coop.example", &["--database-url", &url]);
    let bearer = format!("Bearer {token}");
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = start(&dir_a, port_a, &url, &key);
    let b = start(&dir_b, port_b, &url, &key);

    // A student uploads through A; staff and the student open it through B.
    let cookie = sign_in(port_a, STUDENTS[0]);
    let first = pdf_tricks::page("study permit uploaded through instance A");
    let id = upload_as(port_a, &cookie, "scale-out-1", &first);
    let path = format!("/api/v1/me/documents/{id}/file");
    assert_eq!(
        download(port_b, &path, ("Authorization", &bearer)),
        (200, first.clone())
    );
    assert_eq!(
        download(port_b, &path, ("Cookie", &cookie)),
        (200, first.clone())
    );

    // A is killed: B keeps serving it, and takes the next upload.
    a.kill().unwrap();
    a.wait().unwrap();
    assert_eq!(
        download(port_b, &path, ("Authorization", &bearer)),
        (200, first.clone())
    );
    let second = pdf_tricks::page("study permit uploaded through instance B");
    let id2 = upload_as(port_b, &cookie, "scale-out-2", &second);

    // A restarted on its own folder serves what B stored while it was down.
    let a = start(&dir_a, port_a, &url, &key);
    assert_eq!(
        download(
            port_a,
            &format!("/api/v1/me/documents/{id2}/file"),
            ("Cookie", &cookie)
        ),
        (200, second)
    );
    for dir in [&dir_a, &dir_b] {
        assert!(
            !dir.join("files").exists(),
            "{} has a files folder: on PostgreSQL the files live in the database",
            dir.display()
        );
    }
    for (mut child, dir) in [(a, &dir_a), (b, &dir_b)] {
        child.kill().unwrap();
        child.wait().unwrap();
        no_errors_logged(dir);
    }
    for dir in [dir_a, dir_b] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn files_kept_in_a_folder_move_into_the_database_resumably() {
    let url = traffic::new_postgres_database("coop_move");
    let key = FileKey::generate().unwrap();
    let (dir_a, dir_b) = (temp("old"), temp("new"));
    let (ok, out) = command(&dir_a, &url, &key, &["demo"]);
    assert!(ok, "{out}");
    // Three documents stored in A's folder, as before files moved into the database.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let uploaded: Vec<(i64, Vec<u8>)> = runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let folder = Vault::new(dir_a.join("files"), &key);
        let student = students::find_by_number(store.db(), "100000013")
            .await
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        for i in 0..3 {
            let bytes = pdf_tricks::page(&format!("permit kept in a folder {i}"));
            let done = documents::submit(
                store.db(),
                &folder,
                student.id,
                documents::Upload {
                    kind: coop_core::validation::DocumentKind::StudyPermit,
                    number: format!("F12345678{i}"),
                    uci: "12345678".to_owned(),
                    issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
                    expires_on: chrono::NaiveDate::from_ymd_opt(2028, 1, 4).unwrap(),
                    on_campus_work: true,
                    bytes: bytes.clone(),
                    client_key: None,
                },
                &Actor::Cli,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
            out.push((done.document.id, bytes));
        }
        store.close().await.unwrap();
        out
    });
    let token = staff_token(&dir_a, "staff1@coop.example", &["--database-url", &url]);
    let bearer = format!("Bearer {token}");
    let port = free_port();
    let path = |id: i64| format!("/api/v1/me/documents/{id}/file");

    // B, on another folder, cannot read them yet; A warns at start that they are not moved.
    let mut b = start(&dir_b, port, &url, &key);
    let (status, _) = download(port, &path(uploaded[0].0), ("Authorization", &bearer));
    assert_eq!(status, 500);
    b.kill().unwrap();
    b.wait().unwrap();

    // A move interrupted after one file committed, before its folder copy went: the copy is
    // back in the folder beside the database row. And one file is damaged in the folder.
    let files_dir = dir_a.join("files");
    let names: Vec<String> = runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let rows = file::Entity::find().all(store.db()).await.unwrap();
        store.close().await.unwrap();
        rows.into_iter().map(|r| r.storage_name).collect()
    });
    assert_eq!(names.len(), 3);
    let damaged = files_dir.join(&names[2]);
    let good = std::fs::read(&damaged).unwrap();
    let mut broken = good.clone();
    let last = broken.len() - 1;
    broken[last] ^= 0x55;
    std::fs::write(&damaged, &broken).unwrap();
    let (ok, out) = command(&dir_a, &url, &key, &["files", "move-to-database"]);
    assert!(!ok, "a damaged file fails the run: {out}");
    assert!(
        out.contains("2 files moved into the database, 0 were there already"),
        "{out}"
    );
    assert!(
        out.contains(&format!("file {} in", names[2])) && out.contains("damaged"),
        "{out}"
    );
    assert!(damaged.exists(), "a damaged file stays where it was");
    // Repaired (say, from a backup), and a moved file's copy left behind as by a killed run.
    std::fs::write(&damaged, &good).unwrap();
    let kept_copy = runtime.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let row = coop_store::entity::file_content::Entity::find_by_id(names[0].clone())
            .one(store.db())
            .await
            .unwrap()
            .unwrap();
        store.close().await.unwrap();
        row.sealed
    });
    std::fs::write(files_dir.join(&names[0]), &kept_copy).unwrap();
    let (ok, out) = command(&dir_a, &url, &key, &["files", "move-to-database"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("1 files moved into the database, 2 were there already"),
        "{out}"
    );
    assert_eq!(std::fs::read_dir(&files_dir).unwrap().count(), 0);

    // Now any instance serves every file, byte for byte.
    let mut b = start(&dir_b, port, &url, &key);
    for (id, bytes) in &uploaded {
        assert_eq!(
            download(port, &path(*id), ("Authorization", &bearer)),
            (200, bytes.clone())
        );
    }
    b.kill().unwrap();
    b.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir_a);
    let _ = std::fs::remove_dir_all(dir_b);
}
