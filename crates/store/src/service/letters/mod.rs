//! The co-op letter (L): a student's request (after the collection notice, F1), staff's review,
//! and the issued letter (a PDF kept in the file store). Every change through the one write path
//! (`students::change`).

mod issue;
mod request;
mod review;
mod revoke;

pub use issue::{Institution, Stated, approve, issue, letter_of, verify_url};
pub use request::{NewLetterRequest, has_acknowledged, list, request, withdraw};
pub use review::{QueuedRequest, count, queue, reject};
pub use revoke::{Verified, revoke, verify};
