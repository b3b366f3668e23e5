//! Reads a case of `check-format.md` from JSON, strictly: unknown fields, malformed dates,
//! instants without an offset, unknown zones and bad ranges are errors naming their field.
//!
//! Hand-written over `serde_json::Value` (not derived) so that every error carries the full path
//! of its field (`applications[1].submitted_at`) and a sentence a person can act on, and so that
//! no input, however odd, can make it panic.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::case::{
    Application, Case, Coop1101, CoopDocumentKind, CoopWorkPermit, Decision, DocumentFor, Level,
    ProcessingMonths, Program, Student, StudyPermit, WorkTerm,
};
use crate::datetime_text;
use crate::ids::CaseId;
use crate::regime::{Regime, RegimeChoice};
use crate::time::{self, Zone};

/// One problem with one field of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's path (`study_permit.expires`, `applications[0].decision`); `None` for the case itself.
    pub field: Option<String>,
    /// A stable code: `required`, `unknown_field`, `invalid`, `out_of_range`.
    pub code: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

/// Errors are collected up to this many, so a huge bad input gives a bounded answer.
pub const MAX_ERRORS: usize = 20;

/// The `id` of a case, if it has a string one, read before anything else so errors can echo it.
pub fn case_id(value: &Value) -> Option<CaseId> {
    value
        .as_object()
        .and_then(|map| map.get("id"))
        .and_then(Value::as_str)
        .map(|id| CaseId(id.to_owned()))
}

/// Reads a case. On failure, every problem found (at most [`MAX_ERRORS`]), in field order.
pub fn read_case(value: &Value) -> Result<(Option<CaseId>, Case), Vec<FieldError>> {
    let mut reader = Reader::default();
    let case = reader.case(value);
    match case {
        Some(case) if reader.errors.is_empty() => Ok(case),
        _ => {
            if reader.errors.is_empty() {
                reader.error(None, "the case could not be read".to_owned());
            }
            Err(reader.errors)
        }
    }
}

#[derive(Default)]
struct Reader {
    errors: Vec<FieldError>,
}

const CASE_FIELDS: &[&str] = &[
    "id",
    "now",
    "zone",
    "regime",
    "processing_months",
    "student",
    "program",
    "study_permit",
    "coop_work_permit",
    "applications",
    "work_terms",
];
const STUDENT_FIELDS: &[&str] = &[
    "coop_program",
    "coop1101",
    "continuance_met",
    "level",
    "full_time",
    "placement_letter",
    "in_canada",
];
const PROGRAM_FIELDS: &[&str] = &[
    "credential",
    "months",
    "work_months",
    "placement_required",
    "language_or_preparatory",
];
const STUDY_PERMIT_FIELDS: &[&str] = &["expires", "verified", "on_campus_work"];
const COOP_PERMIT_FIELDS: &[&str] = &["kind", "expires", "verified"];
const APPLICATION_FIELDS: &[&str] = &["for", "submitted_at", "decision"];
const WORK_TERM_FIELDS: &[&str] = &["start", "end"];

/// A JSON object being read, with its path and the fields it may have.
struct Obj<'v> {
    map: &'v Map<String, Value>,
    path: String,
}

impl<'v> Obj<'v> {
    fn field(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// The value of `name`, treating `null` as absent.
    fn get(&self, name: &str) -> Option<&'v Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Quotes an input value in a message, shortened so an error never echoes a huge input.
fn quote(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{:?}", shorten(s)),
        other => shorten(&other.to_string()),
    }
}

impl Reader {
    fn error(&mut self, field: Option<String>, message: String) {
        self.error_coded(field, "invalid", message);
    }

