//! Staff review of letter requests: the queue, rejection with a reason, the counts. (Approval
//! issues the letter: `issue`.)

use chrono::{DateTime, Utc};
use coop_core::letter_request::{LetterRequestAction, LetterRequestStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::request::snapshot;
use crate::entity::{letter_request, student};
use crate::service::ServiceError;
use crate::service::audit::Actor;
use crate::service::notices;
use crate::service::records;
use crate::service::students;
use crate::service::templates;

/// A request in a review queue, with its student and their evaluation now (L, J, G3).
#[derive(Debug, Clone)]
pub struct QueuedRequest {
    pub request: letter_request::Model,
    pub student: student::Model,
    pub evaluation: coop_core::Evaluation,
}

/// Requests in `status` (pending: the review queue), oldest first, at most 500.
pub async fn queue(
    db: &impl ConnectionTrait,
    status: LetterRequestStatus,
    now: DateTime<Utc>,
) -> Result<Vec<QueuedRequest>, ServiceError> {
    let requests = letter_request::Entity::find()
        .filter(letter_request::Column::Status.eq(status))
        .order_by_asc(letter_request::Column::RequestedAt)
        .order_by_asc(letter_request::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i64> = requests.iter().map(|r| r.student_id).collect();
    let students: std::collections::HashMap<i64, student::Model> = student::Entity::find()
        .filter(student::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let on_file = records::load_many(db, &ids).await?;
    let mut out = Vec::with_capacity(requests.len());
    for request in requests {
        let student = students.get(&request.student_id).cloned().ok_or_else(|| {
            ServiceError::Internal(format!("letter request {} has no student", request.id))
        })?;
        let none = records::Records::default();
        let records = on_file.get(&request.student_id).unwrap_or(&none);
        let evaluation = coop_core::evaluate(&records::case_of(&student, records, now));
        out.push(QueuedRequest {
            request,
            student,
            evaluation,
        });
    }
    Ok(out)
}

/// Staff reject a pending request, with the reason the student will read.
pub async fn reject(
    db: &sea_orm::DatabaseConnection,
    request_id: i64,
    reason: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    let reason = reason.trim();
    if !coop_core::text_limits::REFUSAL_REASON.fits(reason) {
        return Err(ServiceError::Invalid {
            field: "reason",
            message: "say why the letter is not issued (at most 1000 characters)".to_owned(),
        });
    }
    let (mut record, before, status) = open(db, request_id, LetterRequestAction::Reject).await?;
    let student_id = before.student_id;
    let mut active = before.clone().into_active_model();
    active.status = Set(status);
    active.decided_at = Set(Some(now));
    active.reviewer_id = Set(reviewer_of(actor));
    active.reason = Set(Some(reason.to_owned()));
    let after = active.update(record.db()).await?;
    record.record(
        "letter_request.reject",
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    );
    notices::notify_student(
        record.db(),
        student_id,
        &templates::letter_rejected(reason),
        now,
    )
    .await?;
    record.finish(actor, now).await?;
    Ok(after)
}

/// A decision on a request opened in the one write path: the student's change, the request as
/// it stands within it, and the status `action` moves it to (409 when it may not).
pub(super) async fn open(
    db: &sea_orm::DatabaseConnection,
    request_id: i64,
    action: LetterRequestAction,
) -> Result<
    (
        students::Change<'_>,
        letter_request::Model,
        coop_core::letter_request::LetterRequestStatus,
    ),
    ServiceError,
> {
    let student_id = letter_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?
        .student_id;
    let record = students::change(db, student_id, None).await?;
    let before = letter_request::Entity::find_by_id(request_id)
        .one(record.db())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = before
        .status
        .after(action)
        .map_err(ServiceError::not_allowed)?;
    Ok((record, before, status))
}

/// The staff user who decided, when a person did.
pub(super) fn reviewer_of(actor: &Actor) -> Option<i64> {
    match actor {
        Actor::User(id) => Some(*id),
        _ => None,
    }
}

/// How many requests are in `status`.
pub async fn count(
    db: &impl ConnectionTrait,
    status: LetterRequestStatus,
) -> Result<u64, ServiceError> {
    use sea_orm::PaginatorTrait;
    Ok(letter_request::Entity::find()
        .filter(letter_request::Column::Status.eq(status))
        .count(db)
        .await?)
}
