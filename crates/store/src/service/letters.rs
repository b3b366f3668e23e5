//! Letter requests (L): a student asks the co-op office for the letter, after acknowledging the
//! collection notice (F1); one request waits at a time; a waiting one can be withdrawn.
//! Whether a request is allowed, and every move of its status, is decided by `coop-core`.
//! Staff approve (issuing the letter, a PDF kept in the file store) or reject with a reason.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::letter_request::{LetterRequestAction, LetterRequestStatus};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, SqlErr,
};
use serde_json::json;

use super::audit::{self, Actor, Change};
use super::privacy::PrivacyNotice;
use super::{ServiceError, sentence};
use super::{files, records, students};
use crate::entity::{consent, letter_request, student};
use crate::vault::Vault;

pub use coop_letter::Institution;

/// What the student tells the office with a request: only what the letter needs (F1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLetterRequest {
    /// The intended first work term's start.
    pub first_term_start: NaiveDate,
    /// Whether the student is also extending their study permit.
    pub extending_study_permit: bool,
    /// The version of the collection notice the student acknowledged.
    pub notice_version: String,
    /// The browser's idempotency key for this request, if it sent one.
    pub client_key: Option<String>,
}

const ALREADY_PENDING: &str =
    "You already have a letter request waiting for review. Withdraw it first to send a new one.";

/// A student (`user_id`, whose record is `student_id`) requests the letter at `now`.
pub async fn request(
    db: &sea_orm::DatabaseConnection,
    notice: &PrivacyNotice,
    user_id: i64,
    student_id: i64,
    new: NewLetterRequest,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    if new.notice_version != notice.version() {
        return Err(ServiceError::Invalid {
            field: "privacy_notice",
            message: "please read and acknowledge the current collection notice (F1)".to_owned(),
        });
    }
    if !coop_core::time::is_supported_date(new.first_term_start) {
        return Err(ServiceError::Invalid {
            field: "first_term_start",
            message: "the date is out of range".to_owned(),
        });
    }
    if let Some(earlier) = by_client_key(db, student_id, new.client_key.as_deref()).await? {
        return Ok(earlier);
    }
    let client_key = new.client_key.clone();
    let txn = crate::begin_write(db).await?;
    let model = student::Entity::find_by_id(student_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let case = records::case_for(&txn, &model, now).await?;
    if new.first_term_start < case.zone.today(now) {
        return Err(ServiceError::Invalid {
            field: "first_term_start",
            message: "the first work term must start today or later".to_owned(),
        });
    }
    let eligibility = coop_core::evaluate(&case).letter;
    if !eligibility.eligible {
        return Err(ServiceError::NotEligible {
            reasons: eligibility.reasons.iter().collect(),
        });
    }
    if let Some(waiting) = pending(&txn, student_id).await? {
        // The same submission, committed by a twin request since the lookup above.
        if client_key.is_some() && waiting.client_key == client_key {
            return Ok(waiting);
        }
        return Err(ServiceError::State(ALREADY_PENDING.to_owned()));
    }
    let actor = Actor::User(user_id);
    let notice_version = new.notice_version.clone();
    // The request first: when two arrive at once, the one-pending index makes the second wait
    // for the first and then fail here, before it touches anything else.
    let inserted = letter_request::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        status: Set(LetterRequestStatus::Pending.code().to_owned()),
        first_term_start: Set(Some(new.first_term_start)),
        extending_study_permit: Set(new.extending_study_permit),
        notice_version: Set(new.notice_version),
        requested_at: Set(now),
        decided_at: Set(None),
        reviewer_id: Set(None),
        reason: Set(None),
        client_key: Set(new.client_key),
        letter_file_id: Set(None),
    }
    .insert(&txn)
    .await;
    let inserted = match inserted {
        Ok(inserted) => inserted,
        // Another instance inserted one between the check above and this insert: the same
        // submission (its key) is answered with the first, another with the one-pending rule.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            return match by_client_key(db, student_id, client_key.as_deref()).await? {
                Some(earlier) => Ok(earlier),
                None => Err(ServiceError::State(ALREADY_PENDING.to_owned())),
            };
        }
        Err(e) => return Err(e.into()),
    };
    acknowledge(&txn, user_id, &notice_version, &actor, now).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor: &actor,
            action: "letter_request.create",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(snapshot(&inserted)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(inserted)
}

/// The student takes back a request still waiting for review.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    student_id: i64,
    request_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let before = letter_request::Entity::find_by_id(request_id)
        .filter(letter_request::Column::StudentId.eq(student_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = status_of(&before)?
        .after(LetterRequestAction::Withdraw)
        .map_err(|not_allowed| ServiceError::State(sentence(&not_allowed.to_string())))?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status.code().to_owned());
    active.decided_at = Set(Some(now));
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "letter_request.withdraw",
            subject: format!("student:{student_id}"),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// A student's requests, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    student_id: i64,
) -> Result<Vec<letter_request::Model>, ServiceError> {
    Ok(letter_request::Entity::find()
        .filter(letter_request::Column::StudentId.eq(student_id))
        .order_by_desc(letter_request::Column::RequestedAt)
        .order_by_desc(letter_request::Column::Id)
        .all(db)
        .await?)
}

