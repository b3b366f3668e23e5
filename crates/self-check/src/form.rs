//! The self-check form's state, kept on the device, and its translation into a case of the
//! `permit-check` contract — so the browser validates with exactly the reader the API uses.

use chrono::{DateTime, Utc};
use coop_core::case::{Case, Program};
use coop_core::contract::{FieldError, read_case};
use coop_core::datetime_text::{parse_local, utc_seconds};
use coop_core::time::Zone;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The local-storage key of the form (versioned: an old shape is simply not loaded).
pub const STORAGE_KEY: &str = "coop-permits.self-check.v1";

/// Everything the student typed, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelfCheckForm {
    pub zone: String,
    /// The facts of the program picked from the catalogue (`None`: not listed or not known).
    /// The picker keeps the choice itself (programs.rs), so the saved form does not carry it.
    #[serde(skip)]
    pub program: Option<Program>,
    pub coop_program: bool,
    pub coop1101: String,
    pub continuance_met: bool,
    pub level: String,
    pub full_time: bool,
    pub placement_letter: bool,
    pub in_canada: bool,
    pub study_permit_expires: String,
    pub study_permit_verified: bool,
    pub on_campus_work: bool,
    /// `none`, `coop_work_permit` or `approval_letter`.
    pub coop_kind: String,
    pub coop_expires: String,
    pub coop_verified: bool,
    pub applications: Vec<ApplicationRow>,
    pub work_terms: Vec<WorkTermRow>,
    /// The next row id, so rows keep their identity when others are removed.
    pub next_row: u32,
}

/// One application made to IRCC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationRow {
    pub row: u32,
    /// `coop_work_permit` or `study_permit`.
    pub for_document: String,
    /// `YYYY-MM-DDTHH:MM`, wall-clock time in the student's zone.
    pub submitted_local: String,
    pub decision: String,
}

/// One planned or current work term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct WorkTermRow {
    pub row: u32,
    pub start: String,
    pub end: String,
}

impl Default for ApplicationRow {
    fn default() -> ApplicationRow {
        ApplicationRow {
            row: 0,
            for_document: "study_permit".to_owned(),
            submitted_local: String::new(),
            decision: "pending".to_owned(),
        }
    }
}

impl Default for SelfCheckForm {
    fn default() -> SelfCheckForm {
        SelfCheckForm {
            zone: Zone::DEFAULT_NAME.to_owned(),
            program: None,
            coop_program: true,
            coop1101: "none".to_owned(),
            continuance_met: false,
            level: "post_secondary".to_owned(),
            full_time: true,
            placement_letter: false,
            in_canada: true,
            study_permit_expires: String::new(),
            study_permit_verified: false,
            on_campus_work: false,
            coop_kind: "none".to_owned(),
            coop_expires: String::new(),
            coop_verified: false,
            applications: Vec::new(),
            work_terms: Vec::new(),
            next_row: 1,
        }
    }
}

/// Reads a saved form field by field: a field that is missing or of another type keeps its
/// default, so a form saved by an older release still loads. (Done by hand rather than with a
/// derived `Deserialize`, whose code and error texts would add about 10 KB to the first load.)
impl SelfCheckForm {
    pub fn from_saved(text: &str) -> Option<SelfCheckForm> {
        let saved: Value = serde_json::from_str(text).ok()?;
        let saved = saved.as_object()?;
        let mut form = SelfCheckForm::default();
        let fields = Fields(saved);
        fields.text("zone", &mut form.zone);
        fields.flag("coop_program", &mut form.coop_program);
        fields.text("coop1101", &mut form.coop1101);
        fields.flag("continuance_met", &mut form.continuance_met);
        fields.text("level", &mut form.level);
        fields.flag("full_time", &mut form.full_time);
        fields.flag("placement_letter", &mut form.placement_letter);
        fields.flag("in_canada", &mut form.in_canada);
        fields.text("study_permit_expires", &mut form.study_permit_expires);
        fields.flag("study_permit_verified", &mut form.study_permit_verified);
        fields.flag("on_campus_work", &mut form.on_campus_work);
        fields.text("coop_kind", &mut form.coop_kind);
        fields.text("coop_expires", &mut form.coop_expires);
        fields.flag("coop_verified", &mut form.coop_verified);
        fields.number("next_row", &mut form.next_row);
        form.applications = fields.rows("applications", |row| {
            let mut application = ApplicationRow::default();
            row.number("row", &mut application.row);
            row.text("for_document", &mut application.for_document);
            row.text("submitted_local", &mut application.submitted_local);
            row.text("decision", &mut application.decision);
            application
        });
        form.work_terms = fields.rows("work_terms", |row| {
            let mut term = WorkTermRow::default();
            row.number("row", &mut term.row);
            row.text("start", &mut term.start);
            row.text("end", &mut term.end);
            term
        });
        Some(form)
    }

