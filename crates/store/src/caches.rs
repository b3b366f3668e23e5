//! What one instance keeps in memory between requests (see `remembered` for how long, and what
//! makes an entry invalid). One set per [`crate::Store`]: a second store opened in the same
//! process, as tests do for a second instance, keeps its own.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::remembered::{Remembered, Writes};
use crate::service::access::Principal;
use crate::service::records::Kept;
use crate::service::student_list::Counts;

/// Never bumped: a student's kept records are checked against the record's version (and their
/// program's) on every read instead, so other students' changes need not drop them.
static BY_VERSION: Writes = Writes::new();

/// An instance's caches.
#[derive(Debug)]
pub struct Caches {
    /// Who a session cookie or an API token is (keys `s:<session id>`, `t:<token id>`).
    pub principals: Remembered<String, Principal>,
    /// A student's record and what is on file, by record id, for their own status.
    pub records: Remembered<i64, Arc<Kept>>,
    /// A staff list's total, by its filters and the office's date.
    pub totals: Remembered<String, u64>,
    /// The staff overview's counts, by the office's date.
    pub counts: Remembered<NaiveDate, Counts>,
}

impl Default for Caches {
    fn default() -> Caches {
        Caches {
            principals: Remembered::new(50_000),
            records: Remembered::watching(20_000, &BY_VERSION),
            totals: Remembered::new(1_000),
            counts: Remembered::new(4),
        }
    }
}
