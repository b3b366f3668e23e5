//! Backups and restores (`coop-permits backup FILE`, `coop-permits restore FILE`): one tar
//! archive with a manifest, the database (SQLite) and every uploaded file as stored — encrypted.
//! The file key is never in it: keep the key apart from the backups, or a stolen backup is a
//! readable one.
//!
//! - **SQLite**: `VACUUM INTO` takes a consistent copy while the server runs; the manifest, the
//!   list of files and the counts are read from that copy, so the archive is one moment.
//! - **PostgreSQL**: the database is dumped with `pg_dump` (the README gives the commands); the
//!   files' bytes are in the database too (`file_contents`), so the archive holds the manifest
//!   with their checksums, and any file still in the files folder (not yet moved in). Files are
//!   never changed once written, so a dump taken after the archive holds every file it lists.
//!
//! A restore goes into a new data folder only: it checks every file against the manifest (size
//! and SHA-256 of the stored bytes), that the database names no file the archive lacks and that
//! its counts are the manifest's, and — given the file key — that every file decrypts to the
//! content the database recorded. Nothing is put in place until all of that holds.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::connect::{Backend, Store};
use crate::entity::file_content;
use crate::sealed_stream::SealingWriter;
use crate::vault::FileKey;

mod archive;
mod restore;
pub use archive::{BackupError, FileEntry, Manifest};
pub use restore::*;

use archive::*;

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
    let result = write_backup(store, files_dir, &work, &partial, key, now).await;
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

/// Where the archive goes: the file, or its encryption as a stream.
enum Sink {
    Plain(std::io::BufWriter<std::fs::File>),
    Sealed(SealingWriter<std::io::BufWriter<std::fs::File>>),
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(bytes),
            Sink::Sealed(w) => w.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Sealed(w) => w.flush(),
        }
    }
}

impl Sink {
    /// Ends the stream and syncs the file.
    fn finish(self) -> std::io::Result<()> {
        let buffered = match self {
            Sink::Plain(w) => w,
            Sink::Sealed(w) => w.finish()?,
        };
        buffered
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .sync_all()
    }
}

async fn write_backup(
    store: &Store,
    files_dir: &Path,
    work: &Path,
    partial: &Path,
    key: Option<&FileKey>,
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
    let archive = std::io::BufWriter::new(
        crate::private::create_file(partial)
            .map_err(io(format!("cannot create {}", partial.display())))?,
    );
    let sink = match key {
        Some(key) => Sink::Sealed(
            SealingWriter::new(archive, key).map_err(io("cannot start the encrypted archive"))?,
        ),
        None => Sink::Plain(archive),
    };
    let mut tar = tar::Builder::new(sink);
    let mut files = Vec::new();
    let mut in_database = Vec::new();
    let mut key_ids: Vec<String> = Vec::new();
    for row in &rows {
        if !key_ids.contains(&row.key_id) {
            key_ids.push(row.key_id.clone());
        }
        if backend == "postgres"
            && let Some(content) = file_content::Entity::find_by_id(row.storage_name.clone())
                .one(store.db())
                .await?
        {
            in_database.push(FileEntry {
                name: row.storage_name.clone(),
                size: content.sealed.len() as u64,
                sha256: sha256_hex(&content.sealed),
            });
            continue;
        }
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
    }
    if let Some(copy) = &snapshot {
        // Streamed: the database copy may be larger than memory allows.
        let file = std::fs::File::open(copy).map_err(io("cannot read the database copy"))?;
        let size = file
            .metadata()
            .map_err(io("cannot read the database copy"))?
            .len();
        append_reader(
            &mut tar,
            &format!("{ROOT}/coop-permits.db"),
            size,
            file,
            now,
        )?;
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: now,
        backend: backend.to_owned(),
        migrations,
        counts: counted,
        files,
        in_database,
        key_ids,
    };
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackupError::Archive(format!("cannot write the manifest: {e}")))?;
    // Last, so an archive cut short has no manifest and is refused as incomplete.
    append(&mut tar, &format!("{ROOT}/manifest.json"), &text, now)?;
    tar.into_inner()
        .map_err(io("cannot finish the archive"))?
        .finish()
        .map_err(io("cannot write the archive"))?;
    Ok(manifest)
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<(), BackupError> {
    append_reader(tar, path, bytes.len() as u64, bytes, now)
}

fn append_reader<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    size: u64,
    reader: impl std::io::Read,
    now: DateTime<Utc>,
) -> Result<(), BackupError> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(u64::try_from(now.timestamp()).unwrap_or(0));
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, reader)
        .map_err(io(format!("cannot add {path} to the archive")))
}
