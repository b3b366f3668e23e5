//! An approved letter request points at its issued letter (a PDF in the file store).

use sea_orm_migration::prelude::*;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LetterRequests {
    Table,
    LetterFileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LetterRequests::Table)
                    .add_column(
                        ColumnDef::new(LetterRequests::LetterFileId)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LetterRequests::Table)
                    .drop_column(LetterRequests::LetterFileId)
                    .to_owned(),
            )
            .await
    }
}
