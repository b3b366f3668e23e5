//! Reading reminders: a student's, and staff's office-wide search.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{reminder, student};
use crate::service::ServiceError;

/// The reminders of one student, newest first (what was sent, when, how).
pub async fn of_student(
    db: &impl ConnectionTrait,
    student_id: i64,
) -> Result<Vec<reminder::Model>, ServiceError> {
    Ok(reminder::Entity::find()
        .filter(reminder::Column::StudentId.eq(student_id))
        .order_by_desc(reminder::Column::DueOn)
        .all(db)
        .await?)
}

/// Which reminders staff list (office-wide): by student and by due date (inclusive).
#[derive(Debug, Clone, Default)]
pub struct ReminderQuery {
    pub student_id: Option<i64>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// A page (from 0) of reminders matching `query`, latest due date first, each with its student,
/// and how many match: what was sent to whom and when.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &ReminderQuery,
    page: u64,
    per_page: u64,
) -> Result<(Vec<(reminder::Model, Option<student::Model>)>, u64), ServiceError> {
    use sea_orm::PaginatorTrait;
    crate::service::paging::offset(page, per_page)?;
    let mut select = reminder::Entity::find();
    if let Some(id) = query.student_id {
        select = select.filter(reminder::Column::StudentId.eq(id));
    }
    if let Some(from) = query.from {
        select = select.filter(reminder::Column::DueOn.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(reminder::Column::DueOn.lte(to));
    }
    let paginator = select
        .order_by_desc(reminder::Column::DueOn)
        .order_by_desc(reminder::Column::Id)
        .paginate(db, Ord::max(per_page, 1));
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.student_id).collect();
    let students = student::Entity::find()
        .filter(student::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let s = students.iter().find(|s| s.id == r.student_id).cloned();
            (r, s)
        })
        .collect();
    Ok((rows, total))
}
