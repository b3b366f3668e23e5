//! Codes are read as coop-core's enums (issue 17): a reminder's state gets a column of its own
//! (it was hidden in `channels` as `superseded`), and a standing's reasons become a JSON array
//! (they were codes between commas). Standings are a cache of coop-core's answer (recomputed
//! whenever they are stale, and at every start), so they are emptied, not converted: the start
//! after this migration computes every one again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reminders {
    Table,
    State,
    Channels,
    SentAt,
    ClaimedAt,
}

#[derive(DeriveIden)]
enum StudentStandings {
    Table,
    Reasons,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Reminders::Table)
                    .add_column(string(Reminders::State).default("pending"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Reminders::Table)
                    .value(Reminders::State, "superseded")
                    .value(Reminders::Channels, "")
                    .and_where(Expr::col(Reminders::Channels).eq("superseded"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Reminders::Table)
                    .value(Reminders::State, "sent")
                    .and_where(Expr::col(Reminders::SentAt).is_not_null())
                    .and_where(Expr::col(Reminders::State).eq("pending"))
                    .to_owned(),
            )
            .await?;
        // The reminder job's pending claims (was: unsent, by `sent_at`).
        manager
            .create_index(
                Index::create()
                    .name("idx_reminders_pending")
                    .table(Reminders::Table)
                    .col(Reminders::State)
                    .col(Reminders::ClaimedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(StudentStandings::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StudentStandings::Table)
                    .drop_column(StudentStandings::Reasons)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StudentStandings::Table)
                    .add_column(json_binary(StudentStandings::Reasons).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_reminders_pending")
                    .table(Reminders::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(StudentStandings::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StudentStandings::Table)
                    .drop_column(StudentStandings::Reasons)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StudentStandings::Table)
                    .add_column(string(StudentStandings::Reasons).default(","))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Reminders::Table)
                    .value(Reminders::Channels, "superseded")
                    .and_where(Expr::col(Reminders::State).eq("superseded"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Reminders::Table)
                    .drop_column(Reminders::State)
                    .to_owned(),
            )
            .await
    }
}
