//! Uploaded files' encrypted bytes in the database itself (used when the database is
//! PostgreSQL, so instances on several hosts share them): one row per stored name, written in
//! the transaction that names it. SQLite deployments keep the files folder; the table exists
//! there too, empty, so both schemas stay one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{blob, string_len, timestamp_with_time_zone};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FileContents {
    Table,
    Name,
    Sealed,
    StoredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FileContents::Table)
                    .col(string_len(FileContents::Name, 32).primary_key())
                    .col(blob(FileContents::Sealed))
                    .col(timestamp_with_time_zone(FileContents::StoredAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FileContents::Table).to_owned())
            .await
    }
}
