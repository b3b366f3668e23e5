//! Staff review of letter requests: the queue, approval (issuing the PDF letter), rejection, the letter itself.

use super::*;

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
        crate::service::reminders::notify_student(
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
    crate::service::reminders::notify_student(
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
        .filter(letter_request::Column::Status.eq(status.code()))
        .count(db)
        .await?)
}
