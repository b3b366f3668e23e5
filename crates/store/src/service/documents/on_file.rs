//! Documents on file: put there by staff or the demo (already reviewed, or waiting), a
//! student's list, a document's stored file, and the start-up check that the file key is the one
//! the files were stored with.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::review::ReviewStatus;
use coop_core::validation::DocumentKind;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::{document, file};
use crate::service::ServiceError;
use crate::service::audit::Actor;
use crate::service::files;
use crate::service::snapshots;
use crate::service::students::{self, Change};
use crate::vault::Vault;

/// A document to put on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub uci: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: NaiveDate,
    pub on_campus_work: bool,
    pub review: ReviewStatus,
}

/// Staff (or the demo) put a document on file for a student, in a change of its own.
pub async fn put_on_file(
    db: &DatabaseConnection,
    student_id: i64,
    new: NewDocument,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let mut record = students::change(db, student_id, None).await?;
    let model = add(&mut record, new, now).await?;
    record.finish(actor, now).await?;
    Ok(model)
}

/// Puts a document on file within an open change (`document.add`).
pub async fn add(
    record: &mut Change<'_>,
    new: NewDocument,
    now: DateTime<Utc>,
) -> Result<document::Model, ServiceError> {
    let model = document::ActiveModel {
        id: NotSet,
        student_id: Set(record.student_id()),
        kind: Set(new.kind),
        number: Set(new.number),
        uci: Set(new.uci),
        issued_on: Set(new.issued_on),
        expires_on: Set(new.expires_on),
        on_campus_work: Set(new.on_campus_work),
        status: Set(new.review),
        reviewer_id: Set(None),
        reason: Set(None),
        submitted_at: Set(now),
        decided_at: Set((new.review != ReviewStatus::Submitted).then_some(now)),
        file_id: Set(None),
        client_key: Set(None),
    }
    .insert(record.db())
    .await?;
    record.record(
        "document.add",
        None,
        Some(snapshots::json(&snapshots::DocumentAdded {
            document_id: model.id,
            kind: model.kind,
            expires_on: model.expires_on.to_string(),
            on_campus_work: model.on_campus_work,
            status: model.status,
        })),
    );
    Ok(model)
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
