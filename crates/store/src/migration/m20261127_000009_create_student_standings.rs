//! Each student's standing (J, G3, document states, V2, J reasons) as `coop-core` last computed
//! it, so staff lists over 100,000 students filter, count and page in the database. A row is
//! trusted only while its `version` equals the student's and `fresh_until` has not passed;
//! `standings::refresh` recomputes the others. Also the staff's free-text notes on a student.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StudentStandings {
    Table,
    StudentId,
    Version,
    FreshUntil,
    Cleared,
    Regime,
    StudyState,
    CoopState,
    StudyExpires,
    CoopExpires,
    ExtendStudyPermit,
    Reasons,
    EvaluatedAt,
}

#[derive(DeriveIden)]
enum Students {
    Table,
    Id,
    Notes,
    Name,
}

fn index(name: &str, column: StudentStandings) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(StudentStandings::Table)
        .col(column)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StudentStandings::Table)
                    .col(big_integer(StudentStandings::StudentId).primary_key())
                    .col(big_integer(StudentStandings::Version))
                    .col(timestamp_with_time_zone(StudentStandings::FreshUntil))
                    .col(boolean(StudentStandings::Cleared))
                    .col(string(StudentStandings::Regime))
                    .col(string(StudentStandings::StudyState))
                    .col(string(StudentStandings::CoopState))
                    .col(date_null(StudentStandings::StudyExpires))
                    .col(date_null(StudentStandings::CoopExpires))
                    .col(boolean(StudentStandings::ExtendStudyPermit))
                    .col(string(StudentStandings::Reasons))
                    .col(timestamp_with_time_zone(StudentStandings::EvaluatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StudentStandings::Table, StudentStandings::StudentId)
                            .to(Students::Table, Students::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            (
                "idx_student_standings_fresh_until",
                StudentStandings::FreshUntil,
            ),
            ("idx_student_standings_cleared", StudentStandings::Cleared),
            (
                "idx_student_standings_study_state",
                StudentStandings::StudyState,
            ),
            (
                "idx_student_standings_coop_state",
                StudentStandings::CoopState,
            ),
            (
                "idx_student_standings_study_expires",
                StudentStandings::StudyExpires,
            ),
            (
                "idx_student_standings_coop_expires",
                StudentStandings::CoopExpires,
            ),
        ] {
            manager.create_index(index(name, column)).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_students_name_id")
                    .table(Students::Table)
                    .col(Students::Name)
                    .col(Students::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Students::Table)
                    .add_column(text(Students::Notes).default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Students::Table)
                    .drop_column(Students::Notes)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_students_name_id")
                    .table(Students::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(StudentStandings::Table).to_owned())
            .await
    }
}
