//! S1: the kinds of document a student submits, what each stands for on file, and its words.

use serde::Serialize;

use crate::case::DocumentFor;

/// S1: what a student submits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(
        value_type = "String",
        from_str = "crate::codes::parse",
        to_str = "crate::codes::text"
    )
)]
pub enum DocumentKind {
    /// IRCC's approval letter (the guide's IMM 5754).
    ApprovalLetter,
    /// The co-op work permit (IMM 1442).
    CoopWorkPermit,
    /// The study permit (IMM 1442, with its conditions).
    StudyPermit,
}

impl DocumentKind {
    /// Every kind, in S1's order.
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::ApprovalLetter,
        DocumentKind::CoopWorkPermit,
        DocumentKind::StudyPermit,
    ];

    /// The stored and wire code (serde's name).
    pub const fn code(self) -> &'static str {
        match self {
            DocumentKind::ApprovalLetter => "approval_letter",
            DocumentKind::CoopWorkPermit => "coop_work_permit",
            DocumentKind::StudyPermit => "study_permit",
        }
    }

    /// A kind from its code.
    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// S1: what the document stands for on file — the study permit, or the co-op work
    /// authorization (the permit, or IRCC's approval letter before it arrives).
    pub const fn purpose(self) -> DocumentFor {
        match self {
            DocumentKind::StudyPermit => DocumentFor::StudyPermit,
            DocumentKind::CoopWorkPermit | DocumentKind::ApprovalLetter => {
                DocumentFor::CoopWorkPermit
            }
        }
    }

    /// The kind in words, for a sentence ("your study permit").
    pub const fn words(self) -> &'static str {
        match self {
            DocumentKind::ApprovalLetter => "approval letter",
            DocumentKind::CoopWorkPermit => "co-op work permit",
            DocumentKind::StudyPermit => "study permit",
        }
    }

    /// S3: the letter a document number of this kind normally starts with.
    pub fn expected_prefix(self) -> Option<char> {
        match self {
            DocumentKind::StudyPermit => Some('F'),
            DocumentKind::CoopWorkPermit => Some('U'),
            // The approval letter carries IRCC's reference, whose letter varies.
            DocumentKind::ApprovalLetter => None,
        }
    }
}
