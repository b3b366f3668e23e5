//! The retention job (F2): removes what is no longer needed once the law allows — never within
//! a year of the last decision that used it (`coop_core::retention`).
//!
//! - **Uploaded files** of documents (the scans: the most sensitive thing held) once F2 allows:
//!   the document row stays (its number, dates and review are the history of decisions), its
//!   file is removed, and the removal is in the student's history. The file row and the
//!   encrypted file go when no other record names them; the file leaves the disk after the
//!   database change commits, so a crash can leave an unnamed file behind, never a record
//!   without its file.
//! - **Unnamed files**: an upload writes its encrypted file before the transaction that names
//!   it; a process killed in between leaves a file no record names. Such a file older than
//!   [`UNNAMED_FILE_MINUTES`] (no upload takes that long, so it is not another instance's
//!   upload in flight) is removed.
//! - **Leavers' personal data** a year after the later of their leaving and the last decision
//!   about them (`super::leavers`).
//! - **Sessions** that ended (expired or signed out) more than 30 days ago, and sign-in failures
//!   older than 30 days: they only serve the sign-in and its lockout.
//!
//! Time is an argument (`now`); nothing here sleeps.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use coop_core::retention::{self, Held};
use coop_core::review::ReviewStatus;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};

use super::ServiceError;
use super::audit::Actor;
use super::leavers;
use super::snapshots;
use super::students;
use crate::entity::{document, file, letter_request, session, sign_in_failure};
use crate::vault::Vault;

/// How long ended sessions and sign-in failures are kept.
pub const SIGN_IN_RECORDS_DAYS: i64 = 30;

/// How old a file no record names must be before it is removed as left by a crash.
pub const UNNAMED_FILE_MINUTES: i64 = 10;

/// What one run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Documents whose uploaded file was removed.
    pub document_files: u64,
    /// Documents with a file that F2 still keeps.
    pub kept: u64,
    /// Files no record names, left by a crash between writing and committing.
    pub unnamed_files: u64,
    pub sessions: u64,
    pub sign_in_failures: u64,
    /// Leavers whose personal data was removed (a year after leaving and the last decision).
    pub leavers: u64,
}

/// What F2 knows of each document with a file: its facts and when a newer verified document of
/// its kind replaced it.
fn held(docs: &[document::Model]) -> HashMap<i64, Held> {
    let mut out = HashMap::new();
    for d in docs {
        let status = d.status;
        let replaced_at = match (status, d.decided_at) {
            (ReviewStatus::Verified, Some(decided)) => docs
                .iter()
                .filter(|o| {
                    o.id != d.id
                        && o.student_id == d.student_id
                        && o.kind == d.kind
                        && o.status == ReviewStatus::Verified
                })
                .filter_map(|o| o.decided_at)
                .filter(|at| *at > decided)
                .min(),
            _ => None,
        };
        out.insert(
            d.id,
            Held {
                status,
                submitted_at: d.submitted_at,
                decided_at: d.decided_at,
                expires_on: d.expires_on,
                replaced_at,
            },
        );
    }
    out
}

/// Documents whose file F2 lets go at `now`, and how many files it still keeps.
async fn removable_documents(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<(Vec<document::Model>, u64), ServiceError> {
    let mut students: Vec<i64> = document::Entity::find()
        .filter(document::Column::FileId.is_not_null())
        .all(db)
        .await?
        .iter()
        .map(|d| d.student_id)
        .collect();
    students.sort_unstable();
    students.dedup();
    let (mut removable, mut kept) = (Vec::new(), 0);
    for chunk in students.chunks(500) {
        let docs = document::Entity::find()
            .filter(document::Column::StudentId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        let facts = held(&docs);
        for d in docs.iter().filter(|d| d.file_id.is_some()) {
            let Some(h) = facts.get(&d.id) else { continue };
            if retention::may_remove(h, now).is_err() {
                kept += 1;
            } else {
                removable.push(d.clone());
            }
        }
    }
    Ok((removable, kept))
}

/// One run at `now`.
pub async fn run(
    db: &DatabaseConnection,
    vault: &Vault,
    now: DateTime<Utc>,
) -> Result<RetentionReport, ServiceError> {
    let mut report = RetentionReport::default();
    let (removable, kept) = removable_documents(db, now).await?;
    report.kept = kept;
    for d in &removable {
        if remove_file(db, vault, d, &Actor::System, now).await? {
            report.document_files += 1;
        }
    }
    for leaver in leavers::leavers(db).await? {
        if leaver.removable_from <= now {
            leavers::remove_personal_data(db, vault, leaver.student_id, now).await?;
            report.leavers += 1;
        }
    }
    for name in unnamed(db, vault, now).await? {
        tracing::warn!(file = %name, "removing a stored file no record names (left by an interrupted upload)");
        remove_stored(db, vault, &name).await?;
        report.unnamed_files += 1;
    }
    let ended = now - Duration::days(SIGN_IN_RECORDS_DAYS);
    report.sessions = session::Entity::delete_many()
        .filter(ended_sessions(ended))
        .exec(db)
        .await?
        .rows_affected;
    report.sign_in_failures = sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::At.lt(ended))
        .exec(db)
        .await?
        .rows_affected;
    Ok(report)
}

fn ended_sessions(ended: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(session::Column::ExpiresAt.lt(ended))
        .add(session::Column::RevokedAt.lt(ended))
}

/// What a run at `now` would remove, without removing anything (`retention run --dry-run`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// Documents whose uploaded file would go.
    pub document_files: Vec<document::Model>,
    /// Files F2 still keeps.
    pub kept: u64,
    /// Leavers whose personal data would go now.
    pub leavers_due: Vec<leavers::Leaver>,
    /// Leavers whose data is kept for now, with when it may go.
    pub leavers_kept: Vec<leavers::Leaver>,
    pub unnamed_files: u64,
    pub sessions: u64,
    pub sign_in_failures: u64,
}

