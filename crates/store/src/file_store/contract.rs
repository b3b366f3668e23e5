//! The contract every file store keeps (see the module above), its error, and the names it
//! accepts.

use std::future::Future;
use std::time::SystemTime;

use sea_orm::ConnectionTrait;

/// A file that could not be stored or read back.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("file storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored file {0} was encrypted with another key or is damaged")]
    Undecryptable(String),
    #[error("the operating system gave no randomness")]
    NoRandomness,
    #[error("{0:?} is not a storage name of this vault")]
    BadName(String),
    #[error("stored file {0} is missing from the file store")]
    Missing(String),
}

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

/// Only names the vault makes (32 hex digits): never a path from elsewhere.
pub(super) fn checked_name(name: &str) -> Result<&str, VaultError> {
    if name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(name)
    } else {
        Err(VaultError::BadName(name.to_owned()))
    }
}
