//! What one instance keeps in memory between requests (see `remembered` for how long, and what
//! makes an entry invalid). One set per [`crate::Store`]: a second store opened in the same
//! process, as tests do for a second instance, keeps its own.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::remembered::{ACCOUNTS, Remembered, STANDINGS, Writes};
use crate::service::access::Principal;
use crate::service::records::Kept;
use crate::service::student_list::{Counts, ListMemory};

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
    /// The same, as last checked against the database (`records::RECHECK_AFTER`).
    pub checked_records: Remembered<i64, Arc<Kept>>,
    /// A staff list's total, by its filters and the office's date.
    pub totals: Remembered<String, u64>,
    /// Where a deep page of a staff list starts: every `student_list::STEP`th student of the
    /// list in its order, by its filters and the office's date (`student_list::list_kept`).
    pub starts: Remembered<String, Arc<Vec<(String, i64)>>>,
    /// The staff overview's counts, by the office's date.
    pub counts: Remembered<NaiveDate, Counts>,
}

impl Caches {
    /// What the staff lists use of these.
    pub fn lists(&self) -> ListMemory<'_> {
        ListMemory {
            totals: &self.totals,
            starts: &self.starts,
        }
    }
}

impl Default for Caches {
    fn default() -> Caches {
        Caches {
            principals: Remembered::watching(50_000, &ACCOUNTS),
            records: Remembered::watching(20_000, &BY_VERSION),
            checked_records: Remembered::watching(20_000, &STANDINGS),
            totals: Remembered::watching(1_000, &STANDINGS),
            starts: Remembered::watching(100, &STANDINGS),
            counts: Remembered::watching(4, &STANDINGS),
        }
    }
}
