//! An application a student made to IRCC and reported to the office.

use coop_core::case::{Decision, DocumentFor};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub student_id: i64,
    pub for_document: DocumentFor,
    pub submitted_at: DateTimeUtc,
    pub application_number: Option<String>,
    /// M3.
    pub decision: Decision,
    pub reported_at: DateTimeUtc,
    /// The browser's idempotency key for this submission, when it sent one.
    pub client_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
