//! An uploaded file's content, once per distinct content (S7).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Of the plain content, hex.
    pub sha256: String,
    /// Judged by content: `application/pdf`, `image/png` or `image/jpeg`.
    pub content_type: String,
    pub size: i64,
    /// The encrypted file's name in the vault.
    pub storage_name: String,
    /// The id of the key it is encrypted with.
    pub key_id: String,
    pub stored_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
