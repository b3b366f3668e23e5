//! Sealed files in the database (`file_contents`), written in the transaction that names them,
//! so every instance on one PostgreSQL serves every file and an interrupted upload leaves
//! nothing behind. Files stored in a folder before the move (`coop-permits files
//! move-to-database`) are still read from it until they are moved.

use std::time::SystemTime;

use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, Set};

use super::contract::{FileStore, VaultError, checked_name};
use super::folder::FolderStore;
use crate::entity::file_content;

/// The database as a file store, with the folder files were kept in before (read only).
#[derive(Debug, Clone)]
pub struct DatabaseStore {
    earlier: Option<FolderStore>,
}

impl DatabaseStore {
    /// A store in the database; `earlier`, the folder files not yet moved in are read from.
    pub fn new(earlier: Option<FolderStore>) -> DatabaseStore {
        DatabaseStore { earlier }
    }

    /// The folder files not yet moved in are read from.
    pub fn earlier(&self) -> Option<&FolderStore> {
        self.earlier.as_ref()
    }
}

fn db_error(e: sea_orm::DbErr) -> VaultError {
    VaultError::Io(std::io::Error::other(format!("the database: {e}")))
}

impl FileStore for DatabaseStore {
    async fn put<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
        sealed: Vec<u8>,
    ) -> Result<(), VaultError> {
        file_content::Entity::insert(file_content::ActiveModel {
            name: Set(checked_name(name)?.to_owned()),
            sealed: Set(sealed),
            stored_at: Set(Utc::now()),
        })
        .exec_without_returning(db)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn get<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> Result<Option<Vec<u8>>, VaultError> {
        let row = file_content::Entity::find_by_id(checked_name(name)?.to_owned())
            .one(db)
            .await
            .map_err(db_error)?;
        match (row, &self.earlier) {
            (Some(row), _) => Ok(Some(row.sealed)),
            (None, Some(folder)) => folder.read(name).await,
            (None, None) => Ok(None),
        }
    }

    async fn discard(&self, _name: &str) -> Result<(), VaultError> {
        // The rollback took the row with it.
        Ok(())
    }

    async fn remove_within<C: ConnectionTrait>(
        &self,
        db: &C,
        name: &str,
    ) -> Result<(), VaultError> {
        file_content::Entity::delete_by_id(checked_name(name)?.to_owned())
            .exec(db)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn remove_after_commit(&self, name: &str) -> Result<(), VaultError> {
        match &self.earlier {
            Some(folder) => folder.remove(name).await,
            None => Ok(()),
        }
    }

    async fn list<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Vec<(String, SystemTime)>, VaultError> {
        let rows: Vec<(String, chrono::DateTime<Utc>)> = file_content::Entity::find()
            .select_only()
            .column(file_content::Column::Name)
            .column(file_content::Column::StoredAt)
            .into_tuple()
            .all(db)
            .await
            .map_err(db_error)?;
        let mut out: Vec<(String, SystemTime)> =
            rows.into_iter().map(|(n, at)| (n, at.into())).collect();
        if let Some(folder) = &self.earlier {
            out.extend(folder.entries()?);
        }
        Ok(out)
    }
}
