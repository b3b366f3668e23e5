//! The `permit-check` JSON contract (`spec/check-format.md`): cases in, results out.
//!
//! The CLI, `POST /api/v1/check` and the test vectors all go through [`check_value`] (the
//! endpoint through [`check_bytes`], which reads the common case without a JSON tree first), so
//! the contract is implemented once.

pub mod read;
pub mod vectors;

use serde::Serialize;
use serde_json::Value;

use crate::evaluation::{Evaluation, evaluate};
use crate::ids::CaseId;

pub use read::{FieldError, parse_date, parse_instant, read_case, read_case_bytes};

/// The result of one case: its evaluation, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The case was read and evaluated.
    Evaluated {
        /// The case's `id`, echoed.
        id: Option<CaseId>,
        /// The rules' answer.
        evaluation: Box<Evaluation>,
    },
    /// The case could not be read.
    Invalid {
        /// The case's `id`, when it had a readable one.
        id: Option<CaseId>,
        /// Every problem found, in field order (the contract reports the first).
        errors: Vec<FieldError>,
    },
}

/// Reads and evaluates one case given as JSON.
pub fn check_value(value: &Value) -> Outcome {
    match read_case(value) {
        Ok((id, case)) => Outcome::Evaluated {
            id,
            evaluation: Box::new(evaluate(&case)),
        },
        Err(errors) => Outcome::Invalid {
            id: read::case_id(value),
            errors,
        },
    }
}

/// Reads and evaluates one case given as a JSON body, as `POST /api/v1/check` takes it: read
/// directly from the bytes when it can be, else through [`check_value`], which names the
/// problems. `Err` when the body is not JSON at all.
pub fn check_bytes(body: &[u8]) -> Result<Outcome, serde_json::Error> {
    if let Some((id, case)) = read_case_bytes(body) {
        return Ok(Outcome::Evaluated {
            id,
            evaluation: Box::new(evaluate(&case)),
        });
    }
    let value: Value = serde_json::from_slice(body)?;
    Ok(check_value(&value))
}

/// A result line of the contract: `{"id": …, …evaluation}`.
#[derive(Debug, Serialize)]
pub struct ResultLine<'a> {
    /// The case's id, or null.
    pub id: Option<&'a CaseId>,
    /// The evaluation's fields, inline.
    #[serde(flatten)]
    pub evaluation: &'a Evaluation,
}

impl ResultLine<'_> {
    /// The line as JSON bytes, written into a buffer big enough for a typical answer (about
    /// 800 bytes) so that it does not grow while being written.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut bytes = Vec::with_capacity(1024);
        serde_json::to_writer(&mut bytes, self)?;
        Ok(bytes)
    }
}

/// An error line of the contract: `{"id": …, "error": {"line", "field", "message"}}`.
#[derive(Debug, Serialize)]
pub struct ErrorLine<'a> {
    /// The case's id, or null.
    pub id: Option<&'a CaseId>,
    /// The first problem, with the input line it came from.
    pub error: LineError<'a>,
}

/// One error, located.
#[derive(Debug, Serialize)]
pub struct LineError<'a> {
    /// 1-based line of the input (or position in a `.json` array).
    pub line: usize,
    /// The field's path, or null when the line itself is unreadable.
    pub field: Option<&'a str>,
    /// What is wrong.
    pub message: &'a str,
}

impl Outcome {
    /// Whether the case was evaluated.
    pub fn is_evaluated(&self) -> bool {
        matches!(self, Outcome::Evaluated { .. })
    }

    /// The output line of the contract, as JSON.
    pub fn to_json(&self, line: usize) -> Value {
        let serialized = match self {
            Outcome::Evaluated { id, evaluation } => serde_json::to_value(ResultLine {
                id: id.as_ref(),
                evaluation,
            }),
            Outcome::Invalid { id, errors } => {
                let first = errors.first();
                serde_json::to_value(ErrorLine {
                    id: id.as_ref(),
                    error: LineError {
                        line,
                        field: first.and_then(|e| e.field.as_deref()),
                        message: first.map_or("the case could not be read", |e| &e.message),
                    },
                })
            }
        };
        // Every type here serializes infallibly (string keys, no maps of non-strings).
        serialized.unwrap_or(Value::Null)
    }
}

/// The error line for input that is not even JSON (or not UTF-8).
pub fn unreadable_line(line: usize, message: &str) -> Value {
    serde_json::to_value(ErrorLine {
        id: None,
        error: LineError {
            line,
            field: None,
            message,
        },
    })
    .unwrap_or(Value::Null)
}
