//! A document on file: a study permit, co-op work permit or IRCC approval letter, with its
//! review status (`submitted`, `verified`, `rejected`, or `withdrawn` by the student).

use coop_core::review::ReviewStatus;
use coop_core::validation::DocumentKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub student_id: i64,
    /// S1.
    pub kind: DocumentKind,
    pub number: String,
    pub uci: Option<String>,
    pub issued_on: Option<Date>,
    pub expires_on: Date,
    /// A study permit's on-campus work condition (W2c); false for other kinds.
    pub on_campus_work: bool,
    /// S8.
    pub status: ReviewStatus,
    pub reviewer_id: Option<i64>,
    pub reason: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    /// The uploaded file (none for documents put on file by staff or the demo).
    pub file_id: Option<i64>,
    /// The browser's idempotency key for this submission, when it sent one.
    pub client_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
