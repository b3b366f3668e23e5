//! A student submits a document (S1–S8): the typed fields checked by `coop-core`'s validators
//! against the student's today and the study permit on file, the file judged by its content,
//! stored once per distinct content and encrypted at rest; a document not yet reviewed can be
//! withdrawn. The file is written (and synced) before the transaction that names it commits.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::validation::{
    self, DocumentForm, FileType, Finding, FormContext, check_upload, validate_document,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::pdf_inspection;
use super::records::{self, DocumentKind, Review};
use super::{files, sentence};
use crate::entity::{document, file, student};
use crate::vault::Vault;
use coop_core::review::{ReviewAction, ReviewStatus};

/// What the student typed, and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub kind: DocumentKind,
    pub number: String,
    pub uci: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// A study permit's on-campus work condition (W2c); ignored for other kinds.
    pub on_campus_work: bool,
    pub bytes: Vec<u8>,
    /// The browser's idempotency key for this submission, if it sent one.
    pub client_key: Option<String>,
}

/// A document taken for review, with the warnings (S3, S5) shown to the student and staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub document: document::Model,
    pub warnings: Vec<Finding>,
}

fn core_kind(kind: DocumentKind) -> validation::DocumentKind {
    match kind {
        DocumentKind::StudyPermit => validation::DocumentKind::StudyPermit,
        DocumentKind::CoopWorkPermit => validation::DocumentKind::CoopWorkPermit,
        DocumentKind::ApprovalLetter => validation::DocumentKind::ApprovalLetter,
    }
}

/// Submits a document for a student at `now`.
pub async fn submit(
    db: &sea_orm::DatabaseConnection,
    vault: &Vault,
    student_id: i64,
    mut upload: Upload,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Submitted, ServiceError> {
    // The same submission sent again (a draft sent after a lost answer) finds the first.
    if let Some(key) = upload.client_key.as_deref() {
        let earlier = document::Entity::find()
            .filter(document::Column::StudentId.eq(student_id))
            .filter(document::Column::ClientKey.eq(key))
            .one(db)
            .await?;
        if let Some(document) = earlier {
            return Ok(Submitted {
                document,
                warnings: Vec::new(),
            });
        }
    }
    let client_key = upload.client_key.clone();
    // Scanning a PDF (inflating its object streams) is CPU work: off the async workers, and
    // the structure in a bounded inspection of its own.
    let bytes = Arc::new(std::mem::take(&mut upload.bytes));
    let scanned = Arc::clone(&bytes);
    let checked = {
        // Each scan may inflate an object stream in memory: at most one per core at once.
        let _permit = pdf_inspection::permits()
            .acquire()
            .await
            .map_err(|e| ServiceError::Unavailable(format!("the file check stopped: {e}")))?;
        tokio::task::spawn_blocking(move || check_upload(&scanned))
            .await
            .map_err(|e| ServiceError::Unavailable(format!("the file check stopped: {e}")))?
    };
    let file_type = checked.map_err(|f| ServiceError::Findings(vec![f]))?;
    if file_type == FileType::Pdf {
        pdf_inspection::inspect(Arc::clone(&bytes))
            .await
            .map_err(|f| ServiceError::Findings(vec![f]))?;
    }
    upload.bytes = Arc::try_unwrap(bytes).unwrap_or_else(|shared| shared.as_ref().clone());
    let model = student::Entity::find_by_id(student_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let on_file = records::load(db, student_id).await?;
    let case = records::case_of(&model, &on_file, now);
    let valid = validate_document(
        &DocumentForm {
            kind: core_kind(upload.kind),
            number: &upload.number,
            uci: &upload.uci,
            issued_on: upload.issued_on,
            expires_on: upload.expires_on,
        },
        &FormContext {
            today: case.zone.today(now),
            study_permit_expires: case.study_permit.as_ref().map(|sp| sp.expires),
        },
    )
    .map_err(ServiceError::Findings)?;
    let txn = crate::begin_write(db).await?;
    if let Some(stored) = files::find(&txn, &files::sha256_hex(&upload.bytes)).await? {
        let mine = document::Entity::find()
            .filter(document::Column::StudentId.eq(student_id))
            .filter(document::Column::FileId.eq(stored.id))
            .filter(document::Column::Status.ne(Review::Withdrawn.code()))
            .one(&txn)
            .await?;
        if let Some(mine) = mine {
            return Err(ServiceError::State(format!(
                "You already submitted this file on {} ({}); it is {}.",
                coop_core::datetime_text::date_words(mine.submitted_at.date_naive()),
                kind_words(&mine.kind),
                mine.status
            )));
        }
    }
    let stored = files::store(&txn, vault, &upload.bytes, file_type.content_type(), now).await?;
    let written = stored.written;
    let stored = stored.file;
    let outcome = insert_document(&txn, student_id, &upload, &valid, stored.id, actor, now).await;
    let committed = match outcome {
        Ok(document) => txn
            .commit()
            .await
            .map(|()| document)
            .map_err(ServiceError::from),
        Err(e) => Err(e),
    };
    match committed {
        Ok(document) => Ok(Submitted {
            document,
            warnings: valid.warnings,
        }),
        Err(e) => {
            // Nothing names the file now: do not leave it behind.
            files::forget(vault, written.as_deref()).await;
            // The same submission arriving twice at once: the second finds the first.
            let clash = matches!(&e, ServiceError::Db(db_err)
                if matches!(db_err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))));
            if clash && let Some(key) = client_key.as_deref() {
                let earlier = document::Entity::find()
                    .filter(document::Column::StudentId.eq(student_id))
                    .filter(document::Column::ClientKey.eq(key))
                    .one(db)
                    .await?;
                if let Some(document) = earlier {
                    return Ok(Submitted {
                        document,
                        warnings: Vec::new(),
                    });
                }
            }
            Err(e)
        }
    }
}

