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

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Duration, Utc};
use coop_core::case::DocumentFor;
use coop_core::datetime_text::{date_words, datetime_words};
use coop_core::reminders::NotReminded;
use coop_core::time::Zone;
use sea_orm::sea_query::{LockBehavior, LockType, OnConflict};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::ServiceError;
use super::audit::{self, Actor, Change};
use super::records::{self, Records};
use crate::entity::{document, notice, reminder, student, user};

/// An e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

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
        .filter(reminder::Column::ForDocument.eq(r.for_document.code()))
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
        for_document: Set(r.for_document.code().to_owned()),
        due_on: Set(r.on),
        days_before: Set(i32::try_from(r.days_before).unwrap_or(i32::MAX)),
        expires: Set(doc.expires_on),
        claimed_at: Set(now),
        claimed_by: Set(runner.name.clone()),
        sent_at: Set(None),
        channels: Set(String::new()),
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
            reminder::Column::SentAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            reminder::Column::Channels,
            sea_orm::sea_query::Expr::value("superseded"),
        )
        .filter(reminder::Column::DocumentId.eq(doc.id))
        .filter(reminder::Column::DueOn.lt(r.on))
        .filter(reminder::Column::SentAt.is_null())
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
        .filter(reminder::Column::SentAt.is_null())
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
            .col_expr(
                reminder::Column::ClaimedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .col_expr(
                reminder::Column::ClaimedBy,
                sea_orm::sea_query::Expr::value(runner.name.clone()),
            )
            .filter(reminder::Column::Id.eq(row.id))
            .filter(reminder::Column::ClaimedAt.eq(row.claimed_at))
            .filter(reminder::Column::SentAt.is_null())
            .exec(&txn)
            .await?;
        if won.rows_affected == 1 {
            taken.push(row.id);
        }
    }
    txn.commit().await?;
    Ok(taken)
}

