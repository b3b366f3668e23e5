//! Sealed files in a folder of this host (`<data-dir>/files`). A write goes to `NAME.part`, is
//! synced and renamed, and the rename synced, before the row naming it is committed: a crash
//! leaves the whole file or a `.part`, never a row without its file.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sea_orm::ConnectionTrait;

use super::contract::{FileStore, VaultError, checked_name};

/// A folder of sealed files, created on the first write.
#[derive(Debug, Clone)]
pub struct FolderStore {
    dir: PathBuf,
}

impl FolderStore {
    pub fn new(dir: impl Into<PathBuf>) -> FolderStore {
        FolderStore { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, name: &str) -> Result<PathBuf, VaultError> {
        Ok(self.dir.join(checked_name(name)?))
    }

    /// The sealed bytes under `name`, without a database (a folder needs none).
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>, VaultError> {
        match tokio::fs::read(self.path_of(name)?).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes a stored file, or a partial write `NAME.part`; one already gone is not an error.
    pub async fn remove(&self, name: &str) -> Result<(), VaultError> {
        let path = match name.strip_suffix(".part") {
            Some(stored) => self.path_of(stored)?.with_extension("part"),
            None => self.path_of(name)?,
        };
        match tokio::fs::remove_file(path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Every stored file's name and when it was written, with the partial writes; other
    /// entries of the folder are not the vault's and are left out.
    pub fn entries(&self) -> Result<Vec<(String, SystemTime)>, VaultError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let stored = name.strip_suffix(".part").unwrap_or(&name);
            if checked_name(stored).is_ok() && entry.file_type()?.is_file() {
                out.push((name, entry.metadata()?.modified()?));
            }
        }
        Ok(out)
    }
}

impl FileStore for FolderStore {
    async fn put<C: ConnectionTrait>(
        &self,
        _db: &C,
        name: &str,
        sealed: Vec<u8>,
    ) -> Result<(), VaultError> {
        let path = self.path_of(name)?;
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || write_durably(&dir, &path, &sealed))
            .await
            .map_err(|e| VaultError::Io(std::io::Error::other(e)))??;
        Ok(())
    }

    async fn get<C: ConnectionTrait>(
        &self,
        _db: &C,
        name: &str,
    ) -> Result<Option<Vec<u8>>, VaultError> {
        self.read(name).await
    }

    async fn discard(&self, name: &str) -> Result<(), VaultError> {
        self.remove(name).await
    }

    async fn remove_within<C: ConnectionTrait>(
        &self,
        _db: &C,
        _name: &str,
    ) -> Result<(), VaultError> {
        // The file leaves the disk only once the row's removal has committed.
        Ok(())
    }

    async fn remove_after_commit(&self, name: &str) -> Result<(), VaultError> {
        self.remove(name).await
    }

    async fn list<C: ConnectionTrait>(
        &self,
        _db: &C,
    ) -> Result<Vec<(String, SystemTime)>, VaultError> {
        self.entries()
    }
}

fn write_durably(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    crate::private::create_dir(dir)?;
    let temporary = path.with_extension("part");
    let mut file = crate::private::create_file(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    // The rename itself must reach the disk before the database row that names the file.
    std::fs::File::open(dir)?.sync_all()
}
