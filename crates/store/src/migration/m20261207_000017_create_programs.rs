//! The institution's programs decide W2f; letters state them and can be verified (issue 19):
//! - `programs`: the catalogue staff keep — a code, a name and W2f's facts (credential, length
//!   and work months, placement required, language or preparatory training);
//! - `students.program_code`: the student's program in the catalogue (none: not on file, and W2f
//!   is not decided for them, as before);
//! - `letter_requests`: an issued letter's verification code (kept only as its SHA-256), what the
//!   letter stated (for the verification page), and its revocation (when, why).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Programs {
    Table,
    Code,
    Name,
    Credential,
    Months,
    WorkMonths,
    PlacementRequired,
    LanguageOrPreparatory,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Students {
    Table,
    ProgramCode,
}

#[derive(DeriveIden)]
enum LetterRequests {
    Table,
    VerifyCodeHash,
    Issued,
    RevokedAt,
    RevokedReason,
}

/// One `ALTER TABLE … ADD COLUMN` (SQLite takes one change per statement).
async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: ColumnDef,
) -> Result<(), DbErr> {
    let mut column = column;
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

async fn drop(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .col(string(Programs::Code).primary_key())
                    .col(string(Programs::Name))
                    .col(boolean(Programs::Credential))
                    .col(integer(Programs::Months))
                    .col(integer(Programs::WorkMonths))
                    .col(boolean(Programs::PlacementRequired))
                    .col(boolean(Programs::LanguageOrPreparatory))
                    .col(timestamp_with_time_zone(Programs::CreatedAt))
                    .col(timestamp_with_time_zone(Programs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        add(manager, Students::Table, string_null(Students::ProgramCode)).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_students_program_code")
                    .table(Students::Table)
                    .col(Students::ProgramCode)
                    .to_owned(),
            )
            .await?;
        add(
            manager,
            LetterRequests::Table,
            string_null(LetterRequests::VerifyCodeHash),
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_letter_requests_verify_code")
                    .table(LetterRequests::Table)
                    .col(LetterRequests::VerifyCodeHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        add(
            manager,
            LetterRequests::Table,
            json_binary_null(LetterRequests::Issued),
        )
        .await?;
        add(
            manager,
            LetterRequests::Table,
            timestamp_with_time_zone_null(LetterRequests::RevokedAt),
        )
        .await?;
        add(
            manager,
            LetterRequests::Table,
            text_null(LetterRequests::RevokedReason),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(
            manager,
            LetterRequests::Table,
            LetterRequests::RevokedReason,
        )
        .await?;
        drop(manager, LetterRequests::Table, LetterRequests::RevokedAt).await?;
        drop(manager, LetterRequests::Table, LetterRequests::Issued).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_letter_requests_verify_code")
                    .table(LetterRequests::Table)
                    .to_owned(),
            )
            .await?;
        drop(
            manager,
            LetterRequests::Table,
            LetterRequests::VerifyCodeHash,
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_students_program_code")
                    .table(Students::Table)
                    .to_owned(),
            )
            .await?;
        drop(manager, Students::Table, Students::ProgramCode).await?;
        manager
            .drop_table(Table::drop().table(Programs::Table).to_owned())
            .await
    }
}
