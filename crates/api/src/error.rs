//! The one error body of `/api/v1` and of the server functions: `{error, message, fields}`,
//! and `reasons` when a rule refuses.

use serde::{Deserialize, Serialize};

/// An error answer (api.md "Errors").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Error))]
pub struct ErrorBody {
    /// A stable code (api.md).
    pub error: String,
    /// A sentence for a person; may change.
    pub message: String,
    /// Each field's problem, when the input was at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldProblem>>,
    /// The rules' reasons, when a rule refuses (`not_eligible`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<ReasonProblem>>,
}

impl ErrorBody {
    /// An error with a code and a sentence only.
    pub fn new(error: &str, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: error.to_owned(),
            message: message.into(),
            fields: None,
            reasons: None,
        }
    }

    /// The message of the problem with `field`, if the server named one.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .flatten()
            .find(|f| f.field.as_deref() == Some(field))
            .map(|f| f.message.as_str())
    }
}

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    /// The field's path, or null for the input as a whole.
    pub field: Option<String>,
    /// A stable code: `required`, `unknown_field`, `invalid`, `out_of_range`, or a finding's.
    pub code: String,
    /// What is wrong, in words.
    pub message: String,
}

impl From<&coop_core::contract::FieldError> for FieldProblem {
    fn from(e: &coop_core::contract::FieldError) -> FieldProblem {
        FieldProblem {
            field: e.field.clone(),
            code: e.code.to_owned(),
            message: e.message.clone(),
        }
    }
}

/// One rule's reason for a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonProblem {
    /// The reason's code (check-format.md).
    pub code: String,
    /// The rule it comes from (rules.md).
    pub rule: String,
    /// The reason in words, citing the rule.
    pub message: String,
}

impl From<coop_core::reasons::Reason> for ReasonProblem {
    fn from(reason: coop_core::reasons::Reason) -> ReasonProblem {
        ReasonProblem {
            code: reason.code().to_owned(),
            rule: reason.rules().first().map_or("", |r| r.as_str()).to_owned(),
            message: coop_core::explain::reason(reason).text.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_and_reasons_are_left_out_and_read_back() {
        let body = ErrorBody::new("not_found", "No such student.");
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(
            text,
            r#"{"error":"not_found","message":"No such student."}"#
        );
        assert_eq!(serde_json::from_str::<ErrorBody>(&text).unwrap(), body);
    }

    #[test]
    fn a_fields_message_is_found_by_its_field() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"error":"invalid","message":"m","fields":[{"field":"uci","code":"invalid_uci","message":"The UCI has 8 or 10 digits (S2)."}]}"#,
        )
        .unwrap();
        assert_eq!(
            body.field_message("uci"),
            Some("The UCI has 8 or 10 digits (S2).")
        );
        assert_eq!(body.field_message("number"), None);
    }

    #[test]
    fn a_refusal_names_the_rule_of_each_reason() {
        let reason = ReasonProblem::from(coop_core::reasons::Reason::NotInCoopProgram);
        assert_eq!(reason.code, "not_in_coop_program");
        assert_eq!(reason.rule, "L1");
        assert!(reason.message.contains("L1"), "{}", reason.message);
    }
}
