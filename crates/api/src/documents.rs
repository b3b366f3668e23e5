//! Documents a student submits (S1–S9) and staff review (S8).

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::review::ReviewStatus;
use coop_core::validation::{DocumentKind, Finding};
use serde::{Deserialize, Serialize};

use crate::Evaluated;

/// A document on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    pub id: i64,
    pub kind: DocumentKind,
    pub number: String,
    pub uci: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: NaiveDate,
    pub on_campus_work: bool,
    pub status: ReviewStatus,
    /// Why staff rejected it.
    pub reason: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The uploaded file's address, while it is kept (F2).
    pub file: Option<String>,
}

/// A validator's finding, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingLine {
    pub field: String,
    pub code: String,
    pub rule: String,
    pub message: String,
    /// Only staff's queue says whether it is a warning (the submission lists warnings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<bool>,
}

impl FindingLine {
    /// A finding as the submission's answer lists it.
    pub fn of(finding: &Finding) -> FindingLine {
        FindingLine {
            field: finding.field.to_owned(),
            code: finding.code.code().to_owned(),
            rule: finding.code.rule().as_str().to_owned(),
            message: finding.code.message().to_owned(),
            warning: None,
        }
    }

    /// A finding as staff's queue lists it, saying whether it is a warning.
    pub fn with_severity(finding: &Finding) -> FindingLine {
        FindingLine {
            warning: Some(finding.code.is_warning()),
            ..FindingLine::of(finding)
        }
    }
}

/// The answer to a submission: the document and the validators' warnings (S8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmittedDocument {
    #[serde(flatten)]
    pub document: Document,
    pub warnings: Vec<FindingLine>,
}

/// The part of a submission's answer ([`SubmittedDocument`]) the browser reads: the warnings it
/// shows. Reading only these keeps the document's dates and codes (and their parsers) out of
/// the browser's bundle.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubmissionWarnings {
    pub warnings: Vec<FindingLine>,
}

/// Who a queued item belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentRef {
    pub id: i64,
    pub name: String,
    pub student_number: String,
}

/// A document waiting for staff, with its student and every finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedDocument {
    #[serde(flatten)]
    pub document: Document,
    pub student: StudentRef,
    pub findings: Vec<FindingLine>,
}

/// `POST /api/v1/documents/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentDecision {
    /// `verify` or `reject`.
    pub decision: String,
    /// Required to reject: the student reads it.
    pub reason: Option<String>,
}

/// The answer to a decision: the document and the student's evaluation after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecidedDocument {
    pub document: Document,
    pub evaluation: Evaluated,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_browser_reads_the_warnings_of_a_submissions_answer() {
        let submitted = SubmittedDocument {
            document: Document {
                id: 4,
                kind: DocumentKind::StudyPermit,
                number: "F123456789".to_owned(),
                uci: Some("0000-0000".to_owned()),
                issued_on: NaiveDate::from_ymd_opt(2026, 1, 5),
                expires_on: NaiveDate::from_ymd_opt(2028, 1, 7).unwrap(),
                on_campus_work: true,
                status: ReviewStatus::Submitted,
                reason: None,
                submitted_at: Utc.with_ymd_and_hms(2026, 12, 3, 18, 0, 0).unwrap(),
                decided_at: None,
                file: Some("/api/v1/me/documents/4/file".to_owned()),
            },
            warnings: vec![FindingLine {
                field: "number".to_owned(),
                code: "unexpected_document_prefix".to_owned(),
                rule: "S3".to_owned(),
                message: "A study permit's number usually starts with F (S3).".to_owned(),
                warning: None,
            }],
        };
        let text = serde_json::to_string(&submitted).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["id"], 4, "the document's fields are inline: {value}");
        assert_eq!(value["kind"], "study_permit");
        let read: SubmissionWarnings = serde_json::from_str(&text).unwrap();
        assert_eq!(read.warnings, submitted.warnings);
        assert_eq!(
            serde_json::from_str::<SubmittedDocument>(&text).unwrap(),
            submitted
        );
    }
}

/// One of a student's documents, as their home page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    pub id: i64,
    pub kind: DocumentKind,
    /// "Study permit".
    pub kind_words: String,
    pub number: String,
    /// In words.
    pub expires_on: String,
    pub status: ReviewStatus,
    pub status_text: String,
    pub reason: Option<String>,
    pub has_file: bool,
}

/// The documents section of a student's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsPage {
    /// The student's today (T2), `YYYY-MM-DD`, for S6 in the browser.
    pub today: String,
    /// The study permit on file, `YYYY-MM-DD`, for S5 in the browser.
    pub study_permit_expires: Option<String>,
    pub items: Vec<DocumentLine>,
}

/// A document waiting for staff's review, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: i64,
    /// "Name (number)".
    pub student: String,
    /// "study permit".
    pub kind: String,
    pub number: String,
    pub uci: Option<String>,
    pub issued_on: Option<String>,
    pub expires_on: String,
    pub on_campus_work: bool,
    pub submitted: String,
    pub has_file: bool,
    /// The uploaded file's type (`application/pdf`, `image/png`, `image/jpeg`).
    pub content_type: Option<String>,
    /// (is a warning, the sentence citing its rule).
    pub findings: Vec<(bool, String)>,
}

/// Staff's decision as the review form sends it: `verify`, or `reject` with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDecisionForm {
    pub id: i64,
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
}
