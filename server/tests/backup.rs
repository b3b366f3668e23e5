//! `coop-permits backup` and `restore` as an operator runs them, on SQLite: a restore into a
//! fresh data folder finds every record and every file (decrypted and matched to its recorded
//! checksum); a restore over existing data, a changed archive, a cut-short archive and a
//! backup missing a stored file are each refused with the reason, and nothing is left half
//! written.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use coop_store::Store;
use coop_store::service::audit::Actor;
use coop_store::service::{documents, students};
use coop_store::vault::{FileKey, Vault};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");

fn temp(label: &str) -> PathBuf {
    std::env::temp_dir().join(format!("coop-backup-{label}-{}", uuid::Uuid::new_v4()))
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("COOP_FILE_KEY")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap()
}

/// `restore ARCHIVE` into `dir` with the file key `key` (base64) in the environment.
fn restore_with_key(archive: &str, dir: &Path, key: &str) -> Output {
    Command::new(BIN)
        .args(["restore", archive, "--data-dir"])
        .arg(dir)
        .env("COOP_FILE_KEY", key)
        .env_remove("DATABASE_URL")
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

const TABLES: [&str; 12] = [
    "students",
    "users",
    "documents",
    "files",
    "letter_requests",
    "applications",
    "work_terms",
    "reminders",
    "notices",
    "consents",
    "audit_events",
    "student_standings",
];

async fn counts(store: &Store) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in TABLES {
        let row = store
            .db()
            .query_one_raw(Statement::from_string(
                store.db().get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        out.push((table.to_owned(), row.try_get::<i64>("", "n").unwrap()));
    }
    out
}

/// The demo data, plus two uploaded documents with their files, in `dir`; returns the key.
fn fill(dir: &Path, runtime: &tokio::runtime::Runtime) -> FileKey {
    assert!(run(&["demo"], dir).status.success());
    let key = FileKey::generate().unwrap();
    std::fs::write(dir.join("file-key"), key.to_base64()).unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}/coop-permits.db", dir.display());
        let store = Store::open_and_migrate(&url).await.unwrap();
        let vault = Vault::new(dir.join("files"), &key);
        let student = students::find_by_number(store.db(), "100000013")
            .await
            .unwrap()
            .unwrap();
        for (i, kind) in [
            coop_core::validation::DocumentKind::StudyPermit,
            coop_core::validation::DocumentKind::CoopWorkPermit,
        ]
        .into_iter()
        .enumerate()
        {
            documents::submit(
                store.db(),
                &vault,
                student.id,
                documents::Upload {
                    kind,
                    number: format!("{}12345678{i}", if i == 0 { 'F' } else { 'U' }),
                    uci: "12345678".to_owned(),
                    issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
                    expires_on: chrono::NaiveDate::from_ymd_opt(2028, 1, 4).unwrap(),
                    on_campus_work: true,
                    bytes: pdf_tricks::page(&format!("permit number {i}")),
                    client_key: None,
                },
                &Actor::Cli,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        }
        store.close().await.unwrap();
    });
    key
}

