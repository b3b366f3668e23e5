//! sea-orm entities, one module per table.

pub mod account_link;
pub mod api_token;
pub mod application;
pub mod audit_event;
pub mod audit_tombstone;
pub mod consent;
pub mod document;
pub mod file;
pub mod file_content;
pub mod letter_request;
pub mod notice;
pub mod program;
pub mod reminder;
pub mod session;
pub mod sign_in_failure;
pub mod sso_login;
pub mod student;
pub mod student_standing;
pub mod user;
pub mod work_term;
