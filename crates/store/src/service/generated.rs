//! Generated students for load tests, benchmarks and simulations (`coop-permits demo
//! --students N`): deterministic records numbered from 300000000, with study permits whose
//! expiry dates spread over four years around today (some expired, many expiring), co-op work
//! permits, pending extension applications and paused reminders mixed in, and their standings
//! computed. Written in bulk, in one transaction, with one audit event for the batch: these are
//! not people, and a per-row history of 100,000 invented records would only slow the load.

use chrono::{DateTime, Duration, Utc};
use coop_core::case::{Coop1101, Decision, DocumentFor, Level};
use coop_core::review::ReviewStatus;
use coop_core::validation::DocumentKind;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::snapshots;
use crate::entity::{application, document, student};

/// The first generated student number; real ones are elsewhere (the demo's are 1000000xx).
pub const FIRST_NUMBER: i64 = 300_000_000;
/// How many generated students there can be.
pub const MAX_STUDENTS: i64 = 1_000_000;

const FIRST: [&str; 10] = [
    "Ana", "Bao", "Chidi", "Dana", "Elif", "Farah", "Gabriel", "Hana", "Ishaan", "Jia",
];
const LAST: [&str; 10] = [
    "Silva", "Nguyen", "Okafor", "Cohen", "Yilmaz", "Haddad", "Moreau", "Sato", "Patel", "Li",
];
/// Where generated students say they are (T2): most in Vancouver.
const ZONES: [&str; 5] = [
    "America/Vancouver",
    "America/Vancouver",
    "America/Vancouver",
    "Asia/Kolkata",
    "America/Toronto",
];

/// The `i`th generated student's name ("Ana Silva 12"): searchable by either name.
pub fn name(i: i64) -> String {
    let pick = |list: &[&'static str; 10], n: i64| {
        list.get(usize::try_from(n.rem_euclid(10)).unwrap_or(0))
            .copied()
            .unwrap_or("Ana")
    };
    format!("{} {} {i}", pick(&FIRST, i), pick(&LAST, i / 10))
}

/// The `i`th generated student's e-mail address.
pub fn email(i: i64) -> String {
    format!("s{}@students.example.ca", FIRST_NUMBER + i)
}

/// How many generated students exist.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, ServiceError> {
    Ok(student::Entity::find()
        .filter(student::Column::StudentNumber.between(
            FIRST_NUMBER.to_string(),
            (FIRST_NUMBER + MAX_STUDENTS - 1).to_string(),
        ))
        .count(db)
        .await?)
}