/// The reminder's words: the deadline in the student's zone, in Vancouver time and in UTC, what
/// to do, and the rules.
pub fn message(row: &reminder::Model, student: &student::Model, to: &str) -> Message {
    let zone = Zone::named(&student.zone).unwrap_or_default();
    let deadline = coop_core::time::deadline_utc(row.expires);
    let local = datetime_words(&zone.local(deadline));
    let vancouver = datetime_words(&Zone::vancouver().local(deadline));
    let utc = datetime_words(&deadline);
    let what = super::documents::kind_words(&row.for_document);
    let expires = date_words(row.expires);
    let subject = match row.days_before {
        0 => format!("Your {what} expires today ({expires}): apply before midnight UTC"),
        1 => format!("Your {what} expires tomorrow ({expires})"),
        n => format!("Your {what} expires in {n} days ({expires})"),
    };
    let lines = [
        format!("Dear {},", student.name),
        format!("your {what} expires on {expires} (R1)."),
        format!(
            "To keep your status while IRCC decides, submit your extension online before {local} in your time zone ({}), which is {vancouver} in Vancouver and {utc} UTC (T4, M1).",
            zone.name()
        ),
        "Apply at least 30 days before it expires if you can (P4). Once you have applied, report the application on your co-op home page: these reminders then stop (R1) and your co-op status stays right.".to_owned(),
        "This is information from your co-op office, not immigration advice: for advice, talk to your institution's international student advisors.".to_owned(),
    ];
    let text = lines.join("\n\n");
    let html = lines
        .iter()
        .map(|l| format!("<p>{}</p>", escape_html(l)))
        .collect::<String>();
    Message {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn student_of(
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
async fn addressed(
    db: &DatabaseConnection,
    row: &reminder::Model,
    student: &student::Model,
) -> Result<(Option<user::Model>, String, Message), ServiceError> {
    let account = user::Entity::find()
        .filter(user::Column::StudentId.eq(student.id))
        .one(db)
        .await?;
    let to = account
        .as_ref()
        .map_or(student.email.clone(), |u| u.email.clone());
    let message = message(row, student, &to);
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
    if row.sent_at.is_some() {
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
                    sea_orm::sea_query::Expr::col(reminder::Column::Attempts).add(1),
                )
                .col_expr(
                    reminder::Column::LastError,
                    sea_orm::sea_query::Expr::value(error),
                )
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
        .col_expr(
            reminder::Column::SentAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            reminder::Column::Channels,
            sea_orm::sea_query::Expr::value(channels.join(",")),
        )
        .col_expr(
            reminder::Column::SentTo,
            sea_orm::sea_query::Expr::value(sent_to),
        )
        .col_expr(
            reminder::Column::Attempts,
            sea_orm::sea_query::Expr::col(reminder::Column::Attempts).add(1),
        )
        .filter(reminder::Column::Id.eq(id))
        .filter(reminder::Column::SentAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected == 1
        && let Some(account) = &account
    {
        notify_reminder(&txn, account, &message, id, now).await?;
    }
    txn.commit().await?;
    Ok(marked.rows_affected == 1)
}

use sea_orm::sea_query::ExprTrait as _;

/// The in-app copy of reminder `id` for the student's account (with the caller's transaction).
async fn notify_reminder(
    db: &impl ConnectionTrait,
    account: &user::Model,
    message: &Message,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    notify(
        db,
        account.id,
        account.student_id,
        "reminder",
        &message.subject,
        &message.text,
        Some(id),
        now,
    )
    .await
}

/// Writes an in-app notice (with the caller's transaction).
#[expect(clippy::too_many_arguments, reason = "a notice's fields")]
pub async fn notify(
    db: &impl ConnectionTrait,
    user_id: i64,
    student_id: Option<i64>,
    kind: &str,
    title: &str,
    body: &str,
    reminder_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    notice::Entity::insert(notice::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        student_id: Set(student_id),
        kind: Set(kind.to_owned()),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        read_at: Set(None),
        reminder_id: Set(reminder_id),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Tells a student something in the app (their account's notices), with the caller's
/// transaction; a student without an account yet is skipped.
pub async fn notify_student(
    db: &impl ConnectionTrait,
    student_id: i64,
    kind: &str,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let account = user::Entity::find()
        .filter(user::Column::StudentId.eq(student_id))
        .one(db)
        .await?;
    match account {
        Some(account) => {
            notify(
                db,
                account.id,
                Some(student_id),
                kind,
                title,
                body,
                None,
                now,
            )
            .await
        }
        None => Ok(()),
    }
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
    let what = super::documents::kind_words(&row.for_document);
    if row.sent_at.is_none() {
        return Err(ServiceError::State(
            "This reminder has not been delivered yet: the reminder job delivers it on its next pass (R2).".to_owned(),
        ));
    }
    if row.channels == "superseded" {
        return Err(ServiceError::State(
            "A later reminder about the same document replaced this one before it was sent: send that one again instead (R2).".to_owned(),
        ));
    }
    let student = student_of(db, &row).await?;
    let on_file = records::load(db, student.id).await?;
    let e = coop_core::evaluate(&records::case_of(&student, &on_file, now));
    let (which, status) = match row.for_document.as_str() {
        "coop_work_permit" => (DocumentFor::CoopWorkPermit, &e.coop_work_permit),
        _ => (DocumentFor::StudyPermit, &e.study_permit),
    };
    if records::current(&on_file, which).map(|d| d.id) != Some(row.document_id) {
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
    let txn = crate::begin_write(db).await?;
    let resent_by = match actor {
        Actor::User(user) => Some(*user),
        _ => None,
    };
    reminder::Entity::update_many()
        .col_expr(
            reminder::Column::ResentAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            reminder::Column::ResentBy,
            sea_orm::sea_query::Expr::value(resent_by),
        )
        .col_expr(
            reminder::Column::Resends,
            sea_orm::sea_query::Expr::col(reminder::Column::Resends).add(1),
        )
        .filter(reminder::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if let Some(account) = &account {
        notify_reminder(&txn, account, &message, id, now).await?;
    }
    audit::record(
        &txn,
        Change {
            at: now,
            actor,
            action: "reminder.resend",
            subject: format!("student:{}", student.id),
            before: None,
            after: Some(serde_json::json!({
                "reminder": id,
                "for": row.for_document,
                "due_on": row.due_on,
                "expires": row.expires,
                "channels": channels.join(","),
                "to": mailer.is_some().then_some(&to),
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
    super::paging::offset(page, per_page)?;
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

/// A user's notices, newest first.
pub async fn notices(
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

/// Marks one of the user's notices read.
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
