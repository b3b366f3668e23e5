//! One append-only audit row. No code path updates or deletes these.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// Who did it (`user:12`, `system`, `cli`), `None` for anonymous.
    pub actor: Option<String>,
    /// What was done, e.g. `student.create`.
    pub action: String,
    /// What it was done to, e.g. `student:42`.
    pub subject: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
