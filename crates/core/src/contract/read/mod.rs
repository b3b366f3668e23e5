//! Reads a case of `check-format.md` from JSON, strictly: unknown fields, malformed dates,
//! instants without an offset, unknown zones and bad ranges are errors naming their field.
//!
//! Hand-written over `serde_json::Value` (not derived) so that every error carries the full path
//! of its field (`applications[1].submitted_at`) and a sentence a person can act on, and so that
//! no input, however odd, can make it panic.

use serde_json::Value;

use crate::case::Case;
use crate::ids::CaseId;

mod direct;
mod options;
mod reader;
mod shapes;

use reader::Reader;
pub use reader::{FieldError, MAX_ERRORS, parse_date, parse_instant};

/// The `id` of a case, if it has a string one, read before anything else so errors can echo it.
pub fn case_id(value: &Value) -> Option<CaseId> {
    value
        .as_object()
        .and_then(|map| map.get("id"))
        .and_then(Value::as_str)
        .map(|id| CaseId(id.to_owned()))
}

/// Reads a case straight from a body's bytes when it is one the full reader accepts (the common
/// case, without a JSON tree); `None` when [`read_case`] must read it and say what is wrong.
pub fn read_case_bytes(body: &[u8]) -> Option<(Option<CaseId>, Case)> {
    direct::read(body)
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

#[cfg(test)]
mod tests;
