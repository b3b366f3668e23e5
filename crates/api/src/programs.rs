//! The institution's programs catalogue (W2f's facts): each entry is `check-format.md`'s
//! `program` object with its `code` and `name`.

use serde::{Deserialize, Serialize};

use crate::students::ImportProblem;

/// A program of the catalogue: `POST /api/v1/programs`, and each item of
/// `GET /api/v1/programs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramEntry {
    /// 1 to 20 letters, digits, `-`, `_` or `.`; kept in capitals.
    pub code: String,
    pub name: String,
    /// Leads to a degree, diploma or certificate.
    pub credential: bool,
    /// The program's length in months.
    pub months: u32,
    /// Its months of work placement.
    pub work_months: u32,
    /// The work placement is a required part of the program.
    pub placement_required: bool,
    /// Language training, general interest or preparatory.
    pub language_or_preparatory: bool,
}

/// `PATCH /api/v1/programs/{code}`: what changes (absent: unchanged); the code never does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramChange {
    pub name: Option<String>,
    pub credential: Option<bool>,
    pub months: Option<u32>,
    pub work_months: Option<u32>,
    pub placement_required: Option<bool>,
    pub language_or_preparatory: Option<bool>,
}

/// A program as staff's page lists it: whether it qualifies for a placement under the study
/// permit (W2f), why not, and how many students are in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramLine {
    pub entry: ProgramEntry,
    pub eligible: bool,
    /// Each failing part of W2f, in words.
    pub why_not: Vec<String>,
    pub students: u64,
}

/// What a programs CSV import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramImportReport {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Every problem by line and field; nothing from those lines is written.
    pub errors: Vec<ImportProblem>,
    /// Whether it was written (false for a preview).
    pub imported: bool,
}
