//! A student's applications to IRCC (M1–M3).

use serde::{Deserialize, Serialize};

use crate::Evaluated;

/// `POST /api/v1/me/applications`: an application the student sent to IRCC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportApplication {
    /// `study_permit` or `coop_work_permit`.
    #[serde(rename = "for")]
    pub for_document: String,
    /// RFC 3339 with an offset, e.g. `2026-12-15T16:30:00-07:00`.
    pub submitted_at: String,
    pub application_number: String,
}

/// The answer to a report: whether it keeps maintained status (M2) and the status after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportedApplication {
    pub id: i64,
    /// Submitted before the deadline (T4); null when no such document is on file.
    pub timely: Option<bool>,
    pub status: Evaluated,
}

/// `PATCH /api/v1/me/applications/{id}`: IRCC's decision (M3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationDecision {
    /// `approved` or `refused`.
    pub decision: String,
}

/// The answer to a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecidedApplication {
    pub id: i64,
    pub decision: coop_core::case::Decision,
    pub status: Evaluated,
}

/// An application as a student's file lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: i64,
    #[serde(rename = "for")]
    pub for_document: coop_core::case::DocumentFor,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    pub application_number: Option<String>,
    pub decision: coop_core::case::Decision,
}

/// The report form as the browser sends it. `when` says how the time is known: `local` (the
/// date and time in the student's zone, `submitted_local` as `YYYY-MM-DDTHH:MM`) or `utc_date`
/// (the UTC date printed on IRCC's confirmation, `submitted_utc_date` as `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationReportForm {
    /// `study_permit` or `coop_work_permit`.
    pub for_document: String,
    pub when: String,
    #[serde(default)]
    pub submitted_local: String,
    #[serde(default)]
    pub submitted_utc_date: String,
    pub application_number: String,
    /// The draft's idempotency key.
    #[serde(default)]
    pub client_key: Option<String>,
}

/// What the student is told right after reporting an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOutcome {
    pub timely: Option<bool>,
    /// The meaning, citing its rules.
    pub message: String,
    /// The instant it was read as, in UTC.
    pub submitted_at_utc: String,
}

/// One application the student reported to IRCC, as their home page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationLine {
    pub id: i64,
    /// "study permit" or "co-op work permit".
    pub for_document: String,
    pub submitted_utc: String,
    pub number: Option<String>,
    pub decision: coop_core::case::Decision,
}
