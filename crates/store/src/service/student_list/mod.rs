//! Staff's student lists: search by name, number or e-mail, filters on the standing `coop-core`
//! computed (cleared, document state, regime, a J reason, V2, expiring within N days), sorting
//! and paging — all done by the database, after `standings::refresh` has brought every standing
//! up to date. Also the staff home's counts and the expiry report.

mod counts;
mod query;

pub use counts::{Counts, Expiring, count_queries, counts, counts_kept, expiring_documents};
pub use query::{
    FilterText, ListMemory, Listed, STEP, Sort, StudentQuery, list, list_after, list_kept,
};
