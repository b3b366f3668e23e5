//! The pages, one module each: they call the server through `api` (and the drafts through
//! `drafts`), and draw with `components`; a page never uses another page.

pub mod account;
pub mod passwords;
pub mod record;
pub mod self_check;
pub mod sign_in;
pub mod staff;
pub mod student_home;
#[cfg(feature = "ssr")]
pub mod verify;
