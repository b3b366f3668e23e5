//! Staff services on real SQLite and real PostgreSQL: the standing kept with every change and
//! refreshed when its day comes; filtered, sorted, paged lists and the home's counts; program
//! edits audited with before and after; CSV import (preview, per-field errors, one
//! transaction, idempotent); the letter made and issued; the audit log append-only.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::{Coop1101, WorkTerm};
use coop_core::reasons::Reason;
use coop_core::review::ReviewStatus as Review;
use coop_core::status::DocumentState;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::audit::{self, Actor};
use coop_store::service::documents::NewDocument;
use coop_store::service::import::{self, Outcome};
use coop_store::service::letters::{self, Institution, NewLetterRequest};
use coop_store::service::privacy::PrivacyNotice;
use coop_store::service::programs::{self, ProgramInput};
use coop_store::service::student_facts::{self, ProgramChange};
use coop_store::service::student_list::{self, Sort, StudentQuery};
use coop_store::service::students::{self, NewStudent};
use coop_store::service::{applications, documents, records, work_terms};
use coop_store::settings::LetterIssuing;
use coop_store::vault::{FileKey, Vault};
use sea_orm::ConnectionTrait;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A student in Co-op, cleared once a verified study permit with the on-campus condition and
/// the placement letter are on file.
async fn student(store: &Store, number: &str, name: &str, now: DateTime<Utc>) -> i64 {
    let mut new = NewStudent::enrolled(number, &format!("{number}@example.ca"), name);
    new.program = "Diploma in Computer Information Systems".to_owned();
    new.coop_program = true;
    new.coop1101 = Coop1101::Completed;
    new.continuance_met = true;
    new.full_time = true;
    students::create(store.db(), new, &Actor::Cli, now)
        .await
        .unwrap()
        .id
}