    pub fn to_saved(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn text(&self, key: &str, into: &mut String) {
        if let Some(text) = self.0.get(key).and_then(Value::as_str) {
            text.clone_into(into);
        }
    }

    fn flag(&self, key: &str, into: &mut bool) {
        if let Some(flag) = self.0.get(key).and_then(Value::as_bool) {
            *into = flag;
        }
    }

    fn number(&self, key: &str, into: &mut u32) {
        if let Some(n) = self.0.get(key).and_then(Value::as_u64) {
            *into = u32::try_from(n).unwrap_or(u32::MAX);
        }
    }

    fn rows<T>(&self, key: &str, read: impl Fn(Fields<'_>) -> T) -> Vec<T> {
        let Some(rows) = self.0.get(key).and_then(Value::as_array) else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(Value::as_object)
            .map(|row| read(Fields(row)))
            .collect()
    }
}

/// A typed form turned into a case, or the problems to show beside its fields.
pub type Checked = Result<Case, Vec<FieldError>>;

impl SelfCheckForm {
    /// The case of the contract this form describes at `now`. Empty optional parts (no study
    /// permit date, no co-op permit) are simply absent; empty required parts are left empty so
    /// the reader names them.
    pub fn to_case_json(&self, now: DateTime<Utc>) -> Value {
        let zone = Zone::named(&self.zone).ok();
        let mut case = Map::new();
        case.insert("now".into(), json!(utc_seconds(&now)));
        case.insert("zone".into(), json!(self.zone.trim()));
        case.insert(
            "student".into(),
            json!({
                "coop_program": self.coop_program,
                "coop1101": self.coop1101,
                "continuance_met": self.continuance_met,
                "level": self.level,
                "full_time": self.full_time,
                "placement_letter": self.placement_letter,
                "in_canada": self.in_canada,
            }),
        );
        if let Some(p) = self.program {
            let mut program = Map::new();
            program.insert("credential".into(), Value::Bool(p.credential));
            program.insert("months".into(), Value::from(p.months));
            program.insert("work_months".into(), Value::from(p.work_months));
            program.insert(
                "placement_required".into(),
                Value::Bool(p.placement_required),
            );
            program.insert(
                "language_or_preparatory".into(),
                Value::Bool(p.language_or_preparatory),
            );
            case.insert("program".into(), Value::Object(program));
        }
        if !self.study_permit_expires.is_empty() {
            case.insert(
                "study_permit".into(),
                json!({
                    "expires": self.study_permit_expires,
                    "verified": self.study_permit_verified,
                    "on_campus_work": self.on_campus_work,
                }),
            );
        }
        if self.coop_kind != "none" {
            case.insert(
                "coop_work_permit".into(),
                json!({"kind": self.coop_kind, "expires": typed(&self.coop_expires), "verified": self.coop_verified}),
            );
        }
        let applications: Vec<Value> = self
            .applications
            .iter()
            .map(|a| {
                let submitted = zone
                    .as_ref()
                    .and_then(|z| local_instant(z, &a.submitted_local))
                    .map_or(Value::Null, |at| json!(utc_seconds(&at)));
                json!({"for": a.for_document, "submitted_at": submitted, "decision": a.decision})
            })
            .collect();
        case.insert("applications".into(), Value::Array(applications));
        let terms: Vec<Value> = self
            .work_terms
            .iter()
            .map(|t| json!({"start": typed(&t.start), "end": typed(&t.end)}))
            .collect();
        case.insert("work_terms".into(), Value::Array(terms));
        Value::Object(case)
    }

    /// Reads the form with the contract's strict reader.
    pub fn check(&self, now: DateTime<Utc>) -> Checked {
        read_case(&self.to_case_json(now)).map(|(_, case)| case)
    }

    /// A new, empty application row.
    pub fn add_application(&mut self) {
        let row = self.take_row();
        self.applications.push(ApplicationRow {
            row,
            ..ApplicationRow::default()
        });
    }

    /// A new, empty work-term row.
    pub fn add_work_term(&mut self) {
        let row = self.take_row();
        self.work_terms.push(WorkTermRow {
            row,
            ..WorkTermRow::default()
        });
    }

    /// The application row with this id.
    pub fn application(&self, row: u32) -> Option<&ApplicationRow> {
        self.applications.iter().find(|a| a.row == row)
    }

    /// The application row with this id, to change.
    pub fn application_mut(&mut self, row: u32) -> Option<&mut ApplicationRow> {
        self.applications.iter_mut().find(|a| a.row == row)
    }

    /// The work-term row with this id.
    pub fn work_term(&self, row: u32) -> Option<&WorkTermRow> {
        self.work_terms.iter().find(|t| t.row == row)
    }

    /// The work-term row with this id, to change.
    pub fn work_term_mut(&mut self, row: u32) -> Option<&mut WorkTermRow> {
        self.work_terms.iter_mut().find(|t| t.row == row)
    }

    fn take_row(&mut self) -> u32 {
        let row = self.next_row.max(1);
        self.next_row = row.saturating_add(1);
        row
    }
}

/// What was typed, or `null` (absent) for an empty field, so the reader calls it required.
fn typed(text: &str) -> Value {
    if text.trim().is_empty() {
        Value::Null
    } else {
        json!(text)
    }
}

/// `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` gives) in `zone`, as an instant.
pub fn local_instant(zone: &Zone, text: &str) -> Option<DateTime<Utc>> {
    zone.instant_at(parse_local(text)?)
}

/// The DOM id of the input for a contract field path (`applications[0].submitted_at` →
/// `f-applications-0-submitted_at`).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        match c {
            '.' | '[' => id.push('-'),
            ']' => {}
            other => id.push(other),
        }
    }
    id
}

