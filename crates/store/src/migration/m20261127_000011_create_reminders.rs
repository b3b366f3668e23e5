//! Reminders (R1, R2) and in-app notices. A reminder row is the claim that it will be
//! delivered: unique per document and due date, so however many instances run the job, one row
//! and one delivery per reminder; `sent_at` stays empty until delivery, so a claim whose
//! instance died is found again and delivered later. Notices are what a student (or staff) reads
//! in the app, with read/unread state. Staff may pause a student's reminders, with a reason.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reminders {
    Table,
    Id,
    StudentId,
    DocumentId,
    ForDocument,
    DueOn,
    DaysBefore,
    Expires,
    ClaimedAt,
    ClaimedBy,
    SentAt,
    Channels,
    Attempts,
    LastError,
    ResentBy,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    UserId,
    StudentId,
    Kind,
    Title,
    Body,
    CreatedAt,
    ReadAt,
    ReminderId,
}

#[derive(DeriveIden)]
enum Students {
    Table,
    RemindersPaused,
    RemindersPausedReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reminders::Table)
                    .col(big_pk_auto(Reminders::Id))
                    .col(big_integer(Reminders::StudentId))
                    .col(big_integer(Reminders::DocumentId))
                    .col(string(Reminders::ForDocument))
                    .col(date(Reminders::DueOn))
                    .col(integer(Reminders::DaysBefore))
                    .col(date(Reminders::Expires))
                    .col(timestamp_with_time_zone(Reminders::ClaimedAt))
                    .col(string(Reminders::ClaimedBy))
                    .col(timestamp_with_time_zone_null(Reminders::SentAt))
                    .col(string(Reminders::Channels))
                    .col(integer(Reminders::Attempts))
                    .col(string_null(Reminders::LastError))
                    .col(big_integer_null(Reminders::ResentBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reminders_document_due_on")
                    .table(Reminders::Table)
                    .col(Reminders::DocumentId)
                    .col(Reminders::DueOn)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reminders_unsent")
                    .table(Reminders::Table)
                    .col(Reminders::SentAt)
                    .col(Reminders::ClaimedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reminders_student")
                    .table(Reminders::Table)
                    .col(Reminders::StudentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .col(big_pk_auto(Notices::Id))
                    .col(big_integer(Notices::UserId))
                    .col(big_integer_null(Notices::StudentId))
                    .col(string(Notices::Kind))
                    .col(string(Notices::Title))
                    .col(text(Notices::Body))
                    .col(timestamp_with_time_zone(Notices::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notices::ReadAt))
                    .col(big_integer_null(Notices::ReminderId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notices_user_created")
                    .table(Notices::Table)
                    .col(Notices::UserId)
                    .col(Notices::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Students::Table)
                    .add_column(boolean(Students::RemindersPaused).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Students::Table)
                    .add_column(string_null(Students::RemindersPausedReason))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Students::RemindersPausedReason, Students::RemindersPaused] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Students::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Notices::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Reminders::Table).to_owned())
            .await
    }
}
