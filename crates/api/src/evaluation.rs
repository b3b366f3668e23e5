//! The rules' answer on the wire: a `check-format.md` result line (`{"id", …evaluation}`).

use coop_core::CaseId;
use coop_core::Evaluation;
use serde::Serialize;

/// A case's evaluation, with the case's `id` (null for a stored student's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Result))]
pub struct Evaluated {
    /// The case's id, echoed; null for a student's own record.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub id: Option<CaseId>,
    /// The evaluation's fields, inline.
    #[serde(flatten)]
    pub evaluation: Evaluation,
}

impl From<Evaluation> for Evaluated {
    fn from(evaluation: Evaluation) -> Evaluated {
        Evaluated {
            id: None,
            evaluation,
        }
    }
}
