//! `demo [--students N]`: the demo accounts and students, each a case of the rules, and
//! generated students in bulk.

use std::io::Write;

use chrono::{DateTime, Utc};
use coop_core::case::{Application, Coop1101, Decision, DocumentFor, Level, Program, WorkTerm};
use coop_core::review::ReviewStatus as Review;
use coop_core::validation::DocumentKind;
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::documents::{self, NewDocument};
use coop_store::service::passwords::Password;
use coop_store::service::programs;
use coop_store::service::students::{self, NewStudent};
use coop_store::service::users;
use coop_store::service::{applications, student_facts, work_terms};

use super::failure::explain;

/// The password of every demo account: for trying the app on a laptop, never for production.
pub const DEMO_PASSWORD: &str = "demo maple ferry 2026";

/// A demo student: number, name, what their case shows, their program facts, and what is on
/// file — dates in days from the day the demo is loaded.
struct DemoStudent {
    number: &'static str,
    name: &'static str,
    what: &'static str,
    /// The program's code in the demo catalogue ([`DEMO_PROGRAMS`]).
    program: &'static str,
    coop_program: bool,
    coop1101: Coop1101,
    continuance_met: bool,
    full_time: bool,
    placement_letter: bool,
    /// Study permit: expiry (days from today), verified, on-campus work condition.
    study_permit: Option<(i64, bool, bool)>,
    /// Verified co-op work permit: expiry (days from today).
    coop_work_permit: Option<i64>,
    /// A pending study-permit extension, submitted this many days from today.
    extension_submitted: Option<i64>,
    /// A work term: start and end (days from today).
    work_term: Option<(i64, i64)>,
    /// What the rules must say: cleared for co-op jobs, and the study permit's state.
    #[cfg_attr(not(test), expect(dead_code, reason = "checked by the demo's test"))]
    cleared: bool,
    #[cfg_attr(not(test), expect(dead_code, reason = "checked by the demo's test"))]
    study_permit_state: &'static str,
}

const READY: DemoStudent = DemoStudent {
    number: "",
    name: "",
    what: "",
    program: "BBA",
    coop_program: true,
    coop1101: Coop1101::Completed,
    continuance_met: true,
    full_time: true,
    placement_letter: true,
    study_permit: Some((400, true, true)),
    coop_work_permit: None,
    extension_submitted: None,
    work_term: None,
    cleared: true,
    study_permit_state: "valid",
};

const DEMO_STUDENTS: &[DemoStudent] = &[
    DemoStudent {
        number: "100000001",
        name: "Ana Silva",
        what: "cleared under the study permit (G2, W2)",
        ..READY
    },
    DemoStudent {
        number: "100000002",
        name: "Bao Nguyen",
        what: "cleared with a verified co-op work permit (W1)",
        placement_letter: false,
        study_permit: Some((400, true, false)),
        coop_work_permit: Some(300),
        ..READY
    },
    DemoStudent {
        number: "100000003",
        name: "Chidi Okafor",
        what: "no COOP 1101: may not request the letter (L2)",
        coop1101: Coop1101::None,
        placement_letter: false,
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000004",
        name: "Dana Cohen",
        what: "maintained status: applied to extend before expiry, may keep working (M1)",
        study_permit: Some((-10, true, true)),
        extension_submitted: Some(-15),
        study_permit_state: "maintained",
        ..READY
    },
    DemoStudent {
        number: "100000005",
        name: "Elif Yilmaz",
        what: "restoration: applied after expiry, must stop working (M2)",
        study_permit: Some((-40, true, true)),
        extension_submitted: Some(-20),
        cleared: false,
        study_permit_state: "restoration",
        ..READY
    },
    DemoStudent {
        number: "100000006",
        name: "Farah Haddad",
        what: "study permit ends during the next work term (V2)",
        study_permit: Some((60, true, true)),
        work_term: Some((30, 150)),
        cleared: true,
        study_permit_state: "expiring_soon",
        ..READY
    },
    DemoStudent {
        number: "100000007",
        name: "Gabriel Moreau",
        what: "no on-campus work condition (W2c)",
        study_permit: Some((400, true, false)),
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000008",
        name: "Hana Sato",
        what: "part-time (W2e)",
        full_time: false,
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000009",
        name: "Ishaan Patel",
        what: "study permit submitted, not yet verified (J3)",
        study_permit: Some((400, false, true)),
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000010",
        name: "Jia Li",
        what: "not in the Co-op program (L1, J1)",
        coop_program: false,
        coop1101: Coop1101::None,
        placement_letter: false,
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000011",
        name: "Kwame Mensah",
        what: "continuance requirements not met (J2)",
        continuance_met: false,
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000012",
        name: "Lucía Gómez",
        what: "COOP 1101 registered: may request the letter (L)",
        coop1101: Coop1101::Registered,
        placement_letter: false,
        cleared: false,
        ..READY
    },
    DemoStudent {
        number: "100000013",
        name: "Mateo Rossi",
        what: "new: work term planned, no study permit or letter on file yet (W2a, W2d)",
        coop1101: Coop1101::Registered,
        placement_letter: false,
        study_permit: None,
        work_term: Some((60, 180)),
        cleared: false,
        study_permit_state: "none",
        ..READY
    },
    DemoStudent {
        number: "100000014",
        name: "Nadia Karimi",
        what: "in a program that is two-thirds work placement (W2f)",
        program: "HOSP-CERT",
        work_term: Some((30, 150)),
        cleared: false,
        ..READY
    },
];

