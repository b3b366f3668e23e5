//! Student records: create and read, each creation audited in the same transaction, and the
//! record turned into the rules' `Case`.

use chrono::{DateTime, Utc};
use coop_core::case::{Coop1101, Level};
use coop_core::time::Zone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::snapshots;
use crate::entity::student;

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

/// The record's fields as JSON: its audit snapshot, and (with its id) what the API shows.
pub fn snapshot(model: &student::Model) -> Result<serde_json::Value, ServiceError> {
    serde_json::to_value(crate::wire::student_fields(model)?)
        .map_err(|e| ServiceError::Internal(e.to_string()))
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
            coop_program: false,
            coop1101: Coop1101::None,
            continuance_met: false,
            full_time: false,
            level: Level::PostSecondary,
        }
    }
}

/// Creates a student and its `student.create` audit event in one transaction.
pub async fn create(
    db: &DatabaseConnection,
    new: NewStudent,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let model = insert(&txn, new, actor, now).await?;
    txn.commit().await?;
    Ok(model)
}

/// Inserts a student and its audit event with the caller's transaction.
pub async fn insert(
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
    let model = student::ActiveModel {
        id: NotSet,
        student_number: Set(new.student_number),
        email: Set(new.email),
        name: Set(new.name),
        program: Set(new.program),
        coop_program: Set(new.coop_program),
        coop1101: Set(new.coop1101.code().to_owned()),
        continuance_met: Set(new.continuance_met),
        full_time: Set(new.full_time),
        level: Set(new.level.code().to_owned()),
        placement_letter: Set(false),
        uci: Set(None),
        zone: Set(Zone::DEFAULT_NAME.to_owned()),
        version: Set(1),
        notes: Set(String::new()),
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
            after: Some(snapshot(&model)?),
        },
    )
    .await?;
    super::standings::recompute(txn, model.id, now).await?;
    Ok(model)
}

/// One student by their exact student number.
pub async fn find_by_number(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Option<student::Model>, ServiceError> {
    Ok(student::Entity::find()
        .filter(student::Column::StudentNumber.eq(number))
        .one(db)
        .await?)
}

/// One student by id.
pub async fn get(db: &DatabaseConnection, id: i64) -> Result<student::Model, ServiceError> {
    student::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A page of students whose name, number or e-mail contains `query` (case-insensitively), by
/// name; and how many match in all. Paged by the database.
pub async fn search(
    db: &DatabaseConnection,
    query: &str,
    page: u64,
    per_page: u64,
) -> Result<(Vec<student::Model>, u64), ServiceError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    use sea_orm::{Condition, PaginatorTrait, QueryOrder};
    super::paging::offset(page, per_page)?;
    let mut select = student::Entity::find();
    let query = query.trim().to_lowercase();
    if !query.is_empty() {
        let pattern = format!(
            "%{}%",
            query
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let like = |column: student::Column| {
            Expr::expr(Func::lower(Expr::col(column)))
                .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(like(student::Column::Name))
                .add(like(student::Column::StudentNumber))
                .add(like(student::Column::Email)),
        );
    }
    let paginator = select
        .order_by_asc(student::Column::Name)
        .order_by_asc(student::Column::Id)
        .paginate(db, Ord::max(per_page, 1));
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page).await?;
    Ok((items, total))
}

/// Records that the office issued (or withdrew) the placement letter (W2d), audited with the
/// before and after values.
pub async fn set_placement_letter(
    db: &impl ConnectionTrait,
    id: i64,
    issued: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    use sea_orm::IntoActiveModel;
    let before = student::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut active = before.clone().into_active_model();
    active.placement_letter = Set(issued);
    active.version = Set(before.version + 1);
    active.updated_at = Set(now);
    let after = active.update(db).await?;
    audit::record(
        db,
        Change {
            at: now,
            actor,
            action: "student.placement_letter",
            subject: format!("student:{id}"),
            before: Some(snapshot(&before)?),
            after: Some(snapshot(&after)?),
        },
    )
    .await?;
    super::standings::recompute(db, id, now).await?;
    Ok(after)
}

/// A student sets their own zone (T2): an IANA name of the bundled release, stored in its
/// canonical spelling; audited with the before and after values.
pub async fn set_zone(
    db: &DatabaseConnection,
    id: i64,
    zone: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    use sea_orm::IntoActiveModel;
    let canonical =
        coop_core::time::canonical_zone_name(zone.trim()).ok_or_else(|| ServiceError::Invalid {
            field: "zone",
            message: format!(
                "{:?} is not a time zone; choose one such as America/Vancouver (T2)",
                zone.trim()
            ),
        })?;
    let txn = crate::begin_write(db).await?;
    let before = student::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut active = before.clone().into_active_model();
    active.zone = Set(canonical.to_owned());
    active.version = Set(before.version + 1);
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "student.zone",
            subject: format!("student:{id}"),
            before: Some(snapshot(&before)?),
            after: Some(snapshot(&after)?),
        },
    )
    .await?;
    super::standings::recompute(&txn, id, now).await?;
    txn.commit().await?;
    Ok(after)
}

