//! Backups and restores (`coop-permits backup FILE`, `coop-permits restore FILE`): one tar
//! archive with a manifest, the database (SQLite) and every uploaded file as stored — encrypted.
//! The file key is never in it: keep the key apart from the backups, or a stolen backup is a
//! readable one.
//!
//! - **SQLite**: `VACUUM INTO` takes a consistent copy while the server runs; the manifest, the
//!   list of files and the counts are read from that copy, so the archive is one moment.
//! - **PostgreSQL**: the database is dumped with `pg_dump` (the README gives the commands); the
//!   archive holds the manifest and the files. Files are never changed once written, so a dump
//!   taken after the archive finds every file it names in it.
//!
//! A restore goes into a new data folder only: it checks every file against the manifest (size
//! and SHA-256 of the stored bytes), that the database names no file the archive lacks and that
//! its counts are the manifest's, and — given the file key — that every file decrypts to the
//! content the database recorded. Nothing is put in place until all of that holds.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::connect::{Backend, Store, StoreError, sqlite_path};
use crate::entity::file;
use crate::vault::{FileKey, Vault};

/// The archive's folder, so that unpacking it by hand never spills into the current folder.
const ROOT: &str = "coop-permits-backup";
const FORMAT: u32 = 1;
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
    /// Every stored file: name, size and SHA-256 of the stored (encrypted) bytes.
    pub files: Vec<FileEntry>,
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

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn counts(db: &impl ConnectionTrait) -> Result<BTreeMap<String, u64>, BackupError> {
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
async fn file_rows(db: &impl ConnectionTrait) -> Result<Vec<file::Model>, BackupError> {
    Ok(file::Entity::find().all(db).await?)
}

/// Writes a backup of `store` (its files in `files_dir`) to `out`, atomically: a partial
/// archive never has the final name.
pub async fn backup(
    store: &Store,
    files_dir: &Path,
    out: &Path,
    now: DateTime<Utc>,
) -> Result<Manifest, BackupError> {
    backup_sealed(store, files_dir, out, None, now).await
}

/// The name a whole encrypted archive is sealed under (its additional data).
const SEALED_ARCHIVE: &str = "coop-permits-backup";

/// [`backup`], the whole archive encrypted with `key` when given (`backup --encrypt`): the
/// database copy inside is then unreadable without the file key too, not only the files.
pub async fn backup_sealed(
    store: &Store,
    files_dir: &Path,
    out: &Path,
    key: Option<&FileKey>,
    now: DateTime<Utc>,
) -> Result<Manifest, BackupError> {
    let partial = out.with_extension("partial");
    let work = out.with_extension("partial.d");
    let _ = std::fs::remove_dir_all(&work);
    crate::private::create_dir(&work).map_err(io(format!("cannot create {}", work.display())))?;
    let mut result = write_backup(store, files_dir, &work, &partial, now).await;
    if let (Ok(_), Some(key)) = (&result, key)
        && let Err(e) = seal_in_place(&partial, key)
    {
        result = Err(e);
    }
    let _ = std::fs::remove_dir_all(&work);
    match result {
        Ok(manifest) => {
            std::fs::rename(&partial, out).map_err(io(format!(
                "cannot move the backup into place at {}",
                out.display()
            )))?;
            Ok(manifest)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

async fn write_backup(
    store: &Store,
    files_dir: &Path,
    work: &Path,
    partial: &Path,
    now: DateTime<Utc>,
) -> Result<Manifest, BackupError> {
    let (snapshot, backend) = match store.backend() {
        Backend::Sqlite => {
            let copy = work.join("coop-permits.db");
            let quoted = copy.display().to_string().replace('\'', "''");
            store
                .db()
                .execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
                .await?;
            (Some(copy), "sqlite")
        }
        Backend::Postgres => (None, "postgres"),
    };
    // Everything the manifest says is read from the copy when there is one: one moment.
    let source = match &snapshot {
        Some(copy) => Store::open(&format!("sqlite://{}", copy.display())).await?,
        None => store.clone(),
    };
    let migrations = source.applied_migrations().await?;
    let counted = counts(source.db()).await?;
    let rows = file_rows(source.db()).await?;
    if snapshot.is_some() {
        source.close().await?;
    }
    let archive = crate::private::create_file(partial)
        .map_err(io(format!("cannot create {}", partial.display())))?;
    let mut tar = tar::Builder::new(std::io::BufWriter::new(archive));
    let mut files = Vec::new();
    let mut key_ids: Vec<String> = Vec::new();
    for row in &rows {
        let path = files_dir.join(&row.storage_name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(BackupError::MissingFile(row.storage_name.clone()));
            }
            Err(e) => return Err(io(format!("cannot read {}", path.display()))(e)),
        };
        append(
            &mut tar,
            &format!("{ROOT}/files/{}", row.storage_name),
            &bytes,
            now,
        )?;
        files.push(FileEntry {
            name: row.storage_name.clone(),
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
        if !key_ids.contains(&row.key_id) {
            key_ids.push(row.key_id.clone());
        }
    }
    if let Some(copy) = &snapshot {
        let bytes = std::fs::read(copy).map_err(io("cannot read the database copy"))?;
        append(&mut tar, &format!("{ROOT}/coop-permits.db"), &bytes, now)?;
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: now,
        backend: backend.to_owned(),
        migrations,
        counts: counted,
        files,
        key_ids,
    };
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackupError::Archive(format!("cannot write the manifest: {e}")))?;
    // Last, so an archive cut short has no manifest and is refused as incomplete.
    append(&mut tar, &format!("{ROOT}/manifest.json"), &text, now)?;
    let writer = tar.into_inner().map_err(io("cannot finish the archive"))?;
    let file = writer
        .into_inner()
        .map_err(|e| io("cannot write the archive")(e.into_error()))?;
    file.sync_all().map_err(io("cannot flush the archive"))?;
    Ok(manifest)
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<(), BackupError> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(u64::try_from(now.timestamp()).unwrap_or(0));
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, bytes)
        .map_err(io(format!("cannot add {path} to the archive")))
}

/// Where a restore goes.
#[derive(Debug, Clone)]
pub struct Target {
    /// The database URL (`sqlite://…` for a SQLite backup; for a PostgreSQL one, the database
    /// `pg_restore` has already filled).
    pub url: String,
    /// The files folder (`<data-dir>/files`).
    pub files_dir: PathBuf,
}

/// What a restore found and put in place.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// Files decrypted and matched to the database's checksums (0 without the key).
    pub files_verified: u64,
}

/// The archive's entries, read and checked for shape: only our paths, regular files.
/// Replaces a written archive by its encryption under `key`.
fn seal_in_place(archive: &Path, key: &FileKey) -> Result<(), BackupError> {
    let plain = std::fs::read(archive).map_err(io(format!("cannot read {}", archive.display())))?;
    let sealed = Vault::new(PathBuf::new(), key)
        .seal(SEALED_ARCHIVE, &plain)
        .map_err(|e| BackupError::Archive(format!("cannot encrypt the backup: {e}")))?;
    write_synced(archive, &sealed)
}

fn read_archive(
    archive: &Path,
    key: Option<&FileKey>,
) -> Result<BTreeMap<String, Vec<u8>>, BackupError> {
    let mut bytes = std::fs::read(archive)
        .map_err(io(format!("cannot open the backup {}", archive.display())))?;
    if Vault::is_sealed(&bytes) {
        let key = key.ok_or_else(|| {
            BackupError::Archive(format!(
                "{} is encrypted (backup --encrypt): give the file key it was written with (--file-key, or the data folder's file-key)",
                archive.display()
            ))
        })?;
        bytes = Vault::open_sealed(key, SEALED_ARCHIVE, &bytes).map_err(|_| {
            BackupError::Archive(format!(
                "{} does not decrypt with this file key (key {}): it was written with another, or it was changed",
                archive.display(),
                key.id()
            ))
        })?;
    }
    let mut tar = tar::Archive::new(std::io::Cursor::new(bytes));
    let mut entries = BTreeMap::new();
    let unreadable = |e: std::io::Error| {
        BackupError::Archive(format!(
            "{} is not a complete coop-permits backup (a tar archive): {e}",
            archive.display()
        ))
    };
    for entry in tar.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        let path = entry.path().map_err(unreadable)?.into_owned();
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        let name = path.to_string_lossy().into_owned();
        if !safe || !name.starts_with(&format!("{ROOT}/")) {
            return Err(BackupError::Archive(format!(
                "the backup holds {name:?}, which is not a coop-permits backup path"
            )));
        }
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(BackupError::Archive(format!(
                "the backup holds {name:?}, which is not a regular file"
            )));
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(unreadable)?;
        entries.insert(name, bytes);
    }
    Ok(entries)
}

/// Restores `archive` into `target`, which must be new (no database file for SQLite, no
/// stored files); `key`, when given, must decrypt every file.
pub async fn restore(
    archive: &Path,
    target: &Target,
    key: Option<&FileKey>,
) -> Result<Restored, BackupError> {
    let mut entries = read_archive(archive, key)?;
    let manifest: Manifest = entries
        .remove(&format!("{ROOT}/manifest.json"))
        .ok_or_else(|| {
            BackupError::Archive(format!(
                "{} has no manifest: it was cut short or is not a coop-permits backup",
                archive.display()
            ))
        })
        .and_then(|bytes| {
            serde_json::from_slice(&bytes).map_err(|e| {
                BackupError::Archive(format!("the backup's manifest cannot be read: {e}"))
            })
        })?;
    if manifest.format != FORMAT {
        return Err(BackupError::Archive(format!(
            "the backup is in format {}, this version reads format {FORMAT}",
            manifest.format
        )));
    }
    // Every file present, whole and unchanged; nothing else.
    for f in &manifest.files {
        let bytes = entries
            .get(&format!("{ROOT}/files/{}", f.name))
            .ok_or_else(|| {
                BackupError::Archive(format!("the backup lacks the stored file {}", f.name))
            })?;
        if bytes.len() as u64 != f.size || sha256_hex(bytes) != f.sha256 {
            return Err(BackupError::Archive(format!(
                "the stored file {} in the backup is not what was backed up (size or SHA-256 differs): the archive was changed or damaged",
                f.name
            )));
        }
    }
    let db_entry = entries.remove(&format!("{ROOT}/coop-permits.db"));
    let extra: Vec<&String> = entries
        .keys()
        .filter(|k| {
            !manifest
                .files
                .iter()
                .any(|f| **k == format!("{ROOT}/files/{}", f.name))
        })
        .collect();
    if let Some(name) = extra.first() {
        return Err(BackupError::Archive(format!(
            "the backup holds {name:?}, which its manifest does not list"
        )));
    }
    check_target_is_new(target)?;

    // The database first (SQLite: written beside its final name, moved in at the end).
    let backend = Backend::of_url(&target.url)?;
    let staged_db = match (manifest.backend.as_str(), backend) {
        ("sqlite", Backend::Sqlite) => {
            let bytes = db_entry.ok_or_else(|| {
                BackupError::Archive("the SQLite backup lacks its database".to_owned())
            })?;
            let path = sqlite_path(&target.url).ok_or_else(|| {
                BackupError::Target(format!("{} names no database file", target.url))
            })?;
            let staged = path.with_extension("restoring");
            if let Some(folder) = staged.parent() {
                crate::private::create_dir(folder)
                    .map_err(io(format!("cannot create {}", folder.display())))?;
            }
            write_synced(&staged, &bytes)?;
            Some((staged, path.to_owned()))
        }
        ("postgres", Backend::Postgres) => None,
        (from, _) => {
            return Err(BackupError::Target(format!(
                "this is a {from} backup and the target is {}: restore a SQLite backup into a SQLite data folder, a PostgreSQL one after pg_restore into that database",
                crate::connect::redact(&target.url)
            )));
        }
    };
    let check_url = match &staged_db {
        Some((staged, _)) => format!("sqlite://{}", staged.display()),
        None => target.url.clone(),
    };
    let checked = check_database(&check_url, &manifest, &entries, key).await;
    let files_verified = match checked {
        Ok(n) => n,
        Err(e) => {
            if let Some((staged, _)) = &staged_db {
                let _ = std::fs::remove_file(staged);
            }
            return Err(e);
        }
    };

    // All checked: the files, then the database into place.
    let staged_files = target.files_dir.with_extension("restoring");
    let _ = std::fs::remove_dir_all(&staged_files);
    crate::private::create_dir(&staged_files)
        .map_err(io(format!("cannot create {}", staged_files.display())))?;
    for f in &manifest.files {
        if let Some(bytes) = entries.get(&format!("{ROOT}/files/{}", f.name)) {
            write_synced(&staged_files.join(&f.name), bytes)?;
        }
    }
    if target.files_dir.exists() {
        std::fs::remove_dir(&target.files_dir).map_err(io(format!(
            "cannot replace the empty folder {}",
            target.files_dir.display()
        )))?;
    }
    std::fs::rename(&staged_files, &target.files_dir).map_err(io(format!(
        "cannot move the files into {}",
        target.files_dir.display()
    )))?;
    if let Some((staged, path)) = staged_db {
        std::fs::rename(&staged, &path).map_err(io(format!(
            "cannot move the database to {}",
            path.display()
        )))?;
    }
    Ok(Restored {
        manifest,
        files_verified,
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let mut file = crate::private::create_file(path)
        .map_err(io(format!("cannot create {}", path.display())))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io(format!("cannot write {}", path.display())))
}

fn check_target_is_new(target: &Target) -> Result<(), BackupError> {
    if let Some(path) = sqlite_path(&target.url)
        && path.exists()
    {
        return Err(BackupError::Target(format!(
            "{} already exists: a restore goes into a new data folder (move the old one away first; nothing was changed)",
            path.display()
        )));
    }
    let has_files = std::fs::read_dir(&target.files_dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if has_files {
        return Err(BackupError::Target(format!(
            "{} already holds files: a restore goes into a new data folder (nothing was changed)",
            target.files_dir.display()
        )));
    }
    Ok(())
}

/// The restored database against the manifest and the archive's files; returns how many files
/// were decrypted and matched.
async fn check_database(
    url: &str,
    manifest: &Manifest,
    entries: &BTreeMap<String, Vec<u8>>,
    key: Option<&FileKey>,
) -> Result<u64, BackupError> {
    let store = Store::open(url).await?;
    let outcome = async {
        if store.backend() == Backend::Postgres {
            // Reading the migrations would create their table in an empty database, and the
            // pg_restore that should come first would then fail on it.
            let row = store
                .db()
                .query_one_raw(Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT to_regclass('seaql_migrations') IS NOT NULL AS restored",
                ))
                .await?;
            let restored: bool = match row {
                Some(row) => row.try_get("", "restored")?,
                None => false,
            };
            if !restored {
                return Err(BackupError::Target(format!(
                    "{} has no coop-permits tables: restore the database with pg_restore first, then the files (no migrations were applied; nothing was changed)",
                    crate::connect::redact(url)
                )));
            }
        }
        let migrations = store.applied_migrations().await?;
        if migrations != manifest.migrations {
            return Err(BackupError::Archive(format!(
                "the database has migrations {} but the manifest lists {}: the database is not the one backed up",
                migrations.len(),
                manifest.migrations.len()
            )));
        }
        let found = counts(store.db()).await?;
        if manifest.backend == "sqlite" && found != manifest.counts {
            return Err(BackupError::Archive(
                "the database's row counts differ from the manifest's: the archive was changed"
                    .to_owned(),
            ));
        }
        let rows = file_rows(store.db()).await?;
        let mut verified = 0;
        for row in &rows {
            let bytes = entries
                .get(&format!("{ROOT}/files/{}", row.storage_name))
                .ok_or_else(|| {
                    BackupError::Archive(format!(
                        "the database names the stored file {}, which the backup lacks",
                        row.storage_name
                    ))
                })?;
            if let Some(key) = key.filter(|k| k.id() == row.key_id) {
                let plain = Vault::open_sealed(key, &row.storage_name, bytes).map_err(|_| {
                    BackupError::Archive(format!(
                        "the stored file {} does not decrypt with the file key given",
                        row.storage_name
                    ))
                })?;
                if sha256_hex(&plain) != row.sha256 {
                    return Err(BackupError::Archive(format!(
                        "the stored file {} decrypts to other content than the database recorded",
                        row.storage_name
                    )));
                }
                verified += 1;
            }
        }
        Ok(verified)
    }
    .await;
    store.close().await?;
    outcome
}
