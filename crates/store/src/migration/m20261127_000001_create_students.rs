//! Students: the program facts staff own and the rules read (design.md, data model).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_pk_auto, boolean, string, string_null, string_uniq, timestamp_with_time_zone,
};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Students {
    Table,
    Id,
    StudentNumber,
    Email,
    Name,
    Program,
    CoopProgram,
    Coop1101,
    ContinuanceMet,
    FullTime,
    Level,
    PlacementLetter,
    Uci,
    Zone,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Students::Table)
                    .col(big_pk_auto(Students::Id))
                    .col(string_uniq(Students::StudentNumber))
                    .col(string_uniq(Students::Email))
                    .col(string(Students::Name))
                    .col(string(Students::Program))
                    .col(boolean(Students::CoopProgram).default(false))
                    .col(string(Students::Coop1101).default("none"))
                    .col(boolean(Students::ContinuanceMet).default(false))
                    .col(boolean(Students::FullTime).default(true))
                    .col(string(Students::Level).default("post_secondary"))
                    .col(boolean(Students::PlacementLetter).default(false))
                    .col(string_null(Students::Uci))
                    .col(string(Students::Zone).default("America/Vancouver"))
                    .col(big_integer(Students::Version).default(1))
                    .col(timestamp_with_time_zone(Students::CreatedAt))
                    .col(timestamp_with_time_zone(Students::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Students::Table).to_owned())
            .await
    }
}
