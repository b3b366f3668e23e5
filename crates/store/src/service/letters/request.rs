//! A student asks the co-op office for the letter (L), after acknowledging the collection
//! notice (F1); one request waits at a time; a waiting one can be withdrawn. Whether a request is
//! allowed, and every move of its status, is decided by `coop-core`.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::letter_request::{LetterRequestAction, LetterRequestStatus};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, SqlErr,
};

use crate::entity::{consent, letter_request};
use crate::service::ServiceError;
use crate::service::audit::{self, Actor, Change};
use crate::service::privacy::PrivacyNotice;
use crate::service::records;
use crate::service::snapshots;
use crate::service::students;

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
    let actor = Actor::User(user_id);
    let mut record = students::change(db, student_id, None).await?;
    let case = records::case_for(record.db(), record.before(), now).await?;
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
    if let Some(waiting) = pending(record.db(), student_id).await? {
        // The same submission, committed by a twin request since the lookup above.
        if client_key.is_some() && waiting.client_key == client_key {
            return Ok(waiting);
        }
        return Err(ServiceError::State(ALREADY_PENDING.to_owned()));
    }
    let notice_version = new.notice_version.clone();
    // The request first: when two arrive at once, the one-pending index makes the second wait
    // for the first and then fail here, before it touches anything else.
    let inserted = letter_request::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        status: Set(LetterRequestStatus::Pending),
        first_term_start: Set(Some(new.first_term_start)),
        extending_study_permit: Set(new.extending_study_permit),
        notice_version: Set(new.notice_version),
        requested_at: Set(now),
        decided_at: Set(None),
        reviewer_id: Set(None),
        reason: Set(None),
        client_key: Set(new.client_key),
        letter_file_id: Set(None),
        verify_code_hash: Set(None),
        issued: Set(None),
        revoked_at: Set(None),
        revoked_reason: Set(None),
    }
    .insert(record.db())
    .await;
    let inserted = match inserted {
        Ok(inserted) => inserted,
        // Another instance inserted one between the check above and this insert: the same
        // submission (its key) is answered with the first, another with the one-pending rule.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(record);
            return match by_client_key(db, student_id, client_key.as_deref()).await? {
                Some(earlier) => Ok(earlier),
                None => Err(ServiceError::State(ALREADY_PENDING.to_owned())),
            };
        }
        Err(e) => return Err(e.into()),
    };
    acknowledge(record.db(), user_id, &notice_version, &actor, now).await?;
    record.record("letter_request.create", None, Some(snapshot(&inserted)));
    record.finish(&actor, now).await?;
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
    let mut record = students::change(db, student_id, None).await?;
    let before = letter_request::Entity::find_by_id(request_id)
        .filter(letter_request::Column::StudentId.eq(student_id))
        .one(record.db())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = before
        .status
        .after(LetterRequestAction::Withdraw)
        .map_err(ServiceError::not_allowed)?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status);
    active.decided_at = Set(Some(now));
    let after = active.update(record.db()).await?;
    record.record(
        "letter_request.withdraw",
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    );
    record.finish(actor, now).await?;
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
        .filter(letter_request::Column::Status.eq(LetterRequestStatus::Pending))
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
            after: Some(snapshots::json(&snapshots::NoticeAcknowledged {
                notice_version,
            })),
        },
    )
    .await?;
    Ok(())
}

/// A request as the audit log keeps it.
pub(super) fn snapshot(model: &letter_request::Model) -> serde_json::Value {
    snapshots::json(&snapshots::LetterRequest {
        letter_request_id: model.id,
        status: model.status,
        first_term_start: model.first_term_start,
        extending_study_permit: model.extending_study_permit,
        notice_version: &model.notice_version,
        reason: model.reason.as_deref(),
    })
}
