//! The reminder job (R1, R2): one pass finds the reminders due, claims each once, and delivers
//! it — in the app always, by e-mail when a mailer is given — so that every reminder is
//! delivered exactly once however many instances run passes at the same time.
//!
//! - **Claim.** A due reminder is a row unique per (document, due date), inserted with
//!   `ON CONFLICT DO NOTHING`: of all runners, the one whose insert lands owns it.
//! - **Deliver, then record.** The owner sends the e-mail, then marks the row sent and writes the
//!   in-app notice in one transaction. A runner that dies between claim and delivery leaves the
//!   row unsent; after `lease` any runner re-claims it (on PostgreSQL with
//!   `FOR UPDATE SKIP LOCKED`, and a compare-and-set on the claim time everywhere) and delivers it.
//!   A crash after the e-mail left but before the row was marked can send that one e-mail twice;
//!   nothing can make SMTP and a database commit one step.
//! - **No stale bursts.** For each document only the latest R1 date on or before today is due
//!   (`coop_core::reminders::latest_due`); claiming it retires older unsent claims of the same
//!   document.
//!
//! Time is always an argument (`now`); nothing here sleeps.

use chrono::{DateTime, Duration, Utc};
use coop_core::case::DocumentFor;
use coop_core::reminders::ReminderState;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{document, reminder, student, user};
use crate::service::ServiceError;
use crate::service::notices::{self, Mailer};
use crate::service::records::{self, Records};
use crate::service::templates::{self, Message};

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Reminders newly claimed.
    pub claimed: u64,
    /// Claims of dead runners taken over.
    pub retried: u64,
    /// Delivered (in the app, and by e-mail when configured).
    pub delivered: u64,
    /// E-mails that failed (left unsent, retried after the lease).
    pub failed: u64,
}

/// A pass's settings.
#[derive(Debug, Clone)]
pub struct Runner {
    /// Who claims (e.g. the instance's host name and process id).
    pub name: String,
    /// How long a claim is its runner's before another may take it over.
    pub lease: Duration,
}

