//! The case reader: every field of a case checked in order, each problem with its field's path.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::options::lookup;
use crate::datetime_text;
use crate::time;

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

#[derive(Default)]
pub(super) struct Reader {
    pub(super) errors: Vec<FieldError>,
}

pub(super) const CASE_FIELDS: &[&str] = &[
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
pub(super) const STUDENT_FIELDS: &[&str] = &[
    "coop_program",
    "coop1101",
    "continuance_met",
    "level",
    "full_time",
    "placement_letter",
    "in_canada",
];
pub(super) const PROGRAM_FIELDS: &[&str] = &[
    "credential",
    "months",
    "work_months",
    "placement_required",
    "language_or_preparatory",
];
pub(super) const STUDY_PERMIT_FIELDS: &[&str] = &["expires", "verified", "on_campus_work"];
pub(super) const COOP_PERMIT_FIELDS: &[&str] = &["kind", "expires", "verified"];
pub(super) const APPLICATION_FIELDS: &[&str] = &["for", "submitted_at", "decision"];
pub(super) const WORK_TERM_FIELDS: &[&str] = &["start", "end"];

/// A JSON object being read, with its path and the fields it may have.
pub(super) struct Obj<'v> {
    map: &'v Map<String, Value>,
    path: String,
}

impl<'v> Obj<'v> {
    pub(super) fn field(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// The value of `name`, treating `null` as absent.
    pub(super) fn get(&self, name: &str) -> Option<&'v Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }
}

pub(super) fn kind_of(value: &Value) -> &'static str {
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
pub(super) fn quote(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{:?}", shorten(s)),
        other => shorten(&other.to_string()),
    }
}

impl Reader {
    pub(super) fn error(&mut self, field: Option<String>, message: String) {
        self.error_coded(field, "invalid", message);
    }

    pub(super) fn error_coded(
        &mut self,
        field: Option<String>,
        code: &'static str,
        message: String,
    ) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(FieldError {
                field,
                code,
                message,
            });
        }
    }

    pub(super) fn object<'v>(
        &mut self,
        value: &'v Value,
        path: String,
        known: &[&str],
    ) -> Option<Obj<'v>> {
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

    pub(super) fn required<'v>(&mut self, obj: &Obj<'v>, name: &str) -> Option<&'v Value> {
        let value = obj.get(name);
        if value.is_none() {
            self.error_coded(Some(obj.field(name)), "required", "is required".to_owned());
        }
        value
    }

    pub(super) fn boolean(&mut self, obj: &Obj<'_>, name: &str, value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                let message = format!("expected true or false, got {}", quote(other));
                self.error(Some(obj.field(name)), message);
                None
            }
        }
    }

    pub(super) fn required_bool(&mut self, obj: &Obj<'_>, name: &str) -> Option<bool> {
        let value = self.required(obj, name)?;
        self.boolean(obj, name, value)
    }

    pub(super) fn optional_bool(
        &mut self,
        obj: &Obj<'_>,
        name: &str,
        default: bool,
    ) -> Option<bool> {
        match obj.get(name) {
            None => Some(default),
            Some(value) => self.boolean(obj, name, value),
        }
    }

    pub(super) fn months(&mut self, obj: &Obj<'_>, name: &str) -> Option<u32> {
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

    pub(super) fn choice<T: Copy>(
        &mut self,
        obj: &Obj<'_>,
        name: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let value = self.required(obj, name)?;
        self.choice_of(obj.field(name), value, options)
    }

    pub(super) fn optional_choice<T: Copy>(
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

    pub(super) fn choice_of<T: Copy>(
        &mut self,
        field: String,
        value: &Value,
        options: &[(&str, T)],
    ) -> Option<T> {
        if let Some(choice) = value.as_str().and_then(|word| lookup(options, word)) {
            return Some(choice);
        }
        let names: Vec<&str> = options.iter().map(|(code, _)| *code).collect();
        let message = format!("expected one of {}, got {}", names.join(", "), quote(value));
        self.error(Some(field), message);
        None
    }

    pub(super) fn date(&mut self, obj: &Obj<'_>, name: &str) -> Option<NaiveDate> {
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

    pub(super) fn instant(&mut self, obj: &Obj<'_>, name: &str) -> Option<DateTime<Utc>> {
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
}

pub(super) fn out_of_range(value: &Value) -> String {
    format!(
        "{} is outside the supported years {}-{}",
        quote(value),
        time::SUPPORTED_YEARS.start(),
        time::SUPPORTED_YEARS.end()
    )
}
