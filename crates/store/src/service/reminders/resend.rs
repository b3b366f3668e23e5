//! Staff send a delivered reminder again, by hand (recorded).

use chrono::{DateTime, Utc};
use coop_core::reminders::{NotReminded, ReminderState};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::job::{addressed, student_of};
use crate::entity::reminder;
use crate::service::ServiceError;
use crate::service::audit::{self, Actor};
use crate::service::notices::{self, Mailer};
use crate::service::records;
use crate::service::snapshots;
use crate::service::templates;

/// Staff send a delivered reminder again by hand (R2): e-mailed again when a mailer is given, a
/// new notice in the app, and the resend recorded on the reminder and in the student's history.
/// Refused, with the reason, when the reminder was never delivered or no longer applies (a newer
/// document, an application reported, the document expired); when the e-mail fails nothing is
/// recorded.
pub async fn resend<M: Mailer + ?Sized>(
    db: &DatabaseConnection,
    mailer: Option<&M>,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<reminder::Model, ServiceError> {
    let row = reminder::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let what = row.for_document.words();
    if row.state == ReminderState::Pending {
        return Err(ServiceError::State(
            "This reminder has not been delivered yet: the reminder job delivers it on its next pass (R2).".to_owned(),
        ));
    }
    if row.state == ReminderState::Superseded {
        return Err(ServiceError::State(
            "A later reminder about the same document replaced this one before it was sent: send that one again instead (R2).".to_owned(),
        ));
    }
    let student = student_of(db, &row).await?;
    let on_file = records::load(db, student.id).await?;
    let e = coop_core::evaluate(&records::case_of(&student, &on_file, now));
    let status = e.document(row.for_document);
    if records::current(&on_file, row.for_document).map(|d| d.id) != Some(row.document_id) {
        return Err(ServiceError::State(format!(
            "A newer {what} is on file: this reminder is about one that no longer counts (R1)."
        )));
    }
    match coop_core::reminders::reminded_status(status) {
        Ok(()) => {}
        Err(NotReminded::ApplicationPending) => {
            return Err(ServiceError::State(format!(
                "The student reported an application to extend this {what}: reminders about it stop (R1)."
            )));
        }
        Err(NotReminded::NotBeforeExpiry) => {
            return Err(ServiceError::State(format!(
                "This {what} has expired: a reminder about its deadline no longer applies (R1)."
            )));
        }
    }
    let (account, to, message) = addressed(db, &row, &student).await?;
    let mut channels = vec!["in_app"];
    if let Some(mailer) = mailer {
        mailer.send(&message).await.map_err(|error| {
            ServiceError::Unavailable(format!(
                "The e-mail to {to} could not be sent ({error}); nothing was recorded. Try again when the mail server answers."
            ))
        })?;
        channels.push("email");
    }
    let resent_by = match actor {
        Actor::User(user) => Some(*user),
        _ => None,
    };
    // Not a change to what the rules see (the record's version stays): the reminder's own row,
    // the notice and the history, in one transaction.
    let txn = crate::begin_write(db).await?;
    reminder::Entity::update_many()
        .col_expr(reminder::Column::ResentAt, Expr::value(now))
        .col_expr(reminder::Column::ResentBy, Expr::value(resent_by))
        .col_expr(
            reminder::Column::Resends,
            Expr::col(reminder::Column::Resends).add(1),
        )
        .filter(reminder::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if let Some(account) = &account {
        notices::notify(
            &txn,
            account,
            &templates::reminder_notice(&message),
            Some(id),
            now,
        )
        .await?;
    }
    audit::record(
        &txn,
        audit::Change {
            at: now,
            actor,
            action: "reminder.resend",
            subject: format!("student:{}", student.id),
            before: None,
            after: Some(snapshots::json(&snapshots::ReminderResent {
                reminder: id,
                for_document: row.for_document,
                due_on: row.due_on,
                expires: row.expires,
                channels: channels.join(","),
                to: mailer.is_some().then_some(to.as_str()),
            })),
        },
    )
    .await?;
    let row = reminder::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    txn.commit().await?;
    Ok(row)
}
