//! Stored-file throughput and database growth, for BENCHMARKS.md: 1,000 distinct 256 KiB files
//! stored (encrypted, each in its own transaction with its row, as an upload stores them) and
//! read back, on SQLite (files folder) and on PostgreSQL (files in the database).
//!
//! `cargo run --release -p coop-store --example file_throughput -- [POSTGRES_ADMIN_URL]`
//! (scripts/with-postgres.sh sets `COOP_TEST_POSTGRES_URL`, used when no URL is given).
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use std::path::Path;
use std::time::Instant;

use coop_store::service::files;
use coop_store::vault::{FileKey, Vault};
use coop_store::{Backend, Store};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

const FILES: usize = 1_000;
const SIZE: usize = 256 * 1024;

fn noise(bytes: &mut [u8], seed: u64) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D);
    for b in bytes.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
}

fn folder_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => folder_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

async fn stored_size(store: &Store, dir: &Path) -> u64 {
    match store.backend() {
        Backend::Sqlite => folder_size(dir),
        Backend::Postgres => {
            let row = store
                .db()
                .query_one_raw(Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT pg_database_size(current_database()) AS n",
                ))
                .await
                .unwrap()
                .unwrap();
            u64::try_from(row.try_get::<i64>("", "n").unwrap()).unwrap()
        }
    }
}

async fn measure(label: &str, url: &str, dir: &Path) {
    let store = Store::open_and_migrate(url).await.unwrap();
    let vault = Vault::for_backend(
        store.backend(),
        &dir.join("files"),
        &FileKey::generate().unwrap(),
    );
    let before = stored_size(&store, dir).await;
    let mut payloads = Vec::with_capacity(FILES);
    for i in 0..FILES {
        let mut bytes = vec![0u8; SIZE];
        noise(&mut bytes, i as u64);
        payloads.push(bytes);
    }
    let now = chrono::Utc::now();
    let clock = Instant::now();
    let mut ids = Vec::with_capacity(FILES);
    for bytes in &payloads {
        let txn = store.db().begin().await.unwrap();
        let stored = files::store(&txn, &vault, bytes, "application/pdf", now)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        ids.push(stored.file.id);
    }
    let stored = clock.elapsed();
    let clock = Instant::now();
    for (id, bytes) in ids.iter().zip(&payloads) {
        let (_, back) = files::read(store.db(), &vault, *id).await.unwrap();
        assert_eq!(back.len(), bytes.len());
    }
    let read = clock.elapsed();
    if store.backend() == Backend::Postgres {
        store
            .db()
            .execute_unprepared("VACUUM ANALYZE")
            .await
            .unwrap();
    }
    let after = stored_size(&store, dir).await;
    let mib = (FILES * SIZE) as f64 / (1024.0 * 1024.0);
    println!(
        "{label}: {FILES} files of {} KiB: stored in {:.2} s ({:.0} files/s, {:.1} MiB/s); read back in {:.2} s ({:.0} files/s, {:.1} MiB/s); grew by {:.1} MiB ({:.1} MiB per 1,000 files, {:.2}x the plain bytes)",
        SIZE / 1024,
        stored.as_secs_f64(),
        FILES as f64 / stored.as_secs_f64(),
        mib / stored.as_secs_f64(),
        read.as_secs_f64(),
        FILES as f64 / read.as_secs_f64(),
        mib / read.as_secs_f64(),
        (after - before) as f64 / (1024.0 * 1024.0),
        (after - before) as f64 / (1024.0 * 1024.0) * 1000.0 / FILES as f64,
        (after - before) as f64 / (FILES * SIZE) as f64,
    );
    store.close().await.unwrap();
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("coop-file-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    measure(
        "SQLite, files folder",
        &format!("sqlite://{}/coop-permits.db", dir.display()),
        &dir,
    )
    .await;
    let admin = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("COOP_TEST_POSTGRES_URL").ok());
    if let Some(admin) = admin {
        let name = format!("coop_file_bench_{}", std::process::id());
        let server = sea_orm::Database::connect(&admin).await.unwrap();
        server
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        let pg_dir = dir.join("pg");
        std::fs::create_dir_all(&pg_dir).unwrap();
        measure("PostgreSQL, files in the database", &url, &pg_dir).await;
        server
            .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
            .await
            .unwrap();
    } else {
        println!("PostgreSQL: skipped (give an admin URL, or run under scripts/with-postgres.sh)");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
