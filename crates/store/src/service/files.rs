//! Stored files (uploaded documents, issued letters): one row per distinct content, the bytes
//! encrypted in the vault. The bytes are stored before the row that names them is committed
//! (in the same transaction when the store is the database); a caller whose transaction then
//! fails discards what it wrote.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};
use sha2::{Digest, Sha256};

use super::ServiceError;
use crate::entity::file;
use crate::vault::Vault;

/// A stored file, and the vault name written for it now (None when the content was already
/// stored), so a failed transaction can remove it.
#[derive(Debug)]
pub struct Stored {
    pub file: file::Model,
    pub written: Option<String>,
}

/// The hex SHA-256 of some content.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The file row of this content, if it is stored.
pub async fn find(
    db: &impl ConnectionTrait,
    sha256: &str,
) -> Result<Option<file::Model>, ServiceError> {
    Ok(file::Entity::find()
        .filter(file::Column::Sha256.eq(sha256))
        .one(db)
        .await?)
}

/// Stores `bytes` (of `content_type`) unless the same content is stored already.
pub async fn store(
    db: &impl ConnectionTrait,
    vault: &Vault,
    bytes: &[u8],
    content_type: &str,
    now: DateTime<Utc>,
) -> Result<Stored, ServiceError> {
    let sha256 = sha256_hex(bytes);
    if let Some(file) = find(db, &sha256).await? {
        return Ok(Stored {
            file,
            written: None,
        });
    }
    let name = vault
        .put(db, bytes)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let inserted = file::ActiveModel {
        id: NotSet,
        sha256: Set(sha256),
        content_type: Set(content_type.to_owned()),
        size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        storage_name: Set(name.clone()),
        key_id: Set(vault.key_id().to_owned()),
        stored_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(file) => Ok(Stored {
            file,
            written: Some(name),
        }),
        Err(e) => {
            forget(vault, Some(&name)).await;
            Err(e.into())
        }
    }
}

/// A stored file's media type and plain bytes.
pub async fn read(
    db: &impl ConnectionTrait,
    vault: &Vault,
    file_id: i64,
) -> Result<(String, Vec<u8>), ServiceError> {
    let stored = file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            ServiceError::Internal(format!("a record names a missing file row {file_id}"))
        })?;
    let bytes = vault
        .get(db, &stored.storage_name)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok((stored.content_type, bytes))
}

/// Discards a file written for a transaction that did not commit.
pub async fn forget(vault: &Vault, name: Option<&str>) {
    if let Some(name) = name
        && let Err(e) = vault.discard(name).await
    {
        tracing::warn!(error = %e, "an unused stored file could not be removed");
    }
}
