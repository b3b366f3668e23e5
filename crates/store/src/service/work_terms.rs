//! Work terms (P): a student plans and removes their own; staff and the demo put them on file.
//! Each through the one write path (`students::change`).

use chrono::{DateTime, Utc};
use coop_core::case::WorkTerm;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait,
    ModelTrait, QueryFilter, Set,
};

use super::ServiceError;
use super::audit::Actor;
use super::snapshots;
use super::students::{self, Change};
use crate::entity::work_term;

fn snapshot(term: &work_term::Model) -> serde_json::Value {
    snapshots::json(&snapshots::WorkTerm {
        work_term_id: term.id,
        start: term.start_on.to_string(),
        end: term.end_on.to_string(),
    })
}

/// Adds a work term within an open change (`work_term.add`).
pub async fn add(
    record: &mut Change<'_>,
    term: WorkTerm,
    employer: Option<String>,
) -> Result<work_term::Model, ServiceError> {
    let model = work_term::ActiveModel {
        id: NotSet,
        student_id: Set(record.student_id()),
        start_on: Set(term.start),
        end_on: Set(term.end),
        employer: Set(employer),
    }
    .insert(record.db())
    .await?;
    record.record("work_term.add", None, Some(snapshot(&model)));
    Ok(model)
}

/// A student plans a work term: it must end on or after its start, within the supported years.
pub async fn plan(
    db: &DatabaseConnection,
    student_id: i64,
    term: WorkTerm,
    employer: Option<String>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<work_term::Model, ServiceError> {
    if !coop_core::time::is_supported_date(term.start)
        || !coop_core::time::is_supported_date(term.end)
    {
        return Err(ServiceError::Invalid {
            field: "start",
            message: "the dates are out of range".to_owned(),
        });
    }
    let term = WorkTerm::new(term.start, term.end).map_err(|problem| ServiceError::Invalid {
        field: "end",
        message: problem.to_string(),
    })?;
    let employer = match employer {
        Some(text) => coop_core::text_limits::EMPLOYER.check(&text)?,
        None => None,
    };
    let mut record = students::change(db, student_id, None).await?;
    let model = add(&mut record, term, employer).await?;
    record.finish(actor, now).await?;
    Ok(model)
}

/// A student removes one of their work terms (another student's is `NotFound`).
pub async fn remove(
    db: &DatabaseConnection,
    student_id: i64,
    term_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let mut record = students::change(db, student_id, None).await?;
    let term = work_term::Entity::find_by_id(term_id)
        .filter(work_term::Column::StudentId.eq(student_id))
        .one(record.db())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = snapshot(&term);
    term.delete(record.db()).await?;
    record.record("work_term.remove", Some(before), None);
    record.finish(actor, now).await?;
    Ok(())
}
