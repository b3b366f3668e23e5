//! Uploaded files (S7): one row per distinct content (its SHA-256, so the same file twice is
//! recognised), encrypted on disk under a random storage name with the key named by `key_id`;
//! a document points at its file.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_pk_auto, string, string_uniq, timestamp_with_time_zone,
};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    Sha256,
    ContentType,
    Size,
    StorageName,
    KeyId,
    StoredAt,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    FileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(big_pk_auto(Files::Id))
                    .col(string_uniq(Files::Sha256))
                    .col(string(Files::ContentType))
                    .col(big_integer(Files::Size))
                    .col(string_uniq(Files::StorageName))
                    .col(string(Files::KeyId))
                    .col(timestamp_with_time_zone(Files::StoredAt))
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add a foreign key to an existing table; the service keeps the link.
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .add_column(ColumnDef::new(Documents::FileId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_documents_file")
                    .table(Documents::Table)
                    .col(Documents::FileId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_documents_file")
                    .table(Documents::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Documents::Table)
                    .drop_column(Documents::FileId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Files::Table).to_owned())
            .await
    }
}
