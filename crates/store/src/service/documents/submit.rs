//! A student submits a document (S1–S8): the typed fields checked by `coop-core`'s validators
//! against the student's today and the study permit on file, the file judged by its content,
//! stored once per distinct content and encrypted at rest; a document not yet reviewed can be
//! withdrawn. The file is written (and synced) before the transaction that names it commits.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::review::{ReviewAction, ReviewStatus};
use coop_core::validation::DocumentKind;
use coop_core::validation::{
    self, DocumentForm, FileType, Finding, FormContext, check_upload, validate_document,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

use crate::entity::{document, student};
use crate::service::ServiceError;
use crate::service::audit::Actor;
use crate::service::files;
use crate::service::pdf_inspection;
use crate::service::records;
use crate::service::snapshots;
use crate::service::students::{self, Change};
use crate::vault::Vault;

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
            kind: upload.kind,
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
    let mut record = students::change(db, student_id, None).await?;
    if let Some(stored) = files::find(record.db(), &files::sha256_hex(&upload.bytes)).await? {
        let mine = document::Entity::find()
            .filter(document::Column::StudentId.eq(student_id))
            .filter(document::Column::FileId.eq(stored.id))
            .filter(document::Column::Status.ne(ReviewStatus::Withdrawn))
            .one(record.db())
            .await?;
        if let Some(mine) = mine {
            return Err(ServiceError::State(format!(
                "You already submitted this file on {} ({}); it is {}.",
                coop_core::datetime_text::date_words(mine.submitted_at.date_naive()),
                mine.kind.words(),
                mine.status.code()
            )));
        }
    }
    let stored = files::store(
        record.db(),
        vault,
        &upload.bytes,
        file_type.content_type(),
        now,
    )
    .await?;
    let written = stored.written;
    let outcome = match insert_document(&mut record, &upload, &valid, stored.file.id, now).await {
        Ok(document) => record.finish(actor, now).await.map(|_| document),
        Err(e) => Err(e),
    };
    match outcome {
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
    record: &mut Change<'_>,
    upload: &Upload,
    valid: &validation::ValidDocument,
    file_id: i64,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let document = document::ActiveModel {
        id: NotSet,
        student_id: Set(record.student_id()),
        kind: Set(upload.kind),
        number: Set(valid.number.as_str().to_owned()),
        uci: Set(Some(valid.uci.digits().to_owned())),
        issued_on: Set(Some(valid.issued_on)),
        expires_on: Set(valid.expires_on),
        on_campus_work: Set(upload.kind == DocumentKind::StudyPermit && upload.on_campus_work),
        status: Set(ReviewStatus::Submitted),
        reviewer_id: Set(None),
        reason: Set(None),
        submitted_at: Set(now),
        decided_at: Set(None),
        file_id: Set(Some(file_id)),
        client_key: Set(upload.client_key.clone()),
    }
    .insert(record.db())
    .await?;
    record.record(
        "document.submit",
        None,
        Some(snapshots::json(&snapshots::DocumentSubmitted {
            document_id: document.id,
            kind: document.kind,
            number: &document.number,
            expires_on: document.expires_on.to_string(),
            on_campus_work: document.on_campus_work,
            status: document.status,
            file_id,
            warnings: valid.warnings.iter().map(|w| w.code.code()).collect(),
        })),
    );
    Ok(document)
}

/// The student takes back a document the office has not reviewed yet.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    student_id: i64,
    document_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let mut record = students::change(db, student_id, None).await?;
    let before = document::Entity::find_by_id(document_id)
        .filter(document::Column::StudentId.eq(student_id))
        .one(record.db())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = before
        .status
        .after(ReviewAction::Withdraw)
        .map_err(ServiceError::not_allowed)?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status);
    active.decided_at = Set(Some(now));
    let after = active.update(record.db()).await?;
    let snapshot = |d: &document::Model| {
        snapshots::json(&snapshots::DocumentStatus {
            document_id: d.id,
            status: d.status,
        })
    };
    record.record(
        "document.withdraw",
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    );
    record.finish(actor, now).await?;
    Ok(after)
}
