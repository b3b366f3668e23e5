//! A service's refusal as a command's error: the sentence the operator reads.

use coop_store::service::ServiceError;

pub(crate) fn explain(error: ServiceError) -> anyhow::Error {
    match error {
        ServiceError::Invalid { field, message } => {
            anyhow::anyhow!("--{}: {message}", field.replace('_', "-"))
        }
        ServiceError::Conflict { field } => {
            anyhow::anyhow!("that {} is already in use", field.replace('_', " "))
        }
        ServiceError::NotFound => anyhow::anyhow!("no such user or token"),
        other => anyhow::Error::new(other),
    }
}