/// The dry run: [`run`]'s choices at `now`, listed.
pub async fn preview(
    db: &DatabaseConnection,
    vault: &Vault,
    now: DateTime<Utc>,
) -> Result<Preview, ServiceError> {
    let (document_files, kept) = removable_documents(db, now).await?;
    let (leavers_due, leavers_kept) = leavers::leavers(db)
        .await?
        .into_iter()
        .partition(|l| l.removable_from <= now);
    let ended = now - Duration::days(SIGN_IN_RECORDS_DAYS);
    Ok(Preview {
        document_files,
        kept,
        leavers_due,
        leavers_kept,
        unnamed_files: unnamed(db, vault, now).await?.len() as u64,
        sessions: session::Entity::find()
            .filter(ended_sessions(ended))
            .count(db)
            .await?,
        sign_in_failures: sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::At.lt(ended))
            .count(db)
            .await?,
    })
}

/// Stored files that no file row names and that are older than the grace period.
async fn unnamed(
    db: &DatabaseConnection,
    vault: &Vault,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ServiceError> {
    let stored = vault
        .list(db)
        .await
        .map_err(|e| ServiceError::Internal(format!("cannot list the stored files: {e}")))?;
    let before: std::time::SystemTime = (now - Duration::minutes(UNNAMED_FILE_MINUTES)).into();
    let old: Vec<String> = stored
        .into_iter()
        .filter(|(_, written)| *written < before)
        .map(|(name, _)| name)
        .collect();
    let mut out = Vec::new();
    for chunk in old.chunks(500) {
        let named: Vec<String> = file::Entity::find()
            .filter(file::Column::StorageName.is_in(chunk.to_vec()))
            .all(db)
            .await?
            .into_iter()
            .map(|f| f.storage_name)
            .collect();
        out.extend(chunk.iter().filter(|n| !named.contains(n)).cloned());
    }
    Ok(out)
}

/// Removes one document's file (if it still has it): the document keeps its facts, the history
/// says why; the stored file goes when nothing else names it.
async fn remove_file(
    db: &DatabaseConnection,
    vault: &Vault,
    doc: &document::Model,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let Some(file_id) = doc.file_id else {
        return Ok(false);
    };
    let mut record = students::change(db, doc.student_id, None).await?;
    let cleared = document::Entity::update_many()
        .col_expr(
            document::Column::FileId,
            sea_orm::sea_query::Expr::value(Option::<i64>::None),
        )
        .filter(document::Column::Id.eq(doc.id))
        .filter(document::Column::FileId.eq(file_id))
        .exec(record.db())
        .await?;
    if cleared.rows_affected == 0 {
        return Ok(false);
    }
    record.record(
        "document.file_removed",
        Some(snapshots::json(&snapshots::DocumentFile {
            document_id: doc.id,
            file_id: Some(file_id),
            reason: None,
        })),
        Some(snapshots::json(&snapshots::DocumentFile {
            document_id: doc.id,
            file_id: None,
            reason: Some(
                "F2: kept one year after the last decision that used it; no longer needed",
            ),
        })),
    );
    let still_named = document::Entity::find()
        .filter(document::Column::FileId.eq(file_id))
        .count(record.db())
        .await?
        + letter_request::Entity::find()
            .filter(letter_request::Column::LetterFileId.eq(file_id))
            .count(record.db())
            .await?;
    let stored = if still_named == 0 {
        let row = file::Entity::find_by_id(file_id).one(record.db()).await?;
        file::Entity::delete_by_id(file_id)
            .exec(record.db())
            .await?;
        if let Some(row) = &row {
            vault
                .remove_within(record.db(), &row.storage_name)
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
        }
        row
    } else {
        None
    };
    record.finish(actor, now).await?;
    if let Some(row) = stored {
        after_commit(vault, &row.storage_name).await;
    }
    Ok(true)
}

/// Removes a stored file no row names (in its own transaction on a database store).
async fn remove_stored(
    db: &DatabaseConnection,
    vault: &Vault,
    name: &str,
) -> Result<(), ServiceError> {
    if name.ends_with(".part") {
        after_commit(vault, name).await;
        return Ok(());
    }
    vault
        .remove_within(db, name)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    after_commit(vault, name).await;
    Ok(())
}

/// The part of a removal after its transaction: a failure leaves an unnamed file, which the
/// next run removes.
async fn after_commit(vault: &Vault, name: &str) {
    if let Err(e) = vault.remove_after_commit(name).await {
        tracing::warn!(error = %e, file = %name, "a stored file no record names could not be removed");
    }
}

/// F2 for one document, for a person asking to delete it: `Ok` when it may go, else the
/// sentence saying until when it must be kept.
pub fn deletion_refusal(
    doc: &document::Model,
    all: &[document::Model],
    now: DateTime<Utc>,
) -> Result<(), String> {
    let facts = held(all);
    let Some(h) = facts.get(&doc.id) else {
        return Ok(());
    };
    match retention::may_remove(h, now) {
        Ok(()) => Ok(()),
        Err(Some(from)) => Err(format!(
            "This document was used for a decision about the student and must be kept at least one year after that decision (F2, FIPPA s. 31): it may be removed from {} UTC.",
            coop_core::datetime_text::datetime_words(&from)
        )),
        Err(None) => Err(
            "This document is still used by the rules (it is waiting for review, or it is the student's current one): it is kept while in use and for one year after (F2, FIPPA s. 31).".to_owned(),
        ),
    }
}

/// Staff remove a document's uploaded file at a student's request: refused with F2's reason
/// while the law keeps it.
pub async fn remove_on_request(
    db: &DatabaseConnection,
    vault: &Vault,
    document_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let doc = document::Entity::find_by_id(document_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if doc.file_id.is_none() {
        return Err(ServiceError::State(
            "This document has no uploaded file any more.".to_owned(),
        ));
    }
    let all = document::Entity::find()
        .filter(document::Column::StudentId.eq(doc.student_id))
        .all(db)
        .await?;
    deletion_refusal(&doc, &all, now).map_err(ServiceError::State)?;
    remove_file(db, vault, &doc, actor, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, status: ReviewStatus, decided: Option<&str>, expires: &str) -> document::Model {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().to_utc();
        document::Model {
            id,
            student_id: 1,
            kind: coop_core::validation::DocumentKind::StudyPermit,
            number: format!("F{id:09}"),
            uci: None,
            issued_on: None,
            expires_on: chrono::NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap(),
            on_campus_work: true,
            status,
            reviewer_id: None,
            reason: None,
            submitted_at: at("2025-01-01T00:00:00Z"),
            decided_at: decided.map(at),
            file_id: Some(id),
            client_key: None,
        }
    }

    #[test]
    fn a_verified_document_is_replaced_by_the_next_verified_one_of_its_kind() {
        let docs = [
            doc(
                1,
                ReviewStatus::Verified,
                Some("2025-01-02T00:00:00Z"),
                "2030-01-01",
            ),
            doc(
                2,
                ReviewStatus::Rejected,
                Some("2025-06-01T00:00:00Z"),
                "2031-01-01",
            ),
            doc(
                3,
                ReviewStatus::Verified,
                Some("2026-02-01T00:00:00Z"),
                "2031-01-01",
            ),
        ];
        let facts = held(&docs);
        assert_eq!(
            facts.get(&1).unwrap().replaced_at,
            docs.get(2).unwrap().decided_at
        );
        assert_eq!(facts.get(&3).unwrap().replaced_at, None);
        let now = DateTime::parse_from_rfc3339("2027-01-15T00:00:00Z")
            .unwrap()
            .to_utc();
        let refusal = deletion_refusal(docs.first().unwrap(), &docs, now).unwrap_err();
        assert!(
            refusal.contains("may be removed from Mon 1 Feb 2027, 00:00 UTC"),
            "{refusal}"
        );
        // The rejected one: a year after its rejection; the current one: while in use.
        let rejected = docs.get(1).unwrap();
        assert!(deletion_refusal(rejected, &docs, now).is_ok());
        assert!(deletion_refusal(rejected, &docs, now - Duration::days(240)).is_err());
        let current = deletion_refusal(docs.get(2).unwrap(), &docs, now).unwrap_err();
        assert!(current.contains("still used by the rules"), "{current}");
    }
}
