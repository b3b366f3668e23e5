//! Letter requests (L) and the privacy notice a request acknowledges (FIPPA s. 27(2)).

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::letter_request::LetterRequestStatus;
use serde::{Deserialize, Serialize};

use crate::Evaluated;
use crate::students::StudentRecord;

/// Who answers questions about the collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeContact {
    pub title: String,
    pub address: String,
    pub phone: String,
}

/// The collection notice in force; a request sends its `version` as `privacy_notice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyNotice {
    pub version: String,
    pub purpose: String,
    pub authority: String,
    pub contact: NoticeContact,
}

/// `POST /api/v1/me/letter-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLetterRequest {
    /// `YYYY-MM-DD`.
    pub first_term_start: String,
    pub extending_study_permit: bool,
    /// The `version` of the notice the student read and acknowledged.
    pub privacy_notice: String,
}

/// A letter request; `letter` is the issued letter's address once approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterRequest {
    pub id: i64,
    pub status: LetterRequestStatus,
    pub first_term_start: Option<NaiveDate>,
    pub extending_study_permit: bool,
    pub privacy_notice: String,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub letter: Option<String>,
    /// When staff revoked the issued letter, and why (it no longer stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
}

/// `POST /api/v1/letter-requests/{id}/revoke`: why the issued letter no longer stands (the
/// student reads it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeLetter {
    pub reason: String,
}

/// Whether a letter still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    Valid,
    Revoked,
}

/// The work placement an issued letter states: the first term's start, the last one's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkTermDates {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// `GET /api/v1/letters/verify/{code}`: what an employer may confirm of a letter — nothing else
/// personal (no student number, e-mail, UCI or permit number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterVerification {
    pub status: VerificationStatus,
    pub institution: String,
    pub student_name: String,
    pub program: String,
    pub work_term: WorkTermDates,
    pub issued_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<NaiveDate>,
}

/// A request in staff's queue, with its waiting time, its student and their evaluation now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedLetterRequest {
    #[serde(flatten)]
    pub request: LetterRequest,
    pub waiting_hours: i64,
    pub student: StudentRecord,
    pub evaluation: Evaluated,
}

/// `POST /api/v1/letter-requests/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LetterDecision {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required to reject: the student reads it.
    pub reason: Option<String>,
}

/// One of a student's requests, as their home page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRequestLine {
    pub id: i64,
    pub status: LetterRequestStatus,
    /// The status in a sentence.
    pub status_text: String,
    /// In words.
    pub first_term_start: Option<String>,
    pub extending_study_permit: bool,
    /// In words.
    pub requested_on: String,
    /// The office's reason for a rejection.
    pub reason: Option<String>,
    /// The issued letter can be downloaded.
    pub has_letter: bool,
}

/// Everything the letter section of a student's home page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterPage {
    pub notice: PrivacyNotice,
    /// The student already acknowledged this version of the notice.
    pub acknowledged: bool,
    /// The letter's name under the regime in force for the student (G3).
    pub letter_name: String,
    pub letter_use: String,
    /// L1, L2 hold.
    pub eligible: bool,
    pub reasons: Vec<crate::status::ReasonLine>,
    /// L3.
    pub warnings: Vec<crate::status::ReasonLine>,
    pub requests: Vec<LetterRequestLine>,
}

/// The request form as the browser sends it: the date as typed, the boxes as ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRequestForm {
    /// `YYYY-MM-DD`.
    pub first_term_start: String,
    /// Present when ticked.
    #[serde(default)]
    pub extending_study_permit: Option<String>,
    /// Present when the notice's box is ticked (F1).
    #[serde(default)]
    pub acknowledged: Option<String>,
    /// The version of the notice shown.
    pub privacy_notice: String,
    /// The draft's idempotency key.
    #[serde(default)]
    pub client_key: Option<String>,
}

/// A request in staff's queue, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedLetterLine {
    pub id: i64,
    pub student_id: i64,
    /// "Name (number)".
    pub student: String,
    pub requested: String,
    /// "3 days".
    pub waiting: String,
    pub first_term_start: String,
    pub extending_study_permit: bool,
    /// L1–L2 hold.
    pub eligible: bool,
    /// Cleared for co-op jobs today (J).
    pub cleared: bool,
    /// The regime's letter (G3), e.g. "work placement letter".
    pub letter_name: String,
    /// Why not eligible or not cleared, each citing its rule.
    pub reasons: Vec<String>,
}

/// Staff's decision as the queue's form sends it: `approve`, or `reject` with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterDecisionForm {
    pub id: i64,
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
}