/// Makes sure `total` generated students exist (adding the missing ones, leaving the others
/// alone); returns how many it added.
pub async fn ensure(
    db: &DatabaseConnection,
    total: u64,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    if total > MAX_STUDENTS {
        return Err(ServiceError::Invalid {
            field: "students",
            message: format!("at most {MAX_STUDENTS} generated students"),
        });
    }
    let have = i64::try_from(count(db).await?).unwrap_or(i64::MAX);
    if have >= total {
        return Ok(0);
    }
    let txn = crate::begin_write(db).await?;
    let wanted: Vec<i64> = (have..total).collect();
    for chunk in wanted.chunks(1000) {
        student::Entity::insert_many(chunk.iter().map(|i| student_row(*i, now)))
            .exec_without_returning(&txn)
            .await?;
    }
    let made: Vec<(i64, String)> = student::Entity::find()
        .select_only()
        .column(student::Column::Id)
        .column(student::Column::StudentNumber)
        .filter(student::Column::StudentNumber.between(
            (FIRST_NUMBER + have).to_string(),
            (FIRST_NUMBER + total - 1).to_string(),
        ))
        .order_by_asc(student::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    let today = now.date_naive();
    for chunk in made.chunks(1000) {
        let numbered: Vec<(i64, i64)> = chunk
            .iter()
            .filter_map(|(id, number)| Some((*id, number.parse::<i64>().ok()? - FIRST_NUMBER)))
            .collect();
        let documents = numbered.iter().flat_map(|(id, i)| {
            let study = document_row(
                *id,
                *i,
                DocumentKind::StudyPermit,
                // Spread over four years around today: some expired, many expiring.
                today + Duration::days((i * 37).rem_euclid(1460) - 365),
                now,
            );
            // One in five also holds a co-op work permit (G1).
            let coop = (i % 5 == 0).then(|| {
                document_row(
                    *id,
                    *i,
                    DocumentKind::CoopWorkPermit,
                    today + Duration::days((i * 53).rem_euclid(700) - 100),
                    now,
                )
            });
            std::iter::once(study).chain(coop)
        });
        document::Entity::insert_many(documents)
            .exec_without_returning(&txn)
            .await?;
        // One in ten has applied to extend the study permit and waits (M1): no R1 reminders.
        let applications: Vec<application::ActiveModel> = numbered
            .iter()
            .filter(|(_, i)| i % 10 == 3)
            .map(|(id, _)| application::ActiveModel {
                id: NotSet,
                student_id: Set(*id),
                for_document: Set(DocumentFor::StudyPermit),
                submitted_at: Set(now - Duration::days(5)),
                application_number: Set(None),
                decision: Set(Decision::Pending),
                reported_at: Set(now - Duration::days(5)),
                client_key: Set(None),
            })
            .collect();
        if !applications.is_empty() {
            application::Entity::insert_many(applications)
                .exec_without_returning(&txn)
                .await?;
        }
    }
    super::standings::refresh(&txn, now).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor: &Actor::Cli,
            action: "demo.generate",
            subject: "students:generated".to_owned(),
            before: Some(snapshots::json(&snapshots::StudentCount { students: have })),
            after: Some(snapshots::json(&snapshots::StudentCount {
                students: total,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(u64::try_from(total - have).unwrap_or(0))
}

fn student_row(i: i64, now: DateTime<Utc>) -> student::ActiveModel {
    let paused = i % 50 == 7;
    student::ActiveModel {
        id: NotSet,
        student_number: Set((FIRST_NUMBER + i).to_string()),
        email: Set(email(i)),
        name: Set(name(i)),
        program: Set("Diploma in Computer Information Systems".to_owned()),
        program_code: Set(None),
        coop_program: Set(i % 20 != 0),
        coop1101: Set(if i % 7 == 0 {
            Coop1101::None
        } else {
            Coop1101::Completed
        }),
        continuance_met: Set(i % 13 != 0),
        full_time: Set(i % 11 != 0),
        level: Set(Level::PostSecondary),
        placement_letter: Set(i % 3 != 0),
        uci: Set(None),
        zone: Set(ZONES
            .get(usize::try_from(i.rem_euclid(5)).unwrap_or(0))
            .copied()
            .unwrap_or("America/Vancouver")
            .to_owned()),
        version: Set(1),
        notes: Set(String::new()),
        left_on: Set(None),
        personal_data_removed_at: Set(None),
        reminders_paused: Set(paused),
        reminders_paused_reason: Set(paused.then(|| "Generated: on leave".to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn document_row(
    student_id: i64,
    i: i64,
    kind: DocumentKind,
    expires_on: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> document::ActiveModel {
    document::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        kind: Set(kind),
        number: Set(format!(
            "{}{:09}",
            if kind == DocumentKind::StudyPermit {
                'F'
            } else {
                'U'
            },
            i
        )),
        uci: Set(None),
        issued_on: Set(None),
        expires_on: Set(expires_on),
        on_campus_work: Set(i % 17 != 0),
        // One in nineteen waits for the office's review (S8).
        status: Set(if i % 19 == 0 {
            ReviewStatus::Submitted
        } else {
            ReviewStatus::Verified
        }),
        reviewer_id: Set(None),
        reason: Set(None),
        submitted_at: Set(now),
        decided_at: Set(None),
        file_id: Set(None),
        client_key: Set(None),
    }
}
