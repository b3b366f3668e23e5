//! R1/R2 reminders: the job that delivers each one exactly once, staff's view of them, and
//! sending one again by hand.

mod job;
mod queries;
mod resend;

pub use job::{PassReport, Runner, run_pass};
pub use queries::{ReminderQuery, of_student, search};
pub use resend::resend;
