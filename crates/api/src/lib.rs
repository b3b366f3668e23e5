//! The wire types of coop-permits: every request and response body of `/api/v1` and of the
//! app's server functions, and the one error body. Plain serde types over coop-core's enums and
//! newtypes; no store, no web framework, so the browser builds them too.
//!
//! With the `openapi` feature each type also describes itself (utoipa), and the server derives
//! its OpenAPI document from them: a field added here is documented there.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod documents;
pub mod double_option;
pub mod error;
pub mod evaluation;
pub mod letters;
pub mod notices;
pub mod programs;
pub mod record;
pub mod reminders;
pub mod staff;
pub mod status;
pub mod student_file;
pub mod students;
mod time_text;

pub use error::{ErrorBody, FieldProblem, ReasonProblem};
pub use evaluation::Evaluated;

use serde::{Deserialize, Serialize};

/// A whole list: `{"items": […]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Items<T> {
    /// Every item.
    pub items: Vec<T>,
}

/// One page of a longer list: `{"items": […], "total": n}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// How many match, on every page.
    pub total: u64,
}