#[test]
fn a_backup_restores_into_a_fresh_folder_with_every_record_and_file() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (a, b) = (temp("a"), temp("b"));
    let key = fill(&a, &runtime);
    let archive = a.with_extension("tar");
    let archive_arg = archive.to_str().unwrap();

    let made = run(&["backup", archive_arg], &a);
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        text(&made).contains("14 students, 16 documents, 2 stored files"),
        "{}",
        text(&made)
    );
    assert!(
        text(&made).contains("keep the key apart"),
        "{}",
        text(&made)
    );
    assert!(!archive.with_extension("partial").exists());

    let restored = restore_with_key(archive_arg, &b, &key.to_base64());
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("2 of 2 files decrypted with the file key"),
        "{}",
        text(&restored)
    );

    runtime.block_on(async {
        let url = |dir: &Path| format!("sqlite://{}/coop-permits.db", dir.display());
        let before = Store::open(&url(&a)).await.unwrap();
        let after = Store::open(&url(&b)).await.unwrap();
        assert_eq!(counts(&before).await, counts(&after).await);
        let history = coop_store::entity::audit_event::Entity::find();
        assert_eq!(
            history.clone().all(before.db()).await.unwrap(),
            history.all(after.db()).await.unwrap()
        );
        let (va, vb) = (
            Vault::new(a.join("files"), &key),
            Vault::new(b.join("files"), &key),
        );
        let rows = coop_store::entity::file::Entity::find()
            .all(after.db())
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        for row in rows {
            assert_eq!(
                vb.get(after.db(), &row.storage_name).await.unwrap(),
                va.get(before.db(), &row.storage_name).await.unwrap()
            );
        }
    });

    // Over existing data: refused, nothing changed.
    let again = run(&["restore", archive_arg], &b);
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));

    // A changed byte in a stored file: refused before anything is written.
    let mut bytes = std::fs::read(&archive).unwrap();
    let stored = std::fs::read_dir(a.join("files"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let sealed = std::fs::read(&stored).unwrap();
    let at = bytes
        .windows(sealed.len())
        .position(|w| w == sealed.as_slice())
        .unwrap();
    bytes[at + sealed.len() - 1] ^= 0x01;
    let changed = temp("changed").with_extension("tar");
    std::fs::write(&changed, &bytes).unwrap();
    let c = temp("c");
    let refused = run(&["restore", changed.to_str().unwrap()], &c);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("is not what was backed up"),
        "{}",
        text(&refused)
    );
    assert!(!c.join("coop-permits.db").exists() && !c.join("files").exists());

    // Cut short: no manifest (it is written last), refused.
    let cut = temp("cut").with_extension("tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let refused = run(&["restore", cut.to_str().unwrap()], &c);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("not a complete coop-permits backup")
            || text(&refused).contains("has no manifest"),
        "{}",
        text(&refused)
    );
    assert!(!c.join("coop-permits.db").exists());

    // A stored file gone from the files folder: the backup stops, and leaves no archive.
    std::fs::remove_file(&stored).unwrap();
    let broken = a.with_extension("second.tar");
    let failed = run(&["backup", broken.to_str().unwrap()], &a);
    assert!(!failed.status.success());
    assert!(
        text(&failed).contains("missing from the files folder"),
        "{}",
        text(&failed)
    );
    assert!(!broken.exists() && !broken.with_extension("partial").exists());

    for path in [&a, &b, &c] {
        let _ = std::fs::remove_dir_all(path);
    }
    for file in [&archive, &changed, &cut] {
        let _ = std::fs::remove_file(file);
    }
}

/// The PostgreSQL route the README gives: `backup` archives the files and the manifest,
/// `pg_dump` the database; after `pg_restore` into a new database, `restore` puts the files in
/// a new data folder and checks every one against the restored database.
#[test]
fn the_postgres_route_restores_with_pg_dump_and_pg_restore() {
    let admin_url = std::env::var("COOP_TEST_POSTGRES_URL")
        .expect("COOP_TEST_POSTGRES_URL is not set: run `bash scripts/test.sh`");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let base = admin_url.rsplit_once('/').unwrap().0.to_owned();
    let (from, to) = (
        format!("coop_backup_{}", uuid::Uuid::new_v4().simple()),
        format!("coop_restore_{}", uuid::Uuid::new_v4().simple()),
    );
    let admin = runtime
        .block_on(sea_orm::Database::connect(&admin_url))
        .unwrap();
    for name in [&from, &to] {
        runtime
            .block_on(admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")))
            .unwrap();
    }
    let (from_url, to_url) = (format!("{base}/{from}"), format!("{base}/{to}"));
    let (a, b) = (temp("pg-a"), temp("pg-b"));
    let with_db = |args: &[&str], dir: &Path, url: &str| {
        Command::new(BIN)
            .args(args)
            .arg("--data-dir")
            .arg(dir)
            .env("DATABASE_URL", url)
            .env_remove("COOP_FILE_KEY")
            .output()
            .unwrap()
    };
    assert!(with_db(&["demo"], &a, &from_url).status.success());
    let key = FileKey::generate().unwrap();
    std::fs::create_dir_all(&a).unwrap();
    std::fs::write(a.join("file-key"), key.to_base64()).unwrap();
    runtime.block_on(async {
        let store = Store::open(&from_url).await.unwrap();
        // One file kept in the folder (stored before files moved into the database), one in
        // the database: the backup covers both.
        let in_folder = Vault::new(a.join("files"), &key);
        let in_database = Vault::for_backend(store.backend(), &a.join("files"), &key);
        let student = students::find_by_number(store.db(), "100000013")
            .await
            .unwrap()
            .unwrap();
        for (vault, kind, number) in [
            (
                &in_folder,
                coop_core::validation::DocumentKind::StudyPermit,
                "F123456789",
            ),
            (
                &in_database,
                coop_core::validation::DocumentKind::CoopWorkPermit,
                "U123456789",
            ),
        ] {
            documents::submit(
                store.db(),
                vault,
                student.id,
                documents::Upload {
                    kind,
                    number: number.to_owned(),
                    uci: "12345678".to_owned(),
                    issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
                    expires_on: chrono::NaiveDate::from_ymd_opt(2028, 1, 4).unwrap(),
                    on_campus_work: true,
                    bytes: pdf_tricks::page(&format!("a permit on PostgreSQL {number}")),
                    client_key: None,
                },
                &Actor::Cli,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        }
        assert_eq!(
            std::fs::read_dir(a.join("files")).unwrap().count(),
            1,
            "the database vault writes nothing to the folder"
        );
        store.close().await.unwrap();
    });
    let archive = a.with_extension("tar");
    let made = with_db(&["backup", archive.to_str().unwrap()], &a, &from_url);
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        text(&made).contains("pg_dump --format=custom"),
        "{}",
        text(&made)
    );
    let dump = a.with_extension("pgdump");
    let dumped = Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&from_url)
        .output()
        .unwrap();
    assert!(dumped.status.success(), "{}", text(&dumped));

    // A restore before pg_restore finds an empty database: refused with the reason.
    let early = Command::new(BIN)
        .args(["restore", archive.to_str().unwrap(), "--data-dir"])
        .arg(&b)
        .env("DATABASE_URL", &to_url)
        .env("COOP_FILE_KEY", key.to_base64())
        .output()
        .unwrap();
    assert!(!early.status.success());
    assert!(
        text(&early).contains("pg_restore first"),
        "{}",
        text(&early)
    );

    let loaded = Command::new("pg_restore")
        .args(["--no-owner", "--dbname", &to_url])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{}", text(&loaded));
    let restored = Command::new(BIN)
        .args(["restore", archive.to_str().unwrap(), "--data-dir"])
        .arg(&b)
        .env("DATABASE_URL", &to_url)
        .env("COOP_FILE_KEY", key.to_base64())
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("2 of 2 files decrypted"),
        "{}",
        text(&restored)
    );
    runtime.block_on(async {
        let (before, after) = (
            Store::open(&from_url).await.unwrap(),
            Store::open(&to_url).await.unwrap(),
        );
        assert_eq!(counts(&before).await, counts(&after).await);
        // Both files open from the restored deployment, byte for byte.
        let (va, vb) = (
            Vault::for_backend(before.backend(), &a.join("files"), &key),
            Vault::for_backend(after.backend(), &b.join("files"), &key),
        );
        let rows = coop_store::entity::file::Entity::find()
            .all(after.db())
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        for row in rows {
            assert_eq!(
                vb.get(after.db(), &row.storage_name).await.unwrap(),
                va.get(before.db(), &row.storage_name).await.unwrap()
            );
        }
        before.close().await.unwrap();
        after.close().await.unwrap();
    });
    for name in [&from, &to] {
        runtime
            .block_on(admin.execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")))
            .unwrap();
    }
    for path in [&a, &b] {
        let _ = std::fs::remove_dir_all(path);
    }
    let _ = std::fs::remove_file(&archive);
    let _ = std::fs::remove_file(&dump);
}

