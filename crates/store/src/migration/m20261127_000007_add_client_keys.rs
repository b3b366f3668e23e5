//! Idempotency keys for what a student may send from a draft kept offline (a letter request, a
//! reported application, a document): the browser names each submission once, and a second
//! arrival of the same key (a retry after a lost answer) finds the first instead of adding one.

use sea_orm_migration::prelude::*;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LetterRequests {
    Table,
    StudentId,
    ClientKey,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    StudentId,
    ClientKey,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    StudentId,
    ClientKey,
}

fn add_key(table: impl IntoIden) -> TableAlterStatement {
    Table::alter()
        .table(table)
        .add_column(ColumnDef::new(Alias::new("client_key")).string().null())
        .to_owned()
}

fn unique_key(
    name: &str,
    table: impl IntoIden,
    student: impl IntoIden,
    key: impl IntoIden,
) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(student)
        .col(key)
        .unique()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(add_key(LetterRequests::Table)).await?;
        manager.alter_table(add_key(Applications::Table)).await?;
        manager.alter_table(add_key(Documents::Table)).await?;
        // NULLs are distinct in a unique index on both databases: rows without a key never clash.
        manager
            .create_index(unique_key(
                "uniq_letter_requests_client_key",
                LetterRequests::Table,
                LetterRequests::StudentId,
                LetterRequests::ClientKey,
            ))
            .await?;
        manager
            .create_index(unique_key(
                "uniq_applications_client_key",
                Applications::Table,
                Applications::StudentId,
                Applications::ClientKey,
            ))
            .await?;
        manager
            .create_index(unique_key(
                "uniq_documents_client_key",
                Documents::Table,
                Documents::StudentId,
                Documents::ClientKey,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("uniq_documents_client_key", Documents::Table.into_iden()),
            (
                "uniq_applications_client_key",
                Applications::Table.into_iden(),
            ),
            (
                "uniq_letter_requests_client_key",
                LetterRequests::Table.into_iden(),
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table.clone()).to_owned())
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Alias::new("client_key"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
