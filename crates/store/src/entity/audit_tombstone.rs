//! A redaction of one subject's audit snapshots by the retention job (F2): open only within the
//! transaction that tombstones them (the append-only trigger's one exception), then kept closed
//! as the record that it happened.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_tombstones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `student:42` or `user:7`.
    pub subject: String,
    pub at: DateTimeUtc,
    pub reason: String,
    /// How many events' snapshots were tombstoned.
    pub events: i32,
    pub open: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