/// What staff change on a student's program record; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramChange {
    /// Program and credential (stated on the letter).
    pub program: Option<String>,
    /// L1, J1.
    pub coop_program: Option<bool>,
    /// L2.
    pub coop1101: Option<Coop1101>,
    /// J2.
    pub continuance_met: Option<bool>,
    /// W2e.
    pub full_time: Option<bool>,
    /// G3.
    pub level: Option<Level>,
    /// Staff's notes.
    pub notes: Option<String>,
    /// The record's version the editor saw: when it changed since, nothing is written (409).
    pub expected_version: Option<i64>,
}

/// Staff change the program record: audited with the values before and after, the student
/// re-evaluated (their standing recomputed) in the same transaction.
pub async fn update_program(
    db: &DatabaseConnection,
    id: i64,
    change: ProgramChange,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    if let Some(program) = &change.program
        && (program.trim().is_empty()
            || program.chars().count() > coop_core::text_limits::PROGRAM.max_chars)
    {
        return Err(ServiceError::Invalid {
            field: "program",
            message: "give the program and credential, at most 200 characters".to_owned(),
        });
    }
    if let Some(notes) = &change.notes
        && notes.chars().count() > coop_core::text_limits::NOTES.max_chars
    {
        return Err(ServiceError::Invalid {
            field: "notes",
            message: "notes are at most 5000 characters".to_owned(),
        });
    }
    let txn = crate::begin_write(db).await?;
    let before = student::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if let Some(seen) = change.expected_version
        && seen != before.version
    {
        return Err(ServiceError::State(
            "This record changed since you opened it; reload it and make your change again."
                .to_owned(),
        ));
    }
    let after = apply(&txn, &before, None, change, "student.update", actor, now).await?;
    txn.commit().await?;
    Ok(after)
}

/// Applies a change (and, from an import, a new name and e-mail) to `before` with the caller's
/// transaction: written only when a value differs, then audited as `action` with both values
/// and the standing recomputed.
pub(crate) async fn apply(
    txn: &impl ConnectionTrait,
    before: &student::Model,
    identity: Option<&NewStudent>,
    change: ProgramChange,
    action: &'static str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    use sea_orm::IntoActiveModel;
    let mut wanted = before.clone();
    if let Some(identity) = identity {
        identity.name.clone_into(&mut wanted.name);
        identity.email.clone_into(&mut wanted.email);
    }
    if let Some(program) = change.program {
        program.trim().clone_into(&mut wanted.program);
    }
    if let Some(v) = change.coop_program {
        wanted.coop_program = v;
    }
    if let Some(v) = change.coop1101 {
        v.code().clone_into(&mut wanted.coop1101);
    }
    if let Some(v) = change.continuance_met {
        wanted.continuance_met = v;
    }
    if let Some(v) = change.full_time {
        wanted.full_time = v;
    }
    if let Some(v) = change.level {
        v.code().clone_into(&mut wanted.level);
    }
    if let Some(notes) = change.notes {
        notes.trim().clone_into(&mut wanted.notes);
    }
    if wanted == *before {
        return Ok(wanted);
    }
    // Every column written (reset_all), not only those sea-orm would diff.
    let mut active = wanted.into_active_model().reset_all();
    active.version = Set(before.version + 1);
    active.updated_at = Set(now);
    let after = active.update(txn).await?;
    audit::record(
        txn,
        Change {
            at: now,
            actor,
            action,
            subject: format!("student:{}", before.id),
            before: Some(snapshot(before)?),
            after: Some(snapshot(&after)?),
        },
    )
    .await?;
    super::standings::recompute(txn, before.id, now).await?;
    Ok(after)
}

/// Staff pause (with a reason) or resume a student's R1 reminders; audited.
pub async fn set_reminders_paused(
    db: &DatabaseConnection,
    id: i64,
    reason: Option<&str>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    use sea_orm::IntoActiveModel;
    let reason = reason.map(str::trim);
    if reason.is_some_and(|r| !coop_core::text_limits::PAUSE_REASON.fits(r)) {
        return Err(ServiceError::Invalid {
            field: "reason",
            message: "say why reminders are paused (at most 500 characters)".to_owned(),
        });
    }
    let txn = crate::begin_write(db).await?;
    let before = student::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut active = before.clone().into_active_model();
    active.reminders_paused = Set(reason.is_some());
    active.reminders_paused_reason = Set(reason.map(str::to_owned));
    active.updated_at = Set(now);
    let after = active.update(&txn).await?;
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: if reason.is_some() {
                "student.reminders_pause"
            } else {
                "student.reminders_resume"
            },
            subject: format!("student:{id}"),
            before: Some(snapshots::json(&snapshots::RemindersPause {
                reminders_paused: before.reminders_paused,
                reason: before.reminders_paused_reason.as_deref(),
            })),
            after: Some(snapshots::json(&snapshots::RemindersPause {
                reminders_paused: after.reminders_paused,
                reason: after.reminders_paused_reason.as_deref(),
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
