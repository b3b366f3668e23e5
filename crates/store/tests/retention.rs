//! The retention job (F2) on real SQLite and real PostgreSQL, time injected: an uploaded file
//! is kept while the rules use its document and for a year after the last decision that used
//! it, then removed — the document's facts and history stay, the removal is in the history, the
//! encrypted file leaves the file store (the folder, or the database on PostgreSQL); a request to remove it sooner is refused with F2's reason;
//! ended sessions go after 30 days.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "../../core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod support;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::entity::{document, file, session};
use coop_store::service::access::Role;
use coop_store::service::audit::{self, Actor};
use coop_store::service::documents::{self, Upload, Verdict};
use coop_store::service::retention;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::students::{self, NewStudent};
use coop_store::service::users::{self, NewUser};
use coop_store::vault::{FileKey, Vault};
use sea_orm::EntityTrait;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn permit(number: &str, expires: &str, text: &str) -> Upload {
    Upload {
        kind: DocumentKind::StudyPermit,
        number: number.to_owned(),
        uci: "1234-5678".to_owned(),
        issued_on: NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
        expires_on: NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap(),
        on_campus_work: true,
        bytes: pdf_tricks::page(text),
        client_key: None,
    }
}

/// A staff user (decisions and sessions need one); returns the id.
async fn staff_member(store: &Store, now: DateTime<Utc>) -> i64 {
    users::create(
        store.db(),
        NewUser {
            email: "staff@example.ca".to_owned(),
            name: "Staff".to_owned(),
            role: Role::Staff,
            student_number: None,
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap()
    .id
}

async fn kept_a_year_after_the_last_decision(store: Store) {
    let db = store.db();
    let dir = std::env::temp_dir().join(format!("coop-retention-{}", uuid::Uuid::new_v4()));
    // The deployment's store: the folder on SQLite, the database on PostgreSQL.
    let vault = Vault::for_backend(store.backend(), &dir, &FileKey::generate().unwrap());
    let t0 = at("2026-01-10T18:00:00Z");
    let staff = Actor::User(staff_member(&store, t0).await);
    let id = students::create(
        db,
        NewStudent::enrolled("1", "a@example.ca", "A"),
        &Actor::Cli,
        t0,
    )
    .await
    .unwrap()
    .id;
    let submit = |u: Upload, now: DateTime<Utc>| {
        let vault = vault.clone();
        async move {
            documents::submit(db, &vault, id, u, &Actor::Cli, now)
                .await
                .unwrap()
                .document
        }
    };
    // The first permit, verified; a blurry upload, rejected; then a renewed permit verified on
    // 2027-05-01, which the rules read from then on.
    let first = submit(permit("F123456781", "2027-08-31", "first"), t0).await;
    documents::decide(
        db,
        first.id,
        Verdict::Verify,
        &staff,
        t0 + Duration::days(1),
    )
    .await
    .unwrap();
    let blurry = submit(
        permit("F123456782", "2029-08-31", "blurry"),
        t0 + Duration::days(2),
    )
    .await;
    documents::decide(
        db,
        blurry.id,
        Verdict::Reject("The scan is unreadable.".to_owned()),
        &staff,
        t0 + Duration::days(3),
    )
    .await
    .unwrap();
    let t1 = at("2027-05-01T17:00:00Z");
    let renewed = submit(
        permit("F123456783", "2029-08-31", "renewed"),
        t1 - Duration::days(1),
    )
    .await;
    documents::decide(db, renewed.id, Verdict::Verify, &staff, t1)
        .await
        .unwrap();
    let files_on_disk = || async { vault.list(db).await.unwrap().len() };
    assert_eq!(files_on_disk().await, 3);
    assert_eq!(dir.exists(), store.backend() == coop_store::Backend::Sqlite);

    // Within a year of each decision nothing goes, and asking is refused with F2's reason.
    let early = retention::run(db, &vault, t0 + Duration::days(300))
        .await
        .unwrap();
    assert_eq!((early.document_files, early.kept), (0, 3));
    let refused =
        retention::remove_on_request(db, &vault, blurry.id, &staff, t0 + Duration::days(300))
            .await
            .unwrap_err();
    assert!(
        refused.to_string().contains("(F2, FIPPA s. 31)"),
        "{refused}"
    );

    // A year and a day after the rejection, the blurry scan goes; the others stay.
    let later = retention::run(db, &vault, t0 + Duration::days(369))
        .await
        .unwrap();
    assert_eq!((later.document_files, later.kept), (1, 2));
    assert_eq!(files_on_disk().await, 2);
    let row = document::Entity::find_by_id(blurry.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.file_id, row.number.as_str()), (None, "F123456782"));
    assert_eq!(file::Entity::find().all(db).await.unwrap().len(), 2);
    let history = audit::history(db, &format!("student:{id}")).await.unwrap();
    let removal = history
        .iter()
        .find(|e| e.action == "document.file_removed")
        .unwrap();
    assert_eq!(removal.actor.as_deref(), Some("system"));
    assert!(
        removal.after.as_ref().unwrap()["reason"]
            .as_str()
            .unwrap()
            .starts_with("F2")
    );

    // The first permit was replaced on t1: kept until a year after, then removed; the renewed
    // one, still in use, stays however late it is.
    let before = retention::run(db, &vault, t1 + Duration::days(364))
        .await
        .unwrap();
    assert_eq!(before.document_files, 0);
    let after = retention::run(db, &vault, t1 + Duration::days(366))
        .await
        .unwrap();
    assert_eq!((after.document_files, after.kept), (1, 1));
    let current =
        retention::remove_on_request(db, &vault, renewed.id, &staff, t1 + Duration::days(366))
            .await
            .unwrap_err();
    assert!(
        current.to_string().contains("still used by the rules"),
        "{current}"
    );
    assert_eq!(files_on_disk().await, 1);
    let (_, bytes) = coop_store::service::files::read(
        db,
        &vault,
        document::Entity::find_by_id(renewed.id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .file_id
            .unwrap(),
    )
    .await
    .unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("renewed"));
    // Running again removes nothing more.
    let again = retention::run(db, &vault, t1 + Duration::days(400))
        .await
        .unwrap();
    assert_eq!(again.document_files, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

async fn ended_sessions_go_after_thirty_days(store: Store) {
    let db = store.db();
    let t0 = at("2026-01-10T18:00:00Z");
    let user_id = staff_member(&store, t0).await;
    let policy = SessionPolicy::default();
    sessions::open(db, user_id, t0, policy).await.unwrap();
    sessions::open(db, user_id, t0 + Duration::days(200), policy)
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("coop-retention-{}", uuid::Uuid::new_v4()));
    let vault = Vault::new(&dir, &FileKey::generate().unwrap());
    let report = retention::run(db, &vault, t0 + Duration::days(201))
        .await
        .unwrap();
    assert_eq!(report.sessions, 1);
    assert_eq!(session::Entity::find().all(db).await.unwrap().len(), 1);
}

#[tokio::test]
async fn files_on_sqlite() {
    support::with_sqlite(kept_a_year_after_the_last_decision).await;
}
#[tokio::test]
async fn files_on_postgres() {
    support::with_postgres(kept_a_year_after_the_last_decision).await;
}
#[tokio::test]
async fn sessions_on_sqlite() {
    support::with_sqlite(ended_sessions_go_after_thirty_days).await;
}
#[tokio::test]
async fn sessions_on_postgres() {
    support::with_postgres(ended_sessions_go_after_thirty_days).await;
}
