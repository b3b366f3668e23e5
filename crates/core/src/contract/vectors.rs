//! Test vectors (`spec/cases/*.jsonl`): `{"case": …, "expect": …}` lines, and the check that a
//! result agrees with its `expect`. Shared by the native and WebAssembly tests and by the server's.

use serde_json::Value;

use super::{Outcome, check_value};

/// One field where a result disagrees with its vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The vector's case id.
    pub id: String,
    /// The top-level field.
    pub field: String,
    /// What the vector expects.
    pub expected: Value,
    /// What the rules gave (`null` when absent).
    pub actual: Value,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}\n  expected {}\n  actual   {}",
            self.id, self.field, self.expected, self.actual
        )
    }
}

/// Whether a JSON line is a test vector rather than a bare case: an object with `case` whose
/// other keys are only `expect` (a case has no `case` field, so this cannot hide a typo).
pub fn as_vector(value: &Value) -> Option<(&Value, Option<&Value>)> {
    let map = value.as_object()?;
    let case = map.get("case")?;
    map.keys()
        .all(|k| k == "case" || k == "expect")
        .then(|| (case, map.get("expect")))
}

/// Compares a result line with a vector's `expect`: every top-level field named must be equal,
/// except `error`, where only the keys named are compared (messages are free text).
pub fn compare(id: &str, expect: &Value, actual: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let Some(expect) = expect.as_object() else {
        out.push(Mismatch {
            id: id.to_owned(),
            field: "expect".to_owned(),
            expected: expect.clone(),
            actual: Value::Null,
        });
        return out;
    };
    for (field, want) in expect {
        let got = actual.get(field).unwrap_or(&Value::Null);
        let equal = if field == "error" {
            subset(want, got)
        } else {
            want == got
        };
        if !equal {
            out.push(Mismatch {
                id: id.to_owned(),
                field: field.clone(),
                expected: want.clone(),
                actual: got.clone(),
            });
        }
    }
    out
}

fn subset(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|gv| subset(v, gv))),
        _ => want == got,
    }
}

/// Evaluates one vector line and returns its mismatches (empty when it agrees).
pub fn check_vector_line(line_no: usize, text: &str) -> Result<Vec<Mismatch>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("line {line_no}: not JSON: {e}"))?;
    let (case, expect) = as_vector(&value)
        .ok_or_else(|| format!("line {line_no}: not a {{case, expect}} vector"))?;
    let expect = expect.ok_or_else(|| format!("line {line_no}: vector without expect"))?;
    let outcome = check_value(case);
    let id = match &outcome {
        Outcome::Evaluated { id, .. } | Outcome::Invalid { id, .. } => id
            .as_ref()
            .map_or_else(|| format!("line {line_no}"), |id| id.0.clone()),
    };
    Ok(compare(&id, expect, &outcome.to_json(line_no)))
}

/// Checks every vector of a JSONL text; returns how many were checked, or every problem found.
pub fn check_vectors(text: &str) -> Result<usize, Vec<String>> {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        checked += 1;
        match check_vector_line(index + 1, line) {
            Ok(mismatches) => problems.extend(mismatches.iter().map(ToString::to_string)),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}
