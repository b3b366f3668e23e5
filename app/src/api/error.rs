//! The error every server function returns: the API's own error body (`{error, message,
//! fields?, reasons?}`), so a form shows the server's problem with a field beside that field,
//! and REST and the app word every refusal alike (`coop_store::wire::errors`).

use coop_api::ErrorBody;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The code of an error the browser makes itself when the server cannot be reached.
const UNREACHABLE: &str = "unreachable";

/// A server function's refusal or failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppError(pub ErrorBody);

impl AppError {
    /// An error with a code and a sentence.
    pub fn new(code: &str, message: impl Into<String>) -> AppError {
        AppError(ErrorBody::new(code, message))
    }

    /// The sentence for the person.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The server's problem with one field of the form, if it named that field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.field_message(name)
    }

    /// A problem with one field of a form, found before anything is sent (the browser checks
    /// with the same rules the server does).
    pub fn for_field(field: &str, message: impl Into<String>) -> AppError {
        let message = message.into();
        AppError(ErrorBody {
            error: "invalid".to_owned(),
            message: message.clone(),
            fields: Some(vec![coop_api::FieldProblem {
                field: Some(field.to_owned()),
                code: "invalid".to_owned(),
                message,
            }]),
            reasons: None,
        })
    }

    /// The server was not reached (no connection): nothing was decided.
    pub fn is_offline(&self) -> bool {
        self.0.error == UNREACHABLE
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> AppError {
        match value {
            ServerFnErrorErr::Request(_) => AppError::new(
                UNREACHABLE,
                "The server cannot be reached; check your connection.",
            ),
            // The server could not read what was sent: the caller's fault (400 at the edge).
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => AppError::new(
                "unreadable_body",
                format!(
                    "The arguments cannot be read: {}.",
                    detail.trim().trim_end_matches('.')
                ),
            ),
            ServerFnErrorErr::Deserialization(_) | ServerFnErrorErr::Response(_) => {
                AppError::new("unreadable_answer", "The server's answer cannot be read.")
            }
            _ => AppError::new("internal", "Something went wrong on our side."),
        }
    }
}

#[cfg(feature = "ssr")]
pub(crate) use answers::answered;

#[cfg(feature = "ssr")]
mod answers {
    use coop_store::service::ServiceError;
    use coop_store::service::sign_in::SignInError;
    use coop_store::wire::errors::{self, Answer};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    use super::AppError;

    /// The answer's body, its status (and `Retry-After`) set on the response.
    pub fn answered(answer: Answer) -> AppError {
        if let Some(response) = use_context::<ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(answer.status) {
                response.set_status(status);
            }
            if let Some(seconds) = answer.retry_after_seconds
                && let Ok(value) = http::HeaderValue::from_str(&seconds.to_string())
            {
                response.insert_header(http::header::RETRY_AFTER, value);
            }
        }
        AppError(answer.body)
    }

    impl From<ServiceError> for AppError {
        fn from(error: ServiceError) -> AppError {
            answered(errors::service(error))
        }
    }

    impl From<SignInError> for AppError {
        fn from(error: SignInError) -> AppError {
            answered(errors::sign_in(error))
        }
    }

    impl AppError {
        /// 422: the form's `field` breaks a rule, said in `message`.
        pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
            ServiceError::Invalid {
                field,
                message: message.into(),
            }
            .into()
        }
    }
}
