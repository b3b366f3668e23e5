//! The one write path for what the rules see. Every service that changes a student's facts,
//! documents, applications, work terms or letters opens a [`Change`] for that student, does its
//! writes with [`Change::db`], records what it did ([`Change::record`], [`Change::set_fields`]),
//! and [`Change::finish`]es it, which:
//!
//! - writes the record's new fields, or bumps its version (cached standings are keyed by it);
//! - writes one audit row per recorded entry, in the same transaction;
//! - recomputes the student's standing, so staff lists never go quietly stale;
//! - commits (unless the change runs within a caller's transaction, such as an import's).
//!
//! Opening the change locks the record's row (PostgreSQL `FOR UPDATE`; a SQLite write
//! transaction already excludes every other writer), so two changes to one student run one
//! after the other, and the standing is computed from what the second one sees. A change that
//! records nothing wrote nothing: dropping it rolls its transaction back.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use serde_json::Value;

use crate::entity::student;
use crate::service::ServiceError;
use crate::service::audit::{self, Actor};
use crate::service::snapshots;
use crate::service::standings;

/// What an editor is told when the record changed since they opened it.
const CHANGED_SINCE: &str =
    "This record changed since you opened it; reload it and make your change again.";

/// The transaction a change writes with: its own, or the caller's.
#[derive(Debug)]
enum Txn<'c> {
    Own(DatabaseTransaction),
    Within(&'c DatabaseTransaction),
}

impl Txn<'_> {
    fn get(&self) -> &DatabaseTransaction {
        match self {
            Txn::Own(txn) => txn,
            Txn::Within(txn) => txn,
        }
    }
}

/// One audit row of a change.
#[derive(Debug)]
struct Entry {
    action: &'static str,
    before: Option<Value>,
    after: Option<Value>,
}

/// A change to one student, open until [`Change::finish`].
#[derive(Debug)]
#[must_use = "a change writes nothing until it is finished"]
pub struct Change<'c> {
    txn: Txn<'c>,
    before: student::Model,
    fields: Option<(&'static str, student::Model)>,
    entries: Vec<Entry>,
}

/// Opens a change to student `student_id` in a write transaction of its own. `seen`: the
/// record's version the person changing it saw; when it changed since, nothing is written
/// (409, a `State` error).
pub async fn change(
    db: &DatabaseConnection,
    student_id: i64,
    seen: Option<i64>,
) -> Result<Change<'static>, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let before = locked(&txn, student_id, seen).await?;
    Ok(Change {
        txn: Txn::Own(txn),
        before,
        fields: None,
        entries: Vec::new(),
    })
}

/// Opens a change within the caller's transaction (which the caller commits), e.g. one line of
/// an import, or a document whose file is stored in the same transaction.
pub async fn change_within(
    txn: &DatabaseTransaction,
    student_id: i64,
    seen: Option<i64>,
) -> Result<Change<'_>, ServiceError> {
    let before = locked(txn, student_id, seen).await?;
    Ok(Change {
        txn: Txn::Within(txn),
        before,
        fields: None,
        entries: Vec::new(),
    })
}

async fn locked(
    txn: &DatabaseTransaction,
    student_id: i64,
    seen: Option<i64>,
) -> Result<student::Model, ServiceError> {
    let before = student::Entity::find_by_id(student_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    match seen {
        Some(version) if version != before.version => {
            Err(ServiceError::State(CHANGED_SINCE.to_owned()))
        }
        _ => Ok(before),
    }
}

impl Change<'_> {
    /// The transaction to write with.
    pub fn db(&self) -> &DatabaseTransaction {
        self.txn.get()
    }

    /// The record as it was when the change opened.
    pub fn before(&self) -> &student::Model {
        &self.before
    }

    /// The student's id.
    pub fn student_id(&self) -> i64 {
        self.before.id
    }

    /// Records one thing the change did, for the audit log (`action` on `student:<id>`).
    pub fn record(&mut self, action: &'static str, before: Option<Value>, after: Option<Value>) {
        self.entries.push(Entry {
            action,
            before,
            after,
        });
    }

    /// The record's own fields as they are to become (`wanted` is [`Change::before`] with some
    /// fields changed); written and audited as `action` with the record before and after, only
    /// when a field differs.
    pub fn set_fields(&mut self, action: &'static str, wanted: student::Model) {
        self.fields = Some((action, wanted));
    }

    /// Writes the record's new fields (or bumps its version), the audit rows and the standing,
    /// and commits; returns the record after the change. A change that recorded nothing and
    /// changed no field writes nothing and returns the record as it was.
    pub async fn finish(
        self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<student::Model, ServiceError> {
        let Change {
            txn,
            before,
            fields,
            mut entries,
        } = self;
        let fields = fields.filter(|(_, wanted)| *wanted != before);
        if entries.is_empty() && fields.is_none() {
            return Ok(before);
        }
        let db = txn.get();
        let after = match fields {
            Some((action, wanted)) => {
                // Every column written (reset_all), not only those sea-orm would diff.
                let mut active = wanted.into_active_model().reset_all();
                active.version = Set(before.version + 1);
                active.updated_at = Set(now);
                let after = active.update(db).await?;
                entries.insert(
                    0,
                    Entry {
                        action,
                        before: Some(snapshots::json(&snapshots::student(&before))),
                        after: Some(snapshots::json(&snapshots::student(&after))),
                    },
                );
                after
            }
            None => {
                student::Entity::update_many()
                    .col_expr(
                        student::Column::Version,
                        Expr::col(student::Column::Version).add(1),
                    )
                    .col_expr(student::Column::UpdatedAt, Expr::value(now))
                    .filter(student::Column::Id.eq(before.id))
                    .exec(db)
                    .await?;
                // Read back: the change may have written some of the record's columns itself.
                student::Entity::find_by_id(before.id)
                    .one(db)
                    .await?
                    .ok_or(ServiceError::NotFound)?
            }
        };
        for entry in entries {
            audit::record(
                db,
                audit::Change {
                    at: now,
                    actor,
                    action: entry.action,
                    subject: format!("student:{}", after.id),
                    before: entry.before,
                    after: entry.after,
                },
            )
            .await?;
        }
        standings::recompute(db, after.id, now).await?;
        if let Txn::Own(txn) = txn {
            txn.commit().await?;
        }
        Ok(after)
    }
}
