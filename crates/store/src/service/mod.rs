//! Services: every read and change behind one authorization check (`access`), every change to a
//! student's facts through one write path (`students::change`: the transaction, the record's
//! version, the audit row and the standing, together).
//!
//! Layered one way, each using only those before it:
//! - **facts**: `error`, `access`, `audit`, `paging`, `idempotency`, `passwords`, `snapshots`,
//!   `files`, `privacy`, `pdf_inspection`, `records` (what is on file, as the rules' case);
//! - **standings**: `standings` (coop-core's answer kept beside each record), `students` (the
//!   records, and the one write path), `student_list` (staff's lists over the standings);
//! - **notices**: `templates` (every e-mail and message's wording), `notices` (in-app),
//!   `reminders` (R1/R2);
//! - **workflows**: `student_facts`, `work_terms`, `applications`, `documents`, `letters`,
//!   `import`, `generated`, `retention`, and the accounts (`sessions`, `users`, `tokens`,
//!   `sign_in`, `sso`, `account_links`, `invitations`, `password_links`, `password_reset`).

pub mod access;
pub mod account_links;
pub mod applications;
pub mod audit;
pub mod client_limit;
pub mod documents;
mod error;
pub mod file_moves;
pub mod files;
pub mod generated;
pub mod idempotency;
pub mod import;
pub mod import_invitations;
pub mod invitations;
pub mod leavers;
pub mod letters;
pub mod notices;
pub mod overview;
pub mod paging;
pub mod password_links;
pub mod password_reset;
pub mod passwords;
pub mod pdf_inspection;
pub mod privacy;
pub mod program_csv;
pub mod programs;
pub mod records;
pub mod reminders;
pub mod retention;
pub mod sessions;
pub mod sign_in;
pub mod snapshots;
pub mod sso;
pub mod standings;
pub mod student_facts;
pub mod student_list;
pub mod students;
pub mod subject_access;
pub mod templates;
pub mod tokens;
pub mod users;
pub mod work_terms;

pub use error::ServiceError;
