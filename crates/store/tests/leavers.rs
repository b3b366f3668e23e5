//! Retention for leavers (F2, FIPPA s. 31) on real SQLite and real PostgreSQL, time injected:
//! staff record a student's leaving; a year after the later of leaving and the last decision
//! about them the retention job removes their files, messages and personal fields, and
//! tombstones the personal values of their audit snapshots — through the append-only trigger's
//! one designed exception, which refuses every other change to the log. Who did what, and when,
//! stays; another student's data (even a file they share) is untouched; a dry run lists it first.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "../../core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod support;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::entity::{audit_event, audit_tombstone, document, notice, student, user};
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::documents::{self, Upload, Verdict};
use coop_store::service::student_facts::{self, ProgramChange};
use coop_store::service::students::{self, NewStudent};
use coop_store::service::users::{self, NewUser};
use coop_store::service::{ServiceError, leavers, retention};
use coop_store::vault::{FileKey, Vault, VaultError};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement, TransactionTrait,
};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn permit(number: &str, bytes: Vec<u8>) -> Upload {
    Upload {
        kind: DocumentKind::StudyPermit,
        number: number.to_owned(),
        uci: "1234-5678".to_owned(),
        issued_on: NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2028, 8, 31).unwrap(),
        on_campus_work: true,
        bytes,
        client_key: None,
    }
}

