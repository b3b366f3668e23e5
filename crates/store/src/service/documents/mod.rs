//! Documents (S1–S8): a student submits and withdraws them, staff review them, and staff or the
//! demo put them on file. Every change through the one write path (`students::change`).

mod on_file;
mod review;
mod submit;

pub use on_file::{NewDocument, add, check_key, file_of, list, put_on_file};
pub use review::{Queued, Verdict, count_waiting, decide, queue};
pub use submit::{Submitted, Upload, submit, withdraw};