/// The demo catalogue: two programs that qualify for a placement under the study permit and
/// two that do not (W2f).
const DEMO_PROGRAMS: &[(&str, &str, Program)] = &[
    (
        "BBA",
        "Bachelor of Business Administration (Co-op)",
        Program {
            credential: true,
            months: 48,
            work_months: 12,
            placement_required: true,
            language_or_preparatory: false,
        },
    ),
    (
        "DCIS",
        "Diploma in Computer Information Systems (Co-op)",
        Program {
            credential: true,
            months: 24,
            work_months: 8,
            placement_required: true,
            language_or_preparatory: false,
        },
    ),
    (
        "HOSP-CERT",
        "Certificate in Hospitality Operations (Co-op)",
        Program {
            credential: true,
            months: 12,
            work_months: 8,
            placement_required: true,
            language_or_preparatory: false,
        },
    ),
    (
        "EAP",
        "English for Academic Purposes",
        Program {
            credential: false,
            months: 8,
            work_months: 0,
            placement_required: false,
            language_or_preparatory: true,
        },
    ),
];

fn demo_email(s: &DemoStudent) -> String {
    format!(
        "{}@students.coop.example",
        s.name
            .split(' ')
            .next()
            .unwrap_or("student")
            .to_lowercase()
            .replace('í', "i")
    )
}

/// Creates a demo student's record and what is on file (in one transaction).
async fn create_demo_student(
    db: &sea_orm::DatabaseConnection,
    s: &DemoStudent,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let today = coop_core::time::Zone::vancouver().today(now);
    let day = |offset: i64| today + chrono::Duration::days(offset);
    let txn = coop_store::begin_write(db).await?;
    let created = students::create_within(
        &txn,
        NewStudent {
            student_number: s.number.to_owned(),
            email: demo_email(s),
            name: s.name.to_owned(),
            program: DEMO_PROGRAMS
                .iter()
                .find(|(code, ..)| *code == s.program)
                .map_or(s.program, |(_, name, _)| name)
                .to_owned(),
            program_code: Some(s.program.to_owned()),
            coop_program: s.coop_program,
            coop1101: s.coop1101,
            continuance_met: s.continuance_met,
            full_time: s.full_time,
            level: Level::PostSecondary,
        },
        &Actor::Cli,
        now,
    )
    .await
    .map_err(explain)?;
    let mut record = students::change_within(&txn, created.id, None)
        .await
        .map_err(explain)?;
    if s.placement_letter {
        student_facts::set_placement_letter(&mut record, true);
    }
    if let Some((expires, verified, on_campus_work)) = s.study_permit {
        documents::add(
            &mut record,
            NewDocument {
                kind: DocumentKind::StudyPermit,
                number: format!("F{}", &s.number[1..]),
                uci: Some(format!("11-{}", &s.number[1..])),
                issued_on: Some(day(expires - 730)),
                expires_on: day(expires),
                on_campus_work,
                review: if verified {
                    Review::Verified
                } else {
                    Review::Submitted
                },
            },
            now,
        )
        .await
        .map_err(explain)?;
    }
    if let Some(expires) = s.coop_work_permit {
        documents::add(
            &mut record,
            NewDocument {
                kind: DocumentKind::CoopWorkPermit,
                number: format!("U{}", &s.number[1..]),
                uci: Some(format!("11-{}", &s.number[1..])),
                issued_on: Some(day(expires - 365)),
                expires_on: day(expires),
                on_campus_work: false,
                review: Review::Verified,
            },
            now,
        )
        .await
        .map_err(explain)?;
    }
    if let Some(submitted) = s.extension_submitted {
        let at = day(submitted)
            .and_hms_opt(18, 0, 0)
            .unwrap_or_default()
            .and_utc();
        applications::add(
            &mut record,
            Application {
                for_document: DocumentFor::StudyPermit,
                submitted_at: at,
                decision: Decision::Pending,
            },
            Some(format!("W3{}", &s.number[2..])),
            None,
            now,
        )
        .await
        .map_err(explain)?;
    }
    if let Some((start, end)) = s.work_term {
        work_terms::add(
            &mut record,
            WorkTerm {
                start: day(start),
                end: day(end),
            },
            Some("Demo Employer Ltd.".to_owned()),
        )
        .await
        .map_err(explain)?;
    }
    record.finish(&Actor::Cli, now).await.map_err(explain)?;
    txn.commit().await?;
    Ok(())
}