/// `backup --encrypt`: the whole archive, the database copy too, is sealed with the file key
/// and written 0600; restore opens it with that key only, and says what is missing without it.
#[test]
fn an_encrypted_backup_is_private_and_restores_only_with_its_key() {
    use std::os::unix::fs::PermissionsExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (a, b) = (temp("enc-a"), temp("enc-b"));
    let key = fill(&a, &runtime);
    let archive = a.with_extension("sealed.tar");
    let archive_arg = archive.to_str().unwrap();
    let made = run(&["backup", archive_arg, "--encrypt"], &a);
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        text(&made).contains("the archive is encrypted with the file key"),
        "{}",
        text(&made)
    );
    let mode = std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "backups hold personal information");
    let bytes = std::fs::read(&archive).unwrap();
    for plain in [&b"SQLite format 3"[..], b"manifest.json", b"100000013"] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain),
            "{:?} readable in the encrypted archive",
            String::from_utf8_lossy(plain)
        );
    }
    // Without a key: refused, naming what to give.
    let refused = run(&["restore", archive_arg], &temp("enc-none"));
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("is encrypted (backup --encrypt)"),
        "{}",
        text(&refused)
    );
    // With another key: refused.
    let other = restore_with_key(
        archive_arg,
        &temp("enc-other"),
        &FileKey::generate().unwrap().to_base64(),
    );
    assert!(!other.status.success());
    assert!(
        text(&other).contains(&format!(
            "it was encrypted with the file key {}, not this one",
            key.id()
        )),
        "{}",
        text(&other)
    );
    // Changed inside, or cut short: refused, and nothing is left in the target.
    for (label, changed) in [
        ("flipped", {
            let mut b = bytes.clone();
            let middle = b.len() / 2;
            b[middle] ^= 0x40;
            b
        }),
        ("cut", bytes[..bytes.len() - 100].to_vec()),
    ] {
        let path = archive.with_extension(label);
        std::fs::write(&path, &changed).unwrap();
        let target = temp(&format!("enc-{label}"));
        let refused = restore_with_key(path.to_str().unwrap(), &target, &key.to_base64());
        assert!(!refused.status.success(), "{label}");
        assert!(
            text(&refused).contains("does not decrypt with this file key"),
            "{label}: {}",
            text(&refused)
        );
        assert!(!target.join("coop-permits.db").exists(), "{label}");
        assert!(!target.join("files").exists(), "{label}");
        let _ = std::fs::remove_file(&path);
    }
    // With its key: restored and every file checked.
    let restored = restore_with_key(archive_arg, &b, &key.to_base64());
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("2 of 2 files decrypted"),
        "{}",
        text(&restored)
    );
    // --encrypt with no key anywhere: refused before anything is written.
    let keyless = temp("enc-keyless");
    assert!(run(&["demo"], &keyless).status.success());
    let _ = std::fs::remove_file(keyless.join("file-key"));
    let out = keyless.with_extension("tar");
    let failed = run(&["backup", out.to_str().unwrap(), "--encrypt"], &keyless);
    assert!(!failed.status.success());
    assert!(
        text(&failed).contains("--encrypt needs the file key"),
        "{}",
        text(&failed)
    );
    assert!(!out.exists());
    for dir in [a, b, keyless] {
        let _ = std::fs::remove_dir_all(dir);
    }
    let _ = std::fs::remove_file(archive);
}

