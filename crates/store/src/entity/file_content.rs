//! A stored file's encrypted bytes, kept in the database (PostgreSQL deployments).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "file_contents")]
pub struct Model {
    /// The storage name (32 hex digits) a `files` row names; the bytes are sealed to it.
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// As the vault seals them: header, key id, nonce, ciphertext.
    pub sealed: Vec<u8>,
    pub stored_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