/// Finds the reminders due at `now` and claims each one not claimed before; returns the ids
/// this runner claimed.
async fn claim_due(
    db: &DatabaseConnection,
    runner: &Runner,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, ServiceError> {
    let (first, last) = coop_core::reminders::expiries_in_reach(now.date_naive());
    let ids: Vec<i64> = document::Entity::find()
        .select_only()
        .column(document::Column::StudentId)
        .distinct()
        .filter(document::Column::ExpiresOn.between(first, last))
        .into_tuple()
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for chunk in ids.chunks(1000) {
        let students = student::Entity::find()
            .filter(student::Column::Id.is_in(chunk.to_vec()))
            .filter(student::Column::RemindersPaused.eq(false))
            .all(db)
            .await?;
        let on_file = records::load_many(db, chunk).await?;
        let none = Records::default();
        for model in &students {
            let recs = on_file.get(&model.id).unwrap_or(&none);
            let case = records::case_of(model, recs, now);
            let e = coop_core::evaluate(&case);
            let due = coop_core::reminders::latest_due(
                &[
                    (DocumentFor::CoopWorkPermit, &e.coop_work_permit),
                    (DocumentFor::StudyPermit, &e.study_permit),
                ],
                e.today,
            );
            for r in due {
                let Some(doc) = records::current(recs, r.for_document) else {
                    continue;
                };
                if let Some(id) = claim(db, model.id, doc, r, runner, now).await? {
                    claimed.push(id);
                }
            }
        }
    }
    Ok(claimed)
}

/// Inserts the claim; `Some(id)` when this runner's insert landed.
async fn claim(
    db: &DatabaseConnection,
    student_id: i64,
    doc: &document::Model,
    r: coop_core::reminders::Reminder,
    runner: &Runner,
    now: DateTime<Utc>,
) -> Result<Option<i64>, ServiceError> {
    let txn = crate::begin_write(db).await?;
    // R1/R2 remind of a permit's expiry date: the same permit sent again (a clearer scan, a
    // corrected number), verified again, is a new row but not news to the student.
    let told = reminder::Entity::find()
        .filter(reminder::Column::StudentId.eq(student_id))
        .filter(reminder::Column::ForDocument.eq(r.for_document))
        .filter(reminder::Column::Expires.eq(doc.expires_on))
        .filter(reminder::Column::DueOn.eq(r.on))
        .filter(reminder::Column::DocumentId.ne(doc.id))
        .one(&txn)
        .await?;
    if told.is_some() {
        txn.commit().await?;
        return Ok(None);
    }
    let inserted = reminder::Entity::insert(reminder::ActiveModel {
        id: NotSet,
        student_id: Set(student_id),
        document_id: Set(doc.id),
        for_document: Set(r.for_document),
        due_on: Set(r.on),
        days_before: Set(i32::try_from(r.days_before).unwrap_or(i32::MAX)),
        expires: Set(doc.expires_on),
        claimed_at: Set(now),
        claimed_by: Set(runner.name.clone()),
        sent_at: Set(None),
        channels: Set(String::new()),
        state: Set(ReminderState::Pending),
        attempts: Set(0),
        last_error: Set(None),
        resent_by: Set(None),
        sent_to: Set(None),
        resent_at: Set(None),
        resends: Set(0),
    })
    .on_conflict(
        OnConflict::columns([reminder::Column::DocumentId, reminder::Column::DueOn])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let row = reminder::Entity::find()
        .filter(reminder::Column::DocumentId.eq(doc.id))
        .filter(reminder::Column::DueOn.eq(r.on))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Older reminders of this document never delivered are stale now: retire them.
    reminder::Entity::update_many()
        .col_expr(
            reminder::Column::State,
            Expr::value(ReminderState::Superseded),
        )
        .filter(reminder::Column::DocumentId.eq(doc.id))
        .filter(reminder::Column::DueOn.lt(r.on))
        .filter(reminder::Column::State.eq(ReminderState::Pending))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(Some(row.id))
}

/// Takes over claims older than the lease that were never delivered; returns their ids.
async fn take_over(
    db: &DatabaseConnection,
    runner: &Runner,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let mut stale = reminder::Entity::find()
        .filter(reminder::Column::State.eq(ReminderState::Pending))
        .filter(reminder::Column::ClaimedAt.lt(now - runner.lease))
        .order_by_asc(reminder::Column::Id)
        .limit(200);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // Instances share the work: a row another runner is taking over is skipped, not waited on.
        stale = stale.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = stale.all(&txn).await?;
    let mut taken = Vec::new();
    for row in rows {
        // Compare-and-set on the claim: of two runners that read the same row, one wins.
        let won = reminder::Entity::update_many()
            .col_expr(reminder::Column::ClaimedAt, Expr::value(now))
            .col_expr(
                reminder::Column::ClaimedBy,
                Expr::value(runner.name.clone()),
            )
            .filter(reminder::Column::Id.eq(row.id))
            .filter(reminder::Column::ClaimedAt.eq(row.claimed_at))
            .filter(reminder::Column::State.eq(ReminderState::Pending))
            .exec(&txn)
            .await?;
        if won.rows_affected == 1 {
            taken.push(row.id);
        }
    }
    txn.commit().await?;
    Ok(taken)
}

pub(super) async fn student_of(
    db: &DatabaseConnection,
    row: &reminder::Model,
) -> Result<student::Model, ServiceError> {
    student::Entity::find_by_id(row.student_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The reminder's recipient: the student's account when they have one (its sign-in address),
/// else the record's e-mail; and the message to them.
pub(super) async fn addressed(
    db: &DatabaseConnection,
    row: &reminder::Model,
    student: &student::Model,
) -> Result<(Option<user::Model>, String, Message), ServiceError> {
    let account = notices::account_of(db, student.id).await?;
    let to = account
        .as_ref()
        .map_or(student.email.clone(), |u| u.email.clone());
    let message = templates::reminder(row, student, &to);
    Ok((account, to, message))
}

/// Delivers one claimed reminder: the e-mail (when a mailer is given and the student has an
/// account), then, in one transaction, the row marked sent and the in-app notice written.
async fn deliver<M: Mailer + ?Sized>(
    db: &DatabaseConnection,
    mailer: Option<&M>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let row = reminder::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.state != ReminderState::Pending {
        return Ok(false);
    }
    let student = student_of(db, &row).await?;
    let (account, to, message) = addressed(db, &row, &student).await?;
    let mut channels = vec!["in_app"];
    let mut sent_to = None;
    if let Some(mailer) = mailer {
        if let Err(error) = mailer.send(&message).await {
            reminder::Entity::update_many()
                .col_expr(
                    reminder::Column::Attempts,
                    Expr::col(reminder::Column::Attempts).add(1),
                )
                .col_expr(reminder::Column::LastError, Expr::value(error))
                .filter(reminder::Column::Id.eq(id))
                .exec(db)
                .await?;
            return Ok(false);
        }
        channels.push("email");
        sent_to = Some(to.clone());
    }
    let txn = crate::begin_write(db).await?;
    let marked = reminder::Entity::update_many()
        .col_expr(reminder::Column::State, Expr::value(ReminderState::Sent))
        .col_expr(reminder::Column::SentAt, Expr::value(now))
        .col_expr(reminder::Column::Channels, Expr::value(channels.join(",")))
        .col_expr(reminder::Column::SentTo, Expr::value(sent_to))
        .col_expr(
            reminder::Column::Attempts,
            Expr::col(reminder::Column::Attempts).add(1),
        )
        .filter(reminder::Column::Id.eq(id))
        .filter(reminder::Column::State.eq(ReminderState::Pending))
        .exec(&txn)
        .await?;
    if marked.rows_affected == 1
        && let Some(account) = &account
    {
        notices::notify(
            &txn,
            account,
            &templates::reminder_notice(&message),
            Some(id),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(marked.rows_affected == 1)
}

/// One pass of the job at `now`: claim what is due, take over abandoned claims, deliver them.
pub async fn run_pass<M: Mailer + ?Sized>(
    db: &DatabaseConnection,
    mailer: Option<&M>,
    runner: &Runner,
    now: DateTime<Utc>,
) -> Result<PassReport, ServiceError> {
    let claimed = claim_due(db, runner, now).await?;
    let retried = take_over(db, runner, now).await?;
    let mut report = PassReport {
        claimed: claimed.len() as u64,
        retried: retried.len() as u64,
        ..PassReport::default()
    };
    for id in claimed.into_iter().chain(retried) {
        if deliver(db, mailer, id, now).await? {
            report.delivered += 1;
        } else {
            report.failed += 1;
        }
    }
    Ok(report)
}
