//! A database written by the release before typed codes (schema 14: codes as text, a standing's
//! reasons between commas, `superseded` hidden in a reminder's channels) opens and upgrades, and
//! every stored value reads back as coop-core's enums — on SQLite and on PostgreSQL. The old rows
//! are written with plain SQL, as that release wrote them.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[expect(dead_code, reason = "this test opens only stores it migrates itself")]
mod support;

use chrono::{DateTime, NaiveDate, Utc};
use coop_api::reminders::ReminderState;
use coop_core::case::{Coop1101, Decision, DocumentFor, Level};
use coop_core::letter_request::LetterRequestStatus;
use coop_core::reasons::Reason;
use coop_core::review::ReviewStatus;
use coop_core::roles::Role;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::entity::{application, letter_request, reminder, student_standing, user};
use coop_store::migration::Migrator;
use coop_store::service::student_list::{self, StudentQuery};
use coop_store::service::{documents, standings, students};
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use sea_orm_migration::MigratorTrait;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Inserts one row as plain SQL and returns nothing: ids are known (every table starts at 1).
async fn insert(db: &impl ConnectionTrait, table: &str, row: &[(&str, SimpleExpr)]) {
    let mut query = Query::insert();
    query
        .into_table(Alias::new(table))
        .columns(row.iter().map(|(c, _)| Alias::new(*c)));
    query.values_panic(row.iter().map(|(_, v)| v.clone()));
    db.execute(&query).await.unwrap();
}

fn v(value: impl Into<sea_orm::Value>) -> SimpleExpr {
    SimpleExpr::Value(value.into())
}

async fn schema_14_rows(db: &impl ConnectionTrait) {
    let created = at("2026-11-01T12:00:00Z");
    insert(
        db,
        "students",
        &[
            ("student_number", v("100200300")),
            ("email", v("amara@student.example.ca")),
            ("name", v("Amara Okafor")),
            ("program", v("Diploma in Computer Information Systems")),
            ("coop_program", v(true)),
            ("coop1101", v("registered")),
            ("continuance_met", v(true)),
            ("full_time", v(false)),
            ("level", v("post_secondary")),
            ("placement_letter", v(false)),
            ("zone", v("America/Vancouver")),
            ("version", v(3_i64)),
            ("notes", v("")),
            ("reminders_paused", v(false)),
            ("created_at", v(created)),
            ("updated_at", v(created)),
        ],
    )
    .await;
    insert(
        db,
        "users",
        &[
            ("email", v("amara@student.example.ca")),
            ("name", v("Amara Okafor")),
            ("role", v("student")),
            ("student_id", v(1_i64)),
            ("created_at", v(created)),
            ("updated_at", v(created)),
        ],
    )
    .await;
    insert(
        db,
        "documents",
        &[
            ("student_id", v(1_i64)),
            ("kind", v("study_permit")),
            ("number", v("F100200300")),
            ("expires_on", v(day("2027-01-15"))),
            ("on_campus_work", v(true)),
            ("status", v("verified")),
            ("submitted_at", v(created)),
        ],
    )
    .await;
    insert(
        db,
        "applications",
        &[
            ("student_id", v(1_i64)),
            ("for_document", v("study_permit")),
            ("submitted_at", v(created)),
            ("decision", v("pending")),
            ("reported_at", v(created)),
        ],
    )
    .await;
    insert(
        db,
        "letter_requests",
        &[
            ("student_id", v(1_i64)),
            ("status", v("pending")),
            ("extending_study_permit", v(false)),
            ("notice_version", v("2026-11")),
            ("requested_at", v(created)),
        ],
    )
    .await;
    // Delivered; retired by a later one (the old `superseded` marker); claimed, not sent yet.
    for (due, sent_at, channels) in [
        (
            "2026-09-17",
            Some(at("2026-09-17T08:00:00Z")),
            "in_app,email",
        ),
        ("2026-10-17", Some(at("2026-11-16T08:00:00Z")), "superseded"),
        ("2026-11-16", None, ""),
    ] {
        insert(
            db,
            "reminders",
            &[
                ("student_id", v(1_i64)),
                ("document_id", v(1_i64)),
                ("for_document", v("study_permit")),
                ("due_on", v(day(due))),
                ("days_before", v(60_i32)),
                ("expires", v(day("2027-01-15"))),
                ("claimed_at", v(created)),
                ("claimed_by", v("host:1")),
                ("sent_at", v(sent_at)),
                ("channels", v(channels)),
                ("attempts", v(1_i32)),
                ("resends", v(0_i32)),
            ],
        )
        .await;
    }
    insert(
        db,
        "student_standings",
        &[
            ("student_id", v(1_i64)),
            ("version", v(3_i64)),
            ("fresh_until", v(at("2026-12-31T08:00:00Z"))),
            ("cleared", v(false)),
            ("regime", v("study_permit_placement")),
            ("study_state", v("valid")),
            ("coop_state", v("none")),
            ("study_expires", v(day("2027-01-15"))),
            ("extend_study_permit", v(false)),
            ("reasons", v(",no_placement_letter,not_full_time,")),
            ("evaluated_at", v(created)),
        ],
    )
    .await;
}

