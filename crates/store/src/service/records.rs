//! What is on file for a student — documents, IRCC applications, work terms, their program in
//! the catalogue — read back as the rules' `Case`. Reads only: every change to these goes through `students::change`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use coop_core::case::{
    Application, Case, CoopDocumentKind, CoopWorkPermit, DocumentFor, Student, StudyPermit,
    WorkTerm,
};
use coop_core::time::Zone;
use coop_core::validation::DocumentKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::ServiceError;
use crate::entity::{application, document, program, student, work_term};
use crate::remembered::Remembered;

/// Everything on file for one student.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub documents: Vec<document::Model>,
    pub applications: Vec<application::Model>,
    pub work_terms: Vec<work_term::Model>,
    /// The student's program in the catalogue (W2f's facts), when on file.
    pub program: Option<program::Model>,
}

/// The catalogued programs of these students, by student.
async fn programs_of(
    db: &impl ConnectionTrait,
    student_ids: &[i64],
) -> Result<HashMap<i64, program::Model>, ServiceError> {
    use sea_orm::QuerySelect;
    let codes: Vec<(i64, Option<String>)> = student::Entity::find()
        .select_only()
        .column(student::Column::Id)
        .column(student::Column::ProgramCode)
        .filter(student::Column::Id.is_in(student_ids.to_vec()))
        .filter(student::Column::ProgramCode.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let mut wanted: Vec<String> = codes.iter().filter_map(|(_, c)| c.clone()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let programs: HashMap<String, program::Model> = program::Entity::find()
        .filter(program::Column::Code.is_in(wanted))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    Ok(codes
        .into_iter()
        .filter_map(|(id, code)| Some((id, programs.get(&code?)?.clone())))
        .collect())
}

/// Loads a student's records.
pub async fn load(db: &impl ConnectionTrait, student_id: i64) -> Result<Records, ServiceError> {
    Ok(Records {
        documents: document::Entity::find()
            .filter(document::Column::StudentId.eq(student_id))
            .order_by_asc(document::Column::Id)
            .all(db)
            .await?,
        applications: application::Entity::find()
            .filter(application::Column::StudentId.eq(student_id))
            .order_by_asc(application::Column::SubmittedAt)
            .all(db)
            .await?,
        work_terms: work_term::Entity::find()
            .filter(work_term::Column::StudentId.eq(student_id))
            .order_by_asc(work_term::Column::StartOn)
            .all(db)
            .await?,
        program: programs_of(db, &[student_id]).await?.remove(&student_id),
    })
}

/// The records of many students in three queries (not three per student), keyed by student;
/// a student with nothing on file has an empty entry.
pub async fn load_many(
    db: &impl ConnectionTrait,
    student_ids: &[i64],
) -> Result<HashMap<i64, Records>, ServiceError> {
    let mut out: HashMap<i64, Records> = student_ids
        .iter()
        .map(|id| (*id, Records::default()))
        .collect();
    // Bounded IN lists: SQLite allows 32,766 parameters, PostgreSQL 65,535.
    for ids_of_chunk in student_ids.chunks(5000) {
        let ids = ids_of_chunk.to_vec();
        for d in document::Entity::find()
            .filter(document::Column::StudentId.is_in(ids.clone()))
            .order_by_asc(document::Column::Id)
            .all(db)
            .await?
        {
            out.entry(d.student_id).or_default().documents.push(d);
        }
        for a in application::Entity::find()
            .filter(application::Column::StudentId.is_in(ids.clone()))
            .order_by_asc(application::Column::SubmittedAt)
            .all(db)
            .await?
        {
            out.entry(a.student_id).or_default().applications.push(a);
        }
        for t in work_term::Entity::find()
            .filter(work_term::Column::StudentId.is_in(ids))
            .order_by_asc(work_term::Column::StartOn)
            .all(db)
            .await?
        {
            out.entry(t.student_id).or_default().work_terms.push(t);
        }
        for (id, program) in programs_of(db, ids_of_chunk).await? {
            out.entry(id).or_default().program = Some(program);
        }
    }
    Ok(out)
}

/// A student's record and what is on file, as read at one version of the record and of their
/// catalogued program: what a student's own status is evaluated from, kept between requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    stamp: Stamp,
    pub model: student::Model,
    pub records: Records,
}

/// What makes a kept copy out of date: the record's version (bumped by every change to the
/// record and what is on file) and the last change to its program in the catalogue.
type Stamp = (i64, Option<DateTime<Utc>>);

/// How long a kept copy may go unread before it is dropped (it is checked on every read).
const KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(600);

/// How long a student's kept copy is used without asking the database whether it changed: a
/// change made through another instance shows in their status within this (through this
/// instance, at once: every change writes the student's standing, which makes `checked` forget).
pub const RECHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// The record and records of a student: from `checked` when the database was asked less than
/// [`RECHECK_AFTER`] ago and no standing was written here since; else from `kept` when its stamp
/// is still the database's (one small query instead of six); else read. `NotFound` for an
/// unknown id.
pub async fn kept_for(
    db: &impl ConnectionTrait,
    kept: &Remembered<i64, Arc<Kept>>,
    checked: &Remembered<i64, Arc<Kept>>,
    student_id: i64,
) -> Result<Arc<Kept>, ServiceError> {
    use sea_orm::{JoinType, QuerySelect};
    if let Some(recent) = checked.get(&student_id, std::time::Instant::now()) {
        return Ok(recent);
    }
    let checking = checked.start();
    let generation = kept.start();
    let stamp: Option<Stamp> = student::Entity::find_by_id(student_id)
        .select_only()
        .column(student::Column::Version)
        .column(program::Column::UpdatedAt)
        .join(JoinType::LeftJoin, program_of_student())
        .into_tuple()
        .one(db)
        .await?;
    let stamp = stamp.ok_or(ServiceError::NotFound)?;
    let now = std::time::Instant::now();
    let recheck = crate::remembered::until(now, RECHECK_AFTER);
    if let Some(found) = kept.get(&student_id, now).filter(|k| k.stamp == stamp) {
        checked.put(student_id, Arc::clone(&found), checking, recheck);
        return Ok(found);
    }
    let model = student::Entity::find_by_id(student_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let records = load(db, student_id).await?;
    let fresh = Arc::new(Kept {
        // What was read, which a change since the stamp may have moved on from: the next read
        // sees the newer stamp and reads again.
        stamp: (
            model.version,
            records.program.as_ref().map(|p| p.updated_at),
        ),
        model,
        records,
    });
    kept.put(
        student_id,
        Arc::clone(&fresh),
        generation,
        crate::remembered::until(now, KEPT_FOR),
    );
    checked.put(student_id, Arc::clone(&fresh), checking, recheck);
    Ok(fresh)
}

/// The join from a student to their program in the catalogue (by code).
fn program_of_student() -> sea_orm::RelationDef {
    use sea_orm::EntityTrait as _;
    student::Entity::belongs_to(program::Entity)
        .from(student::Column::ProgramCode)
        .to(program::Column::Code)
        .into()
}

/// The document standing for `which` that counts (coop-core decides: not rejected or
/// withdrawn, latest expiry, then latest filed).
pub fn current(records: &Records, which: DocumentFor) -> Option<&document::Model> {
    coop_core::review::standing_document(
        records
            .documents
            .iter()
            .filter(|d| d.kind.purpose() == which),
        |d| (d.status, d.expires_on, d.id),
    )
}

/// The rules' view of a student and their records at `now`.
pub fn case_of(model: &student::Model, records: &Records, now: DateTime<Utc>) -> Case {
    let mut student = Student::new(model.coop_program, model.coop1101, model.continuance_met);
    student.full_time = model.full_time;
    student.placement_letter = model.placement_letter;
    student.level = model.level;
    let mut case = Case::new(now, student);
    case.zone = Zone::named(&model.zone).unwrap_or_default();
    // W2f is decided for a student whose program is in the catalogue; without one it holds
    // (check-format.md), and staff see them flagged "program not on file".
    case.program = records.program.as_ref().map(program::Model::facts);
    case.study_permit = current(records, DocumentFor::StudyPermit).map(|d| StudyPermit {
        expires: d.expires_on,
        verified: d.status.counts(),
        on_campus_work: d.on_campus_work,
    });
    case.coop_work_permit = current(records, DocumentFor::CoopWorkPermit).map(|d| CoopWorkPermit {
        kind: if d.kind == DocumentKind::ApprovalLetter {
            CoopDocumentKind::ApprovalLetter
        } else {
            CoopDocumentKind::CoopWorkPermit
        },
        expires: d.expires_on,
        verified: d.status.counts(),
    });
    case.applications = records
        .applications
        .iter()
        .map(|a| Application {
            for_document: a.for_document,
            submitted_at: a.submitted_at,
            decision: a.decision,
        })
        .collect();
    case.work_terms = records
        .work_terms
        .iter()
        .map(|t| WorkTerm {
            start: t.start_on,
            end: t.end_on,
        })
        .collect();
    case
}

/// The case of a stored student at `now`, records included.
pub async fn case_for(
    db: &impl ConnectionTrait,
    model: &student::Model,
    now: DateTime<Utc>,
) -> Result<Case, ServiceError> {
    Ok(case_of(model, &load(db, model.id).await?, now))
}
