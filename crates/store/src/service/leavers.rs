//! Students who left (F2, FIPPA s. 31). Staff record the leaving date; a year after the later of
//! leaving and the last decision about the student (`coop_core::retention`), the retention job
//! removes their personal data in one transaction:
//!
//! - the stored files of their documents and letters (a file another student's record still
//!   names stays), what the issued letters state, and their verification;
//! - their messages, sessions and sign-in links;
//! - the record's personal fields (number, name, e-mail, UCI, program, notes) and their
//!   accounts' (e-mail, name, password), documents' numbers and reasons, application numbers,
//!   employers and where reminders were sent;
//! - in the audit log, every personal value of their snapshots, replaced by a tombstone (the
//!   append-only trigger's one designed exception, see migration 000019): who did what, and
//!   when, stays.
//!
//! The record itself stays, de-identified, so the office's counts and the history's shape hold.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use super::ServiceError;
use super::audit::{self, Actor};
use crate::entity::{
    account_link, application, audit_event, audit_tombstone, document, file, letter_request,
    notice, reminder, session, student, user, work_term,
};
use crate::vault::Vault;

/// What replaces a personal value in the audit log.
pub const TOMBSTONE: &str = "[removed under F2]";

/// Values of these keys are codes of the rules, not personal: they stay in tombstoned snapshots.
const CODES: [&str; 9] = [
    "status", "kind", "coop1101", "level", "for", "decision", "state", "role", "audience",
];

/// A leaver and when F2 lets their personal data go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaver {
    pub student_id: i64,
    pub student_number: String,
    pub name: String,
    pub left_on: NaiveDate,
    pub last_decision: Option<DateTime<Utc>>,
    pub removable_from: DateTime<Utc>,
    /// Stored files (documents' and letters') that would go.
    pub files: u64,
    /// Messages to them that would go.
    pub messages: u64,
}

/// What removing one leaver's data did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub files: u64,
    pub messages: u64,
    pub events_tombstoned: u64,
}

