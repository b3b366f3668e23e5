//! Restoring a backup into a new, empty database and file store, checked against its manifest.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sea_orm::{ConnectionTrait, EntityTrait, Statement};

use super::archive::*;
use crate::connect::{Backend, Store, sqlite_path};
use crate::entity::file_content;
use crate::sealed_stream::{self, OpeningReader};
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

/// What unpacking an archive into the staging places found: its manifest, and the name, size
/// and SHA-256 of every stored file it held (their bytes are on disk, not in memory).
struct Unpacked {
    manifest: Manifest,
    files: BTreeMap<String, (u64, String)>,
    database: bool,
}

/// The archive's plain (tar) bytes as a stream: read as is, or decrypted chunk by chunk.
fn open_archive(archive: &Path, key: Option<&FileKey>) -> Result<Box<dyn Read>, BackupError> {
    let mut file = std::io::BufReader::new(
        std::fs::File::open(archive)
            .map_err(io(format!("cannot open the backup {}", archive.display())))?,
    );
    let mut magic = [0u8; 6];
    let read = read_up_to(&mut file, &mut magic)
        .map_err(io(format!("cannot read the backup {}", archive.display())))?;
    let head = magic.get(..read).unwrap_or_default();
    let needs_key = || {
        key.ok_or_else(|| {
            BackupError::Archive(format!(
                "{} is encrypted (backup --encrypt): give the file key it was written with (--file-key, or the data folder's file-key)",
                archive.display()
            ))
        })
    };
    if head == sealed_stream::MAGIC.as_slice() {
        let reader = OpeningReader::new(file, needs_key()?).map_err(|e| {
            BackupError::Archive(format!("{} cannot be opened: {e}", archive.display()))
        })?;
        return Ok(Box::new(reader));
    }
    if Vault::is_sealed(head) {
        // Archives encrypted before they were streamed: one sealed piece, opened in memory.
        let key = needs_key()?;
        let mut bytes = head.to_vec();
        file.read_to_end(&mut bytes)
            .map_err(io(format!("cannot read the backup {}", archive.display())))?;
        let plain = Vault::open_sealed(key, SEALED_ARCHIVE, &bytes).map_err(|_| {
            BackupError::Archive(format!(
                "{} does not decrypt with this file key (key {}): it was written with another, or it was changed",
                archive.display(),
                key.id()
            ))
        })?;
        return Ok(Box::new(std::io::Cursor::new(plain)));
    }
    Ok(Box::new(std::io::Cursor::new(head.to_vec()).chain(file)))
}

fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(buffer.get_mut(filled..).unwrap_or_default())? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Copies `from` into a new file at `to` (0600, synced), hashing what it wrote.
fn copy_hashed(from: &mut impl Read, to: &Path) -> std::io::Result<(u64, String)> {
    use sha2::{Digest, Sha256};
    use std::io::Write;
    let mut out = crate::private::create_file(to)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = from.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        let piece = buffer.get(..n).unwrap_or_default();
        hasher.update(piece);
        out.write_all(piece)?;
        size += n as u64;
    }
    out.sync_all()?;
    let sha: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((size, sha))
}

/// Streams the archive's entries into `staged_files` (stored files) and `staged_db` (the SQLite
/// database), checking each entry's shape; memory holds one buffer and the manifest.
fn unpack(
    archive: &Path,
    key: Option<&FileKey>,
    staged_files: &Path,
    staged_db: Option<&Path>,
) -> Result<Unpacked, BackupError> {
    let reader = open_archive(archive, key)?;
    let mut tar = tar::Archive::new(reader);
    let unreadable = |e: std::io::Error| {
        BackupError::Archive(format!(
            "{} is not a complete coop-permits backup (a tar archive): {e}",
            archive.display()
        ))
    };
    let mut manifest = None;
    let mut files = BTreeMap::new();
    let mut database = false;
    let files_prefix = format!("{ROOT}/files/");
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
        if name == format!("{ROOT}/manifest.json") {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MANIFEST_LIMIT)
                .read_to_end(&mut bytes)
                .map_err(unreadable)?;
            manifest = Some(serde_json::from_slice::<Manifest>(&bytes).map_err(|e| {
                BackupError::Archive(format!("the backup's manifest cannot be read: {e}"))
            })?);
        } else if name == format!("{ROOT}/coop-permits.db") {
            database = true;
            if let Some(to) = staged_db {
                copy_hashed(&mut entry, to)
                    .map_err(io(format!("cannot write {}", to.display())))?;
            }
        } else if let Some(stored) = name
            .strip_prefix(&files_prefix)
            .filter(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            let to = staged_files.join(stored);
            let found = copy_hashed(&mut entry, &to)
                .map_err(io(format!("cannot write {}", to.display())))?;
            files.insert(stored.to_owned(), found);
        } else {
            return Err(BackupError::Archive(format!(
                "the backup holds {name:?}, which its manifest does not list"
            )));
        }
    }
    let manifest = manifest.ok_or_else(|| {
        BackupError::Archive(format!(
            "{} has no manifest: it was cut short or is not a coop-permits backup",
            archive.display()
        ))
    })?;
    Ok(Unpacked {
        manifest,
        files,
        database,
    })
}