/// Whether the user has acknowledged this version of the notice.
pub async fn has_acknowledged(
    db: &impl ConnectionTrait,
    user_id: i64,
    notice_version: &str,
) -> Result<bool, ServiceError> {
    Ok(consent::Entity::find()
        .filter(consent::Column::UserId.eq(user_id))
        .filter(consent::Column::NoticeVersion.eq(notice_version))
        .one(db)
        .await?
        .is_some())
}

/// The status of a stored request; a code no release wrote is an internal error, not a guess.
pub fn status_of(model: &letter_request::Model) -> Result<LetterRequestStatus, ServiceError> {
    LetterRequestStatus::from_code(&model.status).ok_or_else(|| {
        ServiceError::Internal(format!(
            "letter request {} has an unknown status {:?}",
            model.id, model.status
        ))
    })
}

/// The request this student sent earlier with the same idempotency key.
async fn by_client_key(
    db: &impl ConnectionTrait,
    student_id: i64,
    client_key: Option<&str>,
) -> Result<Option<letter_request::Model>, ServiceError> {
    let Some(key) = client_key else {
        return Ok(None);
    };
    Ok(letter_request::Entity::find()
        .filter(letter_request::Column::StudentId.eq(student_id))
        .filter(letter_request::Column::ClientKey.eq(key))
        .one(db)
        .await?)
}

async fn pending(
    db: &impl ConnectionTrait,
    student_id: i64,
) -> Result<Option<letter_request::Model>, ServiceError> {
    Ok(letter_request::Entity::find()
        .filter(letter_request::Column::StudentId.eq(student_id))
        .filter(letter_request::Column::Status.eq(LetterRequestStatus::Pending.code()))
        .one(db)
        .await?)
}

