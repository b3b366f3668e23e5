//! What the co-op office's pages show and send (the app's server functions for staff): the
//! overview's counts, the student list, a student's whole file worded, the history and the
//! import. The same facts as `/api/v1`, worded for people on the server.

use coop_core::case::{Coop1101, Level};
use coop_core::status::DocumentState;
use serde::{Deserialize, Serialize};

/// One count of the overview, with the list it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountLine {
    /// The label, citing its rule.
    pub label: String,
    /// The filtered list's address.
    pub link: String,
    pub count: u64,
}

/// The counts on the staff overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewCounts {
    pub letters_waiting: u64,
    pub documents_waiting: u64,
    /// In the order shown.
    pub students: Vec<CountLine>,
}

/// `GET /api/v1/overview`: the office's counts. Each is the `total` of `GET /api/v1/students`
/// with its `filters`, as this instance counted it at most a few seconds ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    /// Letter requests waiting for review.
    pub letters_waiting: u64,
    /// Submitted documents waiting for verification.
    pub documents_waiting: u64,
    /// In the order the staff overview shows them.
    pub counts: Vec<OverviewCount>,
}

/// One count of [`Overview`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewCount {
    /// What is counted, citing its rule (e.g. "Not cleared (J)").
    pub label: String,
    /// The query string of `GET /api/v1/students` listing them (empty: every student).
    pub filters: String,
    pub count: u64,
}

/// The student list's filters as the address gives them (the API's parameter names); empty is
/// "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudentFilters {
    pub q: String,
    pub job_access: String,
    pub state: String,
    pub regime: String,
    pub reason: String,
    pub extend_study_permit: String,
    pub expiring_within_days: String,
    /// `on_file` or `not_on_file` (the student's program in the catalogue).
    pub program: String,
    pub sort: String,
}

impl StudentFilters {
    const NAMES: [&'static str; 9] = [
        "q",
        "job_access",
        "state",
        "regime",
        "reason",
        "extend_study_permit",
        "expiring_within_days",
        "program",
        "sort",
    ];

    /// Each filter's value, in [`StudentFilters::NAMES`]'s order.
    pub fn values(&self) -> [&str; 9] {
        [
            &self.q,
            &self.job_access,
            &self.state,
            &self.regime,
            &self.reason,
            &self.extend_study_permit,
            &self.expiring_within_days,
            &self.program,
            &self.sort,
        ]
    }

    /// The filters from a query string's values (`get` names one), for the list's address.
    pub fn from_query(get: impl Fn(&str) -> String) -> StudentFilters {
        StudentFilters {
            q: get("q"),
            job_access: get("job_access"),
            state: get("state"),
            regime: get("regime"),
            reason: get("reason"),
            extend_study_permit: get("extend_study_permit"),
            expiring_within_days: get("expiring_within_days"),
            program: get("program"),
            sort: get("sort"),
        }
    }

    /// `q=…&state=…` with only the filters given.
    pub fn query_string(&self) -> String {
        Self::NAMES
            .iter()
            .zip(self.values())
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (letters, digits and `-._~` stay).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One document's state and expiry in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCell {
    pub state: DocumentState,
    /// In words; empty without one.
    pub expires: String,
}

/// One row of the student list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentRow {
    pub id: i64,
    pub name: String,
    pub student_number: String,
    pub email: String,
    /// The student's program is in the catalogue (W2f decided).
    pub program_on_file: bool,
    pub cleared: bool,
    pub study_permit: StateCell,
    pub coop_work_permit: StateCell,
}

/// A page of the student list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentListPage {
    pub items: Vec<StudentRow>,
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub pages: u64,
}

/// A document on a student's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDocument {
    pub id: i64,
    /// In words.
    pub kind: String,
    pub number: String,
    pub expires: String,
    pub status: coop_core::review::ReviewStatus,
    pub reason: String,
    /// The uploaded file's address, while it is kept.
    pub file: Option<String>,
}

/// A letter request on a student's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLetterRequest {
    pub id: i64,
    pub status: coop_core::letter_request::LetterRequestStatus,
    pub requested: String,
    pub reason: String,
    /// The issued letter's address.
    pub letter: Option<String>,
}

