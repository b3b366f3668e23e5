//! Stored records and service answers as the API shows them — to REST clients and to the app's
//! server functions alike — here beside the store, so no handler builds an answer by hand.

pub mod accounts;
pub mod errors;
pub mod programs;
pub mod reminders;
pub mod rest;
pub mod staff_pages;
pub mod student_pages;

pub use reminders::reminder;
pub use rest::queued_letter_request;
