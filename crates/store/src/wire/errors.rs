//! A service's refusal as the API's error body `{error, message, fields?, reasons?}` and its
//! HTTP status — one wording for REST and for the app's server functions. Causes of our own
//! failures are logged here, once, and never sent.

use coop_api::{ErrorBody, FieldProblem, ReasonProblem};

use crate::service::ServiceError;
use crate::service::sign_in::SignInError;

/// An error answer: status, body, and for 429 when to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: ErrorBody,
    /// `Retry-After`, in seconds.
    pub retry_after_seconds: Option<i64>,
}

impl Answer {
    fn new(status: u16, body: ErrorBody) -> Answer {
        Answer {
            status,
            body,
            retry_after_seconds: None,
        }
    }
}

/// A service error as the API answers it.
pub fn service(error: ServiceError) -> Answer {
    match error {
        ServiceError::Unauthenticated => {
            Answer::new(401, ErrorBody::new("unauthenticated", "Sign in first."))
        }
        ServiceError::Forbidden => Answer::new(
            403,
            ErrorBody::new("forbidden", "Your role may not do this."),
        ),
        ServiceError::NotFound => Answer::new(404, ErrorBody::new("not_found", "Not found.")),
        ServiceError::Conflict { field } => Answer::new(
            409,
            ErrorBody::new("conflict", format!("That {field} is already in use.")),
        ),
        ServiceError::State(message) => Answer::new(409, ErrorBody::new("conflict", message)),
        ServiceError::Findings(findings) => {
            let fields: Vec<FieldProblem> = findings
                .iter()
                .map(|f| FieldProblem {
                    field: Some(f.field.to_owned()),
                    code: f.code.code().to_owned(),
                    message: f.code.message().to_owned(),
                })
                .collect();
            invalid(fields)
        }
        ServiceError::Invalid { field, message } => invalid(vec![FieldProblem {
            field: Some(field.to_owned()),
            code: "invalid".to_owned(),
            message,
        }]),
        ServiceError::NotEligible { reasons } => Answer::new(
            422,
            ErrorBody {
                error: "not_eligible".to_owned(),
                message: reasons
                    .iter()
                    .map(|r| coop_core::explain::reason(*r).text)
                    .collect::<Vec<_>>()
                    .join(" "),
                fields: None,
                reasons: Some(reasons.iter().map(|r| ReasonProblem::from(*r)).collect()),
            },
        ),
        ServiceError::Unavailable(message) => {
            Answer::new(503, ErrorBody::new("unavailable", message))
        }
        ServiceError::Db(cause) => internal(&cause.to_string()),
        ServiceError::Internal(cause) => internal(&cause),
    }
}

/// A refused sign-in as the API answers it.
pub fn sign_in(error: SignInError) -> Answer {
    let too_many = |seconds: i64, from: &str| Answer {
        status: 429,
        body: ErrorBody::new(
            "too_many_attempts",
            format!(
                "Too many failed sign-ins {from}; try again in {} minutes.",
                (seconds + 59) / 60
            ),
        ),
        retry_after_seconds: Some(seconds),
    };
    match error {
        SignInError::InvalidCredentials => Answer::new(
            401,
            ErrorBody::new(
                "invalid_credentials",
                "The e-mail address or password is not right.",
            ),
        ),
        SignInError::TooManyAttempts {
            retry_after_seconds,
        } => too_many(retry_after_seconds, "for this account"),
        SignInError::TooManyFromClient {
            retry_after_seconds,
        } => too_many(retry_after_seconds, "from this network"),
        SignInError::PasswordsOff => passwords_off(),
        SignInError::Service(e) => service(e),
    }
}

/// 403: this deployment signs people in through the institution's provider only.
pub fn passwords_off() -> Answer {
    Answer::new(
        403,
        ErrorBody::new(
            "password_sign_in_off",
            "This office signs people in with the institution's account only: use \"Sign in with …\" on the sign-in page.",
        ),
    )
}

/// 422 for input that breaks a rule: every problem by field, the sentences together.
pub fn invalid(fields: Vec<FieldProblem>) -> Answer {
    Answer::new(
        422,
        ErrorBody {
            error: "invalid".to_owned(),
            message: fields
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
            fields: Some(fields),
            reasons: None,
        },
    )
}

/// 500: logged with its cause; the person reads only that it is ours.
pub fn internal(cause: &str) -> Answer {
    tracing::error!(error.cause = %cause, "internal error");
    Answer::new(
        500,
        ErrorBody::new("internal", "Something went wrong on our side."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_names_its_field() {
        let answer = service(ServiceError::Invalid {
            field: "reason",
            message: "say why".to_owned(),
        });
        assert_eq!(answer.status, 422);
        assert_eq!(answer.body.field_message("reason"), Some("say why"));
    }

    #[test]
    fn our_own_failure_never_shows_its_cause() {
        let answer = service(ServiceError::Internal("disk /var/lib full".to_owned()));
        assert_eq!(answer.status, 500);
        assert!(!answer.body.message.contains("disk"));
    }

    #[test]
    fn a_lockout_says_when_to_try_again() {
        let answer = sign_in(SignInError::TooManyAttempts {
            retry_after_seconds: 61,
        });
        assert_eq!((answer.status, answer.retry_after_seconds), (429, Some(61)));
        assert!(answer.body.message.contains("in 2 minutes"));
    }
}
