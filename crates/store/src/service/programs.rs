//! The institution's programs catalogue (W2f's facts), kept by staff: listed for anyone (the
//! self-check reads it), created and changed with an audit row each. A change to a program's
//! facts makes the standings of its students due at once, so the next list recomputes them.

use chrono::{DateTime, Utc};
use coop_core::case::Program;
use coop_core::programs::{self as rules, NAME};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::snapshots;
use crate::entity::{program, student, student_standing};

/// A program as staff describe it (the code as typed: it is normalized here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramInput {
    pub code: String,
    pub name: String,
    pub facts: Program,
}

/// A change to a program (absent: unchanged); its code never changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramPatch {
    pub name: Option<String>,
    pub credential: Option<bool>,
    pub months: Option<u32>,
    pub work_months: Option<u32>,
    pub placement_required: Option<bool>,
    pub language_or_preparatory: Option<bool>,
}

/// Every program, by code.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<program::Model>, ServiceError> {
    Ok(program::Entity::find()
        .order_by_asc(program::Column::Code)
        .all(db)
        .await?)
}

/// The program with this code (as typed), if catalogued.
pub async fn find(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<program::Model>, ServiceError> {
    let Ok(code) = rules::normalize_code(code) else {
        return Ok(None);
    };
    Ok(program::Entity::find_by_id(code).one(db).await?)
}

/// The program with this code, or a field error naming `program_code`.
pub async fn require(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<program::Model, ServiceError> {
    find(db, code).await?.ok_or_else(|| ServiceError::Invalid {
        field: "program_code",
        message: format!(
            "{} is not in the programs catalogue; add it on the Programs page first",
            code.trim()
        ),
    })
}

/// The name and facts checked, every problem at once; the first as a field error.
fn checked(name: &str, facts: &Program) -> Result<String, ServiceError> {
    let name = NAME.check(name).map_err(ServiceError::from)?;
    if let Some(problem) = rules::check_facts(facts).into_iter().next() {
        return Err(problem.into());
    }
    Ok(name.unwrap_or_default())
}

fn months(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Adds a program (`program.create` in the history); 409 on `code` when it exists.
pub async fn create(
    db: &DatabaseConnection,
    input: ProgramInput,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<program::Model, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let model = create_within(&txn, input, actor, now).await?;
    txn.commit().await?;
    Ok(model)
}

/// [`create`] with the caller's transaction.
pub async fn create_within(
    txn: &impl ConnectionTrait,
    input: ProgramInput,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<program::Model, ServiceError> {
    let code = rules::normalize_code(&input.code)?;
    let name = checked(&input.name, &input.facts)?;
    if program::Entity::find_by_id(code.clone())
        .one(txn)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict { field: "code" });
    }
    let model = program::ActiveModel {
        code: Set(code),
        name: Set(name),
        credential: Set(input.facts.credential),
        months: Set(months(input.facts.months)),
        work_months: Set(months(input.facts.work_months)),
        placement_required: Set(input.facts.placement_required),
        language_or_preparatory: Set(input.facts.language_or_preparatory),
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
            action: "program.create",
            subject: format!("program:{}", model.code),
            before: None,
            after: Some(snapshots::json(&snapshots::program(&model))),
        },
    )
    .await?;
    Ok(model)
}

/// Changes a program (`program.update`, values before and after); its students' standings are
/// due at once. Unchanged values write nothing.
pub async fn update(
    db: &DatabaseConnection,
    code: &str,
    patch: ProgramPatch,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<program::Model, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let model = update_within(&txn, code, patch, actor, now).await?;
    txn.commit().await?;
    Ok(model)
}

/// [`update`] with the caller's transaction.
pub async fn update_within(
    txn: &impl ConnectionTrait,
    code: &str,
    patch: ProgramPatch,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<program::Model, ServiceError> {
    let before = find(txn, code).await?.ok_or(ServiceError::NotFound)?;
    let old = before.facts();
    let facts = Program {
        credential: patch.credential.unwrap_or(old.credential),
        months: patch.months.unwrap_or(old.months),
        work_months: patch.work_months.unwrap_or(old.work_months),
        placement_required: patch.placement_required.unwrap_or(old.placement_required),
        language_or_preparatory: patch
            .language_or_preparatory
            .unwrap_or(old.language_or_preparatory),
    };
    let name = checked(patch.name.as_deref().unwrap_or(&before.name), &facts)?;
    if name == before.name && facts == old {
        return Ok(before);
    }
    let mut active = before.clone().into_active_model();
    active.name = Set(name);
    active.credential = Set(facts.credential);
    active.months = Set(months(facts.months));
    active.work_months = Set(months(facts.work_months));
    active.placement_required = Set(facts.placement_required);
    active.language_or_preparatory = Set(facts.language_or_preparatory);
    active.updated_at = Set(now);
    let after = active.update(txn).await?;
    audit::record(
        txn,
        Change {
            at: now,
            actor,
            action: "program.update",
            subject: format!("program:{}", after.code),
            before: Some(snapshots::json(&snapshots::program(&before))),
            after: Some(snapshots::json(&snapshots::program(&after))),
        },
    )
    .await?;
    if facts != old {
        make_due(txn, &after.code, now).await?;
    }
    Ok(after)
}

/// The standings of the program's students are due now: the next list recomputes them (a
/// program of 10,000 students is not recomputed inside the staff member's request).
async fn make_due(
    txn: &impl ConnectionTrait,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let students_of = Query::select()
        .column(student::Column::Id)
        .from(student::Entity)
        .and_where(student::Column::ProgramCode.eq(code))
        .to_owned();
    student_standing::Entity::update_many()
        .col_expr(student_standing::Column::FreshUntil, Expr::value(now))
        .filter(student_standing::Column::StudentId.in_subquery(students_of))
        .exec(txn)
        .await?;
    Ok(())
}

/// How many students each program has, by code.
pub async fn student_counts(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<String, u64>, ServiceError> {
    use sea_orm::{FromQueryResult, QuerySelect};
    #[derive(FromQueryResult)]
    struct Count {
        program_code: Option<String>,
        n: i64,
    }
    let rows = student::Entity::find()
        .select_only()
        .column(student::Column::ProgramCode)
        .column_as(student::Column::Id.count(), "n")
        .filter(student::Column::ProgramCode.is_not_null())
        .group_by(student::Column::ProgramCode)
        .into_model::<Count>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.program_code?, u64::try_from(r.n).unwrap_or(0))))
        .collect())
}
