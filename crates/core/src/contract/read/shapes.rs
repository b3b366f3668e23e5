//! The case's shape: each object of `check-format.md` (case, student, program, permits,
//! applications, work terms) read field by field with the reader's primitives.

use serde_json::Value;

use super::options::*;
use super::reader::*;
use crate::case::{
    Application, Case, CoopWorkPermit, ProcessingMonths, Program, Student, StudyPermit, WorkTerm,
};
use crate::ids::CaseId;
use crate::time::Zone;

impl Reader {
    pub(super) fn case(&mut self, value: &Value) -> Option<(Option<CaseId>, Case)> {
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
        let regime = self.optional_choice(&obj, "regime", REGIME, DEFAULT_REGIME);
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

    pub(super) fn zone(&mut self, obj: &Obj<'_>) -> Option<Zone> {
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

    pub(super) fn processing_months(&mut self, obj: &Obj<'_>) -> Option<ProcessingMonths> {
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
    pub(super) fn optional<T>(
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

    pub(super) fn list<T>(
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

    pub(super) fn student(&mut self, value: &Value) -> Option<Student> {
        let obj = self.object(value, "student".to_owned(), STUDENT_FIELDS)?;
        let coop_program = self.required_bool(&obj, "coop_program");
        let coop1101 = self.choice(&obj, "coop1101", COOP1101);
        let continuance_met = self.required_bool(&obj, "continuance_met");
        let level = self.optional_choice(&obj, "level", LEVEL, DEFAULT_LEVEL);
        let full_time = self.optional_bool(&obj, "full_time", DEFAULT_FULL_TIME);
        let placement_letter =
            self.optional_bool(&obj, "placement_letter", DEFAULT_PLACEMENT_LETTER);
        let in_canada = self.optional_bool(&obj, "in_canada", DEFAULT_IN_CANADA);
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

    pub(super) fn program(&mut self, value: &Value, path: String) -> Option<Program> {
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

    pub(super) fn study_permit(&mut self, value: &Value, path: String) -> Option<StudyPermit> {
        let obj = self.object(value, path, STUDY_PERMIT_FIELDS)?;
        let expires = self.date(&obj, "expires");
        let verified = self.optional_bool(&obj, "verified", DEFAULT_VERIFIED);
        let on_campus_work = self.optional_bool(&obj, "on_campus_work", DEFAULT_ON_CAMPUS_WORK);
        Some(StudyPermit {
            expires: expires?,
            verified: verified?,
            on_campus_work: on_campus_work?,
        })
    }

    pub(super) fn coop_work_permit(
        &mut self,
        value: &Value,
        path: String,
    ) -> Option<CoopWorkPermit> {
        let obj = self.object(value, path, COOP_PERMIT_FIELDS)?;
        let kind =
            self.optional_choice(&obj, "kind", COOP_DOCUMENT_KIND, DEFAULT_COOP_DOCUMENT_KIND);
        let expires = self.date(&obj, "expires");
        let verified = self.optional_bool(&obj, "verified", DEFAULT_VERIFIED);
        Some(CoopWorkPermit {
            kind: kind?,
            expires: expires?,
            verified: verified?,
        })
    }

    pub(super) fn application(&mut self, value: &Value, path: String) -> Option<Application> {
        let obj = self.object(value, path, APPLICATION_FIELDS)?;
        let for_document = self.choice(&obj, "for", DOCUMENT_FOR);
        let submitted_at = self.instant(&obj, "submitted_at");
        let decision = self.choice(&obj, "decision", DECISION);
        Some(Application {
            for_document: for_document?,
            submitted_at: submitted_at?,
            decision: decision?,
        })
    }

    pub(super) fn work_term(&mut self, value: &Value, path: String) -> Option<WorkTerm> {
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
