//! A student's request for the co-op letter (L), and the office's decision on it.

use coop_core::letter_request::LetterRequestStatus;
use sea_orm::FromJsonQueryResult;
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
    /// SHA-256 of the verification code the letter prints (never the code itself).
    pub verify_code_hash: Option<String>,
    /// What the issued letter stated, for its verification page.
    pub issued: Option<IssuedLetter>,
    /// When staff revoked the issued letter, and why.
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
}

/// What an issued letter states that an employer may confirm: nothing else personal (no
/// student number, e-mail, UCI or permit number).
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, FromJsonQueryResult,
)]
pub struct IssuedLetter {
    pub institution: String,
    pub student_name: String,
    /// The program's name as the letter states it.
    pub program: String,
    /// The first work term's start and the last one's end.
    pub work_term_start: Date,
    pub work_term_end: Date,
    pub issued_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
