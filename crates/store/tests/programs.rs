//! The programs catalogue on real SQLite and real PostgreSQL: W2f decided for stored students
//! through their program (a program two-thirds work is not cleared; a change to the program
//! re-evaluates its students), the "program not on file" filter, the student import's optional
//! `program_code` column, and the catalogue's own CSV import (preview, per-line errors).
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::{Coop1101, Program};
use coop_core::reasons::Reason;
use coop_core::review::ReviewStatus as Review;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::audit::{self, Actor};
use coop_store::service::documents::{self, NewDocument};
use coop_store::service::import::{self, Outcome};
use coop_store::service::program_csv;
use coop_store::service::programs::{self, ProgramInput, ProgramPatch};
use coop_store::service::student_facts::{self, ProgramChange};
use coop_store::service::student_list::{self, StudentQuery};
use coop_store::service::students::{self, NewStudent};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn facts(months: u32, work_months: u32) -> Program {
    Program {
        credential: true,
        months,
        work_months,
        placement_required: true,
        language_or_preparatory: false,
    }
}

fn input(code: &str, name: &str, months: u32, work_months: u32) -> ProgramInput {
    ProgramInput {
        code: code.to_owned(),
        name: name.to_owned(),
        facts: facts(months, work_months),
    }
}

/// A student who meets every part of W2 but W2f's, which their program decides: in Co-op,
/// full-time, a verified study permit with the on-campus condition, the placement letter.
async fn ready_student(store: &Store, number: &str, code: Option<&str>, now: DateTime<Utc>) -> i64 {
    let db = store.db();
    let mut new = NewStudent::enrolled(number, &format!("{number}@example.ca"), number);
    new.program = "As the registrar names it".to_owned();
    new.program_code = code.map(str::to_owned);
    new.coop_program = true;
    new.coop1101 = Coop1101::Completed;
    new.continuance_met = true;
    new.full_time = true;
    let id = students::create(db, new, &Actor::Cli, now)
        .await
        .unwrap()
        .id;
    documents::put_on_file(
        db,
        id,
        NewDocument {
            kind: DocumentKind::StudyPermit,
            number: "F123456789".to_owned(),
            uci: None,
            issued_on: None,
            expires_on: NaiveDate::from_ymd_opt(2028, 8, 31).unwrap(),
            on_campus_work: true,
            review: Review::Verified,
        },
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    student_facts::record_placement_letter(db, id, true, &Actor::Cli, now)
        .await
        .unwrap();
    id
}

/// (number, cleared, reasons) of every student the query finds, by number.
async fn listed(
    store: &Store,
    query: &StudentQuery,
    now: DateTime<Utc>,
) -> Vec<(String, bool, Vec<Reason>)> {
    let (found, _) = student_list::list(store.db(), query, 0, 50, now)
        .await
        .unwrap();
    let mut out: Vec<_> = found
        .into_iter()
        .map(|l| {
            (
                l.student.student_number,
                l.standing.cleared,
                l.standing.reasons.iter().collect(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn w2f_through_the_catalogue(store: Store) {
    let db = store.db();
    let now = at("2026-12-07T18:00:00Z");
    // The catalogue: codes kept in capitals, one per code, every fact checked.
    let hosp = programs::create(
        db,
        input("hosp-cert", "Hospitality", 12, 8),
        &Actor::Cli,
        now,
    )
    .await
    .unwrap();
    assert_eq!(hosp.code, "HOSP-CERT");
    programs::create(db, input("BBA", "Business", 48, 12), &Actor::Cli, now)
        .await
        .unwrap();
    assert!(matches!(
        programs::create(db, input("Bba", "Again", 48, 12), &Actor::Cli, now).await,
        Err(ServiceError::Conflict { field: "code" })
    ));
    assert!(matches!(
        programs::create(
            db,
            input("X", "Work longer than the program", 12, 13),
            &Actor::Cli,
            now
        )
        .await,
        Err(ServiceError::Invalid {
            field: "work_months",
            ..
        })
    ));
    assert!(matches!(
        programs::create(db, input("no spaces", "Bad code", 12, 4), &Actor::Cli, now).await,
        Err(ServiceError::Invalid { field: "code", .. })
    ));
    assert!(matches!(
        programs::create(db, input("EMPTY", " ", 12, 4), &Actor::Cli, now).await,
        Err(ServiceError::Invalid { field: "name", .. })
    ));
    // Eight work months of twelve: not cleared, for W2f alone. Without a program on file: as
    // before the catalogue (W2f holds).
    ready_student(&store, "801", Some("HOSP-CERT"), now).await;
    ready_student(&store, "802", Some("bba"), now).await;
    ready_student(&store, "803", None, now).await;
    let all = StudentQuery::default();
    assert_eq!(
        listed(&store, &all, now).await,
        [
            ("801".to_owned(), false, vec![Reason::ProgramNotEligible]),
            ("802".to_owned(), true, vec![]),
            ("803".to_owned(), true, vec![]),
        ]
    );
    let by_reason = StudentQuery {
        reason: Some(Reason::ProgramNotEligible),
        ..Default::default()
    };
    assert_eq!(listed(&store, &by_reason, now).await.len(), 1);
    let not_on_file = StudentQuery {
        program_on_file: Some(false),
        ..Default::default()
    };
    assert_eq!(
        listed(&store, &not_on_file, now).await,
        [("803".to_owned(), true, vec![])]
    );
    let on_file = StudentQuery {
        program_on_file: Some(true),
        ..Default::default()
    };
    assert_eq!(listed(&store, &on_file, now).await.len(), 2);
    // The overview counts both, each opening its list.
    let counts = student_list::counts(db, now).await.unwrap();
    assert_eq!(
        (counts.program_not_eligible, counts.program_not_on_file),
        (1, 1)
    );
    // The office corrects the program (six work months of twelve): its student is cleared at
    // the next list, and the change is in the history with both values.
    let later = now + chrono::Duration::minutes(5);
    programs::update(
        db,
        "hosp-cert",
        ProgramPatch {
            work_months: Some(6),
            ..Default::default()
        },
        &Actor::Cli,
        later,
    )
    .await
    .unwrap();
    assert_eq!(
        listed(&store, &all, later).await[0],
        ("801".to_owned(), true, vec![])
    );
    let history = audit::history(db, "program:HOSP-CERT").await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["program.create", "program.update"]);
    assert!(matches!(
        programs::update(db, "NOPE", ProgramPatch::default(), &Actor::Cli, later).await,
        Err(ServiceError::NotFound)
    ));
    // A student's program set to one the catalogue lacks is refused on its field; taken off, the
    // student is back to "not on file".
    let id = students::find_by_number(db, "802")
        .await
        .unwrap()
        .unwrap()
        .id;
    let change = |code: Option<&str>| ProgramChange {
        program_code: Some(code.map(str::to_owned)),
        ..Default::default()
    };
    assert!(matches!(
        student_facts::update_program(db, id, change(Some("NOPE")), &Actor::Cli, later).await,
        Err(ServiceError::Invalid {
            field: "program_code",
            ..
        })
    ));
    let off = student_facts::update_program(db, id, change(None), &Actor::Cli, later)
        .await
        .unwrap();
    assert_eq!(off.program_code, None);
    assert_eq!(listed(&store, &not_on_file, later).await.len(), 2);
}

#[tokio::test]
async fn w2f_through_the_catalogue_on_sqlite() {
    support::with_sqlite(w2f_through_the_catalogue).await;
}
#[tokio::test]
async fn w2f_through_the_catalogue_on_postgres() {
    support::with_postgres(w2f_through_the_catalogue).await;
}

async fn student_import_reads_the_program_code(store: Store) {
    let db = store.db();
    let now = at("2026-12-07T18:00:00Z");
    programs::create(db, input("BBA", "Business", 48, 12), &Actor::Cli, now)
        .await
        .unwrap();
    // Today's header is still read; the students have no program on file.
    let header = import::HEADER.join(",");
    let plain = format!("{header}\n900,900@example.ca,Ada,Business,true,completed,true,true\n");
    let report = import::import(db, plain.as_bytes(), &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!(report.created, 1);
    let ada = students::find_by_number(db, "900").await.unwrap().unwrap();
    assert_eq!(ada.program_code, None);
    // With the column: a code the catalogue lacks is that line's error on its field; a known
    // one (any case) is set; the line without the code for a known student changes only it.
    let with_code = format!(
        "{header},program_code\n900,900@example.ca,Ada,Business,true,completed,true,true,bba\n901,901@example.ca,Bo,Business,true,completed,true,true,NOPE\n"
    );
    let preview = import::preview(db, with_code.as_bytes()).await.unwrap();
    assert_eq!((preview.updated, preview.invalid), (1, 1));
    assert_eq!(preview.errors[0].field, "program_code");
    assert_eq!(preview.errors[0].line, 3);
    let update = preview
        .lines
        .iter()
        .find(|l| l.outcome == Outcome::Update)
        .unwrap();
    assert_eq!(update.changes, ["program_code"]);
    import::import(db, with_code.as_bytes(), &Actor::Cli, now)
        .await
        .unwrap();
    let ada = students::find_by_number(db, "900").await.unwrap().unwrap();
    assert_eq!(ada.program_code.as_deref(), Some("BBA"));
    assert!(students::find_by_number(db, "901").await.unwrap().is_none());
    // Importing today's header again leaves the program as it is.
    let again = import::import(db, plain.as_bytes(), &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!(again.unchanged, 1);
    let ada = students::find_by_number(db, "900").await.unwrap().unwrap();
    assert_eq!(ada.program_code.as_deref(), Some("BBA"));
}

#[tokio::test]
async fn student_import_reads_the_program_code_on_sqlite() {
    support::with_sqlite(student_import_reads_the_program_code).await;
}
#[tokio::test]
async fn student_import_reads_the_program_code_on_postgres() {
    support::with_postgres(student_import_reads_the_program_code).await;
}

async fn catalogue_csv_round_trip(store: Store) {
    let db = store.db();
    let now = at("2026-12-07T18:00:00Z");
    let file = format!(
        "{}\nBBA,Bachelor of Business Administration,true,48,12,true,false\nESL,English,no,8,0,false,yes\nBAD,Work-heavy,true,12,13,true,false\n",
        program_csv::HEADER.join(",")
    );
    let preview = program_csv::import(db, file.as_bytes(), true, &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!((preview.created, preview.imported), (2, false));
    assert_eq!(preview.errors.len(), 1);
    assert_eq!(
        (preview.errors[0].line, preview.errors[0].field.as_str()),
        (4, "work_months")
    );
    assert!(
        programs::list(db).await.unwrap().is_empty(),
        "a preview writes nothing"
    );
    let imported = program_csv::import(db, file.as_bytes(), false, &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!((imported.created, imported.imported), (2, true));
    let esl = programs::find(db, "esl").await.unwrap().unwrap().facts();
    assert!(esl.language_or_preparatory && !esl.credential);
    // The export reads back as nothing to change; a changed line updates its program.
    let mut export = vec![program_csv::HEADER.join(",")];
    export.extend(
        program_csv::rows(db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.join(",")),
    );
    let export = export.join("\n");
    let again = program_csv::import(db, export.as_bytes(), false, &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    let changed = export.replace("48,12", "48,24");
    let update = program_csv::import(db, changed.as_bytes(), false, &Actor::Cli, now)
        .await
        .unwrap();
    assert_eq!((update.updated, update.unchanged), (1, 1));
    assert_eq!(
        programs::find(db, "BBA")
            .await
            .unwrap()
            .unwrap()
            .facts()
            .work_months,
        24
    );
    assert!(matches!(
        program_csv::import(db, b"code,name\nBBA,x\n", false, &Actor::Cli, now).await,
        Err(ServiceError::Invalid { field: "file", .. })
    ));
}

#[tokio::test]
async fn catalogue_csv_round_trip_on_sqlite() {
    support::with_sqlite(catalogue_csv_round_trip).await;
}
#[tokio::test]
async fn catalogue_csv_round_trip_on_postgres() {
    support::with_postgres(catalogue_csv_round_trip).await;
}