async fn insert_document(
    txn: &impl ConnectionTrait,
    student_id: i64,
    upload: &Upload,
    valid: &validation::ValidDocument,
    file_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let document = document::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        kind: Set(upload.kind.code().to_owned()),
        number: Set(valid.number.as_str().to_owned()),
        uci: Set(Some(valid.uci.digits().to_owned())),
        issued_on: Set(Some(valid.issued_on)),
        expires_on: Set(valid.expires_on),
        on_campus_work: Set(upload.kind == DocumentKind::StudyPermit && upload.on_campus_work),
        status: Set(Review::Submitted.code().to_owned()),
        reviewer_id: Set(None),
        reason: Set(None),
        submitted_at: Set(now),
        decided_at: Set(None),
        file_id: Set(Some(file_id)),
        client_key: Set(upload.client_key.clone()),
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        Change {
            at: now,
            actor,
            action: "document.submit",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(json!({
                "document_id": document.id,
                "kind": document.kind,
                "number": document.number,
                "expires_on": document.expires_on.to_string(),
                "on_campus_work": document.on_campus_work,
                "status": document.status,
                "file_id": file_id,
                "warnings": valid.warnings.iter().map(|w| w.code.code()).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    super::standings::after_change(txn, student_id, now).await?;
    Ok(document)
}

/// A stored document kind in words.
pub(crate) fn kind_words(kind: &str) -> &'static str {
    match kind {
        "study_permit" => "study permit",
        "coop_work_permit" => "co-op work permit",
        "approval_letter" => "approval letter",
        _ => "document",
    }
}

/// The student takes back a document the office has not reviewed yet.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    student_id: i64,
    document_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let before = document::Entity::find_by_id(document_id)
        .filter(document::Column::StudentId.eq(student_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = review_status(&before)?
        .after(ReviewAction::Withdraw)
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
            action: "document.withdraw",
            subject: format!("student:{student_id}"),
            before: Some(json!({"document_id": before.id, "status": before.status})),
            after: Some(json!({"document_id": after.id, "status": after.status})),
        },
    )
    .await?;
    super::standings::after_change(&txn, student_id, now).await?;
    txn.commit().await?;
    Ok(after)
}

/// A student's documents, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    student_id: i64,
) -> Result<Vec<document::Model>, ServiceError> {
    Ok(document::Entity::find()
        .filter(document::Column::StudentId.eq(student_id))
        .order_by_desc(document::Column::SubmittedAt)
        .order_by_desc(document::Column::Id)
        .all(db)
        .await?)
}

/// A document's file: its media type and plain bytes. `student_id` limits it to that student's
/// documents (None: staff, any document).
pub async fn file_of(
    db: &impl ConnectionTrait,
    vault: &Vault,
    student_id: Option<i64>,
    document_id: i64,
) -> Result<(String, Vec<u8>), ServiceError> {
    let mut query = document::Entity::find_by_id(document_id);
    if let Some(student_id) = student_id {
        query = query.filter(document::Column::StudentId.eq(student_id));
    }
    let document = query.one(db).await?.ok_or(ServiceError::NotFound)?;
    let file_id = document.file_id.ok_or(ServiceError::NotFound)?;
    files::read(db, vault, file_id).await
}

/// Refuses a key that is not the one the stored files were encrypted with (checked at start).
pub async fn check_key(db: &impl ConnectionTrait, vault: &Vault) -> Result<(), ServiceError> {
    let other = file::Entity::find()
        .filter(file::Column::KeyId.ne(vault.key_id()))
        .one(db)
        .await?;
    match other {
        Some(stored) => Err(ServiceError::State(format!(
            "the file key (id {}) is not the key the stored files were encrypted with (id {}): start with the key they were stored with (--file-key / COOP_FILE_KEY, or the data folder's file-key)",
            vault.key_id(),
            stored.key_id
        ))),
        None => Ok(()),
    }
}

/// The review status of a stored document; a code no release wrote is an internal error.
fn review_status(model: &document::Model) -> Result<ReviewStatus, ServiceError> {
    ReviewStatus::from_code(&model.status).ok_or_else(|| {
        ServiceError::Internal(format!(
            "document {} has an unknown status {:?}",
            model.id, model.status
        ))
    })
}

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
    let txn = crate::begin_write(db).await?;
    let before = document::Entity::find_by_id(document_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = review_status(&before)?
        .after(action)
        .map_err(|not_allowed| ServiceError::State(sentence(&not_allowed.to_string())))?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status.code().to_owned());
    active.decided_at = Set(Some(now));
    active.reason = Set(reason);
    if let Actor::User(id) = actor {
        active.reviewer_id = Set(Some(*id));
    }
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: if status == ReviewStatus::Verified {
                "document.verify"
            } else {
                "document.reject"
            },
            subject: format!("student:{}", before.student_id),
            before: Some(json!({"document_id": before.id, "status": before.status})),
            after: Some(
                json!({"document_id": after.id, "status": after.status, "reason": after.reason}),
            ),
        },
    )
    .await?;
    super::standings::after_change(&txn, before.student_id, now).await?;
    let what = kind_words(&after.kind);
    let (kind, title, body) = if status == ReviewStatus::Verified {
        (
            "document_verified",
            format!("Your {what} is verified"),
            format!(
                "The co-op office verified your {what}; it now counts for your co-op status (S8, J)."
            ),
        )
    } else {
        (
            "document_rejected",
            format!("Your {what} was not accepted"),
            format!(
                "The co-op office says: {} (S8). Submit a corrected document from your home page.",
                after.reason.as_deref().unwrap_or("")
            ),
        )
    };
    super::reminders::notify_student(&txn, before.student_id, kind, &title, &body, now).await?;
    txn.commit().await?;
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
    use sea_orm::QuerySelect;
    use std::collections::HashMap;
    let waiting = document::Entity::find()
        .filter(document::Column::Status.eq(ReviewStatus::Submitted.code()))
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
    let content_types: HashMap<i64, String> = crate::entity::file::Entity::find()
        .filter(crate::entity::file::Column::Id.is_in(waiting.iter().filter_map(|d| d.file_id)))
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
        let kind = match document.kind.as_str() {
            "coop_work_permit" => DocumentKind::CoopWorkPermit,
            "approval_letter" => DocumentKind::ApprovalLetter,
            _ => DocumentKind::StudyPermit,
        };
        let findings = match validate_document(
            &DocumentForm {
                kind: core_kind(kind),
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
        .filter(document::Column::Status.eq(ReviewStatus::Submitted.code()))
        .count(db)
        .await?)
}