/// A student with an account; returns (student id, user id).
async fn student_with_account(
    store: &Store,
    number: &str,
    email: &str,
    name: &str,
    now: DateTime<Utc>,
) -> (i64, i64) {
    let id = students::create(
        store.db(),
        NewStudent::enrolled(number, email, name),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap()
    .id;
    let account = users::create(
        store.db(),
        NewUser {
            email: email.to_owned(),
            name: name.to_owned(),
            role: Role::Student,
            student_number: Some(number.to_owned()),
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    (id, account.id)
}

/// The audit rows of a subject, as text, in order.
async fn log_of(db: &impl ConnectionTrait, subject: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(subject))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await
        .unwrap()
}

fn text_of(events: &[audit_event::Model]) -> String {
    events
        .iter()
        .map(|e| format!("{:?} {:?}", e.before, e.after))
        .collect()
}

async fn leavers_data_goes_a_year_after(store: Store) {
    let db = store.db();
    let dir = std::env::temp_dir().join(format!("coop-leavers-{}", uuid::Uuid::new_v4()));
    let vault = Vault::for_backend(store.backend(), &dir, &FileKey::generate().unwrap());
    let t0 = at("2026-01-10T18:00:00Z");
    let staff = users::create(
        db,
        NewUser {
            email: "staff@example.ca".to_owned(),
            name: "Staff Member".to_owned(),
            role: Role::Staff,
            student_number: None,
        },
        None,
        &Actor::Cli,
        t0,
    )
    .await
    .unwrap();
    let staff = Actor::User(staff.id);
    let (alice, alice_user) =
        student_with_account(&store, "100200300", "alice@example.ca", "Alice Leaver", t0).await;
    let (bob, _) =
        student_with_account(&store, "100200400", "bob@example.ca", "Bob Stays", t0).await;
    // Alice: a verified permit (its own file) and one whose file Bob uploaded too.
    let own = documents::submit(
        db,
        &vault,
        alice,
        permit("F111222333", pdf_tricks::page("Alice's own permit")),
        &Actor::Cli,
        t0,
    )
    .await
    .unwrap()
    .document;
    documents::decide(db, own.id, Verdict::Verify, &staff, t0 + Duration::days(1))
        .await
        .unwrap();
    let shared_bytes = pdf_tricks::page("a scan both students uploaded");
    documents::submit(
        db,
        &vault,
        alice,
        permit("F111222444", shared_bytes.clone()),
        &Actor::Cli,
        t0 + Duration::days(2),
    )
    .await
    .unwrap();
    let bobs = documents::submit(
        db,
        &vault,
        bob,
        permit("F999888777", shared_bytes.clone()),
        &Actor::Cli,
        t0 + Duration::days(2),
    )
    .await
    .unwrap()
    .document;
    student_facts::update_program(
        db,
        alice,
        ProgramChange {
            notes: Some("Private note about Alice's family".to_owned()),
            ..ProgramChange::default()
        },
        &staff,
        t0 + Duration::days(3),
    )
    .await
    .unwrap();
    let messages = |id: i64| async move {
        notice::Entity::find()
            .filter(notice::Column::UserId.eq(id))
            .all(db)
            .await
            .unwrap()
            .len()
    };
    assert!(
        messages(alice_user).await > 0,
        "the verification told Alice"
    );

    // Leaving: a future date is refused; the date is recorded and audited.
    let t1 = at("2027-04-02T16:00:00Z");
    let future = leavers::record_leaving(
        db,
        alice,
        Some(NaiveDate::from_ymd_opt(2027, 4, 10).unwrap()),
        &staff,
        t1,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            future,
            ServiceError::Invalid {
                field: "left_on",
                ..
            }
        ),
        "{future}"
    );
    let left = leavers::record_leaving(
        db,
        alice,
        Some(NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()),
        &staff,
        t1,
    )
    .await
    .unwrap();
    assert_eq!(
        leavers::removable_from(db, &left).await.unwrap(),
        Some(at("2028-04-01T00:00:00Z")),
        "a year after the end of the leaving day (the last decision was earlier)"
    );

    // The append-only trigger refuses every change without an open tombstone.
    let backend = db.get_database_backend();
    let refused = db
        .execute_raw(Statement::from_string(
            backend,
            format!("UPDATE audit_events SET after = NULL WHERE subject = 'student:{alice}'"),
        ))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    let refused = db
        .execute_raw(Statement::from_string(
            backend,
            format!("DELETE FROM audit_events WHERE subject = 'student:{alice}'"),
        ))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");

    // A day early: listed as kept, nothing goes.
    let early = at("2028-03-31T23:59:00Z");
    let preview = retention::preview(db, &vault, early).await.unwrap();
    assert!(preview.leavers_due.is_empty());
    assert_eq!(preview.leavers_kept.len(), 1);
    assert_eq!(preview.leavers_kept[0].name, "Alice Leaver");
    assert_eq!(retention::run(db, &vault, early).await.unwrap().leavers, 0);
    let refused = leavers::remove_personal_data(db, &vault, alice, early)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("(F2, FIPPA s. 31)"),
        "{refused}"
    );

    // The dry run on the day lists what goes and removes nothing.
    let due = at("2028-04-01T00:00:01Z");
    let preview = retention::preview(db, &vault, due).await.unwrap();
    assert_eq!(preview.leavers_due.len(), 1);
    assert_eq!(preview.leavers_due[0].files, 2);
    let before_student = log_of(db, &format!("student:{alice}")).await;
    let before_user = log_of(db, &format!("user:{alice_user}")).await;
    assert!(text_of(&before_student).contains("Private note about Alice"));
    assert!(text_of(&before_user).contains("alice@example.ca"));
    let own_file = document::Entity::find_by_id(own.id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .file_id
        .unwrap();
    let own_name = coop_store::entity::file::Entity::find_by_id(own_file)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .storage_name;
    assert!(vault.get(db, &own_name).await.is_ok());

    let report = retention::run(db, &vault, due).await.unwrap();
    assert_eq!(report.leavers, 1);

    // The record stays, de-identified; the account can no longer sign in.
    let record = student::Entity::find_by_id(alice)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.name, leavers::TOMBSTONE);
    assert_eq!(record.student_number, format!("removed-{alice}"));
    assert_eq!((record.notes.as_str(), record.uci.as_deref()), ("", None));
    assert_eq!(record.personal_data_removed_at, Some(due));
    assert_eq!(record.left_on, NaiveDate::from_ymd_opt(2027, 3, 31));
    let account = user::Entity::find_by_id(alice_user)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!account.email.contains("alice"));
    assert!(account.password_hash.is_none() && account.disabled_at.is_some());
    assert_eq!(messages(alice_user).await, 0);
    // Her documents keep their facts, not their numbers or files; her own file is gone, the
    // shared one stays for Bob.
    for d in document::Entity::find()
        .filter(document::Column::StudentId.eq(alice))
        .all(db)
        .await
        .unwrap()
    {
        assert_eq!((d.file_id, d.number.as_str()), (None, ""));
    }
    assert!(matches!(
        vault.get(db, &own_name).await,
        Err(VaultError::Missing(_))
    ));
    let (_, bobs_bytes) = documents::file_of(db, &vault, Some(bob), bobs.id)
        .await
        .unwrap();
    assert_eq!(bobs_bytes, shared_bytes);

    // The log: same events, same who, what and when; no personal value of hers left.
    let after_student = log_of(db, &format!("student:{alice}")).await;
    let after_user = log_of(db, &format!("user:{alice_user}")).await;
    let shape = |events: &[audit_event::Model]| {
        events
            .iter()
            .map(|e| (e.id, e.at, e.actor.clone(), e.action.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shape(&after_student[..before_student.len()]),
        shape(&before_student)
    );
    assert_eq!(shape(&after_user), shape(&before_user));
    assert_eq!(
        after_student.last().unwrap().action,
        "student.personal_data_removed"
    );
    let remaining = text_of(&after_student) + &text_of(&after_user);
    for personal in [
        "Alice",
        "alice@example.ca",
        "100200300",
        "F111222333",
        "Private note",
    ] {
        assert!(
            !remaining.contains(personal),
            "{personal:?} is still in the log"
        );
    }
    assert!(remaining.contains(leavers::TOMBSTONE));
    assert!(remaining.contains("verified"), "the rules' codes stay");
    assert!(text_of(&log_of(db, &format!("student:{bob}")).await).contains("Bob Stays"));
    let tombstones = audit_tombstone::Entity::find().all(db).await.unwrap();
    assert_eq!(tombstones.len(), 2);
    assert!(tombstones.iter().all(|t| !t.open && t.events > 0));

    // The exception was closed: the log is append-only again, and even an open tombstone
    // never lets who or what change.
    let refused = db
        .execute_raw(Statement::from_string(
            backend,
            format!("UPDATE audit_events SET after = NULL WHERE subject = 'student:{alice}'"),
        ))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    let txn = db.begin().await.unwrap();
    txn.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO audit_tombstones (subject, at, reason, events, open) VALUES ('student:{alice}', CURRENT_TIMESTAMP, 'test', 0, {})",
            if backend == sea_orm::DatabaseBackend::Postgres { "TRUE" } else { "1" }
        ),
    ))
    .await
    .unwrap();
    let refused = txn
        .execute_raw(Statement::from_string(
            backend,
            format!("UPDATE audit_events SET actor = 'cli' WHERE subject = 'student:{alice}'"),
        ))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    txn.rollback().await.unwrap();

    // Nothing more to do; the record cannot be changed back.
    assert_eq!(
        retention::run(db, &vault, due + Duration::days(1))
            .await
            .unwrap()
            .leavers,
        0
    );
    let refused = leavers::record_leaving(db, alice, None, &staff, due)
        .await
        .unwrap_err();
    assert!(matches!(refused, ServiceError::State(_)), "{refused}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn leavers_on_sqlite() {
    support::with_sqlite(leavers_data_goes_a_year_after).await;
}
#[tokio::test]
async fn leavers_on_postgres() {
    support::with_postgres(leavers_data_goes_a_year_after).await;
}
