//! Crash safety, on SQLite and on PostgreSQL: the server is killed with SIGKILL while students
//! upload documents and staff decide them (and while its reminder job makes its start pass),
//! three times over, and restarted on the same data each time. Every upload and decision the
//! server acknowledged is there after each restart; no record names a file that is missing or
//! unreadable; an upload retried with its idempotency key after the crash is stored exactly
//! once; the files an interrupted upload left behind (written, never named) are removed by the
//! retention job once older than its grace period; the reminder job resumes and delivers every
//! reminder; and the restarted server logs no error. (A reminder runner killed between claiming
//! and delivering, with the mail server hanging, is `month_of_reminders.rs`.)
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

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use coop_store::Store;
use coop_store::entity::{document, file, reminder};
use coop_store::vault::{FileKey, Vault};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use traffic::{Acknowledged, BIN, STUDENTS, cli, http, staff_token, traffic, upload};

fn start(dir: &Path, port: u16, db: &[&str]) -> Child {
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--public-url", &format!("http://127.0.0.1:{port}")])
        .args(db)
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

#[test]
fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("coop-crash-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/coop-permits.db", dir.display());
    kill_three_times(&dir, &url, &[]);
}

#[test]
fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written_on_postgres() {
    let dir = std::env::temp_dir().join(format!("coop-crash-pg-{}", uuid::Uuid::new_v4()));
    let url = traffic::new_postgres_database("coop_crash");
    kill_three_times(&dir, &url, &["--database-url", &url]);
}

/// `db` adds `--database-url URL` to every command for PostgreSQL; `url` is where to look.
fn kill_three_times(dir: &Path, url: &str, db: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    let run = |args: &[&str]| cli(dir, &[args, db].concat());
    run(&["demo"]);
    let token = staff_token(dir, "staff1@coop.example", db);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let runtime = tokio::runtime::Runtime::new().unwrap();

    for round in 0..3 {
        let mut server = start(dir, port, db);
        let stop = Arc::new(AtomicBool::new(false));
        let threads = traffic(
            &[port],
            &STUDENTS,
            std::slice::from_ref(&token),
            &stop,
            &acked,
        );
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
    let mut server = start(dir, port, db);
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
        let store = Store::open(url).await.unwrap();
        let key =
            FileKey::from_base64(&std::fs::read_to_string(dir.join("file-key")).unwrap()).unwrap();
        let vault = Vault::for_backend(store.backend(), &dir.join("files"), &key);
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
                doc.status.code(), "verified",
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
                    .get(store.db(), &row.storage_name)
                    .await
                    .expect("the stored file decrypts");
            }
        }
        // Files written and never named (the upload was killed before its commit) go once older
        // than the grace period; then the store holds exactly the named files. In PostgreSQL
        // the bytes are written in the naming transaction, so there are none to sweep.
        let named: BTreeSet<String> = rows.iter().map(|f| f.storage_name.clone()).collect();
        let stored = || async {
            vault
                .list(store.db())
                .await
                .unwrap()
                .into_iter()
                .map(|(name, _)| name)
                .collect::<BTreeSet<String>>()
        };
        assert!(named.is_subset(&stored().await));
        let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
        let unnamed = stored().await.difference(&named).count();
        if store.backend() == coop_store::Backend::Postgres {
            assert_eq!(unnamed, 0, "the database holds bytes no row names");
            assert!(
                !dir.join("files").exists(),
                "on PostgreSQL no file is written to the data folder"
            );
        }
        let swept = run(&["retention", "run", "--now", &later]);
        assert!(
            swept.contains(&format!("{unnamed} unnamed files")),
            "{swept}"
        );
        assert_eq!(stored().await, named);
        // The reminder job resumes: a pass after the claims' lease delivers whatever a killed
        // instance claimed and never sent, and every reminder is then delivered, once.
        run(&["reminders", "run", "--now", &later]);
        let reminders = reminder::Entity::find().all(store.db()).await.unwrap();
        assert!(!reminders.is_empty(), "the demo data has reminders due");
        assert!(
            reminders.iter().all(|r| r.sent_at.is_some()),
            "undelivered: {reminders:?}"
        );
        eprintln!(
            "{}, three kills: {} uploads and {} decisions acknowledged and found, {} unanswered uploads retried once each, {unnamed} unnamed files swept",
            url.split(':').next().unwrap_or_default(),
            acked.uploads.len(),
            acked.verified.len(),
            retried.len()
        );
        store.close().await.unwrap();
    });

    // Nothing logged an error.
    server.kill().unwrap();
    server.wait().unwrap();
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap();
    assert!(!log.contains("ERROR"), "{log}");
    let _ = std::fs::remove_dir_all(dir);
}
