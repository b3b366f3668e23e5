//! Migrations and a round trip, on SQLite and on PostgreSQL.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod support;

use chrono::{DateTime, Utc};
use coop_core::case::{Coop1101, Level};
use coop_core::evaluate;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::audit::{self, Actor};
use coop_store::service::students::{self, NewStudent};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T17:00:00Z")
        .unwrap()
        .to_utc()
}

fn amara() -> NewStudent {
    NewStudent {
        student_number: "100200300".to_owned(),
        email: "amara@student.example.ca".to_owned(),
        name: "Amara Okafor".to_owned(),
        program: "Diploma in Computer Information Systems".to_owned(),
        program_code: None,
        coop_program: true,
        coop1101: Coop1101::Registered,
        continuance_met: true,
        full_time: true,
        level: Level::PostSecondary,
    }
}

async fn round_trip(store: Store) {
    let applied = store.applied_migrations().await.unwrap();
    assert_eq!(
        applied,
        [
            "m20261127_000001_create_students",
            "m20261127_000002_create_audit_events",
            "m20261127_000003_create_accounts",
            "m20261127_000004_create_records",
            "m20261127_000005_create_letter_requests",
            "m20261127_000006_create_files",
            "m20261127_000007_add_client_keys",
            "m20261127_000008_add_letter_files",
            "m20261127_000009_create_student_standings",
            "m20261127_000010_make_audit_append_only",
            "m20261127_000011_create_reminders",
            "m20261127_000012_add_reminder_recipients",
            "m20261127_000013_index_student_search",
            "m20261203_000014_add_token_expiry",
            "m20261206_000015_type_stored_codes",
            "m20261207_000016_create_account_links",
            "m20261207_000017_create_programs",
            "m20261207_000018_create_file_contents",
            "m20261207_000019_add_leavers",
            "m20261207_000020_index_documents_status",
        ]
    );
    // Migrating again is a no-op.
    store.migrate().await.unwrap();
    assert!(store.ping().await);

    let created = students::create(store.db(), amara(), &Actor::Cli, now())
        .await
        .unwrap();
    let read = students::get(store.db(), created.id).await.unwrap();
    assert_eq!(read, created);
    assert_eq!(read.created_at, now());
    assert_eq!(read.coop1101.code(), "registered");

    let history = audit::history(store.db(), &format!("student:{}", created.id))
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "student.create");
    assert_eq!(history[0].actor.as_deref(), Some("cli"));
    assert_eq!(
        history[0].after.as_ref().unwrap()["student_number"],
        "100200300"
    );

    // A taken number is refused and writes nothing: no second row, no second audit event.
    let mut twin = amara();
    twin.email = "other@student.example.ca".to_owned();
    let refused = students::create(store.db(), twin, &Actor::Cli, now()).await;
    assert!(matches!(
        refused,
        Err(ServiceError::Conflict {
            field: "student_number"
        })
    ));
    let history = audit::history(store.db(), &format!("student:{}", created.id + 1))
        .await
        .unwrap();
    assert!(history.is_empty());
    assert!(matches!(
        students::get(store.db(), created.id + 1).await,
        Err(ServiceError::NotFound)
    ));

    // The record feeds the rules.
    let evaluation = evaluate(&coop_store::service::records::case_of(
        &read,
        &Default::default(),
        now(),
    ));
    assert!(evaluation.letter.eligible);
    assert!(!evaluation.job_access.cleared);
}

#[tokio::test]
async fn sqlite_migrations_and_round_trip() {
    support::with_sqlite(round_trip).await;
}

#[tokio::test]
async fn postgres_migrations_and_round_trip() {
    support::with_postgres(round_trip).await;
}

/// Several instances starting at once on a new PostgreSQL database: one migrates, the others
/// wait for it and find nothing left to do; all of them start.
#[tokio::test]
async fn instances_starting_together_migrate_once() {
    use sea_orm::{ConnectionTrait, Database};
    let admin_url = std::env::var("COOP_TEST_POSTGRES_URL")
        .expect("COOP_TEST_POSTGRES_URL is not set: run `bash scripts/test.sh`");
    let admin = Database::connect(&admin_url).await.unwrap();
    let name = format!("coop_test_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let starting: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Store::open_and_migrate(&url).await })
        })
        .collect();
    let mut opened = Vec::new();
    for instance in starting {
        let store = instance.await.unwrap();
        assert!(store.is_ok(), "{store:?}");
        opened.extend(store.ok());
    }
    let store = opened.pop().unwrap();
    assert_eq!(store.applied_migrations().await.unwrap().len(), 20);
    store.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
}
