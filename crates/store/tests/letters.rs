//! Letter requests (L, F1) on real SQLite and real PostgreSQL: refused with L's reasons and
//! nothing written; the collection notice acknowledged once per version; one pending request at
//! a time, even when two arrive at once; withdrawal by core's transitions.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::Coop1101;
use coop_core::reasons::Reason;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::letters::{self, NewLetterRequest};
use coop_store::service::privacy::PrivacyNotice;
use coop_store::service::students::{self, NewStudent};
use coop_store::service::users::{self, NewUser};
use coop_store::vault::{FileKey, Vault};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A student record and its user; returns (user id, student id).
async fn student(store: &Store, number: &str, coop: bool, coop1101: Coop1101) -> (i64, i64) {
    let now = at("2026-11-27T12:00:00Z");
    let email = format!("{number}@example.ca");
    let mut new = NewStudent::enrolled(number, &email, "Student");
    new.coop_program = coop;
    new.coop1101 = coop1101;
    let record = students::create(store.db(), new, &Actor::Cli, now)
        .await
        .unwrap();
    let user = users::create(
        store.db(),
        NewUser {
            email,
            name: "Student".to_owned(),
            role: Role::Student,
            student_number: Some(number.to_owned()),
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    assert_eq!(user.student_id, Some(record.id));
    (user.id, record.id)
}

fn ask(notice: &PrivacyNotice, start: &str) -> NewLetterRequest {
    NewLetterRequest {
        first_term_start: day(start),
        extending_study_permit: true,
        notice_version: notice.version(),
        client_key: None,
    }
}

async fn letter_requests(store: Store) {
    let db = store.db();
    let notice = PrivacyNotice::default();
    let now = at("2026-11-27T12:00:00Z");

    // L1 and L2 refuse, in rule order, and nothing is written — not even the acknowledgement.
    let (outsider, outsider_record) = student(&store, "100", false, Coop1101::None).await;
    match letters::request(
        db,
        &notice,
        outsider,
        outsider_record,
        ask(&notice, "2027-05-04"),
        now,
    )
    .await
    {
        Err(ServiceError::NotEligible { reasons }) => assert_eq!(
            reasons,
            [Reason::NotInCoopProgram, Reason::Coop1101NotRegistered]
        ),
        other => panic!("expected not eligible, got {other:?}"),
    }
    assert!(letters::list(db, outsider_record).await.unwrap().is_empty());
    assert!(
        !letters::has_acknowledged(db, outsider, &notice.version())
            .await
            .unwrap()
    );

    let (user, record) = student(&store, "200", true, Coop1101::Registered).await;
    // An old notice, or a term already begun, is refused by field.
    let mut stale = ask(&notice, "2027-05-04");
    stale.notice_version = "2025-01-01.000000000000".to_owned();
    assert!(matches!(
        letters::request(db, &notice, user, record, stale, now).await,
        Err(ServiceError::Invalid {
            field: "privacy_notice",
            ..
        })
    ));
    assert!(matches!(
        letters::request(db, &notice, user, record, ask(&notice, "2026-11-26"), now).await,
        Err(ServiceError::Invalid {
            field: "first_term_start",
            ..
        })
    ));
    assert!(letters::list(db, record).await.unwrap().is_empty());

    let first = letters::request(db, &notice, user, record, ask(&notice, "2027-05-04"), now)
        .await
        .unwrap();
    assert_eq!(first.status.code(), "pending");
    assert_eq!(first.notice_version, notice.version());
    assert_eq!(first.first_term_start, Some(day("2027-05-04")));
    assert!(
        letters::has_acknowledged(db, user, &notice.version())
            .await
            .unwrap()
    );

    // One pending at a time.
    match letters::request(db, &notice, user, record, ask(&notice, "2027-09-07"), now).await {
        Err(ServiceError::State(message)) => {
            assert!(message.contains("already have a letter request"))
        }
        other => panic!("expected a state conflict, got {other:?}"),
    }
    // Another student's request is not found; a decided one does not move.
    assert!(matches!(
        letters::withdraw(db, outsider_record, first.id, &Actor::User(outsider), now).await,
        Err(ServiceError::NotFound)
    ));
    let withdrawn = letters::withdraw(db, record, first.id, &Actor::User(user), now)
        .await
        .unwrap();
    assert_eq!(withdrawn.status.code(), "withdrawn");
    assert_eq!(withdrawn.decided_at, Some(now));
    match letters::withdraw(db, record, first.id, &Actor::User(user), now).await {
        Err(ServiceError::State(message)) => {
            assert_eq!(
                message,
                "This request is withdrawn and cannot be withdrawn."
            )
        }
        other => panic!("expected a state conflict, got {other:?}"),
    }

    // After withdrawing, a new request is taken; the notice is acknowledged only once.
    let later = at("2026-11-28T09:00:00Z");
    let second = letters::request(db, &notice, user, record, ask(&notice, "2027-09-07"), later)
        .await
        .unwrap();
    let listed = letters::list(db, record).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|r| (r.id, r.status.code()))
            .collect::<Vec<_>>(),
        [(second.id, "pending"), (first.id, "withdrawn")]
    );
    let history = audit::history(db, &format!("student:{record}"))
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "student.create",
            "letter_request.create",
            "letter_request.withdraw",
            "letter_request.create"
        ]
    );
    let acknowledged = audit::history(db, &format!("user:{user}")).await.unwrap();
    assert_eq!(
        acknowledged
            .iter()
            .filter(|e| e.action == "privacy_notice.acknowledge")
            .count(),
        1
    );
}

