//! Schema migrations, named `mYYYYMMDD_NNNNNN_verb_noun`, applied in order on start (or by
//! `coop-permits migrate`). Each is written once with sea-query so it runs on SQLite and
//! PostgreSQL alike; a shipped migration is never edited, only followed by a new one.

mod m20261127_000001_create_students;
mod m20261127_000002_create_audit_events;
mod m20261127_000003_create_accounts;
mod m20261127_000004_create_records;
mod m20261127_000005_create_letter_requests;
mod m20261127_000006_create_files;
mod m20261127_000007_add_client_keys;
mod m20261127_000008_add_letter_files;
mod m20261127_000009_create_student_standings;
mod m20261127_000010_make_audit_append_only;
mod m20261127_000011_create_reminders;
mod m20261127_000012_add_reminder_recipients;
mod m20261127_000013_index_student_search;
mod m20261203_000014_add_token_expiry;
mod m20261206_000015_type_stored_codes;
mod m20261207_000016_create_account_links;
mod m20261207_000017_create_programs;
mod m20261207_000018_create_file_contents;
mod m20261207_000019_add_leavers;
mod m20261207_000020_index_documents_status;

use sea_orm_migration::{MigrationTrait, MigratorTrait};

/// Every migration of coop-permits.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_students::Migration),
            Box::new(m20261127_000002_create_audit_events::Migration),
            Box::new(m20261127_000003_create_accounts::Migration),
            Box::new(m20261127_000004_create_records::Migration),
            Box::new(m20261127_000005_create_letter_requests::Migration),
            Box::new(m20261127_000006_create_files::Migration),
            Box::new(m20261127_000007_add_client_keys::Migration),
            Box::new(m20261127_000008_add_letter_files::Migration),
            Box::new(m20261127_000009_create_student_standings::Migration),
            Box::new(m20261127_000010_make_audit_append_only::Migration),
            Box::new(m20261127_000011_create_reminders::Migration),
            Box::new(m20261127_000012_add_reminder_recipients::Migration),
            Box::new(m20261127_000013_index_student_search::Migration),
            Box::new(m20261203_000014_add_token_expiry::Migration),
            Box::new(m20261206_000015_type_stored_codes::Migration),
            Box::new(m20261207_000016_create_account_links::Migration),
            Box::new(m20261207_000017_create_programs::Migration),
            Box::new(m20261207_000018_create_file_contents::Migration),
            Box::new(m20261207_000019_add_leavers::Migration),
            Box::new(m20261207_000020_index_documents_status::Migration),
        ]
    }
}