/// Staff record that a student left on `left_on` (or, with `None`, that they did not).
pub async fn record_leaving(
    db: &DatabaseConnection,
    student_id: i64,
    left_on: Option<NaiveDate>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<student::Model, ServiceError> {
    let mut record = super::students::change(db, student_id, None).await?;
    let before = record.before().clone();
    if before.personal_data_removed_at.is_some() {
        return Err(ServiceError::State(
            "This student's personal data was removed under F2; the record cannot change."
                .to_owned(),
        ));
    }
    let today = coop_core::time::Zone::named(&before.zone)
        .map_or_else(|_| now.date_naive(), |zone| zone.today(now));
    if let Some(day) = left_on
        && day > today
    {
        return Err(ServiceError::Invalid {
            field: "left_on",
            message: format!(
                "a leaving date is recorded once the student has left: {day} is after today ({today})"
            ),
        });
    }
    student::Entity::update_many()
        .col_expr(student::Column::LeftOn, Expr::value(left_on))
        .filter(student::Column::Id.eq(student_id))
        .exec(record.db())
        .await?;
    record.record(
        "student.left",
        Some(json!({"left_on": before.left_on})),
        Some(json!({"left_on": left_on})),
    );
    record.finish(actor, now).await
}

/// A student's documents and letter requests: what F2 counts from and what holds their files.
struct Decided {
    documents: Vec<document::Model>,
    letters: Vec<letter_request::Model>,
}

impl Decided {
    async fn load(db: &impl ConnectionTrait, student_id: i64) -> Result<Decided, ServiceError> {
        Ok(Decided {
            documents: document::Entity::find()
                .filter(document::Column::StudentId.eq(student_id))
                .all(db)
                .await?,
            letters: letter_request::Entity::find()
                .filter(letter_request::Column::StudentId.eq(student_id))
                .all(db)
                .await?,
        })
    }

    /// The last decision about the student: a document or a letter decided, or a letter revoked.
    fn last_decision(&self) -> Option<DateTime<Utc>> {
        self.documents
            .iter()
            .filter_map(|d| d.decided_at)
            .chain(
                self.letters
                    .iter()
                    .flat_map(|l| [l.decided_at, l.revoked_at])
                    .flatten(),
            )
            .max()
    }

    /// The stored files their documents and letters name.
    fn file_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .documents
            .iter()
            .filter_map(|d| d.file_id)
            .chain(self.letters.iter().filter_map(|l| l.letter_file_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// When a leaver's personal data may go (F2); `None` for a student not recorded as left.
pub async fn removable_from(
    db: &impl ConnectionTrait,
    record: &student::Model,
) -> Result<Option<DateTime<Utc>>, ServiceError> {
    let Some(left_on) = record.left_on else {
        return Ok(None);
    };
    let last = Decided::load(db, record.id).await?.last_decision();
    Ok(Some(coop_core::retention::leaver_removable_from(
        left_on, last,
    )))
}

/// Every leaver whose data is still held, with when it may go, soonest first.
pub async fn leavers(db: &DatabaseConnection) -> Result<Vec<Leaver>, ServiceError> {
    let records = student::Entity::find()
        .filter(student::Column::LeftOn.is_not_null())
        .filter(student::Column::PersonalDataRemovedAt.is_null())
        .all(db)
        .await?;
    let mut out = Vec::new();
    for record in records {
        let Some(left_on) = record.left_on else {
            continue;
        };
        let decided = Decided::load(db, record.id).await?;
        let last = decided.last_decision();
        let files = decided.file_ids().len() as u64;
        out.push(Leaver {
            student_id: record.id,
            student_number: record.student_number.clone(),
            name: record.name.clone(),
            left_on,
            last_decision: last,
            removable_from: coop_core::retention::leaver_removable_from(left_on, last),
            files,
            messages: messages_of(db, record.id).await?.count(db).await?,
        });
    }
    out.sort_by_key(|l| (l.removable_from, l.student_id));
    Ok(out)
}

async fn account_ids(db: &impl ConnectionTrait, student_id: i64) -> Result<Vec<i64>, ServiceError> {
    Ok(user::Entity::find()
        .filter(user::Column::StudentId.eq(student_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

async fn messages_of(
    db: &impl ConnectionTrait,
    student_id: i64,
) -> Result<sea_orm::Select<notice::Entity>, ServiceError> {
    let accounts = account_ids(db, student_id).await?;
    Ok(notice::Entity::find().filter(
        Condition::any()
            .add(notice::Column::UserId.is_in(accounts))
            .add(notice::Column::StudentId.eq(student_id)),
    ))
}

/// A snapshot with every personal value replaced by [`TOMBSTONE`]: strings (names, numbers,
/// e-mails, dates, reasons) go, except the rules' codes; numbers, flags and nulls stay.
pub fn tombstoned(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, v)| {
                    let kept = match (&v, CODES.contains(&key.as_str())) {
                        (Value::String(_), true) => v,
                        _ => tombstoned(v),
                    };
                    (key, kept)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(tombstoned).collect()),
        Value::String(_) => Value::String(TOMBSTONE.to_owned()),
        other => other,
    }
}

/// Removes one leaver's personal data at `now`, if F2 allows it (else `State` with the date).
pub async fn remove_personal_data(
    db: &DatabaseConnection,
    vault: &Vault,
    student_id: i64,
    now: DateTime<Utc>,
) -> Result<Removed, ServiceError> {
    crate::remembered::accounts_changed();
    let txn = crate::begin_write(db).await?;
    let record = student::Entity::find_by_id(student_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if record.personal_data_removed_at.is_some() {
        return Ok(Removed::default());
    }
    let decided = Decided::load(&txn, student_id).await?;
    let Some(left_on) = record.left_on else {
        return Err(ServiceError::State(
            "This student is not recorded as having left.".to_owned(),
        ));
    };
    let from = coop_core::retention::leaver_removable_from(left_on, decided.last_decision());
    if from > now {
        return Err(ServiceError::State(format!(
            "This student's personal data is kept until {} UTC: a year after the later of leaving and the last decision about them (F2, FIPPA s. 31).",
            coop_core::datetime_text::datetime_words(&from)
        )));
    }
    let mut removed = Removed::default();
    let accounts = account_ids(&txn, student_id).await?;

    // Files: unnamed from this student's records, gone when nothing else names them.
    let file_ids = decided.file_ids();
    document::Entity::update_many()
        .col_expr(document::Column::FileId, Expr::value(Option::<i64>::None))
        .col_expr(document::Column::Number, Expr::value(String::new()))
        .col_expr(document::Column::Uci, Expr::value(Option::<String>::None))
        .col_expr(
            document::Column::Reason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            document::Column::ClientKey,
            Expr::value(Option::<String>::None),
        )
        .filter(document::Column::StudentId.eq(student_id))
        .exec(&txn)
        .await?;
    letter_request::Entity::update_many()
        .col_expr(
            letter_request::Column::LetterFileId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            letter_request::Column::Issued,
            Expr::value(Option::<Value>::None),
        )
        .col_expr(
            letter_request::Column::VerifyCodeHash,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            letter_request::Column::Reason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            letter_request::Column::RevokedReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            letter_request::Column::ClientKey,
            Expr::value(Option::<String>::None),
        )
        .filter(letter_request::Column::StudentId.eq(student_id))
        .exec(&txn)
        .await?;
    let mut unnamed = Vec::new();
    for file_id in file_ids {
        let still_named = document::Entity::find()
            .filter(document::Column::FileId.eq(file_id))
            .count(&txn)
            .await?
            + letter_request::Entity::find()
                .filter(letter_request::Column::LetterFileId.eq(file_id))
                .count(&txn)
                .await?;
        if still_named > 0 {
            continue;
        }
        if let Some(row) = file::Entity::find_by_id(file_id).one(&txn).await? {
            file::Entity::delete_by_id(file_id).exec(&txn).await?;
            vault
                .remove_within(&txn, &row.storage_name)
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            unnamed.push(row.storage_name);
        }
        removed.files += 1;
    }

    // Messages, sessions and sign-in links.
    removed.messages = notice::Entity::delete_many()
        .filter(
            Condition::any()
                .add(notice::Column::UserId.is_in(accounts.clone()))
                .add(notice::Column::StudentId.eq(student_id)),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    session::Entity::delete_many()
        .filter(session::Column::UserId.is_in(accounts.clone()))
        .exec(&txn)
        .await?;
    account_link::Entity::delete_many()
        .filter(account_link::Column::UserId.is_in(accounts.clone()))
        .exec(&txn)
        .await?;

    // The rest of their records' personal values.
    application::Entity::update_many()
        .col_expr(
            application::Column::ApplicationNumber,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            application::Column::ClientKey,
            Expr::value(Option::<String>::None),
        )
        .filter(application::Column::StudentId.eq(student_id))
        .exec(&txn)
        .await?;
    work_term::Entity::update_many()
        .col_expr(
            work_term::Column::Employer,
            Expr::value(Option::<String>::None),
        )
        .filter(work_term::Column::StudentId.eq(student_id))
        .exec(&txn)
        .await?;
    reminder::Entity::update_many()
        .col_expr(
            reminder::Column::SentTo,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            reminder::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(reminder::Column::StudentId.eq(student_id))
        .exec(&txn)
        .await?;
    for account in user::Entity::find()
        .filter(user::Column::Id.is_in(accounts.clone()))
        .all(&txn)
        .await?
    {
        let id = account.id;
        let disabled = account.disabled_at.unwrap_or(now);
        let mut active = account.into_active_model();
        active.email = Set(format!("removed-user-{id}@invalid"));
        active.name = Set(TOMBSTONE.to_owned());
        active.password_hash = Set(None);
        active.disabled_at = Set(Some(disabled));
        active.updated_at = Set(now);
        active.update(&txn).await?;
    }
    let left_on = record.left_on;
    let mut active = record.clone().into_active_model();
    active.student_number = Set(format!("removed-{student_id}"));
    active.email = Set(format!("removed-student-{student_id}@invalid"));
    active.name = Set(TOMBSTONE.to_owned());
    active.program = Set(String::new());
    active.uci = Set(None);
    active.notes = Set(String::new());
    active.reminders_paused_reason = Set(None);
    active.personal_data_removed_at = Set(Some(now));
    active.version = Set(record.version + 1);
    active.updated_at = Set(now);
    active.update(&txn).await?;

    // The audit log: their subjects' snapshots tombstoned under an open tombstone each.
    let subjects: Vec<String> = std::iter::once(format!("student:{student_id}"))
        .chain(accounts.iter().map(|id| format!("user:{id}")))
        .collect();
    for subject in &subjects {
        removed.events_tombstoned += tombstone_subject(&txn, subject, now).await?;
    }
    audit::record(
        &txn,
        audit::Change {
            at: now,
            actor: &Actor::System,
            action: "student.personal_data_removed",
            subject: format!("student:{student_id}"),
            before: None,
            after: Some(json!({
                "reason": "F2 (FIPPA s. 31): a year after the student left and the last decision about them",
                "left_on": left_on,
                "files": removed.files,
                "messages": removed.messages,
                "events_tombstoned": removed.events_tombstoned,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    for name in unnamed {
        if let Err(e) = vault.remove_after_commit(&name).await {
            tracing::warn!(error = %e, file = %name, "a removed leaver's file stays in the folder until the next retention run");
        }
    }
    Ok(removed)
}

/// Tombstones every snapshot of `subject` under an open tombstone row, closed again before the
/// transaction commits; returns how many events it changed.
async fn tombstone_subject(
    txn: &impl ConnectionTrait,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let opened = audit_tombstone::ActiveModel {
        subject: Set(subject.to_owned()),
        at: Set(now),
        reason: Set("F2 (FIPPA s. 31): the personal data of a student who left".to_owned()),
        events: Set(0),
        open: Set(true),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(subject))
        .order_by_asc(audit_event::Column::Id)
        .all(txn)
        .await?;
    let mut changed = 0u64;
    for event in events {
        let before = event.before.clone().map(tombstoned);
        let after = event.after.clone().map(tombstoned);
        if before == event.before && after == event.after {
            continue;
        }
        audit_event::Entity::update_many()
            .col_expr(audit_event::Column::Before, Expr::value(before))
            .col_expr(audit_event::Column::After, Expr::value(after))
            .filter(audit_event::Column::Id.eq(event.id))
            .exec(txn)
            .await?;
        changed += 1;
    }
    let mut closed = opened.into_active_model();
    closed.events = Set(i32::try_from(changed).unwrap_or(i32::MAX));
    closed.open = Set(false);
    closed.update(txn).await?;
    Ok(changed)
}
