//! A student's request for the co-op letter (L), and the office's decision on it.

use coop_core::letter_request::LetterRequestStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "letter_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub student_id: i64,
    pub status: LetterRequestStatus,
    /// The intended first work term's start, as the student gave it.
    pub first_term_start: Option<Date>,
    /// Whether the student is also extending their study permit.
    pub extending_study_permit: bool,
    /// The FIPPA collection notice the student acknowledged with this request (F1).
    pub notice_version: String,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub reviewer_id: Option<i64>,
    /// Why it was rejected (staff's words).
    pub reason: Option<String>,
    /// The browser's idempotency key for this submission, when it sent one.
    pub client_key: Option<String>,
    /// The issued letter (a PDF in the file store), once approved.
    pub letter_file_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