async fn upgrade(store: Store) {
    let db = store.db();
    Migrator::up(db, Some(14)).await.unwrap();
    schema_14_rows(db).await;
    store.migrate().await.unwrap();
    let now = at("2026-12-06T20:00:00Z");

    let amara = students::get(db, 1).await.unwrap();
    assert_eq!(amara.coop1101, Coop1101::Registered);
    assert_eq!(amara.level, Level::PostSecondary);
    let account = user::Entity::find_by_id(1).one(db).await.unwrap().unwrap();
    assert_eq!(account.role, Role::Student);
    let on_file = documents::list(db, 1).await.unwrap();
    assert_eq!(
        (on_file[0].kind, on_file[0].status),
        (DocumentKind::StudyPermit, ReviewStatus::Verified)
    );
    let reported = application::Entity::find().all(db).await.unwrap();
    assert_eq!(
        (reported[0].for_document, reported[0].decision),
        (DocumentFor::StudyPermit, Decision::Pending)
    );
    let request = letter_request::Entity::find_by_id(1)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.status, LetterRequestStatus::Pending);

    // `superseded` is a state now, and reads back as the API showed it before.
    let reminders = reminder::Entity::find()
        .order_by_asc(reminder::Column::Id)
        .all(db)
        .await
        .unwrap();
    let shown: Vec<_> = reminders
        .iter()
        .map(|r| coop_store::wire::reminder(r, Some(&amara)))
        .map(|r| (r.state, r.channels, r.sent_at.is_some()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                ReminderState::Sent,
                vec!["in_app".to_owned(), "email".to_owned()],
                true
            ),
            (ReminderState::Superseded, vec![], false),
            (ReminderState::Pending, vec![], false),
        ]
    );

    // The standings cache was emptied by the upgrade and is computed again, reasons as a list.
    assert!(
        student_standing::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(standings::refresh(db, now).await.unwrap(), 1);
    let standing = student_standing::Entity::find_by_id(1)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(standing.reasons.contains(Reason::NoPlacementLetter));
    assert!(standing.reasons.contains(Reason::NotFullTime));
    let (listed, total) = student_list::list(
        db,
        &StudentQuery {
            reason: Some(Reason::NotFullTime),
            ..StudentQuery::default()
        },
        0,
        50,
        now,
    )
    .await
    .unwrap();
    assert_eq!((total, listed[0].student.id), (1, 1));

    // A code no release wrote is an error that names it, never a guess.
    db.execute_unprepared("UPDATE documents SET kind = 'passport' WHERE id = 1")
        .await
        .unwrap();
    let error = documents::list(db, 1).await.unwrap_err().to_string();
    assert!(
        error.contains(r#""passport" is not a DocumentKind code"#),
        "{error}"
    );
}

#[tokio::test]
async fn a_schema_14_database_upgrades_on_sqlite() {
    support::on_sqlite(false, upgrade).await;
}

#[tokio::test]
async fn a_schema_14_database_upgrades_on_postgres() {
    support::on_postgres(false, upgrade).await;
}