/// An application on a student's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileApplication {
    /// In words.
    pub for_document: String,
    pub submitted: String,
    pub decision: coop_core::case::Decision,
}

/// A work term on a student's file, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileWorkTerm {
    pub start: String,
    pub end: String,
    pub employer: String,
}

/// One change in a student's history, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub when: String,
    pub who: String,
    pub what: String,
    /// "field: before → after; …".
    pub changes: String,
    /// The subject (`student:42`), in the office-wide history.
    #[serde(default)]
    pub subject: String,
}

/// One R1 reminder on a student's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderLine {
    pub id: i64,
    pub due: String,
    /// Which document, how many days before which expiry.
    pub about: String,
    /// Delivered when, how and to whom (and resends), or why not yet.
    pub how: String,
    /// Delivered, so staff may send it again.
    pub delivered: bool,
}

/// A student's whole file, worded for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentFileView {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub student_number: String,
    pub email: String,
    pub program: String,
    /// The program in the catalogue, when set.
    pub program_code: Option<String>,
    /// What the catalogue says of it, in a sentence citing W2f; `None` without one.
    pub program_facts: Option<String>,
    /// The catalogue, for the select: (code, name).
    pub programs: Vec<(String, String)>,
    pub coop_program: bool,
    pub coop1101: Coop1101,
    pub continuance_met: bool,
    pub full_time: bool,
    pub level: Level,
    pub placement_letter: bool,
    pub zone: String,
    pub notes: String,
    pub cleared: bool,
    /// The regime in force, in a sentence (G3).
    pub regime: String,
    /// Each J reason with its action, citing its rule.
    pub reasons: Vec<String>,
    /// (document, state in words).
    pub document_states: Vec<(String, String)>,
    pub documents: Vec<FileDocument>,
    pub letter_requests: Vec<FileLetterRequest>,
    pub applications: Vec<FileApplication>,
    pub work_terms: Vec<FileWorkTerm>,
    /// Newest first.
    pub history: Vec<HistoryLine>,
    /// Why staff paused this student's reminders, when they did.
    pub reminders_paused: Option<String>,
    /// The day the student left, as staff recorded it.
    pub left_on: Option<chrono::NaiveDate>,
    /// What F2 does with a leaver's personal data, in a sentence; `None` while they have not left.
    pub leaving: Option<String>,
    /// R1 reminders, latest due first.
    pub reminders: Vec<ReminderLine>,
}

/// The program record as the student's page sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramForm {
    pub program: String,
    /// The program in the catalogue; empty: none.
    #[serde(default)]
    pub program_code: String,
    pub coop_program: String,
    pub coop1101: String,
    pub continuance_met: String,
    pub full_time: String,
    pub level: String,
    #[serde(default)]
    pub notes: String,
}

/// The history's filters as the form sends them (empty: any). `student` is a student number;
/// `from` and `to` are Vancouver dates (`to` inclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryFilters {
    pub actor: String,
    pub action: String,
    pub student: String,
    pub from: String,
    pub to: String,
}

/// A page of the office-wide history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub total: u64,
    pub items: Vec<HistoryLine>,
}

/// One line of an import's report, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLineView {
    pub line: u64,
    pub student_number: String,
    pub name: String,
    /// "new student", "update", "no change", "not imported".
    pub outcome: String,
    /// The changed fields, comma-separated.
    pub changes: String,
}

/// What an import did, or would do, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub imported: bool,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub invalid: u64,
    pub lines: Vec<ImportLineView>,
    pub errors: Vec<crate::students::ImportProblem>,
    /// New students invited.
    pub invited: u64,
    pub invitation_problems: Vec<crate::students::ImportProblem>,
}

/// A new user as the admin's form sends it (invited to set their password).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUserForm {
    pub email: String,
    pub name: String,
    /// `student`, `staff` or `admin`.
    pub role: String,
    /// A student's number (empty for staff).
    #[serde(default)]
    pub student_number: String,
}
