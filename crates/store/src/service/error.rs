//! Why a service refused or failed: one error type for every service, mapped once to the API's
//! error body (`coop_store::wire`) for REST and server functions alike.

use super::passwords;

/// Why a service refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Not signed in (401).
    #[error("sign in first")]
    Unauthenticated,
    /// Signed in, but the role may not do this (403).
    #[error("your role may not do this")]
    Forbidden,
    /// No such record (or not the caller's: the API answers 404 either way).
    #[error("not found")]
    NotFound,
    /// A unique value is already taken.
    #[error("{field} is already in use")]
    Conflict {
        /// The field whose value is taken.
        field: &'static str,
    },
    /// The record's current state does not allow this (409), said in a sentence for the user.
    #[error("{0}")]
    State(String),
    /// A rule of `coop-core` refuses it (422 `not_eligible`), with the rule's reasons in order.
    #[error("not eligible: {reasons:?}")]
    NotEligible {
        /// The reasons, in rule order.
        reasons: Vec<coop_core::reasons::Reason>,
    },
    /// Findings of `coop-core`'s validators (S2–S7), every error at once (422).
    #[error("invalid: {0:?}")]
    Findings(Vec<coop_core::validation::Finding>),
    /// Input that breaks a rule, with the field and why.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why, in words.
        message: String,
    },
    /// A service this one needs (the SMTP server) did not do its part (503), in a sentence.
    #[error("{0}")]
    Unavailable(String),
    /// The database failed; the cause is logged, never shown to a user.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// The operating system gave no randomness or hashing failed (never the user's fault).
    #[error("{0}")]
    Internal(String),
}

impl From<coop_core::text_limits::TextProblem> for ServiceError {
    fn from(p: coop_core::text_limits::TextProblem) -> ServiceError {
        ServiceError::Invalid {
            field: p.field,
            message: p.message,
        }
    }
}

impl From<passwords::CheckUnavailable> for ServiceError {
    fn from(e: passwords::CheckUnavailable) -> ServiceError {
        ServiceError::Internal(e.to_string())
    }
}

impl From<passwords::HashError> for ServiceError {
    fn from(e: passwords::HashError) -> ServiceError {
        ServiceError::Internal(e.to_string())
    }
}

impl ServiceError {
    /// A move `coop-core` refuses ("this request is approved and cannot be withdrawn"), as a
    /// conflict worded for the person who tried.
    pub fn not_allowed(refusal: impl std::fmt::Display) -> ServiceError {
        let text = refusal.to_string();
        let mut chars = text.chars();
        ServiceError::State(match chars.next() {
            Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
            None => String::new(),
        })
    }
}
