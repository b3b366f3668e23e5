//! Restoring a backup into a new, empty database and file store, checked against its manifest.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sea_orm::{ConnectionTrait, EntityTrait, Statement};

use super::archive::*;
use crate::connect::{Backend, Store, sqlite_path};
use crate::entity::file_content;
use crate::vault::{FileKey, Vault};

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

pub(super) fn read_archive(
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

pub(super) fn check_target_is_new(target: &Target) -> Result<(), BackupError> {
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
pub(super) async fn check_database(
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
            let in_database;
            let bytes = match entries.get(&format!("{ROOT}/files/{}", row.storage_name)) {
                Some(bytes) => bytes,
                None => {
                    in_database = stored_in_database(&store, manifest, &row.storage_name).await?;
                    &in_database
                }
            };
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

/// A file the manifest lists as kept in the database, read back from the restored database and
/// matched to the manifest's checksum.
async fn stored_in_database(
    store: &Store,
    manifest: &Manifest,
    name: &str,
) -> Result<Vec<u8>, BackupError> {
    let lacking = || {
        BackupError::Archive(format!(
            "the database names the stored file {name}, which the backup lacks"
        ))
    };
    let listed = manifest
        .in_database
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(lacking)?;
    let content = if store.backend() == Backend::Postgres {
        file_content::Entity::find_by_id(name.to_owned())
            .one(store.db())
            .await?
    } else {
        None
    };
    let content = content.ok_or_else(|| {
        BackupError::Archive(format!(
            "the stored file {name} is kept in the database, and the restored database lacks it: restore the pg_dump taken with this backup"
        ))
    })?;
    if content.sealed.len() as u64 != listed.size || sha256_hex(&content.sealed) != listed.sha256 {
        return Err(BackupError::Archive(format!(
            "the stored file {name} in the restored database is not what was backed up (size or SHA-256 differs)"
        )));
    }
    Ok(content.sealed)
}
