//! Staff review of submitted documents (S8): the queue, the decision, the waiting count.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use coop_core::review::{ReviewAction, ReviewStatus};
use coop_core::validation::{DocumentForm, Finding, FormContext, validate_document};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entity::{document, file, student};
use crate::service::ServiceError;
use crate::service::audit::Actor;
use crate::service::notices;
use crate::service::records;
use crate::service::snapshots;
use crate::service::students;
use crate::service::templates;

/// Staff's verdict on a submitted document (S8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Verify,
    /// With the reason the student reads.
    Reject(String),
}

/// Staff verify or reject a submitted document; the student's evaluation (J) changes with it,
/// since only a verified document counts. Audited with before and after, in one transaction.
pub async fn decide(
    db: &sea_orm::DatabaseConnection,
    document_id: i64,
    verdict: Verdict,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let (action, reason) = match verdict {
        Verdict::Verify => (ReviewAction::Verify, None),
        Verdict::Reject(reason) => {
            let reason = reason.trim().to_owned();
            if !coop_core::text_limits::REFUSAL_REASON.fits(&reason) {
                return Err(ServiceError::Invalid {
                    field: "reason",
                    message: "say why the document is rejected (at most 1000 characters)"
                        .to_owned(),
                });
            }
            (ReviewAction::Reject, Some(reason))
        }
    };
    let student_id = document::Entity::find_by_id(document_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?
        .student_id;
    let mut record = students::change(db, student_id, None).await?;
    let before = document::Entity::find_by_id(document_id)
        .one(record.db())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = before
        .status
        .after(action)
        .map_err(ServiceError::not_allowed)?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status);
    active.decided_at = Set(Some(now));
    active.reason = Set(reason);
    if let Actor::User(id) = actor {
        active.reviewer_id = Set(Some(*id));
    }
    let after = active.update(record.db()).await?;
    record.record(
        if status == ReviewStatus::Verified {
            "document.verify"
        } else {
            "document.reject"
        },
        Some(snapshots::json(&snapshots::DocumentStatus {
            document_id: before.id,
            status: before.status,
        })),
        Some(snapshots::json(&snapshots::DocumentDecided {
            document_id: after.id,
            status: after.status,
            reason: after.reason.as_deref(),
        })),
    );
    let notice = if status == ReviewStatus::Verified {
        templates::document_verified(after.kind)
    } else {
        templates::document_rejected(after.kind, after.reason.as_deref().unwrap_or(""))
    };
    notices::notify_student(record.db(), student_id, &notice, now).await?;
    record.finish(actor, now).await?;
    Ok(after)
}

/// One document waiting for review, with its student, its file's content type, and what the
/// validators say about it now (S2–S6 findings, warnings and errors alike, for staff to weigh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub document: document::Model,
    pub student: student::Model,
    pub content_type: Option<String>,
    pub findings: Vec<Finding>,
}

/// Documents waiting for review, oldest first (at most 500), in a fixed number of queries.
pub async fn queue(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Queued>, ServiceError> {
    let waiting = document::Entity::find()
        .filter(document::Column::Status.eq(ReviewStatus::Submitted))
        .order_by_asc(document::Column::SubmittedAt)
        .order_by_asc(document::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i64> = waiting.iter().map(|d| d.student_id).collect();
    let students: HashMap<i64, student::Model> = student::Entity::find()
        .filter(student::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let on_file = records::load_many(db, &ids).await?;
    let content_types: HashMap<i64, String> = file::Entity::find()
        .filter(file::Column::Id.is_in(waiting.iter().filter_map(|d| d.file_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.content_type))
        .collect();
    let none = records::Records::default();
    let mut queued = Vec::with_capacity(waiting.len());
    for document in waiting {
        let student = students.get(&document.student_id).cloned().ok_or_else(|| {
            ServiceError::Internal(format!("document {} has no student", document.id))
        })?;
        let case = records::case_of(&student, on_file.get(&student.id).unwrap_or(&none), now);
        let findings = match validate_document(
            &DocumentForm {
                kind: document.kind,
                number: &document.number,
                uci: document.uci.as_deref().unwrap_or_default(),
                issued_on: document.issued_on.unwrap_or(document.expires_on),
                expires_on: document.expires_on,
            },
            &FormContext {
                today: case.zone.today(now),
                study_permit_expires: case.study_permit.as_ref().map(|sp| sp.expires),
            },
        ) {
            Ok(valid) => valid.warnings,
            Err(errors) => errors,
        };
        queued.push(Queued {
            content_type: document
                .file_id
                .and_then(|id| content_types.get(&id).cloned()),
            document,
            student,
            findings,
        });
    }
    Ok(queued)
}

/// How many documents wait for review.
pub async fn count_waiting(db: &impl ConnectionTrait) -> Result<u64, ServiceError> {
    use sea_orm::PaginatorTrait;
    Ok(document::Entity::find()
        .filter(document::Column::Status.eq(ReviewStatus::Submitted))
        .count(db)
        .await?)
}
