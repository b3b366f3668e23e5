//! A student's documents, IRCC applications and work terms — added (each audited in its
//! transaction) and read back as the rules' `Case`.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::{
    Application, Case, Coop1101, CoopDocumentKind, CoopWorkPermit, Decision, DocumentFor, Level,
    Student, StudyPermit, WorkTerm,
};
use coop_core::time::Zone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::snapshots;
use crate::entity::{application, document, student, work_term};

/// Kinds of document on file: coop-core's S1 kinds.
pub use coop_core::validation::DocumentKind;

/// A document's review status (S8), as `coop-core` defines it and its moves.
pub use coop_core::review::ReviewStatus as Review;

mod applications;
pub use applications::*;

/// A document to put on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub uci: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: NaiveDate,
    pub on_campus_work: bool,
    pub review: Review,
}

/// Puts a document on file for a student, audited.
pub async fn add_document(
    db: &impl ConnectionTrait,
    student_id: i64,
    new: NewDocument,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let model = document::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        kind: Set(new.kind.code().to_owned()),
        number: Set(new.number),
        uci: Set(new.uci),
        issued_on: Set(new.issued_on),
        expires_on: Set(new.expires_on),
        on_campus_work: Set(new.on_campus_work),
        status: Set(new.review.code().to_owned()),
        reviewer_id: Set(None),
        reason: Set(None),
        submitted_at: Set(now),
        decided_at: Set((new.review != Review::Submitted).then_some(now)),
        file_id: Set(None),
        client_key: Set(None),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        Change {
            at: now,
            actor,
            action: "document.add",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(snapshots::json(&snapshots::DocumentAdded {
                document_id: model.id,
                kind: &model.kind,
                expires_on: model.expires_on.to_string(),
                on_campus_work: model.on_campus_work,
                status: &model.status,
            })),
        },
    )
    .await?;
    super::standings::after_change(db, student_id, now).await?;
    Ok(model)
}

/// Records an application made to IRCC, audited.
pub async fn add_application(
    db: &impl ConnectionTrait,
    student_id: i64,
    application: Application,
    number: Option<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<application::Model, ServiceError> {
    insert_application(db, student_id, application, number, None, actor, now).await
}

async fn insert_application(
    db: &impl ConnectionTrait,
    student_id: i64,
    application: Application,
    number: Option<String>,
    client_key: Option<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<application::Model, ServiceError> {
    let decision = match application.decision {
        Decision::Pending => "pending",
        Decision::Approved => "approved",
        Decision::Refused => "refused",
    };
    let model = application::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        for_document: Set(application.for_document.code().to_owned()),
        submitted_at: Set(application.submitted_at),
        application_number: Set(number),
        decision: Set(decision.to_owned()),
        reported_at: Set(now),
        client_key: Set(client_key),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        Change {
            at: now,
            actor,
            action: "application.report",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(snapshots::json(&snapshots::ApplicationReported {
                application_id: model.id,
                for_document: &model.for_document,
                submitted_at: model.submitted_at.to_rfc3339(),
                decision: &model.decision,
            })),
        },
    )
    .await?;
    super::standings::after_change(db, student_id, now).await?;
    Ok(model)
}

/// Adds a work term, audited.
pub async fn add_work_term(
    db: &impl ConnectionTrait,
    student_id: i64,
    term: WorkTerm,
    employer: Option<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<work_term::Model, ServiceError> {
    let model = work_term::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        start_on: Set(term.start),
        end_on: Set(term.end),
        employer: Set(employer),
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        Change {
            at: now,
            actor,
            action: "work_term.add",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(snapshots::json(&snapshots::WorkTerm {
                work_term_id: model.id,
                start: model.start_on.to_string(),
                end: model.end_on.to_string(),
            })),
        },
    )
    .await?;
    super::standings::after_change(db, student_id, now).await?;
    Ok(model)
}

/// Everything on file for one student.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub documents: Vec<document::Model>,
    pub applications: Vec<application::Model>,
    pub work_terms: Vec<work_term::Model>,
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
    })
}

/// The records of many students in three queries (not three per student), keyed by student;
/// a student with nothing on file has an empty entry.
pub async fn load_many(
    db: &impl ConnectionTrait,
    student_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Records>, ServiceError> {
    let mut out: std::collections::HashMap<i64, Records> = student_ids
        .iter()
        .map(|id| (*id, Records::default()))
        .collect();
    // Bounded IN lists: SQLite allows 32,766 parameters, PostgreSQL 65,535.
    for ids in student_ids.chunks(5000) {
        let ids = ids.to_vec();
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
    }
    Ok(out)
}

/// The stored kinds that stand for a document: a co-op work permit or IRCC's approval letter.
pub fn kinds_of(which: DocumentFor) -> &'static [&'static str] {
    match which {
        DocumentFor::StudyPermit => &["study_permit"],
        DocumentFor::CoopWorkPermit => &["coop_work_permit", "approval_letter"],
    }
}

