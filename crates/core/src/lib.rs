//! coop-core — the co-op work authorization rules of `spec/rules.md`, implemented once.
//!
//! The same code decides in the student's browser (WebAssembly) and on the server. It is pure:
//! no I/O, no clock (`now` is always an argument), no web framework, database or async runtime.
//! Rules are typed Rust; JSON lives only in [`contract`], the `permit-check` format.

pub mod authorization;
pub mod case;
pub mod checklist;
pub mod codes;
pub mod contract;
pub mod datetime_text;
pub mod explain;
pub mod generate;
mod ids;
pub mod letter_request;
pub mod pdf_active;
#[cfg(feature = "pdf")]
pub mod pdf_structure;
pub mod planning;
pub mod programs;
pub mod reasons;
pub mod regime;
pub mod reminders;
pub mod retention;
pub mod review;
pub mod roles;
pub mod standing;
pub mod status;
pub mod text_limits;
pub mod time;
pub mod validation;

mod evaluation;

pub use evaluation::{Evaluation, evaluate};
pub use ids::{CaseId, RuleId};
