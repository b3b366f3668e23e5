//! A student's own record as `/record` shows it, and what they change there (T2, P).

use serde::{Deserialize, Serialize};

/// A planned work term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermLine {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub start: String,
    pub end: String,
    pub employer: Option<String>,
}

/// One fact staff keep, with its rule: ("In the Co-op program (L1)", "yes").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactLine {
    pub fact: String,
    pub value: String,
}

/// The record as the student sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRecord {
    pub student_number: String,
    pub program: String,
    pub facts: Vec<FactLine>,
    /// IANA zone (T2).
    pub zone: String,
    pub work_terms: Vec<TermLine>,
}

/// A work term as the form sends it (dates `YYYY-MM-DD`, read by the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkTermForm {
    pub start: String,
    pub end: String,
    #[serde(default)]
    pub employer: String,
}
