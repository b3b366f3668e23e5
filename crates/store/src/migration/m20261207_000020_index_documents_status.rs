//! The office's "documents waiting for verification" count (issue 21): an index on a document's
//! status and when it was submitted, so the count and the oldest-first queue read only the
//! waiting ones (6,000 of 100,000 students' documents) rather than every document.

use sea_orm_migration::prelude::*;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    Status,
    SubmittedAt,
}

const NAME: &str = "idx_documents_status";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Documents::Table)
                    .col(Documents::Status)
                    .col(Documents::SubmittedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Documents::Table).to_owned())
            .await
    }
}