/// A reader message reworded for a student.
pub fn student_message(error: &FieldError) -> String {
    if error.code == "required" {
        "Required: please fill this in.".to_owned()
    } else if error.message.starts_with("expected a date") {
        "Enter a date (year, month and day).".to_owned()
    } else if error.message.contains("RFC 3339") || error.message.contains("no UTC offset") {
        "Enter the date and time you submitted it.".to_owned()
    } else if error.message.starts_with("unknown time zone") {
        "Choose a time zone from the list, e.g. America/Vancouver.".to_owned()
    } else {
        error.message.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-15T20:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn an_empty_form_is_a_valid_case() {
        let case = SelfCheckForm::default().check(now()).unwrap();
        assert!(case.study_permit.is_none() && case.coop_work_permit.is_none());
    }

    #[test]
    fn local_submission_time_is_read_in_the_students_zone() {
        let mut form = SelfCheckForm {
            study_permit_expires: "2026-12-15".to_owned(),
            ..SelfCheckForm::default()
        };
        form.add_application();
        form.applications[0].submitted_local = "2026-12-15T16:30".to_owned();
        let case = form.check(now()).unwrap();
        assert_eq!(
            case.applications[0].submitted_at.to_rfc3339(),
            "2026-12-15T23:30:00+00:00"
        );
    }

    #[test]
    fn missing_parts_are_named_by_field() {
        let mut form = SelfCheckForm {
            coop_kind: "coop_work_permit".to_owned(),
            ..SelfCheckForm::default()
        };
        form.add_work_term();
        form.work_terms[0].start = "2027-05-04".to_owned();
        form.work_terms[0].end = "2027-05-01".to_owned();
        let errors = form.check(now()).unwrap_err();
        let fields: Vec<String> = errors.iter().filter_map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["coop_work_permit.expires", "work_terms[0].end"]);
        assert_eq!(field_id("work_terms[0].end"), "f-work_terms-0-end");
        assert_eq!(
            student_message(&errors[0]),
            "Required: please fill this in."
        );
    }

    #[test]
    fn saved_forms_survive_new_fields() {
        let saved = r#"{"zone":"Asia/Kolkata","coop_program":false}"#;
        let form = SelfCheckForm::from_saved(saved).unwrap();
        assert_eq!(form.zone, "Asia/Kolkata");
        assert!(!form.coop_program);
        assert_eq!(form.coop1101, "none");
        assert_eq!(SelfCheckForm::from_saved("[1]"), None);
        assert_eq!(SelfCheckForm::from_saved("{"), None);
    }

    #[test]
    fn a_saved_form_loads_as_it_was() {
        let mut form = SelfCheckForm {
            zone: "Europe/Paris".to_owned(),
            coop_program: false,
            coop1101: "completed".to_owned(),
            continuance_met: true,
            level: "language_or_preparatory".to_owned(),
            full_time: false,
            placement_letter: true,
            in_canada: false,
            study_permit_expires: "2027-01-31".to_owned(),
            study_permit_verified: true,
            on_campus_work: true,
            coop_kind: "approval_letter".to_owned(),
            coop_expires: "2027-01-30".to_owned(),
            coop_verified: true,
            ..SelfCheckForm::default()
        };
        form.add_application();
        form.add_application();
        form.applications[1].submitted_local = "2026-12-15T16:30".to_owned();
        form.applications[1].decision = "approved".to_owned();
        form.add_work_term();
        form.work_terms[0].start = "2027-05-04".to_owned();
        form.applications.remove(0);
        let saved = form.to_saved().unwrap();
        assert_eq!(SelfCheckForm::from_saved(&saved), Some(form));
    }
}
