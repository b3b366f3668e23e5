//! A notice a user reads in the app (a reminder, a decision on their letter or document, a late
//! report), with its read state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// The student it is about.
    pub student_id: Option<i64>,
    /// `reminder`, `letter_approved`, `letter_rejected`, `document_verified`,
    /// `document_rejected`, `application_late`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    pub reminder_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