/// Runs `restore` as a child and returns its output and its peak resident memory in KiB: the
/// kernel's high-water mark (VmHWM), read every 2 ms until the process exits.
fn restore_measured(archive: &Path, dir: &Path, key: &FileKey) -> (Output, u64) {
    let mut child = Command::new(BIN)
        .args(["restore", archive.to_str().unwrap(), "--data-dir"])
        .arg(dir)
        .env("COOP_FILE_KEY", key.to_base64())
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        let high = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0);
        peak = peak.max(high);
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    (child.wait_with_output().unwrap(), peak)
}

/// A backup with files (encrypted archive): `count` stored files of `size` random bytes each.
fn filled_backup(
    count: usize,
    size: usize,
    runtime: &tokio::runtime::Runtime,
) -> (PathBuf, FileKey) {
    let dir = temp("mem");
    std::fs::create_dir_all(&dir).unwrap();
    let key = FileKey::generate().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}/coop-permits.db", dir.display());
        let store = Store::open_and_migrate(&url).await.unwrap();
        let vault = Vault::new(dir.join("files"), &key);
        for i in 0..count {
            // Distinct (files are stored once per content); stored encrypted, so incompressible.
            let mut bytes = (i as u64).to_be_bytes().to_vec();
            bytes.resize(size, 0);
            coop_store::service::files::store(
                store.db(),
                &vault,
                &bytes,
                "application/pdf",
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        }
        store.close().await.unwrap();
    });
    std::fs::write(dir.join("file-key"), key.to_base64()).unwrap();
    let archive = dir.with_extension("tar");
    let made = run(&["backup", archive.to_str().unwrap(), "--encrypt"], &dir);
    assert!(made.status.success(), "{}", text(&made));
    let _ = std::fs::remove_dir_all(&dir);
    (archive, key)
}

/// `restore` streams the archive: restoring 32 MB of files takes about the memory restoring
/// 1 MB does (the old restore read the whole archive, and its decryption, into memory: 64 MB
/// more here). Sizes are kept small because the test build's cryptography is unoptimised.
#[test]
fn restore_memory_does_not_grow_with_the_archive() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let file = 1024 * 1024;
    let (small, small_key) = filled_backup(1, file, &runtime);
    let (large, large_key) = filled_backup(32, file, &runtime);
    let large_size = std::fs::metadata(&large).unwrap().len();
    assert!(large_size > 32 * 1024 * 1024, "{large_size}");
    let (a, b) = (temp("mem-small"), temp("mem-large"));
    let (out, small_peak) = restore_measured(&small, &a, &small_key);
    assert!(out.status.success(), "{}", text(&out));
    let (out, large_peak) = restore_measured(&large, &b, &large_key);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("32 of 32 files decrypted"),
        "{}",
        text(&out)
    );
    eprintln!(
        "restore peak RSS: {small_peak} KiB for a {} KiB archive, {large_peak} KiB for a {} KiB one",
        std::fs::metadata(&small).unwrap().len() / 1024,
        large_size / 1024
    );
    // The archive grew by 31 MiB; the restore's memory by at most a few files' worth.
    assert!(
        large_peak < small_peak + 16 * 1024,
        "peak RSS {large_peak} KiB restoring {large_size} bytes, {small_peak} KiB restoring one file"
    );
    for path in [a, b] {
        let _ = std::fs::remove_dir_all(path);
    }
    let _ = std::fs::remove_file(small);
    let _ = std::fs::remove_file(large);
}
