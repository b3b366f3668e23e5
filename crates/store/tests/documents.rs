//! Document submission (S1–S8) on real SQLite and real PostgreSQL: every validator finding at
//! once and nothing written; the file judged by content, encrypted on disk, stored once per
//! content; the same file twice recognised; withdrawal; a wrong key refused.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[path = "../../core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod support;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::validation::Code;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::audit::{self, Actor};
use coop_store::service::documents::{self, Upload};
use coop_store::service::records;
use coop_store::service::students::{self, NewStudent};
use coop_store::vault::{FileKey, Vault};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn pdf(text: &str) -> Vec<u8> {
    pdf_tricks::page(text)
}

fn study_permit(bytes: Vec<u8>) -> Upload {
    Upload {
        kind: DocumentKind::StudyPermit,
        number: "f 123 456 789".to_owned(),
        uci: "1234-5678".to_owned(),
        issued_on: day("2025-09-01"),
        expires_on: day("2027-08-31"),
        on_campus_work: true,
        bytes,
        client_key: None,
    }
}

async fn submissions(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T12:00:00Z");
    let dir = std::env::temp_dir().join(format!("coop-files-{}", uuid::Uuid::new_v4()));
    let vault = Vault::new(&dir, &FileKey::generate().unwrap());
    let actor = Actor::Cli;
    let a = students::create(
        db,
        NewStudent::enrolled("1", "a@example.ca", "A"),
        &actor,
        now,
    )
    .await
    .unwrap()
    .id;
    let b = students::create(
        db,
        NewStudent::enrolled("2", "b@example.ca", "B"),
        &actor,
        now,
    )
    .await
    .unwrap()
    .id;

    // Every finding at once, nothing written.
    let mut bad = study_permit(pdf("bad"));
    bad.number = "123".to_owned();
    bad.uci = "12".to_owned();
    bad.issued_on = day("2026-12-01");
    bad.expires_on = day("2026-11-01");
    match documents::submit(db, &vault, a, bad, &actor, now).await {
        Err(ServiceError::Findings(findings)) => {
            let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
            assert_eq!(
                codes,
                [
                    Code::InvalidDocumentNumber,
                    Code::InvalidUci,
                    Code::ExpiryBeforeIssue,
                    Code::DocumentExpired
                ]
            );
        }
        other => panic!("expected findings, got {other:?}"),
    }
    // Judged by content: a text file named like a PDF is refused.
    match documents::submit(
        db,
        &vault,
        a,
        study_permit(b"hello, world".to_vec()),
        &actor,
        now,
    )
    .await
    {
        Err(ServiceError::Findings(findings)) => {
            assert_eq!(
                findings.first().map(|f| f.code),
                Some(Code::UnsupportedFileType)
            )
        }
        other => panic!("expected findings, got {other:?}"),
    }
    assert!(documents::list(db, a).await.unwrap().is_empty());
    assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().next().is_none());

    let bytes = pdf("study permit F123456789");
    let first = documents::submit(db, &vault, a, study_permit(bytes.clone()), &actor, now)
        .await
        .unwrap();
    assert_eq!(first.document.status.code(), "submitted");
    assert_eq!(first.document.number, "F123456789");
    assert_eq!(first.document.uci.as_deref(), Some("12345678"));
    assert!(first.warnings.is_empty());
    // A submitted study permit is on file but not verified (S8).
    let case = records::case_for(db, &students::get(db, a).await.unwrap(), now)
        .await
        .unwrap();
    assert!(!case.study_permit.unwrap().verified);
    // Encrypted at rest, and read back whole.
    let stored: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(stored.len(), 1);
    let on_disk = std::fs::read(stored.first().unwrap().as_ref().unwrap().path()).unwrap();
    assert!(!on_disk.windows(10).any(|w| w == b"F123456789"));
    let (content_type, read) = documents::file_of(db, &vault, Some(a), first.document.id)
        .await
        .unwrap();
    assert_eq!(
        (content_type.as_str(), read),
        ("application/pdf", bytes.clone())
    );
    assert!(matches!(
        documents::file_of(db, &vault, Some(b), first.document.id).await,
        Err(ServiceError::NotFound)
    ));

    // The same file again from the same student is recognised.
    match documents::submit(db, &vault, a, study_permit(bytes.clone()), &actor, now).await {
        Err(ServiceError::State(message)) => {
            assert!(message.contains("already submitted this file"), "{message}")
        }
        other => panic!("expected a state conflict, got {other:?}"),
    }
    // From another student it is taken, and stored once.
    let theirs = documents::submit(db, &vault, b, study_permit(bytes.clone()), &actor, now)
        .await
        .unwrap();
    assert_eq!(theirs.document.file_id, first.document.file_id);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    // S5: a co-op work permit past the study permit on file warns.
    let permit = Upload {
        kind: DocumentKind::CoopWorkPermit,
        number: "U987654321".to_owned(),
        uci: "1234-5678".to_owned(),
        issued_on: day("2026-10-01"),
        expires_on: day("2027-12-31"),
        on_campus_work: true,
        // A PNG header for an 800 x 600 image.
        bytes: [
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13][..],
            b"IHDR",
            &800u32.to_be_bytes(),
            &600u32.to_be_bytes(),
            &[8, 2, 0, 0, 0, 1, 2, 3],
        ]
        .concat(),
        client_key: None,
    };
    let permit = documents::submit(db, &vault, a, permit, &actor, now)
        .await
        .unwrap();
    assert_eq!(
        permit.warnings.first().map(|w| w.code),
        Some(Code::ExceedsStudyPermit)
    );
    assert!(
        !permit.document.on_campus_work,
        "only a study permit carries W2c"
    );

    // Withdrawal: only before review, and a withdrawn document no longer counts.
    assert!(matches!(
        documents::withdraw(db, b, first.document.id, &actor, now).await,
        Err(ServiceError::NotFound)
    ));
    let withdrawn = documents::withdraw(db, a, first.document.id, &actor, now)
        .await
        .unwrap();
    assert_eq!(withdrawn.status.code(), "withdrawn");
    assert!(matches!(
        documents::withdraw(db, a, first.document.id, &actor, now).await,
        Err(ServiceError::State(_))
    ));
    let case = records::case_for(db, &students::get(db, a).await.unwrap(), now)
        .await
        .unwrap();
    assert!(case.study_permit.is_none());
    // Withdrawn, the same file may be submitted again; sent twice with one idempotency key (a
    // draft whose first answer was lost), it is one document.
    let keyed = || Upload {
        client_key: Some("draft-1".to_owned()),
        ..study_permit(bytes.clone())
    };
    let once = documents::submit(db, &vault, a, keyed(), &actor, now)
        .await
        .unwrap();
    let twice = documents::submit(db, &vault, a, keyed(), &actor, now)
        .await
        .unwrap();
    assert_eq!(once.document.id, twice.document.id);
    let actions: Vec<String> = audit::history(db, &format!("student:{a}"))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "student.create",
            "document.submit",
            "document.submit",
            "document.withdraw",
            "document.submit"
        ]
    );

    // The key the files were stored with, and no other, is accepted at start.
    documents::check_key(db, &vault).await.unwrap();
    let other = Vault::new(&dir, &FileKey::generate().unwrap());
    match documents::check_key(db, &other).await {
        Err(ServiceError::State(message)) => assert!(message.contains("not the key"), "{message}"),
        other => panic!("expected the key to be refused, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Staff review (S8): the queue, oldest first, with the validators' findings; verifying makes the
/// document count at once; rejecting needs a reason; a reviewed document does not move again.
async fn reviews(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T12:00:00Z");
    let dir = std::env::temp_dir().join(format!("coop-review-{}", uuid::Uuid::new_v4()));
    let vault = Vault::new(&dir, &FileKey::generate().unwrap());
    let actor = Actor::Cli;
    let a = students::create(
        db,
        NewStudent::enrolled("7", "g@example.ca", "G"),
        &actor,
        now,
    )
    .await
    .unwrap()
    .id;
    let permit = documents::submit(db, &vault, a, study_permit(pdf("sp")), &actor, now)
        .await
        .unwrap()
        .document;
    let later = at("2026-11-27T13:00:00Z");
    let mut odd = study_permit(pdf("odd prefix"));
    odd.number = "U123456789".to_owned();
    let odd = documents::submit(db, &vault, a, odd, &actor, later)
        .await
        .unwrap()
        .document;
    let queue = documents::queue(db, now).await.unwrap();
    assert_eq!(
        queue.iter().map(|q| q.document.id).collect::<Vec<_>>(),
        [permit.id, odd.id]
    );
    assert!(queue.first().unwrap().findings.is_empty());
    assert_eq!(
        queue.last().unwrap().findings.first().map(|f| f.code),
        Some(Code::UnexpectedDocumentPrefix)
    );

    assert!(matches!(
        documents::decide(
            db,
            odd.id,
            documents::Verdict::Reject(" ".to_owned()),
            &actor,
            now
        )
        .await,
        Err(ServiceError::Invalid {
            field: "reason",
            ..
        })
    ));
    let rejected = documents::decide(
        db,
        odd.id,
        documents::Verdict::Reject("The number is a work permit's.".to_owned()),
        &actor,
        now,
    )
    .await
    .unwrap();
    assert_eq!(rejected.status.code(), "rejected");
    let verified = documents::decide(db, permit.id, documents::Verdict::Verify, &actor, now)
        .await
        .unwrap();
    assert_eq!(verified.status.code(), "verified");
    let case = records::case_for(db, &students::get(db, a).await.unwrap(), now)
        .await
        .unwrap();
    assert!(case.study_permit.unwrap().verified);
    assert!(matches!(
        documents::decide(db, permit.id, documents::Verdict::Verify, &actor, now).await,
        Err(ServiceError::State(message)) if message == "This document is verified and cannot be verified."
    ));
    assert!(documents::queue(db, now).await.unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn reviews_on_sqlite() {
    support::with_sqlite(reviews).await;
}

#[tokio::test]
async fn reviews_on_postgres() {
    support::with_postgres(reviews).await;
}

#[tokio::test]
async fn documents_on_sqlite() {
    support::with_sqlite(submissions).await;
}

#[tokio::test]
async fn documents_on_postgres() {
    support::with_postgres(submissions).await;
}
