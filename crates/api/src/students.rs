//! Student records, staff's list of them, a student's whole file, and the CSV import's report.

use chrono::NaiveDate;
use coop_core::case::{Coop1101, Level};
use coop_core::regime::Regime;
use coop_core::status::DocumentState;
use serde::{Deserialize, Serialize};

use crate::Evaluated;

/// A student's program record (W2f, L1, L2, J1): what the audit log keeps of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentFields {
    pub student_number: String,
    pub email: String,
    pub name: String,
    pub program: String,
    /// The program in the catalogue (W2f's facts); null: not on file.
    #[serde(default)]
    pub program_code: Option<String>,
    pub coop_program: bool,
    pub coop1101: Coop1101,
    pub continuance_met: bool,
    pub full_time: bool,
    pub level: Level,
    /// Issued a placement letter (W2b).
    pub placement_letter: bool,
    /// The student's IANA zone (T2).
    pub zone: String,
    /// Staff's notes: only staff see them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Bumped at every change; send it back to refuse a lost update (409).
    pub version: i64,
}

/// A student record as the API shows it: its fields and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Student))]
pub struct StudentRecord {
    pub id: i64,
    #[serde(flatten)]
    pub fields: StudentFields,
}

/// One document's state in a standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentStanding {
    pub state: DocumentState,
    pub expires: Option<NaiveDate>,
}

/// The stored evaluation staff lists filter on (J, G3, V2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standing {
    pub cleared: bool,
    pub regime: Regime,
    pub study_permit: DocumentStanding,
    pub coop_work_permit: DocumentStanding,
    pub extend_study_permit: bool,
    /// J's reasons, in rule order.
    pub reasons: coop_core::reasons::Reasons,
}

/// A student in staff's list: the record and its standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListedStudent {
    #[serde(flatten)]
    pub record: StudentRecord,
    pub standing: Standing,
}

/// A planned work term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkTerm {
    pub id: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub employer: Option<String>,
}

/// `PATCH /api/v1/students/{id}`: the program facts staff change (absent: unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StudentUpdate {
    pub program: Option<String>,
    /// The program in the catalogue; `null` takes it off (W2f then not decided).
    #[serde(
        default,
        deserialize_with = "crate::double_option::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, nullable))]
    pub program_code: Option<Option<String>>,
    pub coop_program: Option<bool>,
    /// `none`, `registered` or `completed`.
    pub coop1101: Option<String>,
    pub continuance_met: Option<bool>,
    pub full_time: Option<bool>,
    /// `post_secondary` or `secondary`.
    pub level: Option<String>,
    pub notes: Option<String>,
    /// The record's `version` the editor saw: 409 when it changed since.
    pub version: Option<i64>,
}

/// A record and the evaluation that follows from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordAndEvaluation {
    pub record: StudentRecord,
    pub evaluation: Evaluated,
}

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What a line of an import does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    Create,
    Update,
    Unchanged,
    Invalid,
}

/// One line's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportLine {
    pub line: u64,
    pub student_number: String,
    pub name: String,
    pub outcome: ImportOutcome,
    /// The fields an update changes.
    pub changes: Vec<String>,
}

/// The whole file's result.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub lines: Vec<ImportLine>,
    pub errors: Vec<ImportProblem>,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub invalid: u64,
    /// Whether it was written (false for a preview).
    pub imported: bool,
    /// With `invite`: the new students who got an account and an invitation.
    #[serde(default)]
    pub invited: u64,
    /// With `invite`: new students left without an invitation, and why (the import itself
    /// stands; send theirs from the users page).
    #[serde(default)]
    pub invitation_problems: Vec<ImportProblem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(notes: Option<&str>) -> StudentRecord {
        StudentRecord {
            id: 7,
            fields: StudentFields {
                student_number: "100000007".to_owned(),
                email: "li@students.example".to_owned(),
                name: "Li Wei".to_owned(),
                program: "BBA (Co-op)".to_owned(),
                program_code: Some("BBA".to_owned()),
                coop_program: true,
                coop1101: Coop1101::Completed,
                continuance_met: true,
                full_time: true,
                level: Level::PostSecondary,
                placement_letter: false,
                zone: "America/Vancouver".to_owned(),
                notes: notes.map(str::to_owned),
                version: 3,
            },
        }
    }

    #[test]
    fn a_record_is_one_flat_object_with_its_id() {
        let value = serde_json::to_value(record(Some("called"))).unwrap();
        assert_eq!(value["id"], 7);
        assert_eq!(value["coop1101"], "completed");
        assert_eq!(value["level"], "post_secondary");
        assert_eq!(value["notes"], "called");
        assert_eq!(
            serde_json::from_value::<StudentRecord>(value).unwrap(),
            record(Some("called"))
        );
    }

    #[test]
    fn a_record_without_staff_notes_has_no_notes_field() {
        let value = serde_json::to_value(record(None)).unwrap();
        assert!(value.get("notes").is_none(), "{value}");
    }
}

/// Staff record that a student left the institution (F2 counts a year from it), or, with
/// `null`, that they did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Leaving {
    pub left_on: Option<NaiveDate>,
}

/// A student's leaving, and what F2 does with their personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeavingStatus {
    pub left_on: Option<NaiveDate>,
    /// When the retention job may remove their personal data: a year after the later of leaving
    /// and the last decision about them (F2); null while they have not left.
    pub removable_from: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was removed; null while it is held.
    pub removed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The record's new version.
    pub version: i64,
}
