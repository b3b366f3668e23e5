//! Letter requests (L) and the FIPPA collection notices students acknowledged (F1).
//!
//! "One pending request at a time" is a partial unique index, so it holds even when two server
//! instances take the same student's requests at the same moment.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_pk_auto, boolean, date_null, string, string_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};

use super::m20261127_000001_create_students::Students;
use super::m20261127_000003_create_accounts::Users;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LetterRequests {
    Table,
    Id,
    StudentId,
    Status,
    FirstTermStart,
    ExtendingStudyPermit,
    NoticeVersion,
    RequestedAt,
    DecidedAt,
    ReviewerId,
    Reason,
}

#[derive(DeriveIden)]
enum Consents {
    Table,
    Id,
    UserId,
    NoticeVersion,
    AcceptedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LetterRequests::Table)
                    .col(big_pk_auto(LetterRequests::Id))
                    .col(big_integer(LetterRequests::StudentId))
                    .col(string(LetterRequests::Status))
                    .col(date_null(LetterRequests::FirstTermStart))
                    .col(boolean(LetterRequests::ExtendingStudyPermit))
                    .col(string(LetterRequests::NoticeVersion))
                    .col(timestamp_with_time_zone(LetterRequests::RequestedAt))
                    .col(timestamp_with_time_zone_null(LetterRequests::DecidedAt))
                    .col(big_integer_null(LetterRequests::ReviewerId))
                    .col(string_null(LetterRequests::Reason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_letter_requests_student")
                            .from(LetterRequests::Table, LetterRequests::StudentId)
                            .to(Students::Table, Students::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_letter_requests_reviewer")
                            .from(LetterRequests::Table, LetterRequests::ReviewerId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_letter_requests_student")
                    .table(LetterRequests::Table)
                    .col(LetterRequests::StudentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_letter_requests_one_pending")
                    .table(LetterRequests::Table)
                    .col(LetterRequests::StudentId)
                    .unique()
                    .and_where(Expr::col(LetterRequests::Status).eq("pending"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_letter_requests_status")
                    .table(LetterRequests::Table)
                    .col(LetterRequests::Status)
                    .col(LetterRequests::RequestedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Consents::Table)
                    .col(big_pk_auto(Consents::Id))
                    .col(big_integer(Consents::UserId))
                    .col(string(Consents::NoticeVersion))
                    .col(timestamp_with_time_zone(Consents::AcceptedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consents_user")
                            .from(Consents::Table, Consents::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uniq_consents_user_version")
                    .table(Consents::Table)
                    .col(Consents::UserId)
                    .col(Consents::NoticeVersion)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Consents::Table.into_iden(),
            LetterRequests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