/// Two requests for one student at the same moment: exactly one is taken.
async fn racing_requests(store: Store) {
    let notice = PrivacyNotice::default();
    let now = at("2026-11-27T12:00:00Z");
    let (user, record) = student(&store, "300", true, Coop1101::Completed).await;
    let (a, b) = tokio::join!(
        letters::request(
            store.db(),
            &notice,
            user,
            record,
            ask(&notice, "2027-05-04"),
            now
        ),
        letters::request(
            store.db(),
            &notice,
            user,
            record,
            ask(&notice, "2027-05-04"),
            now
        ),
    );
    let taken = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(taken, 1, "{a:?} {b:?}");
    let refused = if a.is_ok() { b } else { a };
    assert!(
        matches!(refused, Err(ServiceError::State(_))),
        "{refused:?}"
    );
    assert_eq!(letters::list(store.db(), record).await.unwrap().len(), 1);
}

/// A draft sent twice (the first answer lost), even at the same moment: one request, the same
/// answer both times, one audit event.
async fn the_same_request_twice_is_one(store: Store) {
    let notice = PrivacyNotice::default();
    let now = at("2026-11-27T12:00:00Z");
    let (user, record) = student(&store, "400", true, Coop1101::Registered).await;
    let keyed = || NewLetterRequest {
        client_key: Some("5f0c1f9e-9a43-4c55-8f7e-2d7f3b9d8a11".to_owned()),
        ..ask(&notice, "2027-05-04")
    };
    let (a, b) = tokio::join!(
        letters::request(store.db(), &notice, user, record, keyed(), now),
        letters::request(store.db(), &notice, user, record, keyed(), now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id);
    let again = letters::request(store.db(), &notice, user, record, keyed(), now)
        .await
        .unwrap();
    assert_eq!(again.id, a.id);
    assert_eq!(letters::list(store.db(), record).await.unwrap().len(), 1);
    let created = audit::history(store.db(), &format!("student:{record}"))
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "letter_request.create")
        .count();
    assert_eq!(created, 1);
}

/// Staff decide: approval issues the letter (stored, readable only by its student) and sets the
/// placement letter (W2d); rejection needs a reason; a decided request does not move again.
async fn decisions(store: Store) {
    let db = store.db();
    let notice = PrivacyNotice::default();
    let now = at("2026-11-27T12:00:00Z");
    let dir = std::env::temp_dir().join(format!("coop-letters-{}", uuid::Uuid::new_v4()));
    let vault = Vault::new(&dir, &FileKey::generate().unwrap());
    let (user, record) = student(&store, "500", true, Coop1101::Completed).await;
    let (_, other) = student(&store, "501", true, Coop1101::Completed).await;
    let staff = Actor::User(user); // any user id: the audit names who decided
    let first = letters::request(db, &notice, user, record, ask(&notice, "2027-05-04"), now)
        .await
        .unwrap();
    assert!(matches!(
        letters::letter_of(db, &vault, Some(record), first.id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        letters::reject(db, first.id, "  ", &staff, now).await,
        Err(ServiceError::Invalid {
            field: "reason",
            ..
        })
    ));
    let rejected = letters::reject(db, first.id, "COOP 1101 is not completed yet.", &staff, now)
        .await
        .unwrap();
    assert_eq!(rejected.status.code(), "rejected");
    assert_eq!(
        rejected.reason.as_deref(),
        Some("COOP 1101 is not completed yet.")
    );
    let issuing = coop_store::settings::LetterIssuing {
        vault: vault.clone(),
        institution: None,
        site: "https://coop.example.ca".to_owned(),
    };
    assert!(matches!(
        letters::issue(
            db,
            &issuing,
            first.id,
            b"%PDF-1.7 letter",
            None,
            &staff,
            now
        )
        .await,
        Err(ServiceError::State(_))
    ));

    let second = letters::request(db, &notice, user, record, ask(&notice, "2027-05-04"), now)
        .await
        .unwrap();
    let pdf = b"%PDF-1.7\n% the co-op letter\n%%EOF\n".to_vec();
    let approved = letters::issue(db, &issuing, second.id, &pdf, None, &staff, now)
        .await
        .unwrap();
    assert_eq!(approved.status.code(), "approved");
    assert!(approved.letter_file_id.is_some());
    assert!(students::get(db, record).await.unwrap().placement_letter);
    assert_eq!(
        letters::letter_of(db, &vault, Some(record), second.id)
            .await
            .unwrap(),
        pdf
    );
    assert!(matches!(
        letters::letter_of(db, &vault, Some(other), second.id).await,
        Err(ServiceError::NotFound)
    ));
    let actions: Vec<String> = audit::history(db, &format!("student:{record}"))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "student.create",
            "letter_request.create",
            "letter_request.reject",
            "letter_request.create",
            "student.placement_letter",
            "letter_request.approve"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn decisions_on_sqlite() {
    support::with_sqlite(decisions).await;
}

#[tokio::test]
async fn decisions_on_postgres() {
    support::with_postgres(decisions).await;
}

#[tokio::test]
async fn the_same_request_twice_on_sqlite() {
    support::with_sqlite(the_same_request_twice_is_one).await;
}

#[tokio::test]
async fn the_same_request_twice_on_postgres() {
    support::with_postgres(the_same_request_twice_is_one).await;
}

#[tokio::test]
async fn letter_requests_on_sqlite() {
    support::with_sqlite(letter_requests).await;
}

#[tokio::test]
async fn letter_requests_on_postgres() {
    support::with_postgres(letter_requests).await;
}

#[tokio::test]
async fn racing_requests_on_sqlite() {
    support::with_sqlite(racing_requests).await;
}

#[tokio::test]
async fn racing_requests_on_postgres() {
    support::with_postgres(racing_requests).await;
}
