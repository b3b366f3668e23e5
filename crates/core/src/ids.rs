//! Identifier newtypes: rule IDs and case IDs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A rule of `spec/rules.md`, e.g. `M1` or `W2c`; cited by every message about the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RuleId(&'static str);

impl RuleId {
    /// A rule ID; only the rules modules name them.
    pub const fn new(id: &'static str) -> RuleId {
        RuleId(id)
    }

    /// The ID as written in the spec.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The caller's label for a case, echoed back in its result.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub String);

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