    fn error_coded(&mut self, field: Option<String>, code: &'static str, message: String) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(FieldError {
                field,
                code,
                message,
            });
        }
    }

    fn object<'v>(&mut self, value: &'v Value, path: String, known: &[&str]) -> Option<Obj<'v>> {
        let Some(map) = value.as_object() else {
            let field = (!path.is_empty()).then(|| path.clone());
            self.error(field, format!("expected an object, got {}", kind_of(value)));
            return None;
        };
        let obj = Obj { map, path };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let message = format!("unknown field; expected one of: {}", known.join(", "));
                self.error_coded(Some(obj.field(key)), "unknown_field", message);
            }
        }
        Some(obj)
    }

    fn required<'v>(&mut self, obj: &Obj<'v>, name: &str) -> Option<&'v Value> {
        let value = obj.get(name);
        if value.is_none() {
            self.error_coded(Some(obj.field(name)), "required", "is required".to_owned());
        }
        value
    }

    fn boolean(&mut self, obj: &Obj<'_>, name: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                let message = format!("expected true or false, got {}", quote(other));
                self.error(Some(obj.field(name)), message);
                None
            }
        }
    }

    fn required_bool(&mut self, obj: &Obj<'_>, name: &str) -> Option<bool> {
        let value = self.required(obj, name)?;
        self.boolean(obj, name, value)
    }

    fn optional_bool(&mut self, obj: &Obj<'_>, name: &str, default: bool) -> Option<bool> {
        match obj.get(name) {
            None => Some(default),
            Some(value) => self.boolean(obj, name, value),
        }
    }

    fn months(&mut self, obj: &Obj<'_>, name: &str) -> Option<u32> {
        let value = self.required(obj, name)?;
        match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n <= 1200 => Some(n),
            _ => {
                let message = format!(
                    "expected a whole number of months from 0 to 1200, got {}",
                    quote(value)
                );
                self.error(Some(obj.field(name)), message);
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, obj: &Obj<'_>, name: &str, options: &[(&str, T)]) -> Option<T> {
        let value = self.required(obj, name)?;
        self.choice_of(obj.field(name), value, options)
    }

    fn optional_choice<T: Copy>(
        &mut self,
        obj: &Obj<'_>,
        name: &str,
        options: &[(&str, T)],
        default: T,
    ) -> Option<T> {
        match obj.get(name) {
            None => Some(default),
            Some(value) => self.choice_of(obj.field(name), value, options),
        }
    }

    fn choice_of<T: Copy>(
        &mut self,
        field: String,
        value: &Value,
        options: &[(&str, T)],
    ) -> Option<T> {
        let found = value
            .as_str()
            .and_then(|s| options.iter().find(|(code, _)| *code == s));
        if let Some((_, choice)) = found {
            return Some(*choice);
        }
        let names: Vec<&str> = options.iter().map(|(code, _)| *code).collect();
        let message = format!("expected one of {}, got {}", names.join(", "), quote(value));
        self.error(Some(field), message);
        None
    }

    fn date(&mut self, obj: &Obj<'_>, name: &str) -> Option<NaiveDate> {
        let value = self.required(obj, name)?;
        let field = obj.field(name);
        let parsed = value.as_str().and_then(parse_date);
        match parsed {
            Some(date) if time::is_supported_date(date) => Some(date),
            Some(_) => {
                self.error_coded(Some(field), "out_of_range", out_of_range(value));
                None
            }
            None => {
                let message = format!("expected a date YYYY-MM-DD, got {}", quote(value));
                self.error(Some(field), message);
                None
            }
        }
    }

    fn instant(&mut self, obj: &Obj<'_>, name: &str) -> Option<DateTime<Utc>> {
        let value = self.required(obj, name)?;
        let field = obj.field(name);
        let Some(text) = value.as_str() else {
            let message = format!(
                "expected an RFC 3339 instant such as \"2026-08-31T23:30:00Z\", got {}",
                quote(value)
            );
            self.error(Some(field), message);
            return None;
        };
        match parse_instant(text) {
            Ok(at) if time::is_supported_date(at.date_naive()) => Some(at),
            Ok(_) => {
                self.error_coded(Some(field), "out_of_range", out_of_range(value));
                None
            }
            Err(message) => {
                self.error(Some(field), message);
                None
            }
        }
    }

    fn case(&mut self, value: &Value) -> Option<(Option<CaseId>, Case)> {
        let obj = self.object(value, String::new(), CASE_FIELDS)?;
        let id = match obj.get("id") {
            None => None,
            Some(Value::String(id)) => Some(CaseId(id.clone())),
            Some(other) => {
                self.error(
                    Some("id".to_owned()),
                    format!("expected a string, got {}", quote(other)),
                );
                None
            }
        };
        let now = self.instant(&obj, "now");
        let zone = self.zone(&obj);
        let regime = self.optional_choice(
            &obj,
            "regime",
            &[
                ("auto", RegimeChoice::Auto),
                (
                    "coop_work_permit",
                    RegimeChoice::Pinned(Regime::CoopWorkPermit),
                ),
                (
                    "study_permit_placement",
                    RegimeChoice::Pinned(Regime::StudyPermitPlacement),
                ),
            ],
            RegimeChoice::Auto,
        );
        let processing = self.processing_months(&obj);
        let student = match self.required(&obj, "student") {
            Some(value) => self.student(value),
            None => None,
        };
        let program = self.optional(&obj, "program", Self::program);
        let study_permit = self.optional(&obj, "study_permit", Self::study_permit);
        let coop_work_permit = self.optional(&obj, "coop_work_permit", Self::coop_work_permit);
        let applications = self.list(&obj, "applications", Self::application);
        let work_terms = self.list(&obj, "work_terms", Self::work_term);
        Some((
            id,
            Case {
                now: now?,
                zone: zone?,
                regime: regime?,
                processing: processing?,
                student: student?,
                program: program?,
                study_permit: study_permit?,
                coop_work_permit: coop_work_permit?,
                applications: applications?,
                work_terms: work_terms?,
            },
        ))
    }

    fn zone(&mut self, obj: &Obj<'_>) -> Option<Zone> {
        let Some(value) = obj.get("zone") else {
            return Some(Zone::vancouver());
        };
        let zone = value.as_str().and_then(|name| Zone::named(name).ok());
        if zone.is_none() {
            let message = format!(
                "unknown time zone {}: expected an IANA name such as \"America/Vancouver\"",
                quote(value)
            );
            self.error(Some(obj.field("zone")), message);
        }
        zone
    }

    fn processing_months(&mut self, obj: &Obj<'_>) -> Option<ProcessingMonths> {
        let Some(value) = obj.get("processing_months") else {
            return Some(ProcessingMonths::DEFAULT);
        };
        let pair = match value.as_array().map(Vec::as_slice) {
            Some([min, max]) => min.as_i64().zip(max.as_i64()),
            _ => None,
        };
        let checked = pair.and_then(|(min, max)| ProcessingMonths::new(min, max).ok());
        if checked.is_none() {
            let message = format!(
                "expected [min, max] whole months with 1 <= min <= max <= 24, got {}",
                quote(value)
            );
            self.error(Some(obj.field("processing_months")), message);
        }
        checked
    }

    /// An optional object field: `Some(None)` when absent, `None` when present but wrong.
    fn optional<T>(
        &mut self,
        obj: &Obj<'_>,
        name: &str,
        read: fn(&mut Self, &Value, String) -> Option<T>,
    ) -> Option<Option<T>> {
        match obj.get(name) {
            None => Some(None),
            Some(value) => read(self, value, obj.field(name)).map(Some),
        }
    }

    fn list<T>(
        &mut self,
        obj: &Obj<'_>,
        name: &str,
        read: fn(&mut Self, &Value, String) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Some(value) = obj.get(name) else {
            return Some(Vec::new());
        };
        let Some(items) = value.as_array() else {
            let message = format!("expected a list, got {}", kind_of(value));
            self.error(Some(obj.field(name)), message);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (index, item) in items.iter().enumerate() {
            match read(self, item, format!("{}[{index}]", obj.field(name))) {
                Some(read) => out.push(read),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn student(&mut self, value: &Value) -> Option<Student> {
        let obj = self.object(value, "student".to_owned(), STUDENT_FIELDS)?;
        let coop_program = self.required_bool(&obj, "coop_program");
        let coop1101 = self.choice(
            &obj,
            "coop1101",
            &[
                ("none", Coop1101::None),
                ("registered", Coop1101::Registered),
                ("completed", Coop1101::Completed),
            ],
        );
        let continuance_met = self.required_bool(&obj, "continuance_met");
        let level = self.optional_choice(
            &obj,
            "level",
            &[
                ("post_secondary", Level::PostSecondary),
                ("secondary", Level::Secondary),
            ],
            Level::PostSecondary,
        );
        let full_time = self.optional_bool(&obj, "full_time", true);
        let placement_letter = self.optional_bool(&obj, "placement_letter", false);
        let in_canada = self.optional_bool(&obj, "in_canada", true);
        Some(Student {
            coop_program: coop_program?,
            coop1101: coop1101?,
            continuance_met: continuance_met?,
            level: level?,
            full_time: full_time?,
            placement_letter: placement_letter?,
            in_canada: in_canada?,
        })
    }

    fn program(&mut self, value: &Value, path: String) -> Option<Program> {
        let obj = self.object(value, path, PROGRAM_FIELDS)?;
        let credential = self.required_bool(&obj, "credential");
        let months = self.months(&obj, "months");
        let work_months = self.months(&obj, "work_months");
        let placement_required = self.required_bool(&obj, "placement_required");
        let language_or_preparatory = self.required_bool(&obj, "language_or_preparatory");
        Some(Program {
            credential: credential?,
            months: months?,
            work_months: work_months?,
            placement_required: placement_required?,
            language_or_preparatory: language_or_preparatory?,
        })
    }

    fn study_permit(&mut self, value: &Value, path: String) -> Option<StudyPermit> {
        let obj = self.object(value, path, STUDY_PERMIT_FIELDS)?;
        let expires = self.date(&obj, "expires");
        let verified = self.optional_bool(&obj, "verified", false);
        let on_campus_work = self.optional_bool(&obj, "on_campus_work", false);
        Some(StudyPermit {
            expires: expires?,
            verified: verified?,
            on_campus_work: on_campus_work?,
        })
    }

    fn coop_work_permit(&mut self, value: &Value, path: String) -> Option<CoopWorkPermit> {
        let obj = self.object(value, path, COOP_PERMIT_FIELDS)?;
        let kind = self.optional_choice(
            &obj,
            "kind",
            &[
                ("coop_work_permit", CoopDocumentKind::CoopWorkPermit),
                ("approval_letter", CoopDocumentKind::ApprovalLetter),
            ],
            CoopDocumentKind::CoopWorkPermit,
        );
        let expires = self.date(&obj, "expires");
        let verified = self.optional_bool(&obj, "verified", false);
        Some(CoopWorkPermit {
            kind: kind?,
            expires: expires?,
            verified: verified?,
        })
    }

    fn application(&mut self, value: &Value, path: String) -> Option<Application> {
        let obj = self.object(value, path, APPLICATION_FIELDS)?;
        let for_document = self.choice(
            &obj,
            "for",
            &[
                ("coop_work_permit", DocumentFor::CoopWorkPermit),
                ("study_permit", DocumentFor::StudyPermit),
            ],
        );
        let submitted_at = self.instant(&obj, "submitted_at");
        let decision = self.choice(
            &obj,
            "decision",
            &[
                ("pending", Decision::Pending),
                ("approved", Decision::Approved),
                ("refused", Decision::Refused),
            ],
        );
        Some(Application {
            for_document: for_document?,
            submitted_at: submitted_at?,
            decision: decision?,
        })
    }

    fn work_term(&mut self, value: &Value, path: String) -> Option<WorkTerm> {
        let obj = self.object(value, path, WORK_TERM_FIELDS)?;
        let start = self.date(&obj, "start");
        let end = self.date(&obj, "end");
        match WorkTerm::new(start?, end?) {
            Ok(term) => Some(term),
            Err(problem) => {
                self.error(Some(obj.field("end")), problem.to_string());
                None
            }
        }
    }
}

fn out_of_range(value: &Value) -> String {
    format!(
        "{} is outside the supported years {}-{}",
        quote(value),
        time::SUPPORTED_YEARS.start(),
        time::SUPPORTED_YEARS.end()
    )
}

/// T1: a calendar date, exactly `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    datetime_text::parse_date(text)
}

/// T1: an instant, RFC 3339 with an offset (`Z` or `±HH:MM`). Errors say what is missing.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    if let Some(at) = datetime_text::parse_rfc3339(text) {
        return Ok(at);
    }
    if datetime_text::parse_local(text).is_some() {
        Err(format!(
            "{text:?} has no UTC offset: add Z or +HH:MM/-HH:MM (e.g. \"2026-12-15T16:30:00-07:00\")"
        ))
    } else {
        Err(format!(
            "expected an RFC 3339 instant such as \"2026-08-31T23:30:00Z\", got {:?}",
            shorten(text)
        ))
    }
}

/// Cuts an echoed input to 60 characters.
fn shorten(text: &str) -> String {
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(value: Value) -> Vec<(Option<String>, String)> {
        read_case(&value)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    fn minimal() -> Value {
        json!({"now": "2026-08-31T23:30:00Z",
               "student": {"coop_program": true, "coop1101": "none", "continuance_met": true}})
    }

    #[test]
    fn defaults_apply() {
        let (id, case) = read_case(&minimal()).unwrap();
        assert_eq!(id, None);
        assert_eq!(case.zone.name(), "America/Vancouver");
        assert_eq!(case.regime, RegimeChoice::Auto);
        assert_eq!(case.processing, ProcessingMonths::DEFAULT);
        assert!(case.student.full_time && case.student.in_canada && !case.student.placement_letter);
        assert_eq!(case.student.level, Level::PostSecondary);
        assert!(
            case.program.is_none() && case.study_permit.is_none() && case.applications.is_empty()
        );
    }

    #[test]
    fn unknown_fields_are_named_with_their_path() {
        let mut v = minimal();
        v["study_permit"] = json!({"expiry": "2027-01-01"});
        let errs = errors(v);
        assert_eq!(errs[0].0.as_deref(), Some("study_permit.expiry"));
        assert!(errs[0].1.contains("unknown field"));
        assert_eq!(errs[1].0.as_deref(), Some("study_permit.expires"));
        assert_eq!(errs[1].1, "is required");
    }

    #[test]
    fn malformed_dates_and_instants() {
        let mut v = minimal();
        v["study_permit"] = json!({"expires": "2027-02-30"});
        v["applications"] = json!([{"for": "study_permit", "submitted_at": "2026-12-15T16:30:00", "decision": "pending"}]);
        let errs = errors(v);
        assert_eq!(errs[0].0.as_deref(), Some("study_permit.expires"));
        assert!(errs[0].1.contains("YYYY-MM-DD"), "{}", errs[0].1);
        assert_eq!(errs[1].0.as_deref(), Some("applications[0].submitted_at"));
        assert!(errs[1].1.contains("no UTC offset"), "{}", errs[1].1);
    }

    #[test]
    fn required_fields_unknown_zone_and_processing() {
        let v = json!({"id": "x", "zone": "Mars/Base", "processing_months": [5, 3], "student": {"coop1101": "maybe"}});
        let fields: Vec<Option<String>> = errors(v).into_iter().map(|e| e.0).collect();
        let want = [
            "now",
            "zone",
            "processing_months",
            "student.coop_program",
            "student.coop1101",
            "student.continuance_met",
        ];
        assert_eq!(
            fields,
            want.iter()
                .map(|f| Some((*f).to_owned()))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn dates_outside_supported_years_and_odd_shapes() {
        for bad in [
            "0001-01-01",
            "3000-01-01",
            "2026-1-01",
            "+2026-01-01",
            "2026/01/01",
            "",
        ] {
            let mut v = minimal();
            v["study_permit"] = json!({"expires": bad});
            assert!(read_case(&v).is_err(), "{bad}");
        }
        assert!(errors(json!([1, 2]))[0].1.contains("expected an object"));
    }
}
