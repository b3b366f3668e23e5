//! Every student's standing (`coop_core::standing`) kept beside their record, so that staff lists
//! over 100,000 students filter, count, sort and page in the database.
//!
//! The standing is recomputed in the same transaction as every change to what it reads (the
//! one write path, `students::change`, bumps the record's version and calls [`recompute`]), and
//! `refresh` recomputes any row whose version no
//! longer matches or whose `fresh_until` day has come — the day `coop-core` says it may differ.
//! Lists call `refresh` first, so a list never shows a standing that has gone stale.

use chrono::{DateTime, NaiveTime, Utc};
use coop_core::standing::standing_until;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict};

use super::ServiceError;
use super::records::{self, Records};
use crate::entity::{student, student_standing};

/// A stored standing is re-checked at least this often, even when nothing seems due.
pub const HORIZON_DAYS: u32 = 31;

/// Stale rows recomputed per round of `refresh`.
const BATCH: u64 = 1000;

/// The standing row of a student and their records at `now`.
pub fn row_of(
    model: &student::Model,
    on_file: &Records,
    now: DateTime<Utc>,
) -> student_standing::ActiveModel {
    let case = records::case_of(model, on_file, now);
    let (_, standing, until) = standing_until(&case, HORIZON_DAYS);
    // The start of that day in the student's zone (where a clock change skips midnight, the
    // first instant after the gap: still that day).
    let fresh_until = case
        .zone
        .instant_at(until.and_time(NaiveTime::MIN))
        .unwrap_or(now);
    student_standing::ActiveModel {
        student_id: Set(model.id),
        version: Set(model.version),
        fresh_until: Set(fresh_until),
        cleared: Set(standing.cleared),
        regime: Set(standing.regime),
        study_state: Set(standing.study_permit),
        coop_state: Set(standing.coop_work_permit),
        study_expires: Set(case.study_permit.map(|p| p.expires)),
        coop_expires: Set(case.coop_work_permit.map(|p| p.expires)),
        extend_study_permit: Set(standing.extend_study_permit),
        reasons: Set(standing.reasons),
        evaluated_at: Set(now),
    }
}

/// Stores standings; one computed from an older version than the stored one is ignored.
pub async fn save(
    db: &impl ConnectionTrait,
    rows: Vec<student_standing::ActiveModel>,
) -> Result<(), ServiceError> {
    if rows.is_empty() {
        return Ok(());
    }
    crate::remembered::standings_changed();
    use student_standing::Column as C;
    student_standing::Entity::insert_many(rows)
        .on_conflict(
            // A standing computed from an older version never replaces a newer one (a slow
            // refresh racing a change on another instance).
            OnConflict::column(C::StudentId)
                .action_and_where(
                    Expr::col((student_standing::Entity, C::Version))
                        .lte(Expr::col((Alias::new("excluded"), C::Version))),
                )
                .update_columns([
                    C::Version,
                    C::FreshUntil,
                    C::Cleared,
                    C::Regime,
                    C::StudyState,
                    C::CoopState,
                    C::StudyExpires,
                    C::CoopExpires,
                    C::ExtendStudyPermit,
                    C::Reasons,
                    C::EvaluatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Recomputes one student's standing from what `db` (the caller's transaction) sees.
pub async fn recompute(
    db: &impl ConnectionTrait,
    student_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let model = student::Entity::find_by_id(student_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let on_file = records::load(db, student_id).await?;
    save(db, vec![row_of(&model, &on_file, now)]).await
}

/// Ids of students whose standing is missing, of another version, or due at `now`.
async fn stale(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<i64>, ServiceError> {
    let s = Alias::new("s");
    let query = Query::select()
        .column((s.clone(), student::Column::Id))
        .from_as(student::Entity, s.clone())
        .left_join(
            student_standing::Entity,
            Expr::col((
                student_standing::Entity,
                student_standing::Column::StudentId,
            ))
            .equals((s.clone(), student::Column::Id)),
        )
        .cond_where(
            sea_orm::Condition::any()
                .add(
                    Expr::col((
                        student_standing::Entity,
                        student_standing::Column::StudentId,
                    ))
                    .is_null(),
                )
                .add(
                    Expr::col((student_standing::Entity, student_standing::Column::Version))
                        .ne(Expr::col((s.clone(), student::Column::Version))),
                )
                .add(
                    Expr::col((
                        student_standing::Entity,
                        student_standing::Column::FreshUntil,
                    ))
                    .lte(now),
                ),
        )
        .limit(BATCH)
        .to_owned();
    let rows = db.query_all(&query).await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<i64>(0).map_err(ServiceError::from))
        .collect()
}

/// Ids of students whose standing's day has come (an index range, cheap at any size).
async fn due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<i64>, ServiceError> {
    use sea_orm::{QuerySelect, QueryTrait};
    let query = student_standing::Entity::find()
        .select_only()
        .column(student_standing::Column::StudentId)
        .filter(student_standing::Column::FreshUntil.lte(now))
        .limit(BATCH)
        .into_query();
    let rows = db.query_all(&query).await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<i64>(0).map_err(ServiceError::from))
        .collect()
}

/// Recomputes every stale standing — missing, of another version, or due — a batch at a time;
/// returns how many. Run at start (after migrations, which may add students without one).
pub async fn refresh(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, ServiceError> {
    recompute_while(db, now, Scope::Stale).await
}

/// Recomputes the standings whose day has come; lists call it before they answer. (Every change
/// recomputes its student's standing in its own transaction, so nothing else can be stale.)
pub async fn refresh_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    recompute_while(db, now, Scope::Due).await
}

#[derive(Clone, Copy)]
enum Scope {
    Stale,
    Due,
}

async fn recompute_while(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    scope: Scope,
) -> Result<u64, ServiceError> {
    let mut done = 0_u64;
    loop {
        let ids = match scope {
            Scope::Stale => stale(db, now).await?,
            Scope::Due => due(db, now).await?,
        };
        if ids.is_empty() {
            return Ok(done);
        }
        let models = student::Entity::find()
            .filter(student::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?;
        let on_file = records::load_many(db, &ids).await?;
        let none = Records::default();
        let rows: Vec<_> = models
            .iter()
            .map(|m| row_of(m, on_file.get(&m.id).unwrap_or(&none), now))
            .collect();
        done += rows.len() as u64;
        save(db, rows).await?;
    }
}
