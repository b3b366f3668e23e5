//! What staff see of each reminder: the address it was e-mailed to, and when and how often
//! staff sent it again by hand (R2).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reminders {
    Table,
    SentTo,
    ResentAt,
    Resends,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string_null(Reminders::SentTo),
            timestamp_with_time_zone_null(Reminders::ResentAt),
            integer(Reminders::Resends).default(0).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reminders::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Reminders::Resends, Reminders::ResentAt, Reminders::SentTo] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Reminders::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
