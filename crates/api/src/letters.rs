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