/// `coop-permits demo --students N`: makes sure N generated students exist.
pub async fn generate_students(
    store: &Store,
    total: u64,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let added = coop_store::service::generated::ensure(store.db(), total, chrono::Utc::now())
        .await
        .map_err(explain)?;
    let total = coop_store::service::generated::count(store.db())
        .await
        .map_err(explain)?;
    writeln!(
        out,
        "generated students: {total} ({added} added in {:.1} s; numbers from {}, e-mail s<number>@students.example.ca, no accounts)",
        started.elapsed().as_secs_f64(),
        coop_store::service::generated::FIRST_NUMBER
    )?;
    Ok(())
}

/// `coop-permits demo`: creates what is missing and leaves what exists alone.
pub async fn demo_data(store: &Store, out: &mut impl Write) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let db = store.db();
    let password = Password::new(DEMO_PASSWORD);
    let mut accounts: Vec<(String, Role, Option<&'static str>, Option<&'static str>)> = vec![
        ("admin@coop.example".into(), Role::Admin, None, None),
        ("staff1@coop.example".into(), Role::Staff, None, None),
        ("staff2@coop.example".into(), Role::Staff, None, None),
    ];
    for (code, name, facts) in DEMO_PROGRAMS {
        if programs::find(db, code).await.map_err(explain)?.is_none() {
            let input = programs::ProgramInput {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                facts: *facts,
            };
            programs::create(db, input, &Actor::Cli, now)
                .await
                .map_err(explain)?;
        }
    }
    for s in DEMO_STUDENTS {
        let email = demo_email(s);
        // By exact number: a search would also match numbers that contain this one.
        let exists = students::find_by_number(db, s.number)
            .await
            .map_err(explain)?;
        if exists.is_none() {
            create_demo_student(db, s, now).await?;
        }
        accounts.push((email, Role::Student, Some(s.number), Some(s.what)));
    }
    writeln!(out, "demo sign-ins (password for all: {DEMO_PASSWORD:?}):")?;
    for (email, role, number, what) in accounts {
        if users::find_by_email(db, &email).await?.is_none() {
            let name = match number.and_then(|n| DEMO_STUDENTS.iter().find(|s| s.number == n)) {
                Some(s) => s.name.to_owned(),
                None => email.split('@').next().unwrap_or("").to_owned(),
            };
            users::create(
                db,
                users::NewUser {
                    email: email.clone(),
                    name,
                    role,
                    student_number: number.map(str::to_owned),
                },
                Some(&password),
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
        }
        match what {
            Some(what) => writeln!(out, "  {email:<36} {:<8} {what}", role.code())?,
            None => writeln!(out, "  {email:<36} {}", role.code())?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use coop_store::service::records::case_for;

    /// Each demo student's description is what the rules say about them.
    #[tokio::test]
    async fn the_demo_students_are_the_cases_they_claim() {
        let dir = std::env::temp_dir().join(format!("coop-demo-{}", uuid::Uuid::new_v4()));
        let store = Store::open_and_migrate(&format!("sqlite://{}/coop.db", dir.display()))
            .await
            .unwrap();
        let mut out = Vec::new();
        demo_data(&store, &mut out).await.unwrap();
        let now = Utc::now();
        for s in DEMO_STUDENTS {
            let model = students::find_by_number(store.db(), s.number)
                .await
                .unwrap()
                .unwrap();
            let model = &model;
            let evaluation = coop_core::evaluate(&case_for(store.db(), model, now).await.unwrap());
            assert_eq!(
                evaluation.job_access.cleared, s.cleared,
                "{}: {}",
                s.name, s.what
            );
            let state = serde_json::to_value(evaluation.study_permit.state).unwrap();
            assert_eq!(state, s.study_permit_state, "{}: {}", s.name, s.what);
            // V2: a work term past the study permit on file (a student with none has no V2).
            let past_the_permit = s
                .work_term
                .zip(s.study_permit)
                .is_some_and(|((_, term_end), (permit_end, ..))| term_end > permit_end);
            if past_the_permit {
                assert!(evaluation.extend_study_permit, "{}: {}", s.name, s.what);
            }
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
