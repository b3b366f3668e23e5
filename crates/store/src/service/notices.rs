//! What reaches a person: notices in the app (written with the caller's transaction, read and
//! marked read by their user), and e-mail through a [`Mailer`].

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::ServiceError;
use super::templates::{Message, Notice};
use crate::entity::{notice, user};

/// Sends e-mail (the server's SMTP transport; tests give their own).
pub trait Mailer: Sync {
    /// Sends one message; the error says why it could not.
    fn send(&self, message: &Message) -> impl Future<Output = Result<(), String>> + Send;
}

/// A mailer behind a pointer, for request handlers that receive it as shared state
/// (`Mailer`'s futures make that trait usable only as a generic).
pub trait DynMailer: Send + Sync {
    /// `Mailer::send`, boxed.
    fn send_boxed<'a>(
        &'a self,
        message: &'a Message,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

impl<T: Mailer + Send> DynMailer for T {
    fn send_boxed<'a>(
        &'a self,
        message: &'a Message,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(self.send(message))
    }
}

impl Mailer for dyn DynMailer + '_ {
    async fn send(&self, message: &Message) -> Result<(), String> {
        self.send_boxed(message).await
    }
}

/// Writes a notice for a user (with the caller's transaction); `student_id` is the student it
/// is about, `reminder_id` the reminder it copies.
pub async fn notify(
    db: &impl ConnectionTrait,
    user: &user::Model,
    notice: &Notice,
    reminder_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    notice::Entity::insert(notice::ActiveModel {
        id: NotSet,
        user_id: Set(user.id),
        student_id: Set(user.student_id),
        kind: Set(notice.kind.to_owned()),
        title: Set(notice.title.clone()),
        body: Set(notice.body.clone()),
        created_at: Set(now),
        read_at: Set(None),
        reminder_id: Set(reminder_id),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The account of a student, if they have one.
pub async fn account_of(
    db: &impl ConnectionTrait,
    student_id: i64,
) -> Result<Option<user::Model>, ServiceError> {
    Ok(user::Entity::find()
        .filter(user::Column::StudentId.eq(student_id))
        .one(db)
        .await?)
}

/// Tells a student something in the app, with the caller's transaction; a student without an
/// account yet is skipped.
pub async fn notify_student(
    db: &impl ConnectionTrait,
    student_id: i64,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    match account_of(db, student_id).await? {
        Some(account) => notify(db, &account, notice, None, now).await,
        None => Ok(()),
    }
}

/// A user's notices, newest first (the latest 100).
pub async fn of_user(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<notice::Model>, ServiceError> {
    Ok(notice::Entity::find()
        .filter(notice::Column::UserId.eq(user_id))
        .order_by_desc(notice::Column::CreatedAt)
        .order_by_desc(notice::Column::Id)
        .limit(100)
        .all(db)
        .await?)
}

/// Marks one of the user's notices read (another user's is `NotFound`).
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: i64,
    notice_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let changed = notice::Entity::update_many()
        .col_expr(notice::Column::ReadAt, sea_orm::sea_query::Expr::value(now))
        .filter(notice::Column::Id.eq(notice_id))
        .filter(notice::Column::UserId.eq(user_id))
        .filter(notice::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    if changed.rows_affected == 0
        && notice::Entity::find_by_id(notice_id)
            .filter(notice::Column::UserId.eq(user_id))
            .one(db)
            .await?
            .is_none()
    {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}
