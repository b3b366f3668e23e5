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

use std::future::Future;
use std::time::SystemTime;

use sea_orm::ConnectionTrait;

use crate::vault::VaultError;

mod database;
mod folder;
pub mod moving;

pub use database::DatabaseStore;
pub use folder::FolderStore;

/// A place for sealed bytes, by storage name (32 hex digits the vault made).
pub trait FileStore {
    /// Keeps `sealed` under `name`; on a database store, within `db` (the naming transaction).
    fn put<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
        sealed: Vec<u8>,
    ) -> impl Future<Output = Result<(), VaultError>> + Send;

    /// The sealed bytes under `name`, or `None` when this store does not hold them.
    fn get<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, VaultError>> + Send;

    /// Undoes a `put` whose transaction rolled back.
    fn discard(&self, name: &str) -> impl Future<Output = Result<(), VaultError>> + Send;

    /// The part of a removal that belongs in the transaction dropping the `files` row.
    fn remove_within<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> impl Future<Output = Result<(), VaultError>> + Send;

    /// The part of a removal done once that transaction has committed.
    fn remove_after_commit(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<(), VaultError>> + Send;

    /// Every stored name and when it was written (with partial writes a killed process left,
    /// as `NAME.part`), to find what no row names.
    fn list<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> impl Future<Output = Result<Vec<(String, SystemTime)>, VaultError>> + Send;
}

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

/// Only names the vault makes (32 hex digits): never a path from elsewhere.
pub(crate) fn checked_name(name: &str) -> Result<&str, VaultError> {
    if name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(name)
    } else {
        Err(VaultError::BadName(name.to_owned()))
    }
}