/// The document standing for `which` that counts: not rejected or withdrawn, latest expiry
/// (then latest filed).
pub fn current(records: &Records, which: DocumentFor) -> Option<&document::Model> {
    let kinds = kinds_of(which);
    coop_core::review::standing_document(
        records
            .documents
            .iter()
            .filter(|d| kinds.contains(&d.kind.as_str())),
        |d| (Review::from_code(&d.status), d.expires_on, d.id),
    )
}

/// The rules' view of a student and their records at `now`. Stored codes are only ever written
/// by this crate; an unknown one reads as the most restrictive value.
pub fn case_of(model: &student::Model, records: &Records, now: DateTime<Utc>) -> Case {
    let coop1101 = Coop1101::from_code(&model.coop1101).unwrap_or(Coop1101::None);
    let mut student = Student::new(model.coop_program, coop1101, model.continuance_met);
    student.full_time = model.full_time;
    student.placement_letter = model.placement_letter;
    student.level = Level::from_code(&model.level).unwrap_or(Level::PostSecondary);
    let mut case = Case::new(now, student);
    case.zone = Zone::named(&model.zone).unwrap_or_default();
    let verified = |d: &document::Model| Review::from_code(&d.status).is_some_and(Review::counts);
    case.study_permit = current(records, DocumentFor::StudyPermit).map(|d| StudyPermit {
        expires: d.expires_on,
        verified: verified(d),
        on_campus_work: d.on_campus_work,
    });
    case.coop_work_permit = current(records, DocumentFor::CoopWorkPermit).map(|d| CoopWorkPermit {
        kind: if d.kind == "approval_letter" {
            CoopDocumentKind::ApprovalLetter
        } else {
            CoopDocumentKind::CoopWorkPermit
        },
        expires: d.expires_on,
        verified: verified(d),
    });
    case.applications = records
        .applications
        .iter()
        .map(|a| Application {
            for_document: if a.for_document == "coop_work_permit" {
                DocumentFor::CoopWorkPermit
            } else {
                DocumentFor::StudyPermit
            },
            submitted_at: a.submitted_at,
            decision: match a.decision.as_str() {
                "approved" => Decision::Approved,
                "refused" => Decision::Refused,
                _ => Decision::Pending,
            },
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

/// A student plans a work term: it must end on or after its start, within the supported years.
pub async fn plan_work_term(
    db: &sea_orm::DatabaseConnection,
    student_id: i64,
    term: WorkTerm,
    employer: Option<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<work_term::Model, ServiceError> {
    if !coop_core::time::is_supported_date(term.start)
        || !coop_core::time::is_supported_date(term.end)
    {
        return Err(ServiceError::Invalid {
            field: "start",
            message: "the dates are out of range".to_owned(),
        });
    }
    let term = WorkTerm::new(term.start, term.end).map_err(|problem| ServiceError::Invalid {
        field: "end",
        message: problem.to_string(),
    })?;
    let employer = match employer {
        Some(text) => coop_core::text_limits::EMPLOYER.check(&text)?,
        None => None,
    };
    let txn = crate::begin_write(db).await?;
    let model = add_work_term(&txn, student_id, term, employer, actor, now).await?;
    txn.commit().await?;
    Ok(model)
}

/// A student removes one of their work terms (another student's is `NotFound`), audited.
pub async fn remove_work_term(
    db: &sea_orm::DatabaseConnection,
    student_id: i64,
    term_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    use sea_orm::ModelTrait;
    let txn = crate::begin_write(db).await?;
    let term = work_term::Entity::find_by_id(term_id)
        .filter(work_term::Column::StudentId.eq(student_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = snapshots::json(&snapshots::WorkTerm {
        work_term_id: term.id,
        start: term.start_on.to_string(),
        end: term.end_on.to_string(),
    });
    term.delete(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "work_term.remove",
            subject: format!("student:{student_id}"),
            before: Some(before),
            after: None,
        },
    )
    .await?;
    super::standings::after_change(&txn, student_id, now).await?;
    txn.commit().await?;
    Ok(())
}