/// The manifest is a list of names and checksums: far below this even at millions of files.
const MANIFEST_LIMIT: u64 = 512 * 1024 * 1024;

/// Restores `archive` into `target`, which must be new (no database file for SQLite, no
/// stored files); `key`, when given, must decrypt every file. The archive is streamed: memory
/// use does not grow with its size.
pub async fn restore(
    archive: &Path,
    target: &Target,
    key: Option<&FileKey>,
) -> Result<Restored, BackupError> {
    check_target_is_new(target)?;
    let backend = Backend::of_url(&target.url)?;
    let staged_files = target.files_dir.with_extension("restoring");
    let _ = std::fs::remove_dir_all(&staged_files);
    crate::private::create_dir(&staged_files)
        .map_err(io(format!("cannot create {}", staged_files.display())))?;
    let final_db = sqlite_path(&target.url).map(Path::to_owned);
    let staged_db = final_db.as_ref().map(|p| p.with_extension("restoring"));
    if let Some(folder) = staged_db.as_ref().and_then(|p| p.parent()) {
        crate::private::create_dir(folder)
            .map_err(io(format!("cannot create {}", folder.display())))?;
    }
    let outcome = async {
        let unpacked = {
            let (archive, key, files, db) = (
                archive.to_owned(),
                key.cloned(),
                staged_files.clone(),
                staged_db.clone(),
            );
            tokio::task::spawn_blocking(move || {
                unpack(&archive, key.as_ref(), &files, db.as_deref())
            })
            .await
            .map_err(|e| BackupError::Archive(format!("the restore stopped: {e}")))??
        };
        let verified = check_unpacked(
            &unpacked,
            backend,
            &target.url,
            &staged_files,
            staged_db.as_deref(),
            key,
        )
        .await?;
        Ok::<_, BackupError>((unpacked.manifest, verified))
    }
    .await;
    let (manifest, files_verified) = match outcome {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staged_files);
            if let Some(staged) = &staged_db {
                let _ = std::fs::remove_file(staged);
            }
            return Err(e);
        }
    };

    // All checked: the files, then the database into place.
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
    if let (Some(staged), Some(path), "sqlite") = (&staged_db, &final_db, manifest.backend.as_str())
    {
        std::fs::rename(staged, path).map_err(io(format!(
            "cannot move the database to {}",
            path.display()
        )))?;
    }
    Ok(Restored {
        manifest,
        files_verified,
    })
}

/// The unpacked archive against its manifest, and the database against both.
async fn check_unpacked(
    unpacked: &Unpacked,
    backend: Backend,
    url: &str,
    staged_files: &Path,
    staged_db: Option<&Path>,
    key: Option<&FileKey>,
) -> Result<u64, BackupError> {
    let manifest = &unpacked.manifest;
    if manifest.format != FORMAT {
        return Err(BackupError::Archive(format!(
            "the backup is in format {}, this version reads format {FORMAT}",
            manifest.format
        )));
    }
    // Every file present, whole and unchanged; nothing else.
    for f in &manifest.files {
        let (size, sha) = unpacked.files.get(&f.name).ok_or_else(|| {
            BackupError::Archive(format!("the backup lacks the stored file {}", f.name))
        })?;
        if *size != f.size || *sha != f.sha256 {
            return Err(BackupError::Archive(format!(
                "the stored file {} in the backup is not what was backed up (size or SHA-256 differs): the archive was changed or damaged",
                f.name
            )));
        }
    }
    if let Some(extra) = unpacked
        .files
        .keys()
        .find(|name| !manifest.files.iter().any(|f| f.name == **name))
    {
        return Err(BackupError::Archive(format!(
            "the backup holds {:?}, which its manifest does not list",
            format!("{ROOT}/files/{extra}")
        )));
    }
    let check_url = match (manifest.backend.as_str(), backend, staged_db) {
        ("sqlite", Backend::Sqlite, Some(staged)) => {
            if !unpacked.database {
                return Err(BackupError::Archive(
                    "the SQLite backup lacks its database".to_owned(),
                ));
            }
            format!("sqlite://{}", staged.display())
        }
        ("postgres", Backend::Postgres, _) => url.to_owned(),
        (from, _, _) => {
            return Err(BackupError::Target(format!(
                "this is a {from} backup and the target is {}: restore a SQLite backup into a SQLite data folder, a PostgreSQL one after pg_restore into that database",
                crate::connect::redact(url)
            )));
        }
    };
    check_database(&check_url, manifest, staged_files, key).await
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
    staged_files: &Path,
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
            // One file in memory at a time.
            let in_archive = manifest.files.iter().any(|f| f.name == row.storage_name);
            let bytes = if in_archive {
                let path = staged_files.join(&row.storage_name);
                tokio::fs::read(&path)
                    .await
                    .map_err(io(format!("cannot read {}", path.display())))?
            } else {
                stored_in_database(&store, manifest, &row.storage_name).await?
            };
            let bytes = &bytes;
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
