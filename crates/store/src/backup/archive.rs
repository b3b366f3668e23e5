//! The archive's format, shared by the backup and the restore: its folder, manifest, counted
//! tables and errors.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::connect::StoreError;
use crate::entity::file;

/// The archive's folder, so that unpacking it by hand never spills into the current folder.
pub(super) const ROOT: &str = "coop-permits-backup";
pub(super) const FORMAT: u32 = 1;
/// The tables whose rows a restore counts against the manifest.
const COUNTED: [&str; 11] = [
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
];

/// What a backup holds (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: DateTime<Utc>,
    /// `sqlite` (the database is in the archive) or `postgres` (dumped with pg_dump).
    pub backend: String,
    /// The migrations applied, oldest first.
    pub migrations: Vec<String>,
    /// Rows per table.
    pub counts: BTreeMap<String, u64>,
    /// Every stored file in the archive: name, size and SHA-256 of the stored (encrypted) bytes.
    pub files: Vec<FileEntry>,
    /// The stored files whose bytes are in the database itself (PostgreSQL, in its dump), for
    /// the restore to find there after pg_restore.
    #[serde(default)]
    pub in_database: Vec<FileEntry>,
    /// The ids of the keys the files are encrypted with.
    pub key_ids: Vec<String>,
}

/// One stored file in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// Why a backup or a restore stopped, in words for the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    /// The archive is not one of ours, or was changed or cut short.
    #[error("{0}")]
    Archive(String),
    /// The target already holds data.
    #[error("{0}")]
    Target(String),
    /// The files folder lacks a file the database names.
    #[error(
        "the database names the stored file {0}, which is missing from the files folder: the backup would be incomplete"
    )]
    MissingFile(String),
}

pub(super) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(super) async fn counts(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<String, u64>, BackupError> {
    let mut out = BTreeMap::new();
    for table in COUNTED {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await?
            .ok_or_else(|| BackupError::Archive(format!("no count for {table}")))?;
        let n: i64 = row.try_get("", "n")?;
        out.insert(table.to_owned(), u64::try_from(n).unwrap_or(0));
    }
    Ok(out)
}

/// What the database says is stored: (name, key id) of every file row.
pub(super) async fn file_rows(db: &impl ConnectionTrait) -> Result<Vec<file::Model>, BackupError> {
    Ok(file::Entity::find().all(db).await?)
}

/// The name a whole encrypted archive is sealed under (its additional data).
pub(super) const SEALED_ARCHIVE: &str = "coop-permits-backup";
