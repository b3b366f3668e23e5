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
