//! Services: every change to a record and its audit event in one transaction.

pub mod audit;
pub mod students;

/// Why a service refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No such record (or not the caller's: the API answers 404 either way).
    #[error("not found")]
    NotFound,
    /// A unique value is already taken.
    #[error("{field} is already in use")]
    Conflict {
        /// The field whose value is taken.
        field: &'static str,
    },
    /// The database failed; the cause is logged, never shown to a user.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}
