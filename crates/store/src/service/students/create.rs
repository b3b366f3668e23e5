//! A new student record: created with its audit row and its standing, in one transaction.

use chrono::{DateTime, Utc};
use coop_core::case::{Coop1101, Level};
use coop_core::time::Zone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set,
};

use super::read::find_by_number;
use crate::entity::student;
use crate::service::ServiceError;
use crate::service::audit::{self, Actor, Change};
use crate::service::snapshots;
use crate::service::standings;

/// What staff (or an import) know about a new student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStudent {
    /// Unique.
    pub student_number: String,
    /// Unique.
    pub email: String,
    /// Legal name.
    pub name: String,
    /// Program and credential.
    pub program: String,
    /// The program in the catalogue (W2f), when known.
    pub program_code: Option<String>,
    /// L1, J1.
    pub coop_program: bool,
    /// L2.
    pub coop1101: Coop1101,
    /// J2.
    pub continuance_met: bool,
    /// W2e.
    pub full_time: bool,
    /// G3.
    pub level: Level,
}

impl NewStudent {
    /// A student known only by number, e-mail and name (a new account): program facts are the
    /// most restrictive until staff set them.
    pub fn enrolled(number: &str, email: &str, name: &str) -> NewStudent {
        NewStudent {
            student_number: number.to_owned(),
            email: email.to_owned(),
            name: name.to_owned(),
            program: String::new(),
            program_code: None,
            coop_program: false,
            coop1101: Coop1101::None,
            continuance_met: false,
            full_time: false,
            level: Level::PostSecondary,
        }
    }
}

/// Creates a student, its `student.create` audit row and its standing in one transaction.
pub async fn create(
    db: &DatabaseConnection,
    new: NewStudent,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let model = create_within(&txn, new, actor, now).await?;
    txn.commit().await?;
    Ok(model)
}

/// [`create`] with the caller's transaction.
pub async fn create_within(
    txn: &impl ConnectionTrait,
    new: NewStudent,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    if find_by_number(txn, &new.student_number).await?.is_some() {
        return Err(ServiceError::Conflict {
            field: "student_number",
        });
    }
    let taken = student::Entity::find()
        .filter(student::Column::Email.eq(&new.email))
        .one(txn)
        .await?;
    if taken.is_some() {
        return Err(ServiceError::Conflict { field: "email" });
    }
    if let Some(code) = &new.program_code {
        crate::service::programs::require(txn, code).await?;
    }
    let model = student::ActiveModel {
        id: NotSet,
        student_number: Set(new.student_number),
        email: Set(new.email),
        name: Set(new.name),
        program: Set(new.program),
        program_code: Set(new.program_code),
        coop_program: Set(new.coop_program),
        coop1101: Set(new.coop1101),
        continuance_met: Set(new.continuance_met),
        full_time: Set(new.full_time),
        level: Set(new.level),
        placement_letter: Set(false),
        uci: Set(None),
        zone: Set(Zone::DEFAULT_NAME.to_owned()),
        version: Set(1),
        notes: Set(String::new()),
        left_on: Set(None),
        personal_data_removed_at: Set(None),
        reminders_paused: Set(false),
        reminders_paused_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        Change {
            at: now,
            actor,
            action: "student.create",
            subject: format!("student:{}", model.id),
            before: None,
            after: Some(snapshots::json(&snapshots::student(&model))),
        },
    )
    .await?;
    standings::recompute(txn, model.id, now).await?;
    Ok(model)
}
