//! `GET /api/v1/students/{id}`: a student's whole file, drawn from every other part of the API.

use serde::Serialize;

use crate::Evaluated;
use crate::applications::Application;
use crate::audit::AuditEvent;
use crate::documents::Document;
use crate::letters::LetterRequest;
use crate::students::{StudentRecord, WorkTerm};

/// A student's whole file; `history` is for staff only.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentFile {
    pub record: StudentRecord,
    pub evaluation: Evaluated,
    pub documents: Vec<Document>,
    pub letter_requests: Vec<LetterRequest>,
    pub applications: Vec<Application>,
    pub work_terms: Vec<WorkTerm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<AuditEvent>>,
}
