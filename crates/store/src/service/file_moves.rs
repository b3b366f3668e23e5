//! `coop-permits files move-to-database`: a PostgreSQL deployment's files, kept in a folder
//! before the database held them, moved in one by one. Each file's bytes are checked (they
//! decrypt with the key to the content its row recorded) and inserted in a transaction of their
//! own; the folder's copy is removed only after that commits. So the move can be stopped at any
//! moment and run again: it resumes where it was, and a file is never in neither place.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::ServiceError;
use crate::entity::{file, file_content};
use crate::file_store::FolderStore;
use crate::vault::{FileKey, Vault};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    /// Files copied into the database (and removed from the folder) now.
    pub moved: u64,
    /// Files already in the database (a folder copy left by an interrupted run was removed).
    pub already: u64,
    /// Rows whose file is in neither place, or does not decrypt to its recorded content.
    pub problems: Vec<String>,
}

/// How many rows are read at once.
const BATCH: u64 = 200;

/// Moves every file the database names from `folder` into the database.
pub async fn move_to_database(
    db: &DatabaseConnection,
    folder: &FolderStore,
    key: &FileKey,
    mut progress: impl FnMut(&Moved),
) -> Result<Moved, ServiceError> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Err(ServiceError::State(
            "files are kept in the database only on PostgreSQL; on SQLite they stay in the data folder's files".to_owned(),
        ));
    }
    let mut done = Moved::default();
    let mut after = 0i64;
    loop {
        let rows = file::Entity::find()
            .filter(file::Column::Id.gt(after))
            .order_by_asc(file::Column::Id)
            .paginate(db, BATCH)
            .fetch_page(0)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in &rows {
            move_one(db, folder, key, row, &mut done).await?;
        }
        progress(&done);
    }
    Ok(done)
}

async fn move_one(
    db: &DatabaseConnection,
    folder: &FolderStore,
    key: &FileKey,
    row: &file::Model,
    done: &mut Moved,
) -> Result<(), ServiceError> {
    let name = &row.storage_name;
    let io = |e: crate::vault::VaultError| ServiceError::Internal(format!("file {name}: {e}"));
    // Only the name, never the bytes, to learn whether it is there.
    let present: Option<String> = file_content::Entity::find_by_id(name.clone())
        .select_only()
        .column(file_content::Column::Name)
        .into_tuple()
        .one(db)
        .await?;
    let present = present.is_some();
    if present {
        folder.remove(name).await.map_err(io)?;
        done.already += 1;
        return Ok(());
    }
    let Some(sealed) = folder.read(name).await.map_err(io)? else {
        done.problems.push(format!(
            "file {name} (row {}) is neither in the database nor in {}",
            row.id,
            folder.dir().display()
        ));
        return Ok(());
    };
    if row.key_id != key.id() {
        done.problems.push(format!(
            "file {name} is encrypted with key {}, not the key given ({}): left in the folder",
            row.key_id,
            key.id()
        ));
        return Ok(());
    }
    let checked = Vault::open_sealed(key, name, &sealed)
        .map(|plain| crate::service::files::sha256_hex(&plain) == row.sha256);
    if !matches!(checked, Ok(true)) {
        done.problems.push(format!(
            "file {name} in {} is damaged (it does not decrypt to the content its record names): left in the folder",
            folder.dir().display()
        ));
        return Ok(());
    }
    file_content::Entity::insert(file_content::ActiveModel {
        name: Set(name.clone()),
        sealed: Set(sealed),
        stored_at: Set(row.stored_at),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(db)
    .await?;
    folder.remove(name).await.map_err(io)?;
    done.moved += 1;
    Ok(())
}