/// Records the acknowledgement of a notice version once per user (F1); a second one (even from
/// another instance at the same moment) changes nothing.
async fn acknowledge(
    db: &impl ConnectionTrait,
    user_id: i64,
    notice_version: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let inserted = consent::Entity::insert(consent::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        notice_version: Set(notice_version.to_owned()),
        accepted_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([consent::Column::UserId, consent::Column::NoticeVersion])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 0 {
        return Ok(());
    }
    audit::record(
        db,
        Change {
            at: now,
            actor,
            action: "privacy_notice.acknowledge",
            subject: format!("user:{user_id}"),
            before: None,
            after: Some(json!({"notice_version": notice_version})),
        },
    )
    .await?;
    Ok(())
}

fn snapshot(model: &letter_request::Model) -> serde_json::Value {
    json!({
        "letter_request_id": model.id,
        "status": model.status,
        "first_term_start": model.first_term_start,
        "extending_study_permit": model.extending_study_permit,
        "notice_version": model.notice_version,
        "reason": model.reason,
    })
}

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
    use sea_orm::QuerySelect;
    let requests = letter_request::Entity::find()
        .filter(letter_request::Column::Status.eq(status.code()))
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

/// Staff approve a pending request: the letter is made from the student's record, their work
/// terms and the institution's configured details, in the wording of the regime in force today
/// (G3), and issued (`issue`). Refused while the student no longer meets L1–L2, while the
/// institution's details are not configured, and while the record lacks what the letter states.
pub async fn approve(
    db: &sea_orm::DatabaseConnection,
    vault: &Vault,
    institution: Option<&Institution>,
    request_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    let request = letter_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    status_of(&request)?
        .after(LetterRequestAction::Approve)
        .map_err(|not_allowed| ServiceError::State(sentence(&not_allowed.to_string())))?;
    let institution = institution.ok_or_else(|| {
        ServiceError::State(
            "The institution's details for the letter are not configured; the operator sets them (--institution-name, --institution-address, --dli-number, --letter-signatory-name, --letter-signatory-title)."
                .to_owned(),
        )
    })?;
    let student = students::get(db, request.student_id).await?;
    let on_file = records::load(db, student.id).await?;
    let evaluation = coop_core::evaluate(&records::case_of(&student, &on_file, now));
    if !evaluation.letter.eligible {
        return Err(ServiceError::NotEligible {
            reasons: evaluation.letter.reasons.iter().collect(),
        });
    }
    let facts = coop_letter::LetterFacts {
        date: coop_core::time::Zone::default().today(now),
        regime: evaluation.regime,
        student_name: student.name.clone(),
        student_number: student.student_number.clone(),
        program: student.program.clone(),
        full_time: student.full_time,
        work_terms: on_file
            .work_terms
            .iter()
            .filter(|t| t.end_on >= evaluation.today)
            .map(|t| (t.start_on, t.end_on))
            .collect(),
    };
    let pdf = coop_letter::render(institution, &facts).map_err(|e| match e {
        coop_letter::LetterError::Missing { field: "work terms" } => ServiceError::State(
            "The student has no current or upcoming work term on file, and the letter states its dates; the student adds it on their record page (P)."
                .to_owned(),
        ),
        coop_letter::LetterError::Missing { field } => ServiceError::State(format!(
            "The student's {field} is not on file, and the letter states it; set it on the student's page first."
        )),
        coop_letter::LetterError::Unprintable { field, chars } => ServiceError::State(format!(
            "The {field} has characters the letter's font cannot print ({chars}); correct the record or issue this letter by hand."
        )),
        coop_letter::LetterError::Pdf(message) => ServiceError::Internal(message),
    })?;
    issue(db, vault, request_id, &pdf, actor, now).await
}

/// Staff approve a pending request and issue the letter (a PDF made by the caller): the request
/// is approved with the letter stored (encrypted) beside it, the student's `placement_letter` is
/// set (W2d), and both are audited, in one transaction.
pub async fn issue(
    db: &sea_orm::DatabaseConnection,
    vault: &Vault,
    request_id: i64,
    letter_pdf: &[u8],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    if !letter_pdf.starts_with(b"%PDF-") {
        return Err(ServiceError::Internal(
            "an issued letter must be a PDF".to_owned(),
        ));
    }
    let txn = crate::begin_write(db).await?;
    let before = letter_request::Entity::find_by_id(request_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = status_of(&before)?
        .after(LetterRequestAction::Approve)
        .map_err(|not_allowed| ServiceError::State(sentence(&not_allowed.to_string())))?;
    let stored = files::store(&txn, vault, letter_pdf, "application/pdf", now).await?;
    let outcome = async {
        let mut active = before.clone().into_active_model();
        active.status = Set(status.code().to_owned());
        active.decided_at = Set(Some(now));
        active.reviewer_id = Set(reviewer_of(actor));
        active.letter_file_id = Set(Some(stored.file.id));
        let after = active.update(&txn).await?;
        students::set_placement_letter(&txn, before.student_id, true, actor, now).await?;
        super::reminders::notify_student(
            &txn,
            before.student_id,
            "letter_approved",
            "Your co-op letter is ready",
            "The co-op office issued your letter; download it from your home page (L, W2d).",
            now,
        )
        .await?;
        audit::record(
            &txn,
            Change {
                at: now,
                actor,
                action: "letter_request.approve",
                subject: format!("student:{}", before.student_id),
                before: Some(snapshot(&before)),
                after: Some(snapshot(&after)),
            },
        )
        .await?;
        Ok::<_, ServiceError>(after)
    }
    .await;
    let committed = match outcome {
        Ok(after) => txn
            .commit()
            .await
            .map(|()| after)
            .map_err(ServiceError::from),
        Err(e) => Err(e),
    };
    if committed.is_err() {
        files::forget(vault, stored.written.as_deref()).await;
    }
    committed
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
    let txn = crate::begin_write(db).await?;
    let before = letter_request::Entity::find_by_id(request_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = status_of(&before)?
        .after(LetterRequestAction::Reject)
        .map_err(|not_allowed| ServiceError::State(sentence(&not_allowed.to_string())))?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status.code().to_owned());
    active.decided_at = Set(Some(now));
    active.reviewer_id = Set(reviewer_of(actor));
    active.reason = Set(Some(reason.to_owned()));
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "letter_request.reject",
            subject: format!("student:{}", before.student_id),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        },
    )
    .await?;
    super::reminders::notify_student(
        &txn,
        before.student_id,
        "letter_rejected",
        "Your letter request was not approved",
        &format!(
            "The co-op office says: {reason} (L). You can send a new request when this is resolved."
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// The issued letter of a request (PDF bytes), if it is `student`'s (`None`: any student's, for
/// staff); `NotFound` until issued.
pub async fn letter_of(
    db: &impl ConnectionTrait,
    vault: &Vault,
    student: Option<i64>,
    request_id: i64,
) -> Result<Vec<u8>, ServiceError> {
    let mut find = letter_request::Entity::find_by_id(request_id);
    if let Some(student_id) = student {
        find = find.filter(letter_request::Column::StudentId.eq(student_id));
    }
    let request = find.one(db).await?.ok_or(ServiceError::NotFound)?;
    let file_id = request.letter_file_id.ok_or(ServiceError::NotFound)?;
    Ok(files::read(db, vault, file_id).await?.1)
}

fn reviewer_of(actor: &Actor) -> Option<i64> {
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
        .filter(letter_request::Column::Status.eq(status.code()))
        .count(db)
        .await?)
}
