//! Student records: `GET /api/v1/students` (staff: search, paged by the database),
//! `GET /api/v1/students/{id}` (staff, or the student themself — another student gets 404),
//! `GET /api/v1/me/status` (a student's own evaluation, from the stored record).

mod csv_import;
mod downloads;
mod record;
mod search;

pub use csv_import::*;
pub use downloads::*;
pub use record::*;
pub use search::*;
