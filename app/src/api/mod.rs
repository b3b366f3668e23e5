//! The app's server functions, one module per subject, and the typed error they all return.
//! Their bodies (`ssr`) authorize first, call one coop-store service and map its answer with
//! `coop_store::wire`; their types are coop-api's, the same the REST API uses. Pages and drafts
//! call these, never each other.

#[cfg(feature = "ssr")]
mod context;
mod error;

pub mod admin;
pub mod applications;
pub mod documents;
pub mod history;
pub mod import;
pub mod letter_queue;
pub mod letters;
pub mod notices;
pub mod overview;
pub mod passwords;
pub mod programs;
pub mod record;
pub mod review;
pub mod session;
pub mod status;
pub mod student_file;
pub mod students;

pub use error::AppError;