async fn study_permit(store: &Store, id: i64, expires: &str, on_campus: bool, now: DateTime<Utc>) {
    documents::put_on_file(
        store.db(),
        id,
        NewDocument {
            kind: DocumentKind::StudyPermit,
            number: "F123456789".to_owned(),
            uci: None,
            issued_on: None,
            expires_on: day(expires),
            on_campus_work: on_campus,
            review: Review::Verified,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
}

fn numbers(items: &[student_list::Listed]) -> Vec<String> {
    items
        .iter()
        .map(|l| l.student.student_number.clone())
        .collect()
}

async fn lists_and_counts(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T20:00:00Z");
    let a = student(&store, "300", "Ana", now).await;
    let b = student(&store, "301", "Bo", now).await;
    let c = student(&store, "302", "Cy", now).await;
    study_permit(&store, a, "2027-12-31", true, now).await;
    study_permit(&store, b, "2026-12-20", true, now).await;
    study_permit(&store, c, "2027-02-20", false, now).await;
    for id in [a, b, c] {
        student_facts::record_placement_letter(db, id, true, &Actor::Cli, now)
            .await
            .unwrap();
    }
    let list = |query: StudentQuery| async move {
        student_list::list(db, &query, 0, 50, now).await.unwrap()
    };
    let (all, total) = list(StudentQuery::default()).await;
    assert_eq!(total, 3);
    assert_eq!(numbers(&all), ["300", "301", "302"]);
    // Cy's study permit lacks the on-campus condition (W2c): not cleared.
    let (cleared, _) = list(StudentQuery {
        cleared: Some(true),
        ..Default::default()
    })
    .await;
    assert_eq!(numbers(&cleared), ["300", "301"]);
    let (w2c, _) = list(StudentQuery {
        reason: Some(Reason::NoOnCampusWorkCondition),
        ..Default::default()
    })
    .await;
    assert_eq!(numbers(&w2c), ["302"]);
    let (soon, _) = list(StudentQuery {
        expiring_within_days: Some(30),
        ..Default::default()
    })
    .await;
    assert_eq!(numbers(&soon), ["301"]);
    let (by_expiry, _) = list(StudentQuery {
        sort: Sort::Expiry,
        ..Default::default()
    })
    .await;
    assert_eq!(numbers(&by_expiry), ["301", "302", "300"]);
    let (found, n) = list(StudentQuery {
        q: "bO".to_owned(),
        ..Default::default()
    })
    .await;
    assert_eq!((numbers(&found), n), (vec!["301".to_owned()], 1));
    let (page2, total) = student_list::list(db, &StudentQuery::default(), 1, 2, now)
        .await
        .unwrap();
    assert_eq!((numbers(&page2), total), (vec!["302".to_owned()], 3));
    // Keyset paging: the page after the first page's last student is the second page, in name
    // and in number order; an unknown student or the expiry order is refused with its field.
    let (page1, _) = student_list::list(db, &StudentQuery::default(), 0, 2, now)
        .await
        .unwrap();
    let last = page1.last().unwrap().student.id;
    let (after, total) = student_list::list_after(
        db,
        store.caches().lists(),
        &StudentQuery::default(),
        last,
        2,
        now,
    )
    .await
    .unwrap();
    assert_eq!((numbers(&after), total), (numbers(&page2), 3));
    let by_number = StudentQuery {
        sort: Sort::Number,
        ..Default::default()
    };
    let (first, _) = student_list::list(db, &by_number, 0, 1, now).await.unwrap();
    let (rest, _) = student_list::list_after(
        db,
        store.caches().lists(),
        &by_number,
        first[0].student.id,
        5,
        now,
    )
    .await
    .unwrap();
    assert_eq!(numbers(&rest), ["301", "302"]);
    for (query, after) in [
        (StudentQuery::default(), 999_999),
        (
            StudentQuery {
                sort: Sort::Expiry,
                ..Default::default()
            },
            last,
        ),
    ] {
        let refused =
            student_list::list_after(db, store.caches().lists(), &query, after, 2, now).await;
        assert!(
            matches!(refused, Err(ServiceError::Invalid { field: "after", .. })),
            "{refused:?}"
        );
    }

    let counts = student_list::counts(db, now).await.unwrap();
    assert_eq!(
        (counts.students, counts.cleared, counts.not_cleared),
        (3, 2, 1)
    );
    assert_eq!((counts.expiring_30, counts.expiring_90), (1, 2));
    assert_eq!(counts.no_on_campus_condition, 1);

    // Time passes: Bo's permit expired on 2026-12-20; from 2026-12-21 the stored standing is due
    // and a list recomputes it before answering.
    let later = at("2026-12-22T20:00:00Z");
    let (expired, _) = student_list::list(
        db,
        &StudentQuery {
            state: Some(DocumentState::Expired),
            ..Default::default()
        },
        0,
        50,
        later,
    )
    .await
    .unwrap();
    assert_eq!(numbers(&expired), ["301"]);
    let counts = student_list::counts(db, later).await.unwrap();
    assert_eq!(counts.cleared, 1);

    // Any change to the records recomputes the standing at once.
    applications::put_on_file(
        db,
        b,
        coop_core::case::Application {
            for_document: coop_core::case::DocumentFor::StudyPermit,
            submitted_at: at("2026-12-20T18:00:00Z"),
            decision: coop_core::case::Decision::Pending,
        },
        None,
        &Actor::Cli,
        later,
    )
    .await
    .unwrap();
    let (maintained, _) = student_list::list(
        db,
        &StudentQuery {
            state: Some(DocumentState::Maintained),
            ..Default::default()
        },
        0,
        50,
        later,
    )
    .await
    .unwrap();
    assert_eq!(numbers(&maintained), ["301"]);

    // A standing lost (a database from before standings): the full refresh at start restores it,
    // and a standing computed from an older version never replaces a newer one.
    db.execute_unprepared(&format!(
        "DELETE FROM student_standings WHERE student_id = {a}"
    ))
    .await
    .unwrap();
    assert_eq!(
        coop_store::service::standings::refresh(db, later)
            .await
            .unwrap(),
        1
    );
    let (all, total) = student_list::list(db, &StudentQuery::default(), 0, 50, later)
        .await
        .unwrap();
    assert_eq!((numbers(&all).len(), total), (3, 3));
    let fresh = students::get(db, b).await.unwrap();
    let mut old = fresh.clone();
    old.version -= 1;
    // Computed from the old version with nothing on file: it would say "none", not "maintained".
    let row = coop_store::service::standings::row_of(&old, &records::Records::default(), later);
    coop_store::service::standings::save(db, vec![row])
        .await
        .unwrap();
    let (maintained, _) = student_list::list(
        db,
        &StudentQuery {
            state: Some(DocumentState::Maintained),
            ..Default::default()
        },
        0,
        50,
        later,
    )
    .await
    .unwrap();
    assert_eq!(numbers(&maintained), ["301"], "the newer standing stays");

    let report = student_list::expiring_documents(db, 90, now).await.unwrap();
    let rows: Vec<(String, &str)> = report
        .iter()
        .map(|r| (r.student.student_number.clone(), r.document.code()))
        .collect();
    assert_eq!(
        rows,
        [
            ("301".to_owned(), "study_permit"),
            ("302".to_owned(), "study_permit")
        ]
    );
}

async fn program_edits(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T20:00:00Z");
    let id = student(&store, "400", "Dee", now).await;
    let before = students::get(db, id).await.unwrap();
    let after = student_facts::update_program(
        db,
        id,
        ProgramChange {
            coop_program: Some(false),
            notes: Some("Left the co-op stream in November.".to_owned()),
            expected_version: Some(before.version),
            ..Default::default()
        },
        &Actor::User(7),
        now,
    )
    .await
    .unwrap();
    assert!(!after.coop_program);
    assert_eq!(after.version, before.version + 1);
    let (listed, _) = student_list::list(db, &StudentQuery::default(), 0, 10, now)
        .await
        .unwrap();
    let standing = &listed.first().unwrap().standing;
    assert!(
        standing
            .reasons
            .contains(coop_core::reasons::Reason::NotInCoopProgram)
    );
    let last = audit::history(db, &format!("student:{id}"))
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.action, "student.update");
    assert_eq!(last.actor.as_deref(), Some("user:7"));
    assert_eq!(last.before.unwrap()["coop_program"], true);
    assert_eq!(last.after.unwrap()["coop_program"], false);
    // A stale editor changes nothing; the same values again write nothing.
    assert!(matches!(
        student_facts::update_program(
            db,
            id,
            ProgramChange {
                full_time: Some(false),
                expected_version: Some(before.version),
                ..Default::default()
            },
            &Actor::User(7),
            now
        )
        .await,
        Err(ServiceError::State(_))
    ));
    let same = student_facts::update_program(
        db,
        id,
        ProgramChange {
            coop_program: Some(false),
            ..Default::default()
        },
        &Actor::User(7),
        now,
    )
    .await
    .unwrap();
    assert_eq!(same.version, after.version);
    assert!(matches!(
        student_facts::update_program(
            db,
            id,
            ProgramChange {
                program: Some(" ".to_owned()),
                ..Default::default()
            },
            &Actor::User(7),
            now
        )
        .await,
        Err(ServiceError::Invalid {
            field: "program",
            ..
        })
    ));
}

const CSV: &str =
    "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time
500,Eve@Example.ca,Eve Li,Diploma in Accounting,true,completed,true,true
501,bad-address,Fay,Diploma in Accounting,yes,sometimes,true,true
502,gus@example.ca,\"Gus, Jr.\",BBA,false,none,true,false
500,again@example.ca,Eve Again,BBA,true,none,true,true
";

async fn csv_import(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T20:00:00Z");
    let preview = import::preview(db, CSV.as_bytes()).await.unwrap();
    assert!(!preview.imported);
    assert_eq!((preview.created, preview.invalid), (2, 2));
    let fields: Vec<(u64, &str)> = preview
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            (3, "email"),
            (3, "coop_program"),
            (3, "coop1101"),
            (5, "student_number")
        ]
    );
    let (_, total) = student_list::list(db, &StudentQuery::default(), 0, 10, now)
        .await
        .unwrap();
    assert_eq!(total, 0, "a preview writes nothing");

    let report = import::import(db, CSV.as_bytes(), &Actor::User(3), now)
        .await
        .unwrap();
    assert!(report.imported);
    assert_eq!((report.created, report.updated, report.invalid), (2, 0, 2));
    let eve = students::find_by_number(db, "500").await.unwrap().unwrap();
    assert_eq!(
        (eve.email.as_str(), eve.name.as_str()),
        ("eve@example.ca", "Eve Li")
    );
    let gus = students::find_by_number(db, "502").await.unwrap().unwrap();
    assert_eq!(gus.name, "Gus, Jr.");
    assert!(students::find_by_number(db, "501").await.unwrap().is_none());

    let again = import::import(db, CSV.as_bytes(), &Actor::User(3), now)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(
        students::find_by_number(db, "500")
            .await
            .unwrap()
            .unwrap()
            .version,
        eve.version
    );

    let changed = CSV.replace(
        "Diploma in Accounting,true,completed",
        "Diploma in Accounting,true,registered",
    );
    let update = import::import(db, changed.as_bytes(), &Actor::User(3), now)
        .await
        .unwrap();
    assert_eq!(update.updated, 1);
    let line = update
        .lines
        .iter()
        .find(|l| l.outcome == Outcome::Update)
        .unwrap();
    assert_eq!(line.changes, ["coop1101"]);

    for bad in [
        "name,email\nx,y\n".as_bytes(),
        b"student_number,email\xff".as_slice(),
    ] {
        assert!(matches!(
            import::preview(db, bad).await,
            Err(ServiceError::Invalid { field: "file", .. })
        ));
    }
}

