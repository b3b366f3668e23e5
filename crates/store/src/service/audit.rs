//! Writing and reading the append-only audit log.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::Value;

use crate::entity::audit_event;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user.
    User(i64),
    /// The command line (`coop-permits …`).
    Cli,
    /// A background job.
    System,
    /// Someone not signed in (a failed sign-in).
    Anonymous,
}

impl Actor {
    fn label(&self) -> String {
        match self {
            Actor::User(id) => format!("user:{id}"),
            Actor::Cli => "cli".to_owned(),
            Actor::System => "system".to_owned(),
            Actor::Anonymous => "anonymous".to_owned(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: &'a Actor,
    /// What, e.g. `student.create`.
    pub action: &'static str,
    /// To what, e.g. `student:42`.
    pub subject: String,
    /// The record before (None for a creation).
    pub before: Option<Value>,
    /// The record after (None for a deletion).
    pub after: Option<Value>,
}

/// Appends an audit row; call it with the transaction that makes the change.
pub async fn record(
    db: &impl ConnectionTrait,
    change: Change<'_>,
) -> Result<audit_event::Model, sea_orm::DbErr> {
    audit_event::ActiveModel {
        id: NotSet,
        at: Set(change.at),
        actor: Set(Some(change.actor.label())),
        action: Set(change.action.to_owned()),
        subject: Set(change.subject),
        before: Set(change.before),
        after: Set(change.after),
    }
    .insert(db)
    .await
}

/// The history of one subject, oldest first.
pub async fn history(
    db: &impl ConnectionTrait,
    subject: &str,
) -> Result<Vec<audit_event::Model>, sea_orm::DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(subject))
        .order_by_asc(audit_event::Column::At)
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await
}

/// Filters of the history view; empty ones filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Who: `user:12`, `cli`, `system`, `anonymous`.
    pub actor: Option<String>,
    /// What: an action, or its family before the dot (`document` finds `document.verify`).
    pub action: Option<String>,
    /// To what: `student:42`.
    pub subject: Option<String>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

/// A page (from 0) of audit rows matching `query`, newest first, and how many match.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &AuditQuery,
    page: u64,
    per_page: u64,
) -> Result<(Vec<audit_event::Model>, u64), super::ServiceError> {
    use sea_orm::{Condition, PaginatorTrait};
    super::paging::offset(page, per_page)?;
    let mut select = audit_event::Entity::find();
    if let Some(actor) = query.actor.as_deref().filter(|a| !a.is_empty()) {
        select = select.filter(audit_event::Column::Actor.eq(actor));
    }
    if let Some(action) = query.action.as_deref().filter(|a| !a.is_empty()) {
        select = select.filter(
            Condition::any()
                .add(audit_event::Column::Action.eq(action))
                .add(audit_event::Column::Action.starts_with(format!("{action}."))),
        );
    }
    if let Some(subject) = query.subject.as_deref().filter(|s| !s.is_empty()) {
        select = select.filter(audit_event::Column::Subject.eq(subject));
    }
    if let Some(from) = query.from {
        select = select.filter(audit_event::Column::At.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(audit_event::Column::At.lt(to));
    }
    let paginator = select
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .paginate(db, Ord::max(per_page, 1));
    let total = paginator.num_items().await?;
    Ok((paginator.fetch_page(page).await?, total))
}
