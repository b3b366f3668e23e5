//! A student's records on real SQLite and real PostgreSQL: documents, a reported application
//! (S9, T4) and its decision, read back as the rules' case; nothing half-written on refusal.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::{Decision, DocumentFor};
use coop_core::evaluate;
use coop_core::review::ReviewStatus as Review;
use coop_core::status::DocumentState;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::applications::{self, ApplicationReport};
use coop_store::service::audit::{self, Actor};
use coop_store::service::documents::{self, NewDocument};
use coop_store::service::students::{self, NewStudent};
use coop_store::service::{records, student_facts, work_terms};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

async fn records_round_trip(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T12:00:00Z");
    let student = students::create(
        db,
        NewStudent::enrolled("555", "s@example.ca", "S"),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    documents::put_on_file(
        db,
        student.id,
        NewDocument {
            kind: DocumentKind::StudyPermit,
            number: "F555000555".to_owned(),
            uci: None,
            issued_on: None,
            expires_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            on_campus_work: true,
            review: Review::Verified,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let report = |when: &str, number: &str| ApplicationReport {
        for_document: DocumentFor::StudyPermit,
        submitted_at: at(when),
        application_number: number.to_owned(),
        client_key: None,
    };
    // A bad number writes nothing.
    assert!(matches!(
        applications::report(
            db,
            student.id,
            report("2026-11-20T23:30:00Z", "W12"),
            &Actor::Cli,
            now
        )
        .await,
        Err(ServiceError::Invalid {
            field: "application_number",
            ..
        })
    ));
    assert!(
        records::load(db, student.id)
            .await
            .unwrap()
            .applications
            .is_empty()
    );
    let reported = applications::report(
        db,
        student.id,
        report("2026-11-20T23:30:00Z", "W123456789"),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    assert_eq!(reported.timely, Some(true));
    // A report sent twice with one idempotency key (a draft whose answer was lost) is one.
    let keyed = || ApplicationReport {
        client_key: Some("draft-7".to_owned()),
        ..report("2026-11-20T22:00:00Z", "W123456788")
    };
    let once = applications::report(db, student.id, keyed(), &Actor::Cli, now)
        .await
        .unwrap();
    let twice = applications::report(db, student.id, keyed(), &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!(once.application.id, twice.application.id);
    assert_eq!(twice.timely, Some(true));
    assert_eq!(
        records::load(db, student.id)
            .await
            .unwrap()
            .applications
            .len(),
        2
    );
    let case = records::case_for(db, &student, now).await.unwrap();
    assert_eq!(
        evaluate(&case).study_permit.state,
        DocumentState::Maintained
    );
    // Another student's application is not found; a decision is recorded once.
    assert!(matches!(
        applications::record_decision(
            db,
            student.id + 1,
            reported.application.id,
            Decision::Approved,
            &Actor::Cli,
            now
        )
        .await,
        Err(ServiceError::NotFound)
    ));
    applications::record_decision(
        db,
        student.id,
        reported.application.id,
        Decision::Approved,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(
        applications::record_decision(
            db,
            student.id,
            reported.application.id,
            Decision::Refused,
            &Actor::Cli,
            now
        )
        .await,
        Err(ServiceError::State(message)) if message.contains("already recorded")
    ));
    let case = records::case_for(db, &student, now).await.unwrap();
    assert_eq!(
        evaluate(&case).study_permit.state,
        DocumentState::AwaitingNewDocument
    );
    // Work terms: checked, and only the student's own can be removed.
    assert!(matches!(
        work_terms::plan(
            db,
            student.id,
            coop_core::case::WorkTerm {
                start: NaiveDate::from_ymd_opt(2027, 5, 4).unwrap(),
                end: NaiveDate::from_ymd_opt(2027, 5, 1).unwrap()
            },
            None,
            &Actor::Cli,
            now
        )
        .await,
        Err(ServiceError::Invalid { field: "end", .. })
    ));
    let term = work_terms::plan(
        db,
        student.id,
        coop_core::case::WorkTerm {
            start: NaiveDate::from_ymd_opt(2027, 5, 4).unwrap(),
            end: NaiveDate::from_ymd_opt(2027, 8, 28).unwrap(),
        },
        Some(" Acme ".to_owned()),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    assert_eq!(term.employer.as_deref(), Some("Acme"));
    assert!(matches!(
        work_terms::remove(db, student.id + 1, term.id, &Actor::Cli, now).await,
        Err(ServiceError::NotFound)
    ));
    assert_eq!(
        records::load(db, student.id)
            .await
            .unwrap()
            .work_terms
            .len(),
        1
    );
    work_terms::remove(db, student.id, term.id, &Actor::Cli, now)
        .await
        .unwrap();
    assert!(
        records::load(db, student.id)
            .await
            .unwrap()
            .work_terms
            .is_empty()
    );
    // The zone: a name of the bundled release, stored canonically.
    assert!(matches!(
        student_facts::set_zone(db, student.id, "Mars/Base", &Actor::Cli, now).await,
        Err(ServiceError::Invalid { field: "zone", .. })
    ));
    assert_eq!(
        student_facts::set_zone(db, student.id, "asia/tokyo", &Actor::Cli, now)
            .await
            .unwrap()
            .zone,
        "Asia/Tokyo"
    );
    let actions: Vec<String> = audit::history(db, &format!("student:{}", student.id))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "student.create",
            "document.add",
            "application.report",
            // The keyed report, sent twice, is recorded once.
            "application.report",
            "application.decide",
            "work_term.add",
            "work_term.remove",
            "student.zone"
        ]
    );
}

#[tokio::test]
async fn records_on_sqlite() {
    support::with_sqlite(records_round_trip).await;
}

#[tokio::test]
async fn records_on_postgres() {
    support::with_postgres(records_round_trip).await;
}
