//! What a student's evaluation reads beside their program facts: documents on file (study
//! permit, co-op work permit, IRCC approval letter) with their review status, applications made
//! to IRCC, and work terms.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_pk_auto, boolean, date, date_null, string, string_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};

use super::m20261127_000001_create_students::Students;
use super::m20261127_000003_create_accounts::Users;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    StudentId,
    Kind,
    Number,
    Uci,
    IssuedOn,
    ExpiresOn,
    OnCampusWork,
    Status,
    ReviewerId,
    Reason,
    SubmittedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    StudentId,
    ForDocument,
    SubmittedAt,
    ApplicationNumber,
    Decision,
    ReportedAt,
}

#[derive(DeriveIden)]
enum WorkTerms {
    Table,
    Id,
    StudentId,
    StartOn,
    EndOn,
    Employer,
}

fn by_student(table: impl IntoIden, name: &str, column: impl IntoIden) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(column)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(big_pk_auto(Documents::Id))
                    .col(big_integer(Documents::StudentId))
                    .col(string(Documents::Kind))
                    .col(string(Documents::Number))
                    .col(string_null(Documents::Uci))
                    .col(date_null(Documents::IssuedOn))
                    .col(date(Documents::ExpiresOn))
                    .col(boolean(Documents::OnCampusWork))
                    .col(string(Documents::Status))
                    .col(big_integer_null(Documents::ReviewerId))
                    .col(string_null(Documents::Reason))
                    .col(timestamp_with_time_zone(Documents::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Documents::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_student")
                            .from(Documents::Table, Documents::StudentId)
                            .to(Students::Table, Students::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_documents_reviewer")
                            .from(Documents::Table, Documents::ReviewerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(by_student(
                Documents::Table,
                "idx_documents_student",
                Documents::StudentId,
            ))
            .await?;
        manager
            .create_index(by_student(
                Documents::Table,
                "idx_documents_expires_on",
                Documents::ExpiresOn,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(big_pk_auto(Applications::Id))
                    .col(big_integer(Applications::StudentId))
                    .col(string(Applications::ForDocument))
                    .col(timestamp_with_time_zone(Applications::SubmittedAt))
                    .col(string_null(Applications::ApplicationNumber))
                    .col(string(Applications::Decision))
                    .col(timestamp_with_time_zone(Applications::ReportedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_student")
                            .from(Applications::Table, Applications::StudentId)
                            .to(Students::Table, Students::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(by_student(
                Applications::Table,
                "idx_applications_student",
                Applications::StudentId,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WorkTerms::Table)
                    .col(big_pk_auto(WorkTerms::Id))
                    .col(big_integer(WorkTerms::StudentId))
                    .col(date(WorkTerms::StartOn))
                    .col(date(WorkTerms::EndOn))
                    .col(string_null(WorkTerms::Employer))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_work_terms_student")
                            .from(WorkTerms::Table, WorkTerms::StudentId)
                            .to(Students::Table, Students::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(by_student(
                WorkTerms::Table,
                "idx_work_terms_student",
                WorkTerms::StudentId,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WorkTerms::Table.into_iden(),
            Applications::Table.into_iden(),
            Documents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
