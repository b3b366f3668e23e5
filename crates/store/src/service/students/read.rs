//! Reading student records: one by id or number, or a page of a search.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::student;
use crate::service::ServiceError;

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
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<student::Model, ServiceError> {
    student::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A page of students whose name, number or e-mail contains `query` (case-insensitively), by
/// name; and how many match in all. Paged by the database.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    page: u64,
    per_page: u64,
) -> Result<(Vec<student::Model>, u64), ServiceError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    use sea_orm::{Condition, PaginatorTrait, QueryOrder};
    crate::service::paging::offset(page, per_page)?;
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
