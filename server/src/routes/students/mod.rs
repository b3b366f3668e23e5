//! Student records: `GET /api/v1/students` (staff: search, paged by the database),
//! `GET /api/v1/students/{id}` (staff, or the student themself — another student gets 404),
//! `GET /api/v1/me/status` (a student's own evaluation, from the stored record), and the
//! subject access exports (`/api/v1/me/export`, `/api/v1/students/{id}/export`).

mod csv_import;
mod downloads;
mod leaving;
mod record;
mod search;
mod subject_access;

pub use csv_import::*;
pub use downloads::*;
pub use leaving::*;
pub use record::*;
pub use search::*;
pub use subject_access::*;
