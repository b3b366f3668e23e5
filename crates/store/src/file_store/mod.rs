//! Where the vault's sealed (encrypted) bytes are kept, behind one trait: a folder on this host
//! ([`FolderStore`], the SQLite default) or the database itself ([`DatabaseStore`], PostgreSQL,
//! so instances on several hosts share them). Another store (an S3-compatible one) implements
//! [`FileStore`] and becomes a variant of [`Storage`].
//!
//! The contract follows the transaction that names a file: `put` happens before the `files` row
//! is committed (inside that transaction when the store is the database, so an interrupted
//! upload leaves nothing); `discard` undoes a `put` whose transaction did not commit; a removal
//! is `remove_within` the transaction that drops the row, then `remove_after_commit` — so a
//! crash leaves at worst an unnamed file (swept by retention), never a row without its bytes.

use std::time::SystemTime;

use sea_orm::ConnectionTrait;

mod contract;
mod database;
mod folder;

pub use contract::{FileStore, VaultError};
pub use database::DatabaseStore;
pub use folder::FolderStore;

/// The store this deployment uses.
#[derive(Debug, Clone)]
pub enum Storage {
    Folder(FolderStore),
    Database(DatabaseStore),
}

impl Storage {
    /// Whether the bytes live in the database (and so in its dumps and its transactions).
    pub fn in_database(&self) -> bool {
        matches!(self, Storage::Database(_))
    }
}

impl FileStore for Storage {
    async fn put<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
        sealed: Vec<u8>,
    ) -> Result<(), VaultError> {
        match self {
            Storage::Folder(s) => s.put(db, name, sealed).await,
            Storage::Database(s) => s.put(db, name, sealed).await,
        }
    }

    async fn get<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> Result<Option<Vec<u8>>, VaultError> {
        match self {
            Storage::Folder(s) => s.get(db, name).await,
            Storage::Database(s) => s.get(db, name).await,
        }
    }

    async fn discard(&self, name: &str) -> Result<(), VaultError> {
        match self {
            Storage::Folder(s) => s.discard(name).await,
            Storage::Database(s) => s.discard(name).await,
        }
    }

    async fn remove_within<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> Result<(), VaultError> {
        match self {
            Storage::Folder(s) => s.remove_within(db, name).await,
            Storage::Database(s) => s.remove_within(db, name).await,
        }
    }

    async fn remove_after_commit(&self, name: &str) -> Result<(), VaultError> {
        match self {
            Storage::Folder(s) => s.remove_after_commit(name).await,
            Storage::Database(s) => s.remove_after_commit(name).await,
        }
    }

    async fn list<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Vec<(String, SystemTime)>, VaultError> {
        match self {
            Storage::Folder(s) => s.list(db).await,
            Storage::Database(s) => s.list(db).await,
        }
    }
}