async fn letters_are_made_and_issued(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T20:00:00Z");
    let dir = std::env::temp_dir().join(format!("coop-staff-{}", uuid::Uuid::new_v4()));
    let vault = Vault::new(&dir, &FileKey::generate().unwrap());
    let id = student(&store, "600", "Hana Sato", now).await;
    let user = coop_store::service::users::create(
        db,
        coop_store::service::users::NewUser {
            email: "600@example.ca".to_owned(),
            name: "Hana Sato".to_owned(),
            role: coop_store::service::access::Role::Student,
            student_number: Some("600".to_owned()),
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let notice = PrivacyNotice::default();
    let request = letters::request(
        db,
        &notice,
        user.id,
        id,
        NewLetterRequest {
            first_term_start: day("2027-01-04"),
            extending_study_permit: false,
            notice_version: notice.version(),
            client_key: None,
        },
        now,
    )
    .await
    .unwrap();
    let queue = letters::queue(
        db,
        coop_core::letter_request::LetterRequestStatus::Pending,
        now,
    )
    .await
    .unwrap();
    assert_eq!(queue.len(), 1);
    assert!(queue.first().unwrap().evaluation.letter.eligible);
    let institution = Institution {
        name: "Example Polytechnic University".to_owned(),
        address: vec!["12666 72 Avenue, Surrey, BC".to_owned()],
        dli_number: "O19319227452".to_owned(),
        signatory_name: "Pat Advisor".to_owned(),
        signatory_title: "Manager, Co-operative Education".to_owned(),
    };
    let staff = coop_store::service::users::create(
        db,
        coop_store::service::users::NewUser {
            email: "advisor@example.ca".to_owned(),
            name: "Pat Advisor".to_owned(),
            role: coop_store::service::access::Role::Staff,
            student_number: None,
        },
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let staff = Actor::User(staff.id);
    let site = "https://coop.example.ca";
    let issuing = |institution: Option<Institution>| LetterIssuing {
        vault: vault.clone(),
        institution,
        site: site.to_owned(),
    };
    let configured = issuing(Some(institution));
    assert!(matches!(
        letters::approve(db, &issuing(None), request.id, &staff, now).await,
        Err(ServiceError::State(_))
    ));
    // The program is not in the catalogue: the letter cannot state its length and work share.
    let refused = letters::approve(db, &configured, request.id, &staff, now).await;
    assert!(
        matches!(&refused, Err(ServiceError::State(m)) if m.contains("catalogue")),
        "{refused:?}"
    );
    // In a program that is two-thirds work (W2f): 422 not_eligible, program_not_eligible.
    programs::create(db, program("HOSP", 12, 8), &Actor::Cli, now)
        .await
        .unwrap();
    programs::create(db, program("DCIS", 24, 8), &Actor::Cli, now)
        .await
        .unwrap();
    set_program(db, id, Some("hosp"), now).await;
    let refused = letters::approve(db, &configured, request.id, &staff, now).await;
    assert!(
        matches!(&refused, Err(ServiceError::NotEligible { reasons }) if reasons.contains(&Reason::ProgramNotEligible)),
        "{refused:?}"
    );
    set_program(db, id, Some("DCIS"), now).await;
    // No work term on file: the letter cannot state its dates.
    let refused = letters::approve(db, &configured, request.id, &staff, now).await;
    assert!(
        matches!(&refused, Err(ServiceError::State(m)) if m.contains("work term")),
        "{refused:?}"
    );
    work_terms::plan(
        db,
        id,
        WorkTerm::new(day("2027-01-04"), day("2027-04-30")).unwrap(),
        None,
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    let approved = letters::approve(db, &configured, request.id, &staff, now)
        .await
        .unwrap();
    assert_eq!(approved.status.code(), "approved");
    assert!(students::get(db, id).await.unwrap().placement_letter);
    // The student is told in the app.
    let told = |user_id: i64| async move {
        coop_store::service::notices::of_user(db, user_id)
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.kind)
            .collect::<Vec<String>>()
    };
    assert_eq!(told(user.id).await, ["letter_approved"]);
    let pdf = letters::letter_of(db, &vault, Some(id), request.id)
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    for expected in [
        "Work Placement Letter",
        "Hana Sato",
        "600",
        "4 January 2027 to 30 April 2027",
        "O19319227452",
        "Diploma in Computer Information Systems",
        "(24 months)",
        "8 of its 24 months",
        "https://coop.example.ca/verify/",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    // The code printed on the letter verifies it, and shows nothing else personal.
    let code = text
        .split("https://coop.example.ca/verify/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .trim_end_matches('.')
        .to_owned();
    assert!(code.len() >= 22, "a 128-bit code: {code}");
    let settings = coop_store::settings::AuthSettings::new(site, Default::default());
    let client = coop_store::service::client_limit::ClientAddr(None);
    let verified = letters::verify(db, &settings, client, &code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(verified.revoked_at, None);
    assert_eq!(verified.letter.student_name, "Hana Sato");
    assert_eq!(
        verified.letter.program,
        "Diploma in Computer Information Systems"
    );
    assert_eq!(
        (
            verified.letter.work_term_start,
            verified.letter.work_term_end
        ),
        (day("2027-01-04"), day("2027-04-30"))
    );
    let wire = coop_api::letters::LetterVerification::from(&verified);
    let json = serde_json::to_string(&wire).unwrap();
    assert!(
        !json.contains("600") && !json.contains("@example.ca"),
        "{json}"
    );
    assert!(matches!(
        letters::verify(db, &settings, client, "AAAAAAAAAAAAAAAAAAAAAA").await,
        Err(ServiceError::NotFound)
    ));
    // Staff revoke it: verification says revoked, the placement letter comes off (W2d), the
    // student is told, and it is in the history.
    assert!(matches!(
        letters::revoke(db, request.id, "  ", &staff, now).await,
        Err(ServiceError::Invalid {
            field: "reason",
            ..
        })
    ));
    let later = now + chrono::Duration::days(3);
    letters::revoke(db, request.id, "The placement ended early.", &staff, later)
        .await
        .unwrap();
    let verified = letters::verify(db, &settings, client, &code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(verified.revoked_at, Some(later));
    assert!(!students::get(db, id).await.unwrap().placement_letter);
    assert_eq!(
        told(user.id).await,
        ["letter_revoked", "letter_approved"],
        "newest first"
    );
    assert!(matches!(
        letters::revoke(db, request.id, "again", &staff, later).await,
        Err(ServiceError::State(_))
    ));
    let actions: Vec<String> = audit::history(db, &format!("student:{id}"))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.iter().any(|a| a == "letter_request.revoke"),
        "{actions:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A credential program with a required placement, `months` long, `work` of them work.
fn program(code: &str, months: u32, work: u32) -> ProgramInput {
    ProgramInput {
        code: code.to_owned(),
        name: if code == "DCIS" {
            "Diploma in Computer Information Systems".to_owned()
        } else {
            format!("Program {code}")
        },
        facts: coop_core::case::Program {
            credential: true,
            months,
            work_months: work,
            placement_required: true,
            language_or_preparatory: false,
        },
    }
}

async fn set_program(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    code: Option<&str>,
    now: DateTime<Utc>,
) {
    student_facts::update_program(
        db,
        id,
        ProgramChange {
            program_code: Some(code.map(str::to_owned)),
            ..Default::default()
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
}

/// The text a PDF reader extracts, words joined by single spaces.
fn pdf_text(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn audit_is_append_only(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T20:00:00Z");
    let id = student(&store, "700", "Ivy", now).await;
    for statement in [
        "UPDATE audit_events SET action = 'forged'",
        "DELETE FROM audit_events",
    ] {
        let refused = db.execute_unprepared(statement).await;
        assert!(refused.is_err(), "{statement} was allowed");
        assert!(refused.unwrap_err().to_string().contains("append-only"));
    }
    assert_eq!(
        audit::history(db, &format!("student:{id}"))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn lists_and_counts_on_sqlite() {
    support::with_sqlite(lists_and_counts).await;
}
#[tokio::test]
async fn lists_and_counts_on_postgres() {
    support::with_postgres(lists_and_counts).await;
}
#[tokio::test]
async fn program_edits_on_sqlite() {
    support::with_sqlite(program_edits).await;
}
#[tokio::test]
async fn program_edits_on_postgres() {
    support::with_postgres(program_edits).await;
}
#[tokio::test]
async fn csv_import_on_sqlite() {
    support::with_sqlite(csv_import).await;
}
#[tokio::test]
async fn csv_import_on_postgres() {
    support::with_postgres(csv_import).await;
}
#[tokio::test]
async fn letters_on_sqlite() {
    support::with_sqlite(letters_are_made_and_issued).await;
}
#[tokio::test]
async fn letters_on_postgres() {
    support::with_postgres(letters_are_made_and_issued).await;
}
#[tokio::test]
async fn audit_append_only_on_sqlite() {
    support::with_sqlite(audit_is_append_only).await;
}
#[tokio::test]
async fn audit_append_only_on_postgres() {
    support::with_postgres(audit_is_append_only).await;
}

/// The trigram search: a fragment of a name, number or e-mail, in any case, with `%`, `_`,
/// `*` and `?` taken literally; a name changed by an import is found by its new name at once.
async fn search_by_fragment(store: Store) {
    let db = store.db();
    let now = at("2026-11-27T20:00:00Z");
    student(&store, "300123456", "Amara Okafor", now).await;
    student(&store, "300123457", "Bo 50% Li_Wei", now).await;
    let find = |q: &str| {
        let q = q.to_owned();
        async move {
            let query = StudentQuery {
                q,
                ..Default::default()
            };
            let (found, n) = student_list::list(db, &query, 0, 50, now).await.unwrap();
            assert_eq!(found.len() as u64, n);
            numbers(&found)
        }
    };
    assert_eq!(find("OKAFOR").await, ["300123456"]);
    assert_eq!(find("ara oka").await, ["300123456"]);
    assert_eq!(find("50%").await, ["300123457"]);
    assert_eq!(find("li_w").await, ["300123457"]);
    assert!(find("0%").await.len() == 1 && find("a*").await.is_empty());
    assert!(find("b?").await.is_empty());
    assert_eq!(find("457@example").await, ["300123457"]);
    assert_eq!(find("example.ca").await.len(), 2);
    // Two letters: too short for a trigram, still found.
    assert_eq!(find("bo").await, ["300123457"]);
    let csv = format!(
        "{}\n300123456,300123456@example.ca,Amara Nwosu,Diploma in CIS,true,completed,true,true\n",
        coop_store::service::import::HEADER.join(",")
    );
    coop_store::service::import::import(db, csv.as_bytes(), &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!(find("nwosu").await, ["300123456"]);
    assert!(find("okafor").await.is_empty());
}

#[tokio::test]
async fn search_on_sqlite() {
    support::with_sqlite(search_by_fragment).await;
}
#[tokio::test]
async fn search_on_postgres() {
    support::with_postgres(search_by_fragment).await;
}

/// A list of 5,000 matches or more walks the name index instead of joining and sorting; its pages,
/// by number and by keyset, must be exactly the matches sorted by name, here sorted in Rust.
async fn long_lists_page_as_if_sorted(store: Store) {
    use coop_store::entity::{student, student_standing};
    use sea_orm::EntityTrait;
    let db = store.db();
    let now = at("2026-12-07T20:00:00Z");
    coop_store::service::generated::ensure(db, 10_000, now)
        .await
        .unwrap();
    let mut expected: Vec<(String, i64)> = student::Entity::find()
        .find_also_related(student_standing::Entity)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, standing)| standing.as_ref().is_some_and(|s| !s.cleared))
        .map(|(s, _)| (s.name, s.id))
        .collect();
    expected.sort();
    assert!(expected.len() >= 5_000, "{} not cleared", expected.len());
    let query = StudentQuery {
        cleared: Some(false),
        ..Default::default()
    };
    let last_page = (expected.len() as u64 - 1) / 50;
    // Pages from 20 on start past the first remembered starting point (every 1,000th student):
    // the instance reads them by keyset from there, and they must be the same pages.
    assert_eq!(student_list::STEP, 1_000);
    let named = |rows: &[student_list::Listed]| -> Vec<(String, i64)> {
        rows.iter()
            .map(|l| (l.student.name.clone(), l.student.id))
            .collect()
    };
    for page in [0, 1, 19, 20, 57, last_page] {
        let want: Vec<(String, i64)> = expected
            .iter()
            .skip(page as usize * 50)
            .take(50)
            .cloned()
            .collect();
        let (rows, total) = student_list::list(db, &query, page, 50, now).await.unwrap();
        let got = named(&rows);
        assert_eq!(
            (got, total),
            (want.clone(), expected.len() as u64),
            "page {page}"
        );
        let (rows, total) =
            student_list::list_kept(db, store.caches().lists(), &query, page, 50, now)
                .await
                .unwrap();
        let got = named(&rows);
        assert_eq!(
            (got, total),
            (want.clone(), expected.len() as u64),
            "page {page}, remembered"
        );
        if page > 0 {
            let before = &expected[page as usize * 50 - 1];
            let (rows, _) =
                student_list::list_after(db, store.caches().lists(), &query, before.1, 50, now)
                    .await
                    .unwrap();
            let got = named(&rows);
            assert_eq!(got, want, "after page {}", page - 1);
        }
    }
}
#[tokio::test]
async fn long_lists_on_sqlite() {
    support::with_sqlite(long_lists_page_as_if_sorted).await;
}
#[tokio::test]
async fn long_lists_on_postgres() {
    support::with_postgres(long_lists_page_as_if_sorted).await;
}
