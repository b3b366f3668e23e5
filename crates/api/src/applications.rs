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
