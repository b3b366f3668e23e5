//! Leavers (F2, FIPPA s. 31): a student's leaving date and when their personal data was removed;
//! and the audit log's one designed exception to being append-only. A retention run opens an
//! `audit_tombstones` row for a subject in its transaction; while that row is open, the trigger
//! lets an UPDATE of that subject's events through if it changes only their snapshots (`before`,
//! `after`) — who did what, and when, cannot change — and the run closes the row before it
//! commits, leaving the row as the record of the redaction. DELETE and TRUNCATE stay refused.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_pk_auto, boolean, integer, string, timestamp_with_time_zone};
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Students {
    Table,
    LeftOn,
    PersonalDataRemovedAt,
}

#[derive(DeriveIden)]
enum AuditTombstones {
    Table,
    Id,
    Subject,
    At,
    Reason,
    Events,
    Open,
}

const POSTGRES_UP: &str = r"
CREATE FUNCTION audit_events_tombstone_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor IS NOT DISTINCT FROM OLD.actor
       AND NEW.action = OLD.action AND NEW.subject = OLD.subject
       AND EXISTS (SELECT 1 FROM audit_tombstones t WHERE t.subject = OLD.subject AND t.open) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: UPDATE is allowed only to tombstone the snapshots of a subject under an open retention tombstone';
END;
$$;
DROP TRIGGER audit_events_append_only ON audit_events;
CREATE TRIGGER audit_events_append_only
    BEFORE DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_tombstone_only
    BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_tombstone_only();
";

const POSTGRES_DOWN: &str = r"
DROP TRIGGER audit_events_tombstone_only ON audit_events;
DROP FUNCTION audit_events_tombstone_only();
DROP TRIGGER audit_events_append_only ON audit_events;
CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
";

const SQLITE_UP: [&str; 2] = [
    "DROP TRIGGER audit_events_no_update",
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
     WHEN NOT (NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor IS OLD.actor
               AND NEW.action = OLD.action AND NEW.subject = OLD.subject
               AND EXISTS (SELECT 1 FROM audit_tombstones t WHERE t.subject = OLD.subject AND t.open))
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE is allowed only to tombstone the snapshots of a subject under an open retention tombstone'); END",
];

const SQLITE_DOWN: [&str; 2] = [
    "DROP TRIGGER audit_events_no_update",
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE is not allowed'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(Students::LeftOn).date().null().to_owned(),
            ColumnDef::new(Students::PersonalDataRemovedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Students::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditTombstones::Table)
                    .col(big_pk_auto(AuditTombstones::Id))
                    .col(string(AuditTombstones::Subject))
                    .col(timestamp_with_time_zone(AuditTombstones::At))
                    .col(string(AuditTombstones::Reason))
                    .col(integer(AuditTombstones::Events))
                    .col(boolean(AuditTombstones::Open))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES_UP).await?;
            }
            _ => {
                for statement in SQLITE_UP {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(POSTGRES_DOWN).await?;
            }
            _ => {
                for statement in SQLITE_DOWN {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        manager
            .drop_table(Table::drop().table(AuditTombstones::Table).to_owned())
            .await?;
        for column in [Students::LeftOn, Students::PersonalDataRemovedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Students::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
